package dev.sluice.blackbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/** Hot reload as a user triggers it on the real binary: SIGHUP, and a watched file edit. */
class ReloadSignalIT {

	@TempDir
	Path dir;

	private static String config(int port, Path out, String extraService) {
		return """
				[SERVICE]
				    Flush        0.2
				    HTTP_Server  On
				    HTTP_Listen  127.0.0.1
				    HTTP_Port    %d
				%s
				[INPUT]
				    Name   dummy
				    Tag    app
				    Rate   20

				[OUTPUT]
				    Name    file
				    Match   *
				    File    %s
				    Format  plain
				""".formatted(port, extraService, out);
	}

	private static int reloadCount(int port) {
		String b = Http.bodyOrNull("http://127.0.0.1:" + port + "/api/v2/reload");
		return (b == null) ? -1 : Integer.parseInt(b.replaceAll("\\D", ""));
	}

	@Test
	void sighupReloadsTheEditedConfiguration() throws Exception {
		int port = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Path first = this.dir.resolve("first.txt");
		Path second = this.dir.resolve("second.txt");
		Files.writeString(conf, config(port, first, "    Hot_Reload   On\n"));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			Await.until(Duration.ofSeconds(60), "records in the first file", () -> SluiceBinaryIT.lines(first).size() > 3);
			Files.writeString(conf, config(port, second, "    Hot_Reload   On\n"));
			p.signal("HUP");
			Await.until(Duration.ofSeconds(60), "records in the second file", () -> SluiceBinaryIT.lines(second).size() > 3);
			// records flow as soon as the pipeline runs, the HTTP server may open a little later
			Await.until(Duration.ofSeconds(60), "the monitoring API to report the reload", () -> reloadCount(port) == 1);
			p.awaitStderr("reload logged", (s) -> s.contains("[reload] successful reload done."));
			assertThat(p.stderr()).contains("[engine] caught signal (SIGHUP)").contains("[reload] stop everything of the old context");
			long before = SluiceBinaryIT.lines(first).size();
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
			assertThat(SluiceBinaryIT.lines(first)).hasSize((int) before);
		}
	}

	@Test
	void sighupWithoutHotReloadChangesNothing() throws Exception {
		int port = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Path out = this.dir.resolve("out.txt");
		Files.writeString(conf, config(port, out, ""));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			Await.until(Duration.ofSeconds(60), "running", () -> reloadCount(port) == 0);
			p.signal("HUP");
			p.awaitStderr("refusal logged", (s) -> s.contains("[reload] hot reloading is not enabled"));
			assertThat(reloadCount(port)).isZero();
			assertThat(p.isAlive()).isTrue();
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
	}

	@Test
	void watchedFileEditReloads() throws Exception {
		int port = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Path first = this.dir.resolve("first.txt");
		Path second = this.dir.resolve("second.txt");
		String svc = "    Hot_Reload   On\n    hot_reload.watch On\n";
		Files.writeString(conf, config(port, first, svc));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			Await.until(Duration.ofSeconds(60), "records in the first file", () -> SluiceBinaryIT.lines(first).size() > 3);
			Files.writeString(conf, config(port, second, svc));
			Await.until(Duration.ofSeconds(60), "records in the second file", () -> SluiceBinaryIT.lines(second).size() > 3);
			// records flow as soon as the pipeline runs, the HTTP server may open a little later
			Await.until(Duration.ofSeconds(60), "the monitoring API to report the reload", () -> reloadCount(port) == 1);
			// a broken edit is refused; the pipeline keeps running as it was
			Files.writeString(conf, config(port, second, svc).replace("Format  plain", "Format  plain\n    Bogus  1"));
			p.awaitStderr("refused reload", (s) -> s.contains("reloaded config is invalid. Reloading is halted"));
			long n = SluiceBinaryIT.lines(second).size();
			Await.until(Duration.ofSeconds(60), "still delivering", () -> SluiceBinaryIT.lines(second).size() > n + 3);
			assertThat(reloadCount(port)).isEqualTo(1);
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
	}
}
