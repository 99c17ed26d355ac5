package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.InputInstance;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

/** Hot reload with filesystem buffering: chunk files move to the next generation, none is lost or left. */
class StorageReloadTest {

	@TempDir
	Path dir;

	private String config(int port) {
		return """
				[SERVICE]
				    Flush         0.1
				    Grace         5
				    HTTP_Server   On
				    HTTP_Listen   127.0.0.1
				    HTTP_Port     %d
				    Hot_Reload    On
				    storage.path  %s

				[INPUT]
				    Name          lib
				    Tag           numbers
				    storage.type  filesystem

				[OUTPUT]
				    Name   collect
				    Match  numbers
				""".formatted(port, this.dir.resolve("storage"));
	}

	private long chunkFiles() {
		Path d = this.dir.resolve("storage");
		if (!Files.isDirectory(d)) {
			return 0;
		}
		try (Stream<Path> s = Files.walk(d)) {
			return s.filter((p) -> p.toString().endsWith(".flb")).count();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void reloadsUnderLoadWithFilesystemStorageLoseNothingAndLeaveNoChunkFiles() throws Exception {
		TestPlugins.COLLECTED.clear();
		int port = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Files.writeString(conf, config(port));
		try (RunningService svc = new RunningService(conf, port, TestPlugins.registry())) {
			AtomicBoolean run = new AtomicBoolean(true);
			AtomicLong accepted = new AtomicLong();
			Thread client = Thread.ofVirtual().start(() -> {
				long n = 0;
				while (run.get()) {
					InputInstance in = svc.manager().current().engine().inputs().get(0);
					try {
						((LibInput) in.plugin()).push(new EventTime(1_700_000_000L, 0), Map.of("n", n));
						n++;
						accepted.set(n);
					}
					catch (IllegalStateException stopped) {
						Thread.onSpinWait();
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			for (int i = 0; i < 3; i++) {
				long before = accepted.get();
				Await.until(Duration.ofSeconds(30), "more records accepted", () -> accepted.get() > before + 500);
				HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(svc.url("/api/v2/reload")))
					.POST(HttpRequest.BodyPublishers.ofString("{}"))
					.build());
				assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
			}
			long beforeStop = accepted.get();
			Await.until(Duration.ofSeconds(30), "more records after the last reload", () -> accepted.get() > beforeStop + 500);
			run.set(false);
			client.join(Duration.ofSeconds(10));
			long total = accepted.get();
			Await.until(Duration.ofSeconds(60), "every accepted record delivered", () -> TestPlugins.COLLECTED.size() >= total);
			List<Long> got = new ArrayList<>();
			for (LogEvent e : TestPlugins.COLLECTED) {
				got.add((Long) e.body().get("n"));
			}
			List<Long> expected = new ArrayList<>();
			for (long i = 0; i < total; i++) {
				expected.add(i);
			}
			assertThat(got).as("every record exactly once, in order").isEqualTo(expected);
			Await.until(Duration.ofSeconds(30), "every chunk file deleted once delivered", () -> chunkFiles() == 0);
		}
	}
}
