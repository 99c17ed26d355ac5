package dev.sluice.plugins.in.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** Backpressure through mem_buf_limit (the sender is slowed, nothing is lost) and a small throughput measure. */
class TcpInputLoadTest {

	static final Duration DEADLINE = Duration.ofSeconds(60);

	static byte[] block(boolean json, int lines) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < lines; i++) {
			if (json) {
				sb.append("{\"message\":\"GET /index.html HTTP/1.1 200 ").append(i)
					.append("\",\"host\":\"web-1\",\"level\":\"info\",\"n\":").append(i).append("}\n");
			}
			else {
				sb.append("127.0.0.1 - - [22/Nov/2026:06:30:00 +0000] \"GET /index.html HTTP/1.1\" 200 ").append(i)
					.append('\n');
			}
		}
		return sb.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void memBufLimitPausesReadingAndLosesNothing() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("tcp", "listen", "127.0.0.1", "port", String.valueOf(port), "mem_buf_limit", "200K")
			.output("lib", "match", "*").build();
		CountDownLatch release = new CountDownLatch(1);
		AtomicLong delivered = new AtomicLong();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			release.await();
			delivered.addAndGet(chunk.records());
			return FlushResult.OK;
		});
		byte[] block = block(true, 1000);
		int blocks = 100; // 100k records, ~8 MB: far beyond 200K plus the socket buffers
		AtomicLong sent = new AtomicLong();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		try (s) {
			s.start();
			Thread sender = Thread.ofVirtual().start(() -> {
				try (Socket c = new Socket("127.0.0.1", port)) {
					OutputStream o = c.getOutputStream();
					for (int i = 0; i < blocks; i++) {
						o.write(block);
						sent.incrementAndGet();
					}
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			});
			Await.until(DEADLINE, "input paused by mem_buf_limit", () -> s.input("tcp.0").isPaused());
			// while paused the sender cannot finish: nothing reads its bytes
			assertThat(sender.isAlive()).isTrue();
			assertThat(sent.get()).isLessThan(blocks);
			release.countDown();
			sender.join(DEADLINE.toMillis());
			assertThat(failure.get()).isNull();
			Await.until(DEADLINE, "every record delivered", () -> delivered.get() == blocks * 1000L);
		}
	}

	@Test
	void throughputOfJsonAndPlainLines() throws Exception {
		for (boolean json : new boolean[] { true, false }) {
			int port = Ports.free();
			EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.2").service("grace", "1")
				.input("tcp", "listen", "127.0.0.1", "port", String.valueOf(port), "format", json ? "json" : "none")
				.output("lib", "match", "*").build();
			AtomicLong delivered = new AtomicLong();
			s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
				delivered.addAndGet(chunk.records());
				return FlushResult.OK;
			});
			byte[] block = block(json, 1000);
			int blocks = Integer.getInteger("tcp.bench.blocks", 300);
			try (s) {
				s.start();
				try (Socket warm = new Socket("127.0.0.1", port)) {
					for (int i = 0; i < 20; i++) {
						warm.getOutputStream().write(block);
					}
				}
				Await.until(DEADLINE, "warm-up delivered", () -> delivered.get() == 20_000L);
				long t0 = System.nanoTime();
				try (Socket c = new Socket("127.0.0.1", port)) {
					OutputStream o = c.getOutputStream();
					for (int i = 0; i < blocks; i++) {
						o.write(block);
					}
				}
				Await.until(DEADLINE, "all delivered", () -> delivered.get() == 20_000L + blocks * 1000L);
				double secs = (System.nanoTime() - t0) / 1e9;
				double mib = (double) block.length * blocks / 1048576.0;
				System.out.printf("tcp input format %s: %d records, %.1f MiB; delivered in %.3f s = %.0f records/s, %.1f MiB/s%n",
						json ? "json" : "none", blocks * 1000, mib, secs, blocks * 1000 / secs, mib / secs);
			}
		}
	}
}
