package dev.sluice.plugins.in.tail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tail with {@code parser} and {@code multiline.parser}: parsed records and times, joined groups. */
class TailParsingTest {

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

	@Test
	void jsonParserWithTimeFromTheData() throws Exception {
		Path log = this.dir.resolve("app.log");
		Files.writeString(log, """
				{"time":"2024-05-01T10:00:00.250+0200","level":"info","n":1}
				not json at all
				{"time":"2024-05-01T10:00:01.500+0200","level":"warn","n":2}
				""");
		this.sluice = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.parser("j", "format", "json", "time_key", "time", "time_format", "%Y-%m-%dT%H:%M:%S.%L%z")
			.input("tail", "path", log.toString(), "read_from_head", "on", "parser", "j", "path_key", "file")
			.output("lib", "match", "*")
			.build()
			.start();
		Await.until(Duration.ofSeconds(20), "three records", () -> events().size() == 3);
		List<LogEvent> e = events();
		assertThat(e.get(0).time()).isEqualTo(new EventTime(1_714_550_400L, 250_000_000));
		assertThat(e.get(0).body()).containsExactly(java.util.Map.entry("level", "info"), java.util.Map.entry("n", 1L),
				java.util.Map.entry("file", log.toString()));
		assertThat(e.get(1).body()).containsEntry("log", "not json at all").containsEntry("file", log.toString());
		assertThat(e.get(2).time()).isEqualTo(new EventTime(1_714_550_401L, 500_000_000));
	}

	@Test
	void multilineParserJoinsAJavaStackTrace() throws Exception {
		Path log = this.dir.resolve("java.log");
		Files.writeString(log, """
				2024-05-01 10:00:00 INFO starting
				Exception in thread "main" java.lang.IllegalStateException: boom
				\tat com.example.App.run(App.java:10)
				\tat com.example.App.main(App.java:3)
				2024-05-01 10:00:01 INFO after
				""");
		this.sluice = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.input("tail", "path", log.toString(), "read_from_head", "on", "multiline.parser", "java")
			.output("lib", "match", "*")
			.build()
			.start();
		Await.until(Duration.ofSeconds(30), "the trace joined",
				() -> events().stream().anyMatch((x) -> String.valueOf(x.body().get("log")).contains("App.main")));
		String joined = events().stream().map((x) -> String.valueOf(x.body().get("log")))
			.filter((s) -> s.contains("IllegalStateException"))
			.findFirst()
			.orElseThrow();
		assertThat(joined).contains("java.lang.IllegalStateException: boom\n\tat com.example.App.run(App.java:10)\n"
				+ "\tat com.example.App.main(App.java:3)");
	}

	@Test
	void unknownParserIsAnInitError() {
		assertThatThrownBy(() -> EmbeddedSluice.builder()
			.input("tail", "path", this.dir.resolve("x.log").toString(), "parser", "nope")
			.output("lib", "match", "*")
			.build()
			.start()).isInstanceOf(ConfigException.class).hasMessageContaining("parser 'nope' is not registered");
	}
}
