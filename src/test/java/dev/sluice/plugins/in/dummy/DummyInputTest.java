package dev.sluice.plugins.in.dummy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugins.TestContext;

class DummyInputTest {

	private static final Instant NOW = TestContext.start();

	private static DummyConfig defaults() {
		// the binder applies declared defaults; mirror them here
		DummyConfig c = new DummyConfig();
		c.samples = 0;
		c.dummy = "{\"message\":\"dummy\"}";
		c.metadata = "{}";
		c.rate = 1;
		c.copies = 1;
		c.startTimeSec = -1;
		c.startTimeNsec = -1;
		return c;
	}

	private static DummyInput input() {
		return new DummyInput(Clock.fixed(NOW, ZoneOffset.UTC), () -> 0L);
	}

	private static DummyInput input(TestContext ctx) {
		return new DummyInput(ctx.clock(), ctx::nanoTime);
	}

	private static TestContext run(DummyConfig c, TestContext ctx) throws Exception {
		DummyInput in = input(ctx);
		in.init(c, ctx);
		in.collect(ctx);
		return ctx;
	}

	@Test
	void defaultRecordOncePerSecondUnderTheInstanceTag() throws Exception {
		TestContext ctx = new TestContext("dummy.0", "app.log").stopWhen((t) -> t.appends().size() == 3);
		run(defaults(), ctx);
		assertThat(ctx.appends()).hasSize(3).allSatisfy((a) -> assertThat(a.tag()).isEqualTo("app.log"));
		List<LogEvent> events = ctx.events();
		assertThat(events).hasSize(3);
		assertThat(events.get(0).body()).isEqualTo(Map.of("message", "dummy"));
		assertThat(events.get(0).metadata()).isEmpty();
		// first event one interval after start, then one interval each
		assertThat(ctx.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
		assertThat(events.get(0).time()).isEqualTo(new EventTime(NOW.getEpochSecond() + 1, NOW.getNano()));
		assertThat(events.get(2).time()).isEqualTo(new EventTime(NOW.getEpochSecond() + 3, NOW.getNano()));
	}

	@Test
	void intervalFromRateOrIntervalOptions() throws Exception {
		DummyConfig c = defaults();
		DummyInput in = input();
		c.rate = 4;
		in.init(c, new TestContext("dummy.0"));
		assertThat(in.interval()).isEqualTo(Duration.ofMillis(250));

		c = defaults();
		c.rate = 4;
		c.intervalSec = 2;
		c.intervalNsec = 500;
		in = input();
		in.init(c, new TestContext("dummy.0"));
		assertThat(in.interval()).isEqualTo(Duration.ofSeconds(2, 500));

		c = defaults();
		c.rate = 0;
		c.intervalSec = -3;
		in = input();
		in.init(c, new TestContext("dummy.0"));
		assertThat(in.interval()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void samplesStopGeneration() throws Exception {
		DummyConfig c = defaults();
		c.samples = 4;
		c.rate = 200;
		TestContext ctx = run(c, new TestContext("dummy.0"));
		assertThat(ctx.recordCount()).isEqualTo(4);
		assertThat(ctx.isRunning()).isTrue();
		assertThat(ctx.shutdownRequested()).isFalse();
	}

	@Test
	void copiesAndSeveralObjectsPerTick() throws Exception {
		DummyConfig c = defaults();
		c.samples = 2;
		c.copies = 3;
		c.dummy = "{\"a\":1} {\"b\":[true,null,1.5,\"x\"]} 7";
		TestContext ctx = run(c, new TestContext("dummy.0"));
		assertThat(ctx.appends()).hasSize(2);
		assertThat(ctx.appends().get(0).events().records()).isEqualTo(6);
		List<LogEvent> events = ctx.events();
		assertThat(events.get(0).body()).isEqualTo(Map.of("a", 1L));
		assertThat(events.get(1).body()).isEqualTo(Map.of("b", java.util.Arrays.asList(true, null, 1.5, "x")));
	}

	@Test
	void metadataAndKeyOrderAreKept() throws Exception {
		DummyConfig c = defaults();
		c.samples = 1;
		c.dummy = "{\"z\":1,\"a\":{\"y\":2,\"b\":3},\"m\":\"é\\n\\u2713\",\"big\":18446744073709551615,\"e\":1e5,\"f\":1e+5}";
		c.metadata = "{\"origin\":\"fixture\"}";
		TestContext ctx = run(c, new TestContext("dummy.0"));
		LogEvent e = ctx.events().get(0);
		assertThat(e.metadata()).isEqualTo(Map.of("origin", "fixture"));
		assertThat(e.body().keySet()).containsExactly("z", "a", "m", "big", "e", "f");
		assertThat(List.<Object>copyOf(((Map<?, ?>) e.body().get("a")).keySet())).containsExactly("y", "b");
		assertThat(e.body().get("m")).isEqualTo("é\n✓");
		assertThat(e.body().get("big")).isEqualTo(new java.math.BigInteger("18446744073709551615"));
		// Fluent Bit reads 1e5 as the integer 1 (no '.' and no signed exponent), 1e+5 as a double
		assertThat(e.body().get("e")).isEqualTo(1L);
		assertThat(e.body().get("f")).isEqualTo(100000.0);
	}

	@Test
	void startTimeWithFixedTimestamp() throws Exception {
		DummyConfig c = defaults();
		c.samples = 3;
		c.startTimeSec = 1700000000;
		c.startTimeNsec = 5;
		c.fixedTimestamp = true;
		TestContext ctx = run(c, new TestContext("dummy.0"));
		assertThat(ctx.events()).extracting(LogEvent::time).containsOnly(new EventTime(1700000000, 5));
	}

	@Test
	void startTimeAdvancesWithElapsedTime() throws Exception {
		DummyConfig c = defaults();
		c.samples = 2;
		c.rate = 2;
		c.startTimeSec = 1000;
		TestContext ctx = run(c, new TestContext("dummy.0"));
		assertThat(ctx.events()).extracting(LogEvent::time)
			.containsExactly(new EventTime(1000, 500_000_000), new EventTime(1001, 0));
	}

	@Test
	void fixedTimestampWithoutStartTimeUsesTheStart() throws Exception {
		DummyConfig c = defaults();
		c.samples = 2;
		c.fixedTimestamp = true;
		TestContext ctx = run(c, new TestContext("dummy.0"));
		assertThat(ctx.events()).extracting(LogEvent::time)
			.containsOnly(new EventTime(NOW.getEpochSecond(), NOW.getNano()));
		assertThat(ctx.sleeps()).hasSize(2);
	}

	@Test
	void flushOnStartupGeneratesBeforeTheFirstInterval() throws Exception {
		DummyConfig c = defaults();
		c.flushOnStartup = true;
		TestContext ctx = new TestContext("dummy.0").stopWhen((t) -> t.appends().size() == 2);
		run(c, ctx);
		assertThat(ctx.appends()).hasSize(2);
		assertThat(ctx.sleeps()).hasSize(1);
	}

	@Test
	void invalidJsonIsRefusedNamingTheValue() {
		DummyConfig c = defaults();
		c.dummy = "{\"message\": dummy}";
		assertThatThrownBy(() -> input().init(c, new TestContext("dummy.0")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'dummy'")
			.hasMessageContaining("{\"message\": dummy}");
		DummyConfig m = defaults();
		m.metadata = "{\"a\":";
		assertThatThrownBy(() -> input().init(m, new TestContext("dummy.0")))
			.hasMessageContaining("'metadata'")
			.hasMessageContaining("{\"a\":");
	}

	@Test
	void nonObjectRecordIsRefused() {
		DummyConfig c = defaults();
		c.dummy = "[1,2]";
		assertThatThrownBy(() -> input().init(c, new TestContext("dummy.0")))
			.hasMessageContaining("must hold a JSON object");
	}

	@Test
	void testHangOnExitIsNotSupported() {
		DummyConfig c = defaults();
		c.testHangOnExit = true;
		assertThatThrownBy(() -> input().init(c, new TestContext("dummy.0")))
			.hasMessageContaining("test_hang_on_exit")
			.hasMessageContaining("not supported yet");
	}

	@Test
	void declaredAsFluentBitsDummy() {
		PluginDescriptor d = PluginDescriptor.of(DummyInput.class);
		assertThat(d.name()).isEqualTo("dummy");
		assertThat(d.options()).extracting((o) -> o.name()).startsWith("samples", "dummy", "metadata", "rate");
	}
}
