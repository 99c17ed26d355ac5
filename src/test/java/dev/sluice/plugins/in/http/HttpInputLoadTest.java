package dev.sluice.plugins.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** Backpressure (503 while over mem_buf_limit, nothing lost on retry) and a small throughput measure. */
class HttpInputLoadTest {

	static final Duration DEADLINE = Duration.ofSeconds(60);

	static byte[] batch(int records, int seq) {
		StringBuilder b = new StringBuilder(records * 90).append('[');
		for (int i = 0; i < records; i++) {
			if (i > 0) {
				b.append(',');
			}
			b.append("{\"message\":\"GET /index.html HTTP/1.1 200 ").append(i).append("\",\"seq\":").append(seq)
				.append(",\"host\":\"web-1\",\"level\":\"info\"}");
		}
		return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
	}

	private static HttpRequest request(int port, byte[] body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/load"))
			.header("Content-Type", "application/json")
			.timeout(DEADLINE)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	@Test
	void overMemBufLimitAnswers503AndRetriesLoseNothing() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("http", "listen", "127.0.0.1", "port", String.valueOf(port), "mem_buf_limit", "100K")
			.output("lib", "match", "*").build();
		CountDownLatch release = new CountDownLatch(1);
		AtomicLong delivered = new AtomicLong();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			release.await();
			delivered.addAndGet(chunk.records());
			return FlushResult.OK;
		});
		try (s; HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			s.start();
			int batches = 20;
			int accepted = 0;
			int refused = 0;
			int seq = 0;
			// until the first 503: the output is blocked, so the buffer fills and the input pauses
			while (refused == 0) {
				HttpResponse<String> r = c.send(request(port, batch(500, seq)), HttpResponse.BodyHandlers.ofString());
				if (r.statusCode() == 201) {
					accepted++;
					seq++;
				}
				else {
					assertThat(r.statusCode()).isEqualTo(503);
					refused++;
				}
				assertThat(seq).isLessThan(1000);
			}
			release.countDown();
			// the client retries: every batch is eventually accepted once the buffer drains
			int target = Math.max(batches, accepted + 5);
			while (accepted < target) {
				HttpResponse<String> r = c.send(request(port, batch(500, seq)), HttpResponse.BodyHandlers.ofString());
				if (r.statusCode() == 201) {
					accepted++;
					seq++;
				}
			}
			long expected = accepted * 500L;
			Await.until(DEADLINE, expected + " records delivered", () -> delivered.get() >= expected);
			assertThat(delivered.get()).isEqualTo(expected);
		}
	}

	@Test
	void throughputOfKeepAliveJsonArrays() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().service("flush", "0.2").service("grace", "1")
			.input("http", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("lib", "match", "*").build();
		AtomicLong delivered = new AtomicLong();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			delivered.addAndGet(chunk.records());
			return FlushResult.OK;
		});
		int requests = Integer.getInteger("sluice.http.load.requests", 300);
		byte[] body = batch(1000, 1);
		try (s; HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			s.start();
			for (int i = 0; i < 20; i++) {
				c.send(request(port, body), HttpResponse.BodyHandlers.discarding());
			}
			long warm = 20_000L;
			Await.until(DEADLINE, "warm-up delivered", () -> delivered.get() >= warm);
			long t0 = System.nanoTime();
			for (int i = 0; i < requests; i++) {
				HttpResponse<Void> r = c.send(request(port, body), HttpResponse.BodyHandlers.discarding());
				assertThat(r.statusCode()).isEqualTo(201);
			}
			long total = warm + requests * 1000L;
			Await.until(DEADLINE, total + " records delivered", () -> delivered.get() >= total);
			double secs = (System.nanoTime() - t0) / 1e9;
			double mib = (double) body.length * requests / (1024 * 1024);
			System.out.printf("http input throughput: %d requests x 1000 records (%d B each) in %.2f s: %.0f records/s, %.1f MiB/s%n",
					requests, body.length, secs, requests * 1000 / secs, mib / secs);
			assertThat(delivered.get()).isEqualTo(total);
		}
	}
}
