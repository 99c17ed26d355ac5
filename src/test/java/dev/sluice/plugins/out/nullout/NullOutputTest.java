package dev.sluice.plugins.out.nullout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;

class NullOutputTest {

	@Test
	void discardsEverything() {
		NullOutput out = new NullOutput();
		NullConfig c = new NullConfig();
		c.jsonDateKey = "date";
		out.init(c, new TestContext("null.0"));
		assertThat(out.flush(TestChunk.of("t", List.of(new LogEvent(new EventTime(1, 0), Map.of("a", 1L)))),
				new TestContext("null.0"))).isEqualTo(FlushResult.OK);
	}

	@Test
	void withAJsonFormatItStillDiscardsEvenBrokenChunks() {
		NullOutput out = new NullOutput();
		NullConfig c = new NullConfig();
		c.format = "json_lines";
		c.jsonDateFormat = "iso8601";
		c.jsonDateKey = "date";
		out.init(c, new TestContext("null.0"));
		byte[] junk = { (byte) 0x92, 1 };
		assertThat(out.flush(TestChunk.of("t", new EventBytes(junk, 0, 2, 1)), new TestContext("null.0")))
			.isEqualTo(FlushResult.OK);
	}
}
