package dev.sluice.parser.multiline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;
import dev.sluice.parser.ParserRegistry;
import dev.sluice.parser.TestParsers;

import static org.assertj.core.api.Assertions.assertThat;

class MultilineEngineTest {

	private final AtomicLong clock = new AtomicLong(1_000_000L);

	private final List<Out> out = new ArrayList<>();

	record Out(Object stream, EventTime time, Map<String, Object> record, boolean forced) {
	}

	private static final EventTime T0 = new EventTime(1_714_557_600L, 0);

	private MultilineEngine engine(String key, String... names) {
		ParserRegistry r = ParserRegistry.builtin();
		List<MultilineParser> ps = new ArrayList<>();
		for (String n : names) {
			MultilineParser p = r.multilineParser(n);
			ps.add((key != null) ? p.withKeyContent(key) : p);
		}
		return new MultilineEngine(ps, 0, 2_000_000L, this.clock::get,
				(s, t, rec, f) -> this.out.add(new Out(s, t, rec, f)));
	}

	private static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private static void text(MultilineEngine e, Object stream, String line) {
		byte[] b = line.getBytes(StandardCharsets.UTF_8);
		e.appendText(stream, T0, b, 0, b.length);
	}

	private List<String> logs() {
		return this.out.stream().map((o) -> (String) o.record().get("log")).toList();
	}

	@Test
	void dockerJoinsPartialLinesPerStream() {
		MultilineEngine e = engine(null, "docker");
		// tail hands each raw Docker JSON line as {"log": line}; streams a and b are two files
		e.appendRecord("a", T0, rec("log", "{\"log\":\"one, \",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:03.53413Z\"}"));
		e.appendRecord("b", T0, rec("log", "{\"log\":\"other \",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:04.1Z\"}"));
		e.appendRecord("a", T0, rec("log", "{\"log\":\"two, \",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:03.53414Z\"}"));
		e.appendRecord("b", T0, rec("log", "{\"log\":\"file\\n\",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:04.2Z\"}"));
		e.appendRecord("a", T0, rec("log", "{\"log\":\"three\\n\",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:03.53415Z\"}"));
		assertThat(this.out).hasSize(2);
		Out b = this.out.get(0);
		assertThat(b.stream()).isEqualTo("b");
		assertThat(b.record()).isEqualTo(rec("log", "other file\n", "stream", "stdout", "time", "2021-02-01T01:40:04.1Z"));
		assertThat(b.time().toInstant()).isEqualTo(Instant.parse("2021-02-01T01:40:04.1Z"));
		Out a = this.out.get(1);
		assertThat(a.record()).isEqualTo(rec("log", "one, two, three\n", "stream", "stdout", "time",
				"2021-02-01T01:40:03.53413Z"));
		assertThat(a.time().toInstant()).isEqualTo(Instant.parse("2021-02-01T01:40:03.53413Z"));
		assertThat(e.hasPending()).isFalse();
	}

	@Test
	void dockerPassesOnWhatItCannotParse() {
		MultilineEngine e = engine(null, "docker");
		e.appendRecord("a", T0, rec("log", "{\"log\":\"partial \",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:03Z\"}"));
		e.appendRecord("a", T0, rec("log", "plain text"));
		assertThat(this.out).hasSize(2);
		assertThat(this.out.get(0).record().get("log")).isEqualTo("partial ");
		assertThat(this.out.get(1).record()).isEqualTo(rec("log", "plain text"));
		assertThat(this.out.get(1).time()).isEqualTo(T0);
	}

	@Test
	void criJoinsPartialsUntilFull() {
		MultilineEngine e = engine(null, "cri");
		text(e, "f", "2024-05-01T10:00:00.100000000Z stdout P part one ");
		text(e, "g", "2024-05-01T10:00:01.000000000Z stdout F single line");
		text(e, "f", "2024-05-01T10:00:00.200000000Z stdout P part two ");
		text(e, "f", "2024-05-01T10:00:00.300000000Z stdout F part three");
		assertThat(this.out).hasSize(2);
		assertThat(this.out.get(0).record()).isEqualTo(rec("time", "2024-05-01T10:00:01.000000000Z", "stream", "stdout",
				"_p", "F", "log", "single line"));
		assertThat(this.out.get(1).record()).isEqualTo(rec("time", "2024-05-01T10:00:00.100000000Z", "stream", "stdout",
				"_p", "P", "log", "part one part two part three"));
		assertThat(this.out.get(1).time()).isEqualTo(new EventTime(Instant.parse("2024-05-01T10:00:00Z").getEpochSecond(), 100_000_000));
	}

