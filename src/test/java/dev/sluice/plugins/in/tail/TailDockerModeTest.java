package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tail {@code docker_mode}: Docker's split JSON lines joined before the parser or raw packing. */
class TailDockerModeTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private List<LogEvent> events() {
		return this.sluice.plugin("lib.0", LibOutput.class).events();
	}

	private List<LogEvent> awaitEvents(int n) {
		Await.until(DEADLINE, n + " events", () -> events().size() >= n);
		return events();
	}

	private void start(boolean jsonParser, String... tailOptions) {
		List<String> opts = new ArrayList<>(List.of("read_from_head", "on", "refresh_interval", "0.1", "docker_mode",
				"on"));
		opts.addAll(List.of(tailOptions));
		if (jsonParser) {
			opts.addAll(List.of("parser", "dockerjson"));
		}
		this.sluice = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.parser("dockerjson", "format", "json", "time_key", "time", "time_format", "%Y-%m-%dT%H:%M:%S.%L%z")
			.parser("firstline", "format", "regex", "regex", "^\\{\"log\":\"(?<first>\\d{4}-\\d{2}-\\d{2} )")
			.input("tail", opts.toArray(String[]::new))
			.output("lib", "match", "*")
			.build()
			.start();
	}

	private static String dockerLine(String log, String stream, String time) {
		return "{\"log\":\"" + log + "\",\"stream\":\"" + stream + "\",\"time\":\"" + time + "\"}\n";
	}

	private static void append(Path f, String... lines) throws IOException {
		Files.writeString(f, String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	@Test
	void splitLinesAreJoinedAndPackedRaw() throws Exception {
		Path f = this.dir.resolve("c.log");
		String big = "x".repeat(16_384);
		append(f, dockerLine("one\\n", "stdout", "2024-05-01T10:00:00.000+0000"),
				dockerLine("part-a " + big, "stdout", "2024-05-01T10:00:01.000+0000"),
				dockerLine("part-b\\n", "stdout", "2024-05-01T10:00:02.000+0000"),
				dockerLine("three-1 ", "stderr", "2024-05-01T10:00:03.000+0000"),
				dockerLine("three-2 \\\"q\\\" ", "stderr", "2024-05-01T10:00:04.000+0000"),
				dockerLine("three-3\\n", "stderr", "2024-05-01T10:00:05.000+0000"),
				dockerLine("after\\n", "stdout", "2024-05-01T10:00:06.000+0000"));
		start(false, "path", f.toString());
		List<LogEvent> e = awaitEvents(4);
		TailHarness.settle();
		assertThat(events()).hasSize(4);
		// a complete line passes unchanged, byte for byte
		assertThat(e.get(0).body().get("log")).isEqualTo(dockerLine("one\\n", "stdout", "2024-05-01T10:00:00.000+0000")
			.stripTrailing());
		// joined: the last part's JSON object with log = the concatenated (escaped) values
		assertThat(e.get(1).body().get("log")).isEqualTo(
				dockerLine("part-a " + big + "part-b\\n", "stdout", "2024-05-01T10:00:02.000+0000").stripTrailing());
		assertThat(e.get(2).body().get("log")).isEqualTo(
				dockerLine("three-1 three-2 \\\"q\\\" three-3\\n", "stderr", "2024-05-01T10:00:05.000+0000")
					.stripTrailing());
		assertThat(e.get(3).body().get("log")).isEqualTo(dockerLine("after\\n", "stdout", "2024-05-01T10:00:06.000+0000")
			.stripTrailing());
	}

	@Test
	void splitLinesAreJoinedBeforeTheJsonParser() throws Exception {
		Path f = this.dir.resolve("c.log");
		append(f, dockerLine("start ", "stdout", "2024-05-01T10:00:01.000+0000"),
				dockerLine("middle ", "stdout", "2024-05-01T10:00:01.100+0000"),
				dockerLine("end\\n", "stdout", "2024-05-01T10:00:01.250+0000"),
				dockerLine("two-a ", "stderr", "2024-05-01T10:00:02.000+0000"),
				dockerLine("two-b\\n", "stderr", "2024-05-01T10:00:02.500+0000"),
				dockerLine("whole\\n", "stdout", "2024-05-01T10:00:03.000+0000"), "not json\n");
		start(true, "path", f.toString(), "path_key", "file");
		List<LogEvent> e = awaitEvents(4);
		TailHarness.settle();
		assertThat(events()).hasSize(4);
		assertThat(e.get(0).body()).containsExactly(Map.entry("log", "start middle end\n"),
				Map.entry("stream", "stdout"), Map.entry("file", f.toString()));
		assertThat(e.get(0).time()).isEqualTo(new EventTime(1_714_557_601L, 250_000_000));
		assertThat(e.get(1).body()).containsEntry("log", "two-a two-b\n").containsEntry("stream", "stderr");
		assertThat(e.get(1).time()).isEqualTo(new EventTime(1_714_557_602L, 500_000_000));
		assertThat(e.get(2).body()).containsEntry("log", "whole\n");
		// an unparsed line is packed raw, path_key first (as Fluent Bit's pack_line does)
		assertThat(e.get(3).body()).containsExactly(Map.entry("file", f.toString()), Map.entry("log", "not json"));
	}

	@Test
	void aDanglingPartIsFlushedAfterDockerModeFlush() throws Exception {
		Path f = this.dir.resolve("c.log");
		append(f, dockerLine("done\\n", "stdout", "t0"), dockerLine("dangling-1 ", "stdout", "t1"),
				dockerLine("dangling-2", "stdout", "t2"));
		start(false, "path", f.toString(), "docker_mode_flush", "1");
		awaitEvents(1);
		Await.until(DEADLINE, "the dangling parts flushed", () -> events().size() >= 2);
		List<LogEvent> e = events();
		assertThat(e).hasSize(2);
		assertThat(e.get(1).body().get("log")).isEqualTo(dockerLine("dangling-1 dangling-2", "stdout", "t2")
			.stripTrailing());
		// the file keeps being followed: later lines are joined as before
		append(f, dockerLine("later-a ", "stdout", "t3"), dockerLine("later-b\\n", "stdout", "t4"));
		Await.until(DEADLINE, "the later line", () -> events().size() >= 3);
		assertThat(events().get(2).body().get("log")).isEqualTo(dockerLine("later-a later-b\\n", "stdout", "t4")
			.stripTrailing());
	}

	@Test
	void dockerModeParserJoinsLinesUntilTheNextFirstLine() throws Exception {
		Path f = this.dir.resolve("c.log");
		append(f, dockerLine("2024-05-01 boom\\n", "stdout", "t0"), dockerLine("\\tat A.run\\n", "stdout", "t1"),
				dockerLine("\\tat A.main\\n", "stdout", "t2"), dockerLine("2024-05-01 next\\n", "stdout", "t3"));
		start(false, "path", f.toString(), "docker_mode_parser", "firstline", "docker_mode_flush", "1");
		// the last entry waits for the next first line or the flush timeout
		List<LogEvent> e = awaitEvents(2);
		assertThat(e.get(0).body().get("log"))
			.isEqualTo(dockerLine("2024-05-01 boom\\n\\tat A.run\\n\\tat A.main\\n", "stdout", "t2").stripTrailing());
		assertThat(e.get(1).body().get("log")).isEqualTo(dockerLine("2024-05-01 next\\n", "stdout", "t3")
			.stripTrailing());
	}

	@Test
	void dockerModeWithMultilineParserIsRefused() {
		assertThatThrownBy(() -> EmbeddedSluice.builder()
			.input("tail", "path", this.dir.resolve("x.log").toString(), "docker_mode", "on", "multiline.parser",
					"docker")
			.output("lib", "match", "*")
			.build()
			.start()).isInstanceOf(ConfigException.class)
			.hasMessageContaining("docker_mode and multiline.parser cannot be used at the same time");
	}

	@Test
	void unknownDockerModeParserIsRefused() {
		assertThatThrownBy(() -> EmbeddedSluice.builder()
			.input("tail", "path", this.dir.resolve("x.log").toString(), "docker_mode", "on", "docker_mode_parser",
					"nope")
			.output("lib", "match", "*")
			.build()
			.start()).isInstanceOf(ConfigException.class)
			.hasMessageContaining("docker_mode_parser 'nope' is not registered");
	}

	@Test
	void processorUnit() throws Exception {
		AtomicLong clock = new AtomicLong();
		DockerModeLineProcessor p = new DockerModeLineProcessor(new RawLineProcessor("log", null, "off"), null, 4,
				clock::get);
		LineSource src = new LineSource("f", "1:2");
		EventEncoder out = new EventEncoder();
		// escaped backslash before n: the value ends with a backslash and an 'n', not a newline
		byte[] a = "{\"stream\":\"stdout\",\"log\":\"a\\\\n\",\"x\":{\"log\":\"no\"}}".getBytes(StandardCharsets.UTF_8);
		src.offset = 10;
		assertThat(p.line(a, 0, a.length, src, out)).isZero();
		byte[] b = "{\"stream\":\"stdout\",\"log\":\"b\\u000a\",\"n\":[1,{\"k\":\"}\"}]}".getBytes(StandardCharsets.UTF_8);
		src.offset = 50;
		assertThat(p.line(b, 0, b.length, src, out)).isEqualTo(1);
		// a log value that is not a string: not docker JSON, passed on as it is
		byte[] c = "{\"log\":1}".getBytes(StandardCharsets.UTF_8);
		assertThat(p.line(c, 0, c.length, src, out)).isEqualTo(1);
		// pending part, then timeout driven by the clock
		byte[] d = "{\"log\":\"d\"}".getBytes(StandardCharsets.UTF_8);
		src.offset = 90;
		assertThat(p.line(d, 0, d.length, src, out)).isZero();
		clock.addAndGet(3_999_999_999L);
		assertThat(p.flush(src, out, false)).isZero();
		clock.addAndGet(1);
		assertThat(p.flush(src, out, false)).isEqualTo(1);
		assertThat(p.flush(src, out, true)).isZero();
		List<LogEvent> e = new ArrayList<>();
		EventDecoder.decode(out.toByteArray()).forEach(e::add);
		assertThat(e).hasSize(3);
		assertThat(e.get(0).body()).containsExactly(Map.entry("off", 10L),
				Map.entry("log", "{\"stream\":\"stdout\",\"log\":\"a\\\\nb\\u000a\",\"n\":[1,{\"k\":\"}\"}]}"));
		assertThat(e.get(1).body().get("log")).isEqualTo("{\"log\":1}");
		assertThat(e.get(2).body()).containsExactly(Map.entry("off", 90L), Map.entry("log", "{\"log\":\"d\"}"));
	}
}
