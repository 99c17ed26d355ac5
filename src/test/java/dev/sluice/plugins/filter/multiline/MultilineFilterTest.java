package dev.sluice.plugins.filter.multiline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.parser.ParserRegistry;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultilineFilterTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final EventTime T0 = new EventTime(1_700_000_000L, 0);

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private static EventTime t(int s) {
		return new EventTime(T0.seconds() + s, 0);
	}

	private static final String[] JAVA = { "Exception in thread \"main\" java.lang.IllegalStateException: boom",
			"    at com.example.App.run(App.java:10)", "    at com.example.App.main(App.java:5)" };

	// ---- runtime (lib input -> multiline -> lib output) ----

	private LibOutput start(EmbeddedSluice.Builder b) {
		this.sluice = b.output("lib", "match", "*").build().start();
		return this.sluice.plugin("lib.0", LibOutput.class);
	}

	private LibInput in() {
		return this.sluice.plugin("lib.0", LibInput.class);
	}

	@Test
	void unbufferedJoinsWithinEachChunk() throws Exception {
		LibOutput out = start(EmbeddedSluice.builder().service("flush", "0.05").input("lib", "tag", "app")
			.filter("multiline", "match", "*", "multiline.key_content", "log", "multiline.parser", "java", "buffer", "off"));
		List<LogEvent> batch = new ArrayList<>();
		for (int i = 0; i < JAVA.length; i++) {
			batch.add(new LogEvent(t(i), rec("log", JAVA[i], "pod", "p1")));
		}
		batch.add(new LogEvent(t(9), rec("log", "GET /health 200", "pod", "p1")));
		in().push(batch);
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		assertThat(out.events().get(0).body()).isEqualTo(rec("log", String.join("\n", JAVA), "pod", "p1"));
		assertThat(out.events().get(0).time()).isEqualTo(t(0));
		assertThat(out.events().get(1).body()).isEqualTo(rec("log", "GET /health 200", "pod", "p1"));
		assertThat(out.events().get(1).time()).isEqualTo(t(9));
	}

	@Test
	void bufferedJoinsAcrossAppendsAndFlushesOnTimeout() throws Exception {
		LibOutput out = start(EmbeddedSluice.builder().service("flush", "0.05").input("lib", "tag", "app")
			.filter("multiline", "match", "*", "multiline.key_content", "log", "multiline.parser", "java",
					"flush_ms", "500"));
		for (int i = 0; i < JAVA.length; i++) {
			in().push(t(i), rec("log", JAVA[i]));
		}
		// a new start line completes the first trace: returned from the filter call at once
		in().push(t(5), rec("log", "java.lang.RuntimeException: second"));
		in().push(t(6), rec("log", "    at X.y(X.java:1)"));
		Await.until(DEADLINE, "first trace", () -> out.events().size() >= 1);
		assertThat(out.events().get(0).body()).isEqualTo(rec("log", String.join("\n", JAVA)));
		assertThat(out.events().get(0).time()).isEqualTo(t(0));
		// the second trace has nothing after it: the timer emits it after flush_ms of inactivity
		Await.until(DEADLINE, "second trace by timeout", () -> out.events().size() == 2);
		assertThat(out.events().get(1).body())
			.isEqualTo(rec("log", "java.lang.RuntimeException: second\n    at X.y(X.java:1)"));
		assertThat(out.events().get(1).time()).isEqualTo(t(5));
	}

	@Test
	void criLinesFromRecords() throws Exception {
		LibOutput out = start(EmbeddedSluice.builder().service("flush", "0.05").input("lib", "tag", "kube")
			.filter("multiline", "match", "*", "multiline.parser", "cri", "buffer", "off"));
		in().push(List.of(new LogEvent(T0, rec("log", "2024-05-01T10:00:00.100000000Z stdout P hello ")),
				new LogEvent(T0, rec("log", "2024-05-01T10:00:00.200000000Z stdout F world")),
				new LogEvent(T0, rec("log", "2024-05-01T10:00:01.5Z stderr F {\"level\":\"info\"}"))));
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		assertThat(out.events().get(0).body()).isEqualTo(rec("time", "2024-05-01T10:00:00.100000000Z", "stream",
				"stdout", "_p", "P", "log", "hello world"));
		assertThat(out.events().get(0).time())
			.isEqualTo(new EventTime(Instant.parse("2024-05-01T10:00:00Z").getEpochSecond(), 100_000_000));
		assertThat(out.events().get(1).body()).isEqualTo(rec("time", "2024-05-01T10:00:01.5Z", "stream", "stderr", "_p",
				"F", "log", "{\"level\":\"info\"}"));
		assertThat(out.events().get(1).time())
			.isEqualTo(new EventTime(Instant.parse("2024-05-01T10:00:01Z").getEpochSecond(), 500_000_000));
	}

	@Test
	void customParserFromConfiguration() throws Exception {
		LibOutput out = start(EmbeddedSluice.builder().service("flush", "0.05").input("lib", "tag", "app")
			.multilineParser("multiline-regex-test", "type", "regex", "flush_timeout", "1000")
			.property("rule", "\"start_state\" \"/([a-zA-Z]+ \\d+ \\d+\\:\\d+\\:\\d+)(.*)/\" \"cont\"")
			.property("rule", "\"cont\" \"/^\\s+at.*/\" \"cont\"")
			.filter("multiline", "match", "*", "multiline.key_content", "log", "multiline.parser",
					"multiline-regex-test", "buffer", "off"));
		in().push(List.of(new LogEvent(t(0), rec("log", "Dec 14 06:41:08 Exception in thread \"main\" boom")),
				new LogEvent(t(1), rec("log", "    at com.myproject.module.MyProject.badMethod(MyProject.java:22)")),
				new LogEvent(t(2), rec("log", "    at com.myproject.module.MyProject.main(MyProject.java:6)")),
				new LogEvent(t(3), rec("log", "another line..."))));
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		assertThat(out.events().get(0).body()).isEqualTo(rec("log",
				"Dec 14 06:41:08 Exception in thread \"main\" boom\n"
						+ "    at com.myproject.module.MyProject.badMethod(MyProject.java:22)\n"
						+ "    at com.myproject.module.MyProject.main(MyProject.java:6)"));
		assertThat(out.events().get(1).body()).isEqualTo(rec("log", "another line..."));
	}

	@Test
	void partialMessageMode() throws Exception {
		LibOutput out = start(EmbeddedSluice.builder().service("flush", "0.05").input("lib", "tag", "docker")
			.filter("multiline", "match", "*", "mode", "partial_message", "multiline.key_content", "log"));
		in().push(List.of(
				new LogEvent(t(0), rec("log", "first ", "partial_message", "true", "partial_id", "A", "partial_ordinal", "1",
						"partial_last", "false", "source", "stdout")),
				new LogEvent(t(1), rec("log", "whole line", "source", "stdout")),
				new LogEvent(t(2), rec("log", "second", "partial_message", "true", "partial_id", "A", "partial_ordinal",
						"2", "partial_last", "true", "source", "stdout"))));
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		assertThat(out.events().get(0).body()).isEqualTo(rec("log", "whole line", "source", "stdout"));
		assertThat(out.events().get(1).body()).isEqualTo(rec("source", "stdout", "log", "first second"));
		assertThat(out.events().get(1).time()).isEqualTo(t(0));
	}

	@Test
	void initErrors() {
		assertThatThrownBy(() -> start(EmbeddedSluice.builder().input("lib").filter("multiline", "match", "*")))
			.isInstanceOf(ConfigException.class).hasMessageContaining("requires at least one 'multiline.parser'");
		assertThatThrownBy(() -> start(EmbeddedSluice.builder().input("lib").filter("multiline", "match", "*",
				"multiline.parser", "nope"))).isInstanceOf(ConfigException.class).hasMessageContaining("'nope' not found");
		assertThatThrownBy(() -> start(EmbeddedSluice.builder().input("lib").filter("multiline", "match", "*",
				"multiline.parser", "java", "mode", "magic"))).isInstanceOf(ConfigException.class)
			.hasMessageContaining("'Mode' must be");
		assertThatThrownBy(() -> start(EmbeddedSluice.builder().input("lib").filter("multiline", "match", "*",
				"multiline.parser", "java", "flush_ms", "100"))).isInstanceOf(ConfigException.class)
			.hasMessageContaining("too low");
		assertThatThrownBy(() -> start(EmbeddedSluice.builder().input("lib").filter("multiline", "match", "*",
				"mode", "partial_message"))).isInstanceOf(ConfigException.class)
			.hasMessageContaining("requires 'multiline.key_content'");
	}

	// ---- unit: injected clock, no timer waits ----

	/** A filter context that records emitted events. */
	static final class FakeContext implements FilterContext {

		final List<String> emittedTags = new ArrayList<>();

		final List<LogEvent> emitted = new ArrayList<>();

		private Object context;

		@Override
		public boolean emit(String tag, EventBytes events) {
			this.emittedTags.add(tag);
			this.emitted.addAll(events.decode());
			return true;
		}

		@Override
		public String name() {
			return "multiline.0";
		}

		@Override
		public String displayName() {
			return "multiline.0";
		}

		@Override
		public String pluginName() {
			return "multiline";
		}

		@Override
		public Logger log() {
			return LoggerFactory.getLogger("filter:multiline:multiline.0");
		}

		@Override
		public Map<String, String> properties() {
			return Map.of();
		}

		@Override
		public void setContext(Object context) {
			this.context = context;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T context() {
			return (T) this.context;
		}

		@Override
		public double flushIntervalSeconds() {
			return 1;
		}

		@Override
		public void requestShutdown() {
		}

		@Override
		public ParserRegistry parsers() {
			return ParserRegistry.builtin();
		}
	}

	private static EventBytes events(String[] lines, int firstSecond) {
		EventEncoder enc = new EventEncoder();
		for (int i = 0; i < lines.length; i++) {
			enc.append(t(firstSecond + i), rec("log", lines[i]));
		}
		return EventBytes.of(enc);
	}

	@Test
	void timeoutFlushWithAnInjectedClockPerTag() throws Exception {
		MultilineFilterConfig c = new MultilineFilterConfig();
		c.buffer = true;
		c.mode = "parser";
		c.flushMs = 2000;
		c.multilineParser = List.of("python");
		c.keyContent = "log";
		c.emitterStorageType = "memory";
		AtomicLong clock = new AtomicLong(10_000);
		MultilineFilter f = new MultilineFilter();
		f.setClock(clock::get);
		FakeContext ctx = new FakeContext();
		f.init(c, ctx);
		try {
			String[] tb = { "Traceback (most recent call last):", "  File \"a.py\", line 1, in <module>" };
			EventBytes r1 = f.filter(events(tb, 0), "app.a", ctx);
			EventBytes r2 = f.filter(events(new String[] { "Traceback (most recent call last):" }, 10), "app.b", ctx);
			assertThat(r1.records()).isZero();
			assertThat(r2.records()).isZero();
			clock.addAndGet(1999);
			assertThat(f.tick()).isZero();
			clock.addAndGet(1);
			assertThat(f.tick()).isEqualTo(2);
			assertThat(ctx.emittedTags).containsExactly("app.a", "app.b");
			assertThat(ctx.emitted.get(0).body()).isEqualTo(rec("log", String.join("\n", tb)));
			assertThat(ctx.emitted.get(0).time()).isEqualTo(t(0));
			assertThat(ctx.emitted.get(1).body()).isEqualTo(rec("log", "Traceback (most recent call last):"));
			assertThat(ctx.emitted.get(1).time()).isEqualTo(t(10));
			assertThat(f.tick()).isZero();
		}
		finally {
			f.exit();
		}
	}

	@Test
	void partialMessageTimeoutWithAnInjectedClock() throws Exception {
		MultilineFilterConfig c = new MultilineFilterConfig();
		c.buffer = true;
		c.mode = "partial_message";
		c.flushMs = 2000;
		c.keyContent = "log";
		c.emitterStorageType = "memory";
		AtomicLong clock = new AtomicLong(0);
		MultilineFilter f = new MultilineFilter();
		f.setClock(clock::get);
		FakeContext ctx = new FakeContext();
		f.init(c, ctx);
		try {
			EventEncoder enc = new EventEncoder();
			enc.append(t(0), rec("log", "never ", "partial_message", "true", "partial_id", "Z", "partial_last", "false"));
			enc.append(t(1), rec("log", "finished", "partial_message", "true", "partial_id", "Z", "partial_last", "false"));
			EventBytes r = f.filter(EventBytes.of(enc), "docker", ctx);
			assertThat(r.records()).isZero();
			clock.set(2000);
			assertThat(f.tick()).isZero();
			clock.set(2001);
			assertThat(f.tick()).isEqualTo(1);
			assertThat(ctx.emitted.get(0).body()).isEqualTo(rec("log", "never finished"));
			assertThat(ctx.emitted.get(0).time()).isEqualTo(t(0));
			// records without partial keys: the chunk is left alone
			EventEncoder plain = new EventEncoder();
			plain.append(t(3), rec("log", "x"));
			assertThat(f.filter(EventBytes.of(plain), "docker", ctx)).isNull();
		}
		finally {
			f.exit();
		}
	}

	@Test
	void malformedAndForeignRecordsPassThrough() throws Exception {
		MultilineFilterConfig c = new MultilineFilterConfig();
		c.buffer = false;
		c.mode = "parser";
		c.flushMs = 2000;
		c.multilineParser = List.of("java");
		c.keyContent = "log";
		MultilineFilter f = new MultilineFilter();
		FakeContext ctx = new FakeContext();
		f.init(c, ctx);
		EventEncoder enc = new EventEncoder();
		enc.append(t(0), rec("msg", "no log key"));
		enc.append(t(1), rec("log", 12L));
		EventBytes out = f.filter(EventBytes.of(enc), "x", ctx);
		assertThat(out.decode()).extracting(LogEvent::body).containsExactly(rec("msg", "no log key"), rec("log", 12L));
		byte[] junk = { (byte) 0x92, 0x01 };
		assertThat(f.filter(EventBytes.of(junk, 1), "x", ctx).records()).isZero();
	}
}