	@Test
	void criNonMatchingLineIsPassedAsLog() {
		MultilineEngine e = engine(null, "cri");
		text(e, "f", "not a cri line");
		assertThat(this.out).hasSize(1);
		// cri has key_content 'log', so no newline is added to the raw line
		assertThat(this.out.get(0).record()).isEqualTo(rec("log", "not a cri line"));
	}

	@Test
	void dockerAndCriTogetherAsTailDoes() {
		MultilineEngine e = engine(null, "docker", "cri");
		text(e, "f", "{\"log\":\"a\\n\",\"stream\":\"stderr\",\"time\":\"2021-02-01T01:40:03Z\"}");
		text(e, "g", "2024-05-01T10:00:00Z stdout F hi");
		assertThat(logs()).containsExactly("a\n", "hi");
	}

	@Test
	void javaStackTrace() {
		MultilineEngine e = engine("log", "java");
		String[] lines = { "Exception in thread \"main\" java.lang.IllegalStateException: boom",
				"    at com.example.App.run(App.java:10)", "    at com.example.App.main(App.java:5)",
				"Caused by: java.lang.RuntimeException: inner", "    at com.example.Lib.call(Lib.java:3)",
				"    ... 2 more", "next ordinary line" };
		for (String l : lines) {
			e.appendRecord("s", T0, rec("log", l, "level", "error"));
		}
		assertThat(this.out).hasSize(2);
		assertThat(this.out.get(0).record()).isEqualTo(rec("log", String.join("\n", List.of(lines).subList(0, 6)),
				"level", "error"));
		assertThat(this.out.get(1).record()).isEqualTo(rec("log", "next ordinary line", "level", "error"));
	}

	@Test
	void pythonTracebackEndsAtTheError() {
		MultilineEngine e = engine("log", "python");
		String[] lines = { "Traceback (most recent call last):", "  File \"app.py\", line 3, in <module>",
				"    main()", "  File \"app.py\", line 2, in main", "    raise ValueError(\"bad\")",
				"ValueError: bad" };
		for (String l : lines) {
			e.appendRecord("s", T0, rec("log", l));
		}
		assertThat(this.out).hasSize(1);
		assertThat(this.out.get(0).record()).isEqualTo(rec("log", String.join("\n", lines)));
		e.appendRecord("s", T0, rec("log", "after"));
		assertThat(logs()).containsExactly(String.join("\n", lines), "after");
	}

	@Test
	void goPanic() {
		MultilineEngine e = engine("log", "go");
		String[] lines = { "panic: runtime error: index out of range", "", "goroutine 1 [running]:",
				"main.main()", "\t/app/main.go:8 +0x1d", "exit status 2" };
		for (String l : lines) {
			e.appendRecord("s", T0, rec("log", l));
		}
		assertThat(logs()).containsExactly(String.join("\n", List.of(lines).subList(0, 5)), "exit status 2");
	}

	@Test
	void rubyBacktrace() {
		MultilineEngine e = engine("log", "ruby");
		String[] lines = { "foo.rb:3:in `bar': boom (RuntimeError)", "\tfrom foo.rb:7:in `baz'",
				"\tfrom foo.rb:10:in `<main>'", "done" };
		for (String l : lines) {
			e.appendRecord("s", T0, rec("log", l));
		}
		assertThat(logs()).containsExactly(String.join("\n", List.of(lines).subList(0, 3)), "done");
	}

	@Test
	void textModeAddsNewlinesAndUsesLog() {
		MultilineEngine e = engine(null, "java");
		text(e, "f", "java.lang.Exception: x");
		text(e, "f", "\tat A.b(A.java:1)");
		text(e, "f", "plain");
		assertThat(logs()).containsExactly("java.lang.Exception: x\n\tat A.b(A.java:1)\n", "plain\n");
	}

	@Test
	void pendingGroupFlushesAfterTheTimeout() {
		MultilineEngine e = engine("log", "java");
		e.appendRecord("s", T0, rec("log", "java.lang.Exception: x"));
		e.appendRecord("s", T0, rec("log", "    at A.b(A.java:1)"));
		this.clock.addAndGet(3999);
		e.flushExpired();
		assertThat(this.out).isEmpty();
		assertThat(e.hasPending()).isTrue();
		this.clock.addAndGet(1);
		e.flushExpired();
		assertThat(this.out).hasSize(1);
		assertThat(this.out.get(0).forced()).isTrue();
		assertThat(this.out.get(0).record()).isEqualTo(rec("log", "java.lang.Exception: x\n    at A.b(A.java:1)"));
		assertThat(e.hasPending()).isFalse();
	}

