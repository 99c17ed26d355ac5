package dev.sluice.plugins.out.stdout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.Fixtures;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;

class StdoutOutputTest {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private StdoutOutput output(String format, String dateFormat, String dateKey) {
		StdoutConfig c = new StdoutConfig();
		c.format = format;
		c.jsonDateFormat = dateFormat;
		c.jsonDateKey = dateKey;
		StdoutOutput out = new StdoutOutput(new PrintStream(this.bytes, true, StandardCharsets.UTF_8));
		out.init(c, new TestContext("stdout.0"));
		return out;
	}

	private String flush(StdoutOutput out, TestChunk chunk) {
		assertThat(out.flush(chunk, new TestContext("stdout.0"))).isEqualTo(FlushResult.OK);
		String s = this.bytes.toString(StandardCharsets.UTF_8);
		this.bytes.reset();
		return s;
	}

	private static Map<String, Object> map(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private static final Pattern MSGPACK_LINE = Pattern
		.compile("\\[0\\] app\\.log: \\[\\[(\\d+)\\.(\\d{9}), \\{\\}\\], \\{\"message\"=>\"dummy\"\\}\\]");

	/** Each line Fluent Bit printed with the default format, rebuilt from its own timestamp. */
	@Test
	void defaultFormatMatchesFluentBit() throws IOException {
		List<String> lines = Files.readAllLines(Fixtures.path("logs/normal_start_stop/fluent-bit.stdout.txt"));
		assertThat(lines).isNotEmpty();
		StdoutOutput out = output(null, null, "date");
		for (String line : lines) {
			Matcher m = MSGPACK_LINE.matcher(line);
			assertThat(m.matches()).as(line).isTrue();
			EventTime t = new EventTime(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
			TestChunk chunk = TestChunk.of("app.log", List.of(new LogEvent(t, map("message", "dummy"))));
			assertThat(flush(out, chunk)).isEqualTo(line + "\n");
		}
	}

	@Test
	void defaultFormatCountsRecordsAndPrintsMetadataAndTypes() {
		StdoutOutput out = output("msgpack", null, "date");
		TestChunk chunk = TestChunk.of("t", List.of(new LogEvent(new EventTime(5, 7), map("origin", "x"), map("f", 1.5)),
				new LogEvent(new EventTime(6, 0), map("a", List.of(1L, true), "n", null))));
		assertThat(flush(out, chunk)).isEqualTo("[0] t: [[5.000000007, {\"origin\"=>\"x\"}], {\"f\"=>1.500000}]\n"
				+ "[1] t: [[6.000000000, {}], {\"a\"=>[1, true], \"n\"=>nil}]\n");
	}

	private static final Pattern DATE = Pattern.compile("^\\{\"date\":(\\d+)\\.(\\d+),(.*)$");

	/** The json_lines lines of the monitoring fixture, rebuilt from their dates. */
	@Test
	void jsonLinesMatchFluentBit() throws IOException {
		List<String> lines = Files.readAllLines(Fixtures.path("monitoring/full/fluent-bit.stdout.txt"));
		StdoutOutput out = output("json_lines", null, "date");
		List<LogEvent> events = new ArrayList<>();
		for (String line : lines) {
			Matcher m = DATE.matcher(line);
			assertThat(m.matches()).as(line).isTrue();
			String frac = (m.group(2) + "000000000").substring(0, 9);
			events.add(new LogEvent(new EventTime(Long.parseLong(m.group(1)), Integer.parseInt(frac)),
					map("level", "info", "msg", "hello")));
		}
		assertThat(flush(out, TestChunk.of("app.log", events))).isEqualTo(String.join("\n", lines) + "\n");
	}

	/** Replayed chunk files print exactly what Fluent Bit printed for them. */
	@Test
	void jsonLinesOfReplayedChunks() throws IOException {
		String printed = Files
			.readString(Fixtures.path("chunks/restart-after-sigkill-checksum-on/fluent-bit.stdout.jsonl"));
		Path storage = Fixtures.path("chunks/sigkill-checksum-on/storage");
		StdoutOutput out = output("json_lines", null, "date");
		for (String f : List.of("dummy.0/2165-1795314678.595040948.flb", "tail.1/2165-1795314678.595253627.flb")) {
			String s = flush(out, TestChunk.of("x", readChunk(storage.resolve(f))));
			assertThat(s).isNotEmpty();
			assertThat(printed).contains(s);
		}
	}

	static EventBytes readChunk(Path file) throws IOException {
		byte[] f = Files.readAllBytes(file);
		ByteBuffer bb = ByteBuffer.wrap(f);
		int len = bb.getInt(10);
		int off = 24 + (bb.getShort(22) & 0xffff);
		return new EventBytes(f, off, len, EventDecoder.countRecords(f, off, len));
	}

	@Test
	void jsonAndJsonStreamEndWithOneNewline() {
		TestChunk chunk = TestChunk.of("t", List.of(new LogEvent(new EventTime(1, 500_000_000), map("a", 1L)),
				new LogEvent(new EventTime(2, 0), map("b", "é"))));
		assertThat(flush(output("json", null, "date"), chunk))
			.isEqualTo("[{\"date\":1.5,\"a\":1},{\"date\":2.0,\"b\":\"\\u00e9\"}]\n");
		assertThat(flush(output("JSON_STREAM", null, "date"), chunk))
			.isEqualTo("{\"date\":1.5,\"a\":1}{\"date\":2.0,\"b\":\"\\u00e9\"}\n");
	}

	@Test
	void dateKeyAndFormatOptions() {
		TestChunk chunk = TestChunk.of("t", List.of(new LogEvent(new EventTime(1795315080, 119021000), map("a", 1L))));
		assertThat(flush(output("json_lines", "java_sql_timestamp", "date"), chunk))
			.isEqualTo("{\"date\":\"2026-11-22 02:38:00.119021\",\"a\":1}\n");
		assertThat(flush(output("json_lines", "iso8601", "@t"), chunk))
			.isEqualTo("{\"@t\":\"2026-11-22T02:38:00.119021Z\",\"a\":1}\n");
		assertThat(flush(output("json_lines", "epoch", "date"), chunk)).isEqualTo("{\"date\":1795315080,\"a\":1}\n");
		assertThat(flush(output("json_lines", "epoch_ms", "date"), chunk))
			.isEqualTo("{\"date\":1795315080119,\"a\":1}\n");
		assertThat(flush(output("json_lines", "bogus", "date"), chunk))
			.isEqualTo("{\"date\":1795315080.119021,\"a\":1}\n");
		assertThat(flush(output("json_lines", null, "off"), chunk)).isEqualTo("{\"a\":1}\n");
		assertThat(flush(output("json_lines", null, "false"), chunk)).isEqualTo("{\"a\":1}\n");
	}

	@Test
	void unknownFormatFallsBackToMsgpackAndOtlpIsRefused() {
		TestChunk chunk = TestChunk.of("t", List.of(new LogEvent(new EventTime(1, 0), map("a", 1L))));
		assertThat(flush(output("yaml", null, "date"), chunk)).isEqualTo("[0] t: [[1.000000000, {}], {\"a\"=>1}]\n");
		assertThatThrownBy(() -> output("otlp_json", null, "date")).hasMessageContaining("not supported yet");
	}

	@Test
	void concurrentFlushesDoNotInterleave() throws Exception {
		StdoutOutput out = output("json_lines", null, "date");
		List<LogEvent> many = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			many.add(new LogEvent(new EventTime(1, 0), map("i", (long) i, "pad", "x".repeat(100))));
		}
		TestChunk chunk = TestChunk.of("t", many);
		String one = new String(dev.sluice.event.JsonFormatter.standard()
			.formatEvents(chunk.events(), dev.sluice.event.JsonFormatter.Format.JSON_LINES, null, "date"),
				StandardCharsets.UTF_8);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			threads.add(Thread.ofVirtual().start(() -> out.flush(chunk, new TestContext("stdout.0"))));
		}
		for (Thread t : threads) {
			t.join();
		}
		assertThat(this.bytes.toString(StandardCharsets.UTF_8)).isEqualTo(one.repeat(8));
	}
}
