package dev.sluice.blackbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;

/** A C output plugin built with gcc, loaded by the real binary with {@code -e} and from a plugins file. */
class ExternalPluginIT {

	@TempDir
	Path dir;

	private Path buildPlugin() throws Exception {
		Path so = this.dir.resolve("out_cfile.so");
		Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-o", so.toString(),
				SluiceProcess.HOME.resolve("src/test/resources/external/c/out_cfile.c").toString())
			.inheritIO()
			.start();
		assertThat(gcc.waitFor()).as("gcc").isZero();
		return so;
	}

	@Test
	void dashEPluginReceivesRecords() throws Exception {
		Path so = buildPlugin();
		Path log = this.dir.resolve("cfile.log");
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-e", so.toString(), "-f", "0.2", "-i", "dummy", "-p",
				"samples=3", "-p", "rate=20", "-o", "cfile", "-m", "*", "-p", "id=cats", "-p", "path=" + log)) {
			Await.until(Duration.ofSeconds(60), "flushes logged by the plugin",
					() -> SluiceBinaryIT.lines(log).stream().filter((l) -> l.startsWith("flush id=cats")).count() >= 1);
			assertThat(SluiceBinaryIT.lines(log).get(0)).isEqualTo("init id=cats unset=null");
			assertThat(SluiceBinaryIT.lines(log)).anyMatch((l) -> l.startsWith("flush id=cats tag=dummy.0 bytes="));
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
	}

	@Test
	void dashEPluginIsListedByHelpAndSchema() throws Exception {
		Path so = buildPlugin();
		SluiceProcess.Result help = SluiceProcess.run(this.dir, "-e", so.toString(), "-o", "cfile", "-h");
		assertThat(help.exitCode()).isZero();
		assertThat(help.stdout()).contains("cfile output plugin").contains("C test output");
		SluiceProcess.Result schema = SluiceProcess.run(this.dir, "-e", so.toString(), "-J");
		assertThat(schema.stdout()).contains("\"name\":\"cfile\"");
	}

	@Test
	void pluginsFileAndTwoInstances() throws Exception {
		Path so = buildPlugin();
		Path plugins = this.dir.resolve("plugins.conf");
		Files.writeString(plugins, "[PLUGINS]\n    Path " + so + "\n");
		Path a = this.dir.resolve("a.log");
		Path b = this.dir.resolve("b.log");
		Path conf = this.dir.resolve("fluent-bit.conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush         0.2
				    Plugins_File  %s

				[INPUT]
				    Name     dummy
				    Samples  2
				    Rate     20

				[OUTPUT]
				    Name   cfile
				    Match  *
				    id     a
				    path   %s

				[OUTPUT]
				    Name   cfile
				    Match  *
				    id     b
				    path   %s
				""".formatted(plugins, a, b));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			Await.until(Duration.ofSeconds(60), "both instances flushed",
					() -> SluiceBinaryIT.lines(a).stream().anyMatch((l) -> l.startsWith("flush id=a"))
							&& SluiceBinaryIT.lines(b).stream().anyMatch((l) -> l.startsWith("flush id=b")));
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
	}
}