	@Test
	void bufferLimitTruncatesAndFlushes() {
		MultilineParser java = ParserRegistry.builtin().multilineParser("java").withKeyContent("log");
		MultilineEngine e = new MultilineEngine(List.of(java), 1000, 40, this.clock::get,
				(s, t, rec, f) -> this.out.add(new Out(s, t, rec, f)));
		e.appendRecord("s", T0, rec("log", "java.lang.Exception: x"));
		e.appendRecord("s", T0, rec("log", "    at A.b(A.java:1)"));
		e.appendRecord("s", T0, rec("log", "    at C.d(C.java:2)"));
		// the truncated group is flushed at once and its state reset: the next line stands alone
		assertThat(this.out).hasSize(2);
		assertThat((String) this.out.get(0).record().get("log")).hasSize(40)
			.isEqualTo("java.lang.Exception: x\n    at A.b(A.java");
		assertThat(this.out.get(1).record()).isEqualTo(rec("log", "    at C.d(C.java:2)"));
		assertThat(e.pendingBytes()).isZero();
	}

	@Test
	void referenceExampleCustomRulesThatMissAContinuationForm() {
		ParserRegistry r = TestParsers.registry("""
				[MULTILINE_PARSER]
				    name          java_ml
				    type          regex
				    flush_timeout 1000
				    rule "start_state" "/^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}/" "cont"
				    rule "cont" "/^(\\s+at |Caused by:|\\s+\\.\\.\\. \\d+ more)/" "cont"
				""");
		MultilineEngine e = new MultilineEngine(List.of(r.multilineParser("java_ml").withKeyContent("log")), 0, 0,
				this.clock::get, (s, t, rec, f) -> this.out.add(new Out(s, t, rec, f)));
		e.appendRecord("s", T0, rec("log", "2024-05-01 10:00:00 ERROR boom"));
		e.appendRecord("s", T0, rec("log", "java.lang.IllegalStateException: y"));
		e.appendRecord("s", T0, rec("log", "    at a.B.c(B.java:1)"));
		// the group is cut and the exception line passes alone; the parser is still in state 'cont',
		// so the 'at' line opens a group of its own (without the first line's other fields), flushed
		// later: by the next start line, the timeout, or here flushAll
		assertThat(logs()).containsExactly("2024-05-01 10:00:00 ERROR boom", "java.lang.IllegalStateException: y");
		e.flushAll();
		assertThat(logs()).containsExactly("2024-05-01 10:00:00 ERROR boom", "java.lang.IllegalStateException: y",
				"    at a.B.c(B.java:1)");
		assertThat(e.flushTimeoutMillis()).isEqualTo(1000);
	}

	@Test
	void endswithWithNegateAndKeyPattern() {
		ParserRegistry r = TestParsers.registry("""
				[MULTILINE_PARSER]
				    name          cont
				    type          endswith
				    match_string  \\
				    negate        true
				    key_content   msg
				""");
		MultilineEngine e = new MultilineEngine(List.of(r.multilineParser("cont")), 0, 0, this.clock::get,
				(s, t, rec, f) -> this.out.add(new Out(s, t, rec, f)));
		e.appendRecord("s", T0, rec("msg", "a \\", "n", 1L));
		e.appendRecord("s", new EventTime(T0.seconds() + 1, 0), rec("msg", "b \\", "n", 2L));
		e.appendRecord("s", T0, rec("msg", "c", "n", 3L));
		assertThat(this.out).hasSize(1);
		assertThat(this.out.get(0).record()).isEqualTo(rec("msg", "a \\b \\c", "n", 1L));
		assertThat(this.out.get(0).time()).isEqualTo(T0);
	}

	@Test
	void recordsWithoutTheContentKeyPassUnchanged() {
		MultilineEngine e = engine("log", "java");
		e.appendRecord("s", T0, rec("other", 1L));
		e.appendRecord("s", T0, rec("log", 42L));
		assertThat(this.out).extracting(Out::record).containsExactly(rec("other", 1L), rec("log", 42L));
	}
}
