package dev.sluice.event;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

	@Test
	void eventTimeIsFixext8TypeZeroBigEndian() {
		byte[] b = new EventEncoder().append(new EventTime(1_700_000_000L, 123_456_789), Map.of()).toByteArray();
		// [[ EventTime, {} ], {}]
		assertThat(HexFormat.of().formatHex(b)).isEqualTo("9292d7006553f100075bcd158080");
	}

	@Test
	void matchesTheReferenceChunkContent() {
		// FLUENT-BIT.md §1.8: {"a":1} at 1700000000.5 in v2 encoding, 17 bytes
		byte[] b = new EventEncoder().append(new EventTime(1_700_000_000L, 500_000_000), Map.of("a", 1L)).toByteArray();
		assertThat(HexFormat.of().formatHex(b)).isEqualTo("9292d7006553f1001dcd65008081a16101");
		assertThat(b).hasSize(17);
	}

	@Test
	void roundTripKeepsTimeMetadataAndNestedValues() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("s", "héllo ✓");
		body.put("i", -42L);
		body.put("big", Long.MAX_VALUE);
		body.put("d", 1.5);
		body.put("b", true);
		body.put("nil", null);
		body.put("bin", new byte[] { 1, 2, 3 });
		body.put("list", List.of(1L, "two", Map.of("three", 3L)));
		body.put("map", Map.of("k", "v"));
		EventTime t = new EventTime(1_795_314_726L, 432_114_332);
		byte[] bytes = new EventEncoder().append(t, Map.of("origin", "fixture"), body)
			.append(new EventTime(1, 0), Map.of("x", "y"))
			.toByteArray();
		List<LogEvent> events = EventDecoder.decode(bytes);
		assertThat(events).hasSize(2);
		LogEvent e = events.get(0);
		assertThat(e.time()).isEqualTo(t);
		assertThat(e.metadata()).containsEntry("origin", "fixture");
		assertThat(e.body().keySet()).containsExactly("s", "i", "big", "d", "b", "nil", "bin", "list", "map");
		assertThat(e.body().get("s")).isEqualTo("héllo ✓");
		assertThat(e.body().get("i")).isEqualTo(-42L);
		assertThat(e.body().get("big")).isEqualTo(Long.MAX_VALUE);
		assertThat(e.body().get("d")).isEqualTo(1.5);
		assertThat(e.body().get("b")).isEqualTo(true);
		assertThat(e.body()).containsEntry("nil", null);
		assertThat((byte[]) e.body().get("bin")).containsExactly(1, 2, 3);
		assertThat(e.body().get("list")).isEqualTo(List.of(1L, "two", Map.of("three", 3L)));
		assertThat(EventDecoder.countRecords(bytes, 0, bytes.length)).isEqualTo(2);
	}

	@Test
	void decodesLegacyShapeAndIntegerAndFloatTimes() throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(2).packLong(1_700_000_000L).packMapHeader(1).packString("a").packLong(1);
		p.packArrayHeader(2).packDouble(1_700_000_000.25).packMapHeader(0);
		p.packArrayHeader(2).packArrayHeader(2).packLong(1_700_000_001L).packMapHeader(0).packMapHeader(0);
		List<LogEvent> events = EventDecoder.decode(p.toByteArray());
		assertThat(events).extracting(LogEvent::time)
			.containsExactly(new EventTime(1_700_000_000L, 0), new EventTime(1_700_000_000L, 250_000_000),
					new EventTime(1_700_000_001L, 0));
		assertThat(events.get(0).body()).containsEntry("a", 1L);
	}

	@Test
	void groupMarkersAreSkippedAndNotCounted() throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(2).packArrayHeader(2).packLong(-1).packMapHeader(0).packMapHeader(0);
		p.packArrayHeader(2).packArrayHeader(2).packLong(5).packMapHeader(0).packMapHeader(1).packString("k").packString("v");
		p.packArrayHeader(2).packArrayHeader(2).packLong(-2).packMapHeader(0).packMapHeader(0);
		byte[] b = p.toByteArray();
		assertThat(EventDecoder.decode(b)).hasSize(1);
		assertThat(EventDecoder.countRecords(b, 0, b.length)).isEqualTo(1);
	}

	@Test
	void malformedStreamsAreReportedWithTheOffset() throws Exception {
		byte[] good = new EventEncoder().append(new EventTime(1, 0), Map.of("a", 1L)).toByteArray();
		byte[] truncated = java.util.Arrays.copyOf(good, good.length - 2);
		assertThatThrownBy(() -> EventDecoder.decode(truncated)).isInstanceOf(EventFormatException.class)
			.hasMessageContaining("offset 0");
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packString("not an event");
		assertThatThrownBy(() -> EventDecoder.decode(p.toByteArray())).isInstanceOf(EventFormatException.class)
			.hasMessageContaining("not an event at offset 0");
	}

	@Test
	void eventTimeConversions() {
		assertThat(EventTime.ofDouble(1.25)).isEqualTo(new EventTime(1, 250_000_000));
		assertThat(EventTime.ofEpochNanos(1_500_000_001L)).isEqualTo(new EventTime(1, 500_000_001));
		assertThat(new EventTime(3, 5).toString()).isEqualTo("3.000000005");
		assertThatThrownBy(() -> new EventTime(1, 1_000_000_000)).isInstanceOf(IllegalArgumentException.class);
	}
}
