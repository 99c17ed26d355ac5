package dev.sluice.plugins.out.exit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;

class ExitOutputTest {

	private static final TestChunk TWO = TestChunk.of("t",
			List.of(new LogEvent(new EventTime(1, 0), Map.of()), new LogEvent(new EventTime(2, 0), Map.of())));

	private static ExitOutput exit(int flushes, int records, int seconds) {
		ExitConfig c = new ExitConfig();
		c.flushCount = flushes;
		c.recordCount = records;
		c.timeCount = seconds;
		ExitOutput out = new ExitOutput();
		out.init(c, new TestContext("exit.0"));
		return out;
	}

	@Test
	void withNothingSetItStopsAfterOneFlush() {
		TestContext ctx = new TestContext("exit.0");
		assertThat(exit(-1, -1, -1).flush(TWO, ctx)).isEqualTo(FlushResult.OK);
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void flushCount() {
		ExitOutput out = exit(3, -1, -1);
		TestContext ctx = new TestContext("exit.0");
		out.flush(TWO, ctx);
		out.flush(TWO, ctx);
		assertThat(ctx.shutdownRequested()).isFalse();
		out.flush(TWO, ctx);
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void recordCountStopsOnTheFlushAfterTheCountIsReached() {
		ExitOutput out = exit(-1, 3, -1);
		TestContext ctx = new TestContext("exit.0");
		out.flush(TWO, ctx);
		out.flush(TWO, ctx);
		assertThat(ctx.shutdownRequested()).isFalse();
		out.flush(TWO, ctx);
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void timeCountNotYetReached() {
		TestContext ctx = new TestContext("exit.0");
		exit(-1, -1, 3600).flush(TWO, ctx);
		assertThat(ctx.shutdownRequested()).isFalse();
	}
}
