package dev.sluice.helm;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's reload sidecar, {@code bin/sluice-config-reloader}, against the packaged
 * {@code bin/sluice}: a directory laid out as kubelet lays out a ConfigMap volume (the file a
 * symlink through {@code ..data}, which an update swaps atomically to a new directory). After the
 * swap the reloader POSTs /api/v2/reload and Sluice runs the new pipeline; a swap to a broken
 * configuration leaves the pipeline running and is retried, not given up.
 */
class ConfigReloaderIT {

	private static final Duration DEADLINE = Duration.ofSeconds(120);

	@TempDir
	Path tmp;

	@Test
	void aConfigMapUpdateIsReloadedWithoutARestart() throws Exception {
		int port = Ports.free();
		Path cm = this.tmp.resolve("configmap");
		Files.createDirectories(cm);
		writeVersion(cm, "..2026_01_01_00_00_00.1", config(port, "first"));
		Files.createSymbolicLink(cm.resolve("..data"), Path.of("..2026_01_01_00_00_00.1"));
		Files.createSymbolicLink(cm.resolve("sluice.conf"), Path.of("..data/sluice.conf"));

		Path sluiceOut = this.tmp.resolve("sluice.out");
		Path reloaderOut = this.tmp.resolve("reloader.out");
		Process sluice = start(sluiceOut, K8sTools.HOME.resolve("bin/sluice").toString(), "-c", cm.resolve("sluice.conf").toString());
		ProcessBuilder rb = new ProcessBuilder(K8sTools.HOME.resolve("bin/sluice-config-reloader").toString(), cm.toString(), "1")
			.redirectErrorStream(true)
			.redirectOutput(reloaderOut.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		rb.environment().put("SLUICE_HTTP_PORT", Integer.toString(port));
		Process reloader = rb.start();
		try {
			Await.until(DEADLINE, "the first pipeline's records", () -> read(sluiceOut).contains("\"v\":\"first\""));
			// records flow as soon as the pipeline runs; the HTTP server may open a moment later
			Await.until(DEADLINE, "the monitoring API", () -> {
				try {
					return reloadCount(port) == 0;
				}
				catch (Exception ex) {
					return false;
				}
			});

			// a broken update: the reload fails, the running pipeline stays, the reloader retries
			swap(cm, "..2026_01_01_00_01_00.2", "[INPUT]\n    Name no_such_plugin\n");
			Await.until(DEADLINE, "a failed reload, retried",
					() -> read(reloaderOut).split("reload failed, retrying", -1).length > 2);
			assertThat(reloadCount(port)).isZero();
			assertThat(sluice.isAlive()).isTrue();

			// the fixed update is applied by the next tick
			swap(cm, "..2026_01_01_00_02_00.3", config(port, "second"));
			Await.until(DEADLINE, "the second pipeline's records", () -> read(sluiceOut).contains("\"v\":\"second\""));
			assertThat(reloadCount(port)).isEqualTo(1);
			assertThat(read(reloaderOut)).contains("reloaded: {\"reload\":\"done\",\"status\":0}");
		}
		finally {
			reloader.destroy();
			sluice.destroy();
			reloader.waitFor(10, TimeUnit.SECONDS);
			sluice.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private static String config(int port, String v) {
		return """
				[SERVICE]
				    Flush        0.2
				    HTTP_Server  On
				    HTTP_Listen  127.0.0.1
				    HTTP_Port    %d
				    Hot_Reload   On

				[INPUT]
				    Name          dummy
				    Tag           t
				    Dummy         {"v":"%s"}
				    Interval_Sec  1

				[OUTPUT]
				    Name    stdout
				    Match   *
				    Format  json_lines
				""".formatted(port, v);
	}

	private static void writeVersion(Path cm, String dir, String conf) throws Exception {
		Files.createDirectories(cm.resolve(dir));
		Files.writeString(cm.resolve(dir).resolve("sluice.conf"), conf);
	}

	/** As kubelet's atomic writer does: a new directory, a new ..data_tmp link renamed over ..data. */
	private static void swap(Path cm, String dir, String conf) throws Exception {
		writeVersion(cm, dir, conf);
		Path tmpLink = cm.resolve("..data_tmp");
		Files.deleteIfExists(tmpLink);
		Files.createSymbolicLink(tmpLink, Path.of(dir));
		Files.move(tmpLink, cm.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	private static int reloadCount(int port) throws Exception {
		HttpResponse<String> r = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/reload")).build(),
					HttpResponse.BodyHandlers.ofString());
		String body = r.body();
		return Integer.parseInt(body.replaceAll("[^0-9]", ""));
	}

	private static Process start(Path out, String... cmd) throws Exception {
		return new ProcessBuilder(cmd).redirectErrorStream(true)
			.redirectOutput(out.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
	}

	private static String read(Path p) {
		try {
			return Files.readString(p);
		}
		catch (Exception ex) {
			return "";
		}
	}

}
