package dev.sluice.net.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.event.MsgpackValues;

class ForwardDecoderTest {

	private final ForwardDecoder decoder = new ForwardDecoder(1 << 20);

	static byte[] pack(Object... values) throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		for (Object v : values) {
			MsgpackValues.pack(p, v);
		}
		return p.toByteArray();
	}

	ForwardDecoder.Decoded decode(byte[] b) throws Exception {
		return this.decoder.decode(b, 0, b.length);
	}

	static List<LogEvent> events(ForwardDecoder.Decoded d) {
		return EventDecoder.decode(d.events(), 0, d.length());
	}

	@Test
	void specExampleIsForwardModeWithOptions() throws Exception {
		byte[] b = HexFormat.of()
			.parseHex("93a361707091" + "92d700" + "0000000100000002" + "81a16101" + "82a473697a6501a56368756e6ba471536f3d");
		ForwardDecoder.Decoded d = decode(b);
		assertThat(d.tag()).isEqualTo("app");
		assertThat(d.mode()).isEqualTo(ForwardDecoder.Mode.FORWARD);
		assertThat(d.chunk()).isEqualTo("qSo=");
		assertThat(events(d)).containsExactly(new LogEvent(new EventTime(1, 2), Map.of("a", 1L)));
		// the v2 event is the entry with an empty metadata map added
		assertThat(HexFormat.of().formatHex(d.events(), 0, d.length())).isEqualTo("9292d700000000010000000280" + "81a16101");
	}

	@Test
	void badEntriesAreSkippedAndCounted() throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(2);
		p.packString("t");
		p.packArrayHeader(5);
		MsgpackValues.pack(p, List.of(1L, Map.of("ok", 1L)));
		MsgpackValues.pack(p, List.of(-5L, Map.of("negative", 1L)));
		MsgpackValues.pack(p, List.of("str", Map.of("time", "bad")));
		MsgpackValues.pack(p, List.of(1L, "not a map"));
		MsgpackValues.pack(p, "not an entry");
		ForwardDecoder.Decoded d = decode(p.toByteArray());
		assertThat(d.records()).isEqualTo(1);
		assertThat(d.skipped()).isEqualTo(4);
		assertThat(events(d).get(0).body()).isEqualTo(Map.of("ok", 1L));
	}

	@Test
	void messageModeTakesMetadataFromTheOptions() throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(4);
		p.packString("m");
		p.packDouble(10.5);
		MsgpackValues.pack(p, Map.of("r", 1L));
		MsgpackValues.pack(p, Map.of("fluent_signal", 0L, "metadata", Map.of("origin", "x")));
		ForwardDecoder.Decoded d = decode(p.toByteArray());
		assertThat(d.mode()).isEqualTo(ForwardDecoder.Mode.MESSAGE);
		assertThat(events(d)).containsExactly(new LogEvent(new EventTime(10, 500_000_000), Map.of("origin", "x"), Map.of("r", 1L)));
	}

	@Test
	void protocolErrors() throws Exception {
		assertThatThrownBy(() -> decode(pack(Map.of("a", 1L)))).hasMessageContaining("not an array");
		assertThatThrownBy(() -> decode(pack(List.of("t")))).hasMessageContaining("array of 1 elements");
		assertThatThrownBy(() -> decode(pack(List.of(1L, List.of())))).hasMessageContaining("tag is not a string");
		assertThatThrownBy(() -> decode(pack(List.of("t", new byte[] { 1 }, Map.of("compressed", "zstd")))))
			.hasMessageContaining("unsupported compression 'zstd'");
		assertThatThrownBy(() -> decode(pack(List.of("t", new byte[] { (byte) 0x92, 1 }))))
			.hasMessageContaining("truncated entry");
		assertThatThrownBy(() -> decode(pack(List.of("t", List.of(), "options?")))).hasMessageContaining("options is not a map");
	}

	@Test
	void gzipBombIsCapped() throws Exception {
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
			gz.write(new byte[4 << 20]);
		}
		ForwardDecoder small = new ForwardDecoder(1 << 20);
		byte[] b = pack(List.of("t", bos.toByteArray(), Map.of("compressed", "gzip")));
		assertThatThrownBy(() -> small.decode(b, 0, b.length)).hasMessageContaining("inflates beyond");
	}
}
