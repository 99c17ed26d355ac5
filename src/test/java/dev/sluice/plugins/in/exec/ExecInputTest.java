package dev.sluice.plugins.in.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

/** The exec input running real shell commands. */
class ExecInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final List<EmbeddedSluice> started = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void stop() {
		this.started.forEach(EmbeddedSluice::close);
	}

	private EmbeddedSluice start(EmbeddedSluice.Builder b) {
		EmbeddedSluice s = b.output("lib", "match", "*").build();
		this.started.add(s);
		s.start();
		return s;
	}

	private static EmbeddedSluice.Builder builder() {
		return EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1");
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	@Test
	void eachOutputLineIsARecordOnEveryInterval() throws Exception {
		Path count = this.dir.resolve("runs");
		EmbeddedSluice s = start(builder().input("exec", "tag", "ex", "command",
				"echo run >> " + count + "; printf 'first line\\nsecond line\\n'; echo 'no newline' | tr -d '\\n'",
				"interval_sec", "0", "interval_nsec", "100000000"));
		List<LogEvent> ev = events(s, 6);
		assertThat(ev.subList(0, 6)).extracting(LogEvent::body).containsExactly(Map.of("exec", "first line"),
				Map.of("exec", "second line"), Map.of("exec", "no newline"), Map.of("exec", "first line"),
				Map.of("exec", "second line"), Map.of("exec", "no newline"));
		assertThat(Files.readAllLines(count).size()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void oneshotRunsOnceAndLinesLongerThanBufSizeAreCut() throws Exception {
		Path count = this.dir.resolve("runs");
		EmbeddedSluice s = start(builder().input("exec", "command", "echo run >> " + count + "; echo abcdefghij",
				"oneshot", "true", "buf_size", "4"));
		assertThat(events(s, 3)).extracting(LogEvent::body).containsExactly(Map.of("exec", "abcd"),
				Map.of("exec", "efgh"), Map.of("exec", "ij"));
		// the instance's collector has ended: the command never runs again
		Await.until(DEADLINE, "collector ended", () -> !s.input("exec.0").isRunning() || ended(s));
		assertThat(Files.readAllLines(count)).hasSize(1);
	}

	private static boolean ended(EmbeddedSluice s) {
		ExecInput in = s.plugin("exec.0", ExecInput.class);
		return in.lastExitCode() == 0;
	}

	@Test
	void parserTurnsLinesIntoRecordsWithTheirTime() throws Exception {
		EmbeddedSluice s = start(builder()
			.parser("kv", "format", "regex", "regex", "^(?<time>[^ ]+) (?<level>[a-z]+) (?<msg>.*)$", "time_key", "time",
					"time_format", "%Y-%m-%dT%H:%M:%S")
			.input("exec", "command", "echo '2024-05-01T10:00:00 info started'; echo 'garbage'; "
					+ "echo '2024-05-01T10:00:01 warn slow'",
					"parser", "kv", "oneshot", "true"));
		List<LogEvent> ev = events(s, 2);
		assertThat(ev).extracting(LogEvent::body).containsExactly(Map.of("level", "info", "msg", "started"),
				Map.of("level", "warn", "msg", "slow"));
		assertThat(ev.get(0).time()).isEqualTo(new EventTime(1_714_557_600L, 0));
	}

	@Test
	void exitAfterOneshotStopsTheService() throws Exception {
		EmbeddedSluice s = start(builder().input("exec", "command", "echo bye", "oneshot", "true",
				"exit_after_oneshot", "true"));
		assertThat(s.awaitStopped(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(s.plugin("lib.0", LibOutput.class).events()).extracting(LogEvent::body)
			.containsExactly(Map.of("exec", "bye"));
	}

	@Test
	void propagateExitCodeMakesTheServiceExitWithTheCommandsStatus(@TempDir Path dir) throws Exception {
		for (String[] c : new String[][] { { "exit 3", "on", "3" }, { "exit 3", "off", "0" }, { "kill -TERM $$", "on", "143" },
				{ "echo fine", "on", "0" } }) {
			Path conf = Files.writeString(dir.resolve("exec.conf"), """
					[SERVICE]
					    flush 0.2
					[INPUT]
					    name                exec
					    command             %s
					    oneshot             true
					    exit_after_oneshot  true
					    propagate_exit_code %s
					[OUTPUT]
					    name  null
					    match *
					""".formatted(c[0], c[1]));
			dev.sluice.config.ConfigLoader loader = new dev.sluice.config.ConfigLoader();
			int status = new dev.sluice.SluiceService(dev.sluice.plugin.PluginRegistry.builtin(), System.err, false)
				.run(loader.load(conf), false, null, () -> loader.load(conf));
			assertThat(status).as(c[0] + " with propagate_exit_code " + c[1]).isEqualTo(Integer.parseInt(c[2]));
		}
	}

	@Test
	void commandIsRequired() {
		EmbeddedSluice s = builder().input("exec").output("lib", "match", "*").build();
		this.started.add(s);
		assertThatThrownBy(s::start).hasStackTraceContaining("no input 'command' was given");
	}
}
