package dev.sluice.net.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;

class ForwardEncoderTest {

	static ForwardEncoder.Settings retainOff(boolean timeAsInt) {
		return new ForwardEncoder.Settings(timeAsInt, false, false, false, false, List.of(), null, null);
	}

	@Test
	void timesAfter2038AreKeptAndGroupMarkersSkipped() throws Exception {
		EventEncoder enc = new EventEncoder();
		enc.append(new EventTime(3_000_000_000L, 5), Map.of("a", 1L));
		byte[] events = enc.toByteArray();
		// a group marker: [[EventTime(-1 as uint32), {}], {}]
		byte[] marker = HexFormat.of().parseHex("9292d700ffffffff000000008080");
		byte[] chunk = new byte[events.length + marker.length];
		System.arraycopy(marker, 0, chunk, 0, marker.length);
		System.arraycopy(events, 0, chunk, marker.length, events.length);

		ForwardEncoder.Message m = ForwardEncoder.encode("t", chunk, 0, chunk.length, retainOff(false)).get(0);
		assertThat(m.records()).isEqualTo(1);
		ForwardDecoder.Decoded d = new ForwardDecoder(1 << 20).decode(m.bytes(), 0, m.bytes().length);
		List<LogEvent> back = EventDecoder.decode(d.events(), 0, d.length());
		assertThat(back).containsExactly(new LogEvent(new EventTime(3_000_000_000L, 5), Map.of("a", 1L)));

		ForwardEncoder.Message ints = ForwardEncoder.encode("t", chunk, 0, chunk.length, retainOff(true)).get(0);
		assertThat(HexFormat.of().formatHex(ints.bytes())).isEqualTo("92a174" + "91" + "92ceb2d05e00" + "81a16101");
	}

	@Test
	void optionsComeInFluentBitsOrderWithA32BitMapHeader() {
		EventBytes ev = EventBytes.of(new EventEncoder().append(new EventTime(1, 0), Map.of("a", 1L)));
		ForwardEncoder.Settings s = new ForwardEncoder.Settings(false, true, true, true, true,
				List.of(List.of("k", "v")), null, null);
		ForwardEncoder.Message m = ForwardEncoder.encode("t", ev.data(), 0, ev.length(), s).get(0);
		String hex = HexFormat.of().formatHex(m.bytes());
		String chunk = HexFormat.of().formatHex(m.chunk().getBytes());
		assertThat(hex).endsWith("df00000005" + "a56368756e6b" + "b8" + chunk + "a473697a6501"
				+ "aa636f6d70726573736564a4677a6970" + "ad666c75656e745f7369676e616c00" + "a16ba176");
		assertThat(m.chunk()).isEqualTo(ForwardEncoder.chunkId(ev.data(), 0, ev.length()));
	}
}
