package dev.sluice.plugins.out.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;

class CounterOutputTest {

	@Test
	void printsOneJsonLinePerFlush() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Clock clock = Clock.fixed(Instant.ofEpochSecond(1795314588, 858428700), ZoneOffset.UTC);
		CounterOutput out = new CounterOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8), clock);
		TestChunk three = TestChunk.of("t", List.of(new LogEvent(new EventTime(1, 0), Map.of("a", 1L)),
				new LogEvent(new EventTime(2, 0), Map.of("a", 2L)), new LogEvent(new EventTime(3, 0), Map.of())));
		assertThat(out.flush(three, new TestContext("counter.0"))).isEqualTo(FlushResult.OK);

		// a group start and end around one record: 3 objects, 1 record
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(2).packArrayHeader(2).packInt(-1).packMapHeader(0).packMapHeader(0);
		p.packArrayHeader(2).packArrayHeader(2).packInt(5).packMapHeader(0).packMapHeader(0);
		p.packArrayHeader(2).packArrayHeader(2).packInt(-2).packMapHeader(0).packMapHeader(0);
		byte[] b = p.toByteArray();
		out.flush(TestChunk.of("t", new EventBytes(b, 0, b.length, 1)), new TestContext("counter.0"));

		assertThat(bytes.toString(StandardCharsets.UTF_8))
			.isEqualTo("{\"ts\":1795314588.858429,\"serialized_events\":3,\"log_records\":3,\"total\":6}\n"
					+ "{\"ts\":1795314588.858429,\"serialized_events\":3,\"log_records\":1,\"total\":4}\n");
	}
}
