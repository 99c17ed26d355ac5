package dev.sluice.plugins.in.forward;

import static dev.sluice.plugins.in.forward.ForwardTestClient.entryV2;
import static dev.sluice.plugins.in.forward.ForwardTestClient.packed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** Backpressure (pause stops reading, nothing lost) and a small throughput measure. */
class ForwardInputLoadTest {

	static final Duration DEADLINE = Duration.ofSeconds(60);

	static byte[] batch(int records, int seq) throws Exception {
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		for (int i = 0; i < records; i++) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("message", "GET /index.html HTTP/1.1 200 " + i);
			r.put("seq", (long) seq);
			r.put("host", "web-1");
			r.put("level", "info");
			bos.writeBytes(entryV2(new EventTime(1_700_000_000L + i, i), Map.of(), r));
		}
		return packed("load", bos.toByteArray(), true, Map.of("size", (long) records, "chunk", "b" + seq));
	}

	@Test
	void pausedInputStopsReadingAndLosesNothing() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port), "mem_buf_limit", "200K")
			.output("lib", "match", "*").build();
		CountDownLatch release = new CountDownLatch(1);
		AtomicLong delivered = new AtomicLong();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			release.await();
			delivered.addAndGet(chunk.records());
			return FlushResult.OK;
		});
		try (s) {
			s.start();
			int batches = 40;
			AtomicLong acks = new AtomicLong();
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread sender = Thread.ofVirtual().start(() -> {
				try (ForwardTestClient c = new ForwardTestClient(port)) {
					Thread reader = Thread.ofVirtual().start(() -> {
						try {
							for (int i = 0; i < batches; i++) {
								assertThat(c.readAck()).isEqualTo("b" + i);
								acks.incrementAndGet();
							}
						}
						catch (Throwable ex) {
							failure.set(ex);
						}
					});
					for (int i = 0; i < batches; i++) {
						c.send(batch(500, i));
					}
					reader.join();
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			});
			Await.until(DEADLINE, "input paused by mem_buf_limit", () -> s.input("forward.0").isPaused());
			assertThat(acks.get()).isLessThan(batches);
			release.countDown();
			sender.join(DEADLINE.toMillis());
			assertThat(failure.get()).isNull();
			assertThat(acks.get()).isEqualTo(batches);
			Await.until(DEADLINE, "every record delivered", () -> delivered.get() == batches * 500L);
		}
	}

	@Test
	void throughputOfPackedForwardBatches() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.2").service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("lib", "match", "*").build();
		AtomicLong delivered = new AtomicLong();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			delivered.addAndGet(chunk.records());
			return FlushResult.OK;
		});
		int batches = Integer.getInteger("forward.bench.batches", 300);
		byte[][] frames = new byte[16][];
		for (int i = 0; i < frames.length; i++) {
			frames[i] = batch(1000, i);
		}
		try (s; ForwardTestClient warm = new ForwardTestClient(startAndReturn(s, port))) {
			// warm-up
			for (int i = 0; i < 20; i++) {
				warm.send(frames[i % frames.length]);
				warm.readAck();
			}
			Await.until(DEADLINE, "warm-up delivered", () -> delivered.get() == 20_000L);
			long bytes = 0;
			long t0 = System.nanoTime();
			try (ForwardTestClient c = new ForwardTestClient(port)) {
				Thread reader = Thread.ofVirtual().start(() -> {
					try {
						for (int i = 0; i < batches; i++) {
							c.readAck();
						}
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
				for (int i = 0; i < batches; i++) {
					byte[] f = frames[i % frames.length];
					c.send(f);
					bytes += f.length;
				}
				reader.join();
			}
			long acked = System.nanoTime() - t0;
			Await.until(DEADLINE, "all delivered", () -> delivered.get() == 20_000L + batches * 1000L);
			long all = System.nanoTime() - t0;
			double records = batches * 1000.0;
			System.out.printf("forward input throughput: %d batches x 1000 records, %.1f MiB sent;"
					+ " acked in %.3f s = %.0f records/s, %.1f MiB/s; delivered to output in %.3f s = %.0f records/s%n",
					batches, bytes / 1048576.0, acked / 1e9, records / (acked / 1e9), bytes / 1048576.0 / (acked / 1e9),
					all / 1e9, records / (all / 1e9));
		}
	}

	@Test
	void throughputOfMessageModeRecords() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.2").service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("lib", "match", "*").build();
		AtomicLong delivered = new AtomicLong();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			delivered.addAndGet(chunk.records());
			return FlushResult.OK;
		});
		int records = Integer.getInteger("forward.bench.messages", 200_000);
		ByteArrayOutputStream block = new ByteArrayOutputStream();
		for (int i = 0; i < 1000; i++) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("message", "GET /index.html HTTP/1.1 200 " + i);
			r.put("host", "web-1");
			block.writeBytes(ForwardTestClient.message("msg", new EventTime(1_700_000_000L + i, i), r, null));
		}
		byte[] frames = block.toByteArray();
		try (s; ForwardTestClient c = new ForwardTestClient(startAndReturn(s, port))) {
			long t0 = System.nanoTime();
			for (int i = 0; i < records / 1000; i++) {
				c.send(frames);
			}
			Await.until(DEADLINE, "all delivered", () -> delivered.get() == records);
			long all = System.nanoTime() - t0;
			System.out.printf("forward input Message mode: %d single-record messages, %.1f MiB; delivered in %.3f s = %.0f records/s, %.1f MiB/s%n",
					records, frames.length * (records / 1000) / 1048576.0, all / 1e9, records / (all / 1e9),
					frames.length * (records / 1000) / 1048576.0 / (all / 1e9));
		}
	}

	private static int startAndReturn(EmbeddedSluice s, int port) {
		s.start();
		return port;
	}
}
