package dev.sluice.blackbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged binary, started as a user would: {@code bin/sluice} after {@code ./mvnw package}. */
class SluiceBinaryIT {

	@TempDir
	Path dir;

	@Test
	void dummyToStdoutUntilSigterm() throws Exception {
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-i", "dummy", "-p", "rate=20", "-o", "stdout", "-m", "*",
				"-f", "0.2")) {
			p.awaitStdout("dummy records on stdout", (s) -> s.lines().filter((l) -> l.contains("{\"message\"=>\"dummy\"}")).count() >= 3);
			assertThat(p.stdout()).contains("[0] dummy.0: [[");
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
			assertThat(p.stderr()).contains("[engine] caught signal (SIGTERM)")
				.contains("[ warn] [engine] service will shutdown in max 5 seconds")
				.contains("[engine] service has stopped (0 pending tasks)");
		}
	}

	@Test
	void classicConfigFileToFileOutput() throws Exception {
		Path out = this.dir.resolve("out");
		Path conf = this.dir.resolve("fluent-bit.conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush      0.2
				    Log_Level  info

				[INPUT]
				    Name     dummy
				    Tag      app.log
				    Dummy    {"level":"info","n":7}
				    Rate     50
				    Samples  10

				[OUTPUT]
				    Name    file
				    Match   app.*
				    Path    %s
				    Mkdir   on
				    Format  plain
				""".formatted(out));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			Path file = out.resolve("app.log");
			p.awaitStderr("ten records written", (s) -> lines(file).size() == 10);
			assertThat(lines(file)).allSatisfy((l) -> assertThat(l).isEqualTo("{\"level\":\"info\",\"n\":7}"));
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
	}

	@Test
	void yamlConfigFile() throws Exception {
		Path out = this.dir.resolve("out.txt");
		Path conf = this.dir.resolve("sluice.yaml");
		Files.writeString(conf, """
				service:
				  flush: 0.2
				pipeline:
				  inputs:
				    - name: dummy
				      tag: y
				      dummy: '{"from":"yaml"}'
				      samples: 3
				      rate: 20
				  outputs:
				    - name: file
				      match: '*'
				      file: %s
				      format: plain
				""".formatted(out));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			p.awaitStderr("three records written", (s) -> lines(out).size() == 3);
			assertThat(lines(out)).containsOnly("{\"from\":\"yaml\"}");
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
	}

	@Test
	void dryRunOnABadFileFailsNamingKeyAndLine() throws Exception {
		Path conf = this.dir.resolve("bad.conf");
		Files.writeString(conf, """
				[INPUT]
				    Name   dummy
				    Rtae   5

				[OUTPUT]
				    Name   stdout
				    Match  *
				    Formt  json
				""");
		SluiceProcess.Result r = SluiceProcess.run(this.dir, "--dry-run", "-c", conf.toString());
		assertThat(r.exitCode()).isNotZero();
		assertThat(r.stderr()).contains("bad.conf:3").contains("dummy: unknown configuration property 'rtae'")
			.contains("Did you mean 'rate'?")
			.contains("bad.conf:8")
			.contains("stdout: unknown configuration property 'formt'")
			.doesNotContain("configuration test is successful");
	}

	@Test
	void dryRunOnAGoodFileSucceeds() throws Exception {
		Path conf = this.dir.resolve("good.conf");
		Files.writeString(conf, """
				[INPUT]
				    Name   dummy
				[OUTPUT]
				    Name   null
				    Match  *
				""");
		SluiceProcess.Result r = SluiceProcess.run(this.dir, "--dry-run", "-c", conf.toString());
		assertThat(r.exitCode()).isZero();
		assertThat(r.stderr()).contains("configuration test is successful");
	}

	@Test
	void pluginHelp() throws Exception {
		SluiceProcess.Result r = SluiceProcess.run(this.dir, "-o", "file", "-h");
		assertThat(r.exitCode()).isZero();
		assertThat(r.stdout()).contains("file output plugin").contains("GLOBAL_OPTIONS").contains("OPTIONS")
			.contains("> default: {time} {message}, type: string");
	}

	@Test
	void schemaJson() throws Exception {
		SluiceProcess.Result r = SluiceProcess.run(this.dir, "-J");
		assertThat(r.exitCode()).isZero();
		assertThat(r.stdout()).startsWith("{\"fluent-bit\":{\"version\":\"5.1.1\"").contains("\"name\":\"dummy\"");
	}

	@Test
	void version() throws Exception {
		SluiceProcess.Result r = SluiceProcess.run(this.dir, "--version");
		assertThat(r.exitCode()).isZero();
		assertThat(r.stdout()).startsWith("Sluice v").contains("Fluent Bit v5.1.1 compatible");
	}

	@Test
	void unknownPluginExitsNonZero() throws Exception {
		SluiceProcess.Result r = SluiceProcess.run(this.dir, "-i", "nope", "-o", "stdout");
		assertThat(r.exitCode()).isNotZero();
		assertThat(r.stderr()).contains("tried to instance a plugin name that doesn't exist");
	}

	@Test
	void sigtermFlushesWhatIsBuffered() throws Exception {
		Path out = this.dir.resolve("flushed.txt");
		// flush every 60 s: nothing is written before the stop; SIGTERM must flush what is buffered
		int port = Ports.free();
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-f", "60", "-i", "dummy", "-p", "rate=100", "-p",
				"samples=25", "-o", "file", "-m", "*", "-p", "file=" + out, "-p", "format=plain", "-H", "-P",
				Integer.toString(port))) {
			Await.until(Duration.ofSeconds(60), "25 records in", () -> {
				String m = Http.bodyOrNull("http://127.0.0.1:" + port + "/api/v1/metrics");
				return m != null && m.contains("\"dummy.0\":{\"records\":25,");
			});
			assertThat(Files.exists(out) ? lines(out) : List.of()).isEmpty();
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
			assertThat(lines(out)).hasSize(25);
		}
	}

	@Test
	void logFileFlagWritesTheLogThere() throws Exception {
		Path log = this.dir.resolve("sluice.log");
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-l", log.toString(), "-f", "0.2", "-i", "dummy", "-p",
				"samples=2", "-o", "exit", "-m", "*", "-p", "flush_count=1")) {
			assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
			assertThat(Files.readString(log)).contains("[ info] [input:dummy:dummy.0] initializing")
				.contains("service has stopped");
			assertThat(p.stderr()).doesNotContain("[input:dummy:dummy.0] initializing");
		}
	}

	@Test
	void exitOutputStopsTheServiceByItself() throws Exception {
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-f", "0.2", "-i", "dummy", "-p", "rate=20", "-o", "exit",
				"-m", "*", "-p", "flush_count=2")) {
			assertThat(p.waitFor(Duration.ofSeconds(60))).isZero();
			assertThat(p.stderr()).contains("service has stopped");
		}
	}

	static List<String> lines(Path file) {
		try {
			return Files.exists(file) ? Files.readAllLines(file) : List.of();
		}
		catch (java.io.IOException ex) {
			return List.of();
		}
	}
}
