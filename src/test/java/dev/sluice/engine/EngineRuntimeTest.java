package dev.sluice.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.examples.MultiInstanceOutput;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real pipelines in-process: lib input → (filters) → outputs, on the real engine thread. */
class EngineRuntimeTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private EmbeddedSluice sluice;

	@BeforeEach
	void reset() {
		TestOutputs.reset();
		MultiInstanceOutput.FLUSHES.clear();
	}

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	static PluginRegistry registry() {
		PluginRegistry r = PluginRegistry.builtin();
		r.register(PluginDescriptor.of(TestOutputs.Scripted.class));
		r.register(PluginDescriptor.of(TestOutputs.AlwaysRetry.class));
		r.register(PluginDescriptor.of(TestOutputs.DropDup.class));
		r.register(PluginDescriptor.of(MultiInstanceOutput.class));
		return r;
	}

	private static EmbeddedSluice.Builder base() {
		return EmbeddedSluice.builder().registry(registry()).unitMillis(20).service("flush", "0.05")
				.service("scheduler.base", "1").service("scheduler.cap", "2").service("grace", "5");
	}

	private static void push(LibInput in, int from, int to) throws InterruptedException {
		for (int i = from; i < to; i++) {
			in.push(new EventTime(1_700_000_000L + i, 0), Map.of("n", (long) i));
		}
	}

	private static List<Long> numbers(List<LogEvent> events) {
		List<Long> out = new ArrayList<>();
		for (LogEvent e : events) {
			out.add((Long) e.body().get("n"));
		}
		return out;
	}

	private static List<Long> range(int from, int to) {
		List<Long> l = new ArrayList<>();
		for (long i = from; i < to; i++) {
			l.add(i);
		}
		return l;
	}

	@Test
	void libToLibDeliversEveryRecordInOrderWithTimeAndTag() throws Exception {
		this.sluice = base().input("lib", "tag", "app.log").output("lib", "match", "app.*").build().start();
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		List<String> tags = new CopyOnWriteArrayList<>();
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		push(in, 0, 100);
		Await.until(DEADLINE, "100 records", () -> out.events().size() == 100);
		assertThat(numbers(out.events())).containsExactlyElementsOf(range(0, 100));
		assertThat(out.events().get(5).time()).isEqualTo(new EventTime(1_700_000_005L, 0));
		assertThat(this.sluice.input("lib.0").metrics().records.sum()).isEqualTo(100);
		// the output counts a chunk once the engine has taken the flush's result, which can come
		// just after the records reached the lib output's callback
		Await.until(DEADLINE, "the output to count 100 records",
				() -> this.sluice.output("lib.0").metrics().procRecords.sum() == 100);
		assertThat(tags).isEmpty();
	}

	@Test
	void retryThenOkDeliversExactlyOnce() throws Exception {
		this.sluice = base().input("lib", "tag", "t").output("scripted", "match", "*", "alias", "flaky", "retry_limit", "3")
			.build();
		TestOutputs.SCRIPTS.put("flaky", new ArrayList<>(List.of(FlushResult.RETRY, FlushResult.RETRY)));
		this.sluice.start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 10);
		Await.until(DEADLINE, "delivery after retries",
				() -> TestOutputs.DELIVERED.getOrDefault("flaky", List.of()).size() == 10);
		OutputInstance o = this.sluice.output("flaky");
		Await.until(DEADLINE, "proc_records", () -> o.metrics().procRecords.sum() == 10);
		assertThat(numbers(TestOutputs.DELIVERED.get("flaky"))).containsExactlyElementsOf(range(0, 10));
		assertThat(o.metrics().retries.sum()).isEqualTo(2);
		assertThat(o.metrics().retriedRecords.sum()).isEqualTo(20);
		assertThat(o.metrics().retriesFailed.sum()).isZero();
		assertThat(o.metrics().droppedRecords.sum()).isZero();
		assertThat(TestOutputs.CALLS.get("flaky").get()).isEqualTo(3);
	}

	@Test
	void alwaysFailingOutputIsGivenUpAfterRetryLimitAndCounted() throws Exception {
		this.sluice = base().input("lib", "tag", "t").output("always_retry", "match", "*", "retry_limit", "2").build().start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 5);
		OutputInstance o = this.sluice.output("always_retry.0");
		Await.until(DEADLINE, "retries failed", () -> o.metrics().retriesFailed.sum() == 1);
		assertThat(o.metrics().retries.sum()).isEqualTo(2);
		assertThat(o.metrics().droppedRecords.sum()).isEqualTo(5);
		assertThat(TestOutputs.CALLS.get("always_retry.0").get()).isEqualTo(3);
		Await.until(DEADLINE, "buffer released", () -> this.sluice.input("lib.0").bufferedBytes() == 0);
	}

	@Test
	void noRetriesDropsAtOnceAndErrorDropsWithErrorCount() throws Exception {
		this.sluice = base().input("lib", "tag", "t")
			.output("always_retry", "match", "*", "retry_limit", "no_retries")
			.output("scripted", "match", "*", "alias", "bad")
			.build();
		TestOutputs.SCRIPTS.put("bad", new ArrayList<>(List.of(FlushResult.ERROR)));
		this.sluice.start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 3);
		OutputInstance never = this.sluice.output("always_retry.0");
		OutputInstance bad = this.sluice.output("bad");
		Await.until(DEADLINE, "drops", () -> never.metrics().droppedRecords.sum() == 3 && bad.metrics().errors.sum() == 1);
		assertThat(never.metrics().retries.sum()).isZero();
		assertThat(bad.metrics().droppedRecords.sum()).isEqualTo(3);
		assertThat(TestOutputs.DELIVERED.get("bad")).isNull();
	}

	@Test
	void unlimitedRetriesKeepTryingUntilOk() throws Exception {
		this.sluice = base().input("lib", "tag", "t").output("scripted", "match", "*", "alias", "x", "retry_limit", "no_limits")
			.build();
		List<FlushResult> script = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			script.add(FlushResult.RETRY);
		}
		TestOutputs.SCRIPTS.put("x", script);
		this.sluice.start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 1);
		Await.until(DEADLINE, "delivery", () -> TestOutputs.DELIVERED.getOrDefault("x", List.of()).size() == 1);
		assertThat(this.sluice.output("x").metrics().retries.sum()).isEqualTo(6);
	}

	@Test
	void twoOutputsMatchingOneChunkEachGetIt() throws Exception {
		this.sluice = base().input("lib", "tag", "app.web")
			.output("scripted", "match", "app.*", "alias", "a")
			.output("scripted", "match_regex", "^app", "alias", "b")
			.output("scripted", "match", "other", "alias", "c")
			.build()
			.start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 20);
		Await.until(DEADLINE, "both outputs", () -> TestOutputs.DELIVERED.getOrDefault("a", List.of()).size() == 20
				&& TestOutputs.DELIVERED.getOrDefault("b", List.of()).size() == 20);
		assertThat(numbers(TestOutputs.DELIVERED.get("a"))).containsExactlyElementsOf(range(0, 20));
		assertThat(numbers(TestOutputs.DELIVERED.get("b"))).containsExactlyElementsOf(range(0, 20));
		assertThat(TestOutputs.DELIVERED.get("c")).isNull();
	}

	@Test
	void memBufLimitPausesAndResumesWithoutLosingARecord() throws Exception {
		AtomicInteger pausedSeen = new AtomicInteger();
		this.sluice = base().input("lib", "tag", "t", "mem_buf_limit", "2K")
			.output("lib", "match", "*")
			.build();
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		InputInstance in = this.sluice.input("lib.0");
		java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
		List<LogEvent> got = new CopyOnWriteArrayList<>();
		out.setCallback((chunk) -> {
			if (in.isPaused()) {
				pausedSeen.incrementAndGet();
			}
			gate.await();
			got.addAll(chunk.decode());
			return FlushResult.OK;
		});
		this.sluice.start();
		LibInput lib = this.sluice.plugin("lib.0", LibInput.class);
		Thread producer = Thread.ofVirtual().start(() -> {
			try {
				push(lib, 0, 2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		Await.until(DEADLINE, "input paused by mem_buf_limit", in::isPaused);
		assertThat(in.pauseReasons()).contains(InputInstance.PauseReason.MEM_BUF_LIMIT);
		assertThat(producer.isAlive()).as("producer blocked while paused").isTrue();
		gate.countDown();
		producer.join(DEADLINE);
		Await.until(DEADLINE, "all 2000 records", () -> got.size() == 2000);
		assertThat(numbers(got)).containsExactlyElementsOf(range(0, 2000));
		assertThat(pausedSeen.get()).isPositive();
		Await.until(DEADLINE, "resumed", () -> !in.isPaused());
	}

	@Test
	void filtersDropAddAndSurviveExceptions() throws Exception {
		this.sluice = base().input("lib", "tag", "t").filter("dropdup", "match", "*", "marker", "m")
			.output("lib", "match", "*").build().start();
		LibInput lib = this.sluice.plugin("lib.0", LibInput.class);
		EventTime t = new EventTime(1, 0);
		lib.push(t, Map.of("n", 1L));
		lib.push(t, Map.of("n", 2L, "drop", true));
		lib.push(t, Map.of("n", 3L, "dup", true));
		lib.push(t, Map.of("n", 4L, "boom", true));
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "4 records", () -> out.events().size() == 4);
		assertThat(numbers(out.events())).containsExactly(1L, 3L, 3L, 4L);
		assertThat(out.events().get(0).body()).containsEntry("m", true);
		assertThat(out.events().get(3).body()).doesNotContainKey("m");
		Metrics.Filter fm = this.sluice.filter("dropdup.0").metrics();
		assertThat(fm.records.sum()).isEqualTo(4);
		assertThat(fm.dropRecords.sum()).isEqualTo(1);
		assertThat(fm.addRecords.sum()).isEqualTo(1);
		assertThat(fm.errors.sum()).isEqualTo(1);
	}

	@Test
	void multiInstanceExampleEachFlushSeesItsOwnContext() throws Exception {
		this.sluice = base().input("lib", "tag", "pets")
			.output("multiinstance", "match", "*", "id", "cats")
			.output("multiinstance", "match", "*", "id", "dogs")
			.build()
			.start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 3);
		Await.until(DEADLINE, "both instances flushed", () -> MultiInstanceOutput.FLUSHES.size() >= 2);
		assertThat(MultiInstanceOutput.FLUSHES).containsExactlyInAnyOrder("cats|pets|3", "dogs|pets|3");
	}

	@Test
	void multiInstanceRequiresId() {
		assertThatThrownBy(() -> base().input("lib").output("multiinstance", "match", "*").build())
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("multiinstance: required property 'id' is not set");
	}

	@Test
	void shutdownFlushesWhatIsBuffered() throws Exception {
		this.sluice = base().service("flush", "60").input("lib", "tag", "t").output("lib", "match", "*").build().start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 50);
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		assertThat(out.events()).isEmpty();
		this.sluice.stop();
		assertThat(numbers(out.events())).containsExactlyElementsOf(range(0, 50));
	}

	@Test
	void chunksAreSealedAtTheSizeTarget() throws Exception {
		this.sluice = base().service("flush", "60").input("lib", "tag", "t").output("lib", "match", "*").build().start();
		LibInput lib = this.sluice.plugin("lib.0", LibInput.class);
		String big = "x".repeat(10_000);
		for (int i = 0; i < 300; i++) {
			lib.push(new EventTime(i, 0), Map.of("n", (long) i, "pad", big));
		}
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "a size-sealed chunk before any flush tick", () -> !out.events().isEmpty());
		assertThat(out.events().size()).isBetween(200, 300);
	}

	@Test
	void dummyToFileWithoutFilters(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		this.sluice = base().input("dummy", "tag", "app.log", "dummy", "{\"n\":1,\"msg\":\"hi\"}", "rate", "100",
				"samples", "20")
			.output("file", "match", "app.*", "path", dir.toString(), "format", "plain")
			.build()
			.start();
		java.nio.file.Path out = dir.resolve("app.log");
		Await.until(DEADLINE, "20 lines in the file", () -> {
			try {
				return java.nio.file.Files.exists(out) && java.nio.file.Files.readAllLines(out).size() == 20;
			}
			catch (java.io.IOException ex) {
				return false;
			}
		});
		assertThat(java.nio.file.Files.readAllLines(out)).containsOnly("{\"n\":1,\"msg\":\"hi\"}");
		Await.until(DEADLINE, "the output to count 20 records",
				() -> this.sluice.output("file.0").metrics().procRecords.sum() == 20);
	}

	@Test
	void unroutedChunksAreDroppedAndCounted() throws Exception {
		this.sluice = base().input("lib", "tag", "nobody").output("lib", "match", "other").build().start();
		push(this.sluice.plugin("lib.0", LibInput.class), 0, 7);
		InputInstance in = this.sluice.input("lib.0");
		Await.until(DEADLINE, "dropped", () -> in.metrics().droppedRecords.sum() == 7);
		assertThat(in.bufferedBytes()).isZero();
	}
}
