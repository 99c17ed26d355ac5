package dev.sluice.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunk arrays recycled through {@link ChunkBuffers}, and the engine-wide buffer budget. */
class EngineBufferTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private EmbeddedSluice sluice;

	@BeforeEach
	void reset() {
		TestOutputs.reset();
	}

	@AfterEach
	void stop() {
		System.clearProperty("sluice.buffer.max");
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private static EmbeddedSluice.Builder base() {
		return EmbeddedSluice.builder().registry(EngineRuntimeTest.registry()).unitMillis(20).service("flush", "0.02")
			.service("scheduler.base", "1").service("scheduler.cap", "2").service("grace", "5");
	}

	/**
	 * Many chunks through two outputs, one of which retries some of them: arrays of finished
	 * chunks are reused for new ones, and every record still arrives once at each output, intact
	 * (a chunk's array given back too early would show as records of another chunk).
	 */
	@Test
	void recycledChunkArraysNeverShowUpInAChunkStillBeingDelivered() throws Exception {
		List<FlushResult> script = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			script.add((i % 3 == 0) ? FlushResult.RETRY : FlushResult.OK);
		}
		TestOutputs.SCRIPTS.put("b", script);
		this.sluice = base().input("lib", "tag", "t")
			.output("scripted", "match", "*", "alias", "a")
			.output("scripted", "match", "*", "alias", "b", "retry_limit", "no_limits")
			.build()
			.start();
		LibInput lib = this.sluice.plugin("lib.0", LibInput.class);
		long reusesBefore = dev.sluice.event.ByteArrayPool.SHARED.reuses();
		int n = 60_000;
		String pad = "x".repeat(200);
		for (int i = 0; i < n; i++) {
			lib.push(new EventTime(1_700_000_000L + i, i), Map.of("n", (long) i, "pad", pad + i));
			if (i % 10_000 == 9_999) {
				// chunks sealed, delivered and back in the pool while later ones are written
				int upTo = i - 5_000;
				Await.until(DEADLINE, "output a behind by at most 5000 records",
						() -> TestOutputs.DELIVERED.getOrDefault("a", List.of()).size() >= upTo);
			}
		}
		Await.until(DEADLINE, "all records at both outputs",
				() -> TestOutputs.DELIVERED.getOrDefault("a", List.of()).size() >= n
						&& TestOutputs.DELIVERED.getOrDefault("b", List.of()).size() >= n);
		for (String out : List.of("a", "b")) {
			List<LogEvent> got = TestOutputs.DELIVERED.get(out);
			assertThat(got).as(out).hasSize(n);
			Set<Long> seen = new HashSet<>();
			for (LogEvent e : got) {
				long k = (Long) e.body().get("n");
				assertThat(e.body().get("pad")).as(out + " record " + k).isEqualTo(pad + k);
				assertThat(e.time().seconds()).isEqualTo(1_700_000_000L + k);
				seen.add(k);
			}
			assertThat(seen).as(out).hasSize(n);
		}
		assertThat(this.sluice.output("b").metrics().retries.sum()).isPositive();
		assertThat(dev.sluice.event.ByteArrayPool.SHARED.reuses()).as("chunk arrays reused during the run")
			.isGreaterThan(reusesBefore);
	}

	/**
	 * Two inputs without mem_buf_limit and an output that does not deliver: together they reach
	 * the buffer budget, both pause, and once the output delivers both resume and nothing is lost.
	 */
	@Test
	void theBufferBudgetPausesEveryInputAndResumesThemWithoutLoss() throws Exception {
		System.setProperty("sluice.buffer.max", "8K");
		this.sluice = base().input("lib", "tag", "a").input("lib", "tag", "b").output("lib", "match", "*").build();
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		CountDownLatch gate = new CountDownLatch(1);
		List<LogEvent> got = new CopyOnWriteArrayList<>();
		out.setCallback((chunk) -> {
			gate.await();
			got.addAll(chunk.decode());
			return FlushResult.OK;
		});
		this.sluice.start();
		InputInstance a = this.sluice.input("lib.0");
		InputInstance b = this.sluice.input("lib.1");
		List<Thread> producers = new ArrayList<>();
		for (String in : List.of("lib.0", "lib.1")) {
			LibInput lib = this.sluice.plugin(in, LibInput.class);
			producers.add(Thread.ofVirtual().start(() -> {
				for (int i = 0; i < 3000; i++) {
					try {
						lib.push(new EventTime(1, 0), Map.of("n", (long) i, "in", in));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}));
		}
		Await.until(DEADLINE, "both inputs paused by the buffer budget",
				() -> a.pauseReasons().contains(InputInstance.PauseReason.BUFFER_BUDGET)
						&& b.pauseReasons().contains(InputInstance.PauseReason.BUFFER_BUDGET));
		assertThat(producers).allMatch(Thread::isAlive);
		gate.countDown();
		for (Thread p : producers) {
			p.join(DEADLINE);
		}
		Await.until(DEADLINE, "all 6000 records", () -> got.size() == 6000);
		assertThat(got.stream().map((e) -> e.body().get("in") + ":" + e.body().get("n")).distinct()).hasSize(6000);
		Await.until(DEADLINE, "both resumed", () -> !a.isPaused() && !b.isPaused());
	}
}
