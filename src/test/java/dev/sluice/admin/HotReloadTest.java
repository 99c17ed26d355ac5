package dev.sluice.admin;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.InputInstance;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/** Zero-loss hot reload through {@code POST /api/v2/reload}, under load. */
class HotReloadTest {

	@TempDir
	Path dir;

	private static String config(int port, String extra) {
		return """
				[SERVICE]
				    Flush        0.1
				    Grace        5
				    HTTP_Server  On
				    HTTP_Listen  127.0.0.1
				    HTTP_Port    %d
				    Hot_Reload   On

				[INPUT]
				    Name   lib
				    Tag    numbers

				[OUTPUT]
				    Name   collect
				    Match  numbers
				%s
				""".formatted(port, extra);
	}

	@Test
	void fiveReloadsUnderLoadLoseAndDuplicateNothingAndABrokenOneChangesNothing() throws Exception {
		TestPlugins.COLLECTED.clear();
		int port = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Files.writeString(conf, config(port, ""));
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
						Thread.onSpinWait(); // that generation is going away: push to the next one
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			List<String> variants = List.of(
					"[OUTPUT]\n    Name  null\n    Match *\n",
					"[OUTPUT]\n    Name  null\n    Alias second\n    Match nothing\n",
					"[OUTPUT]\n    Name  null\n    Bogus_Key 1\n    Match *\n", // broken: unknown key
					"",
					"[OUTPUT]\n    Name  null\n    Match *\n",
					"[OUTPUT]\n    Name  null\n    Alias last\n    Match *\n");
			int done = 0;
			for (String v : variants) {
				long before = accepted.get();
				Await.until(Duration.ofSeconds(30), "more records accepted", () -> accepted.get() > before + 500);
				Files.writeString(conf, config(port, v));
				HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(svc.url("/api/v2/reload")))
					.POST(HttpRequest.BodyPublishers.ofString("{}"))
					.build());
				if (v.contains("Bogus_Key")) {
					assertThat(r.statusCode()).isEqualTo(400);
					assertThat(r.body()).contains("\"status\":-3").contains("unknown configuration property 'bogus_key'")
						.contains("fluent-bit.conf:18");
				}
				else {
					assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
					assertThat(r.body()).isEqualTo("{\"reload\":\"done\",\"status\":0}");
					done++;
				}
				assertThat(Http.get(svc.url("/api/v2/reload")).body()).isEqualTo("{\"hot_reload_count\":" + done + "}");
			}
			assertThat(done).isEqualTo(5);
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
		}
	}

	@Test
	void aReloadWhileOneIsRunningIsRefused() throws Exception {
		TestPlugins.COLLECTED.clear();
		TestPlugins.gate = new java.util.concurrent.CountDownLatch(1);
		TestPlugins.ENTERED.drainPermits();
		int port = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Files.writeString(conf, config(port, "").replace("Name   collect", "Name   blocking"));
		try (RunningService svc = new RunningService(conf, port, TestPlugins.registry())) {
			InputInstance in = svc.manager().current().engine().inputs().get(0);
			((LibInput) in.plugin()).push(new EventTime(1, 0), Map.of("n", 0L));
			assertThat(TestPlugins.ENTERED.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			// the first reload waits for the blocked flush to finish (hot_reload.timeout 0)
			Thread first = Thread.ofVirtual().start(() -> Http.send(HttpRequest.newBuilder(URI.create(svc.url("/api/v2/reload")))
				.POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
			Await.until(Duration.ofSeconds(30), "the first reload to be running", () -> svc.manager().isReloading());
			HttpResponse<String> second = Http.send(HttpRequest.newBuilder(URI.create(svc.url("/api/v2/reload")))
				.PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
			assertThat(second.statusCode()).isEqualTo(400);
			assertThat(second.body()).isEqualTo("{\"reload\":\"in progress\",\"status\":-2}");
			TestPlugins.gate.countDown();
			first.join(Duration.ofSeconds(30));
			Await.until(Duration.ofSeconds(30), "the first reload counted",
					() -> Http.get(svc.url("/api/v2/reload")).body().equals("{\"hot_reload_count\":1}"));
			assertThat(TestPlugins.COLLECTED).hasSize(1);
		}
	}
}
