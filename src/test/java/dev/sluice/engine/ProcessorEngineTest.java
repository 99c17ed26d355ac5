package dev.sluice.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sluice.config.YamlConfigReader;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;

/** Processors in the engine: failures, retries, chunks kept apart by route set. */
class ProcessorEngineTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final EventTime T = new EventTime(1_700_000_000L, 0);

	private static final String SERVICE = """
			service:
			  flush: 0.05
			  grace: 5
			  scheduler.base: 1
			  scheduler.cap: 2
			""";

	private EmbeddedSluice sluice;

	@BeforeEach
	void reset() {
		TestOutputs.reset();
	}

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private EmbeddedSluice start(String yaml) {
		this.sluice = EmbeddedSluice.of(new YamlConfigReader(Map.of()).read(SERVICE + yaml, "engine.yaml"),
				EngineRuntimeTest.registry(), 20);
		return this.sluice.start();
	}

	@Test
	void failingProcessorPassesRecordsOnAndCountsAnError() throws Exception {
		start("""
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      processors:
				        logs:
				          - name: dropdup
				            marker: p
				  outputs:
				    - name: lib
				      match: '*'
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(T, Map.of("boom", true));
		in.push(T, Map.of("n", 1L));
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		assertThat(out.events().get(0).body()).isEqualTo(Map.of("boom", true));
		assertThat(out.events().get(1).body()).isEqualTo(Map.of("n", 1L, "p", true));
		ProcessorInstance p = this.sluice.input("lib.0").processors().get(0);
		assertThat(p.metrics().errors.sum()).isEqualTo(1);
		assertThat(p.metrics().invocations.sum()).isEqualTo(2);
		assertThat(p.metrics().itemsOut.sum()).isEqualTo(2);
	}

	@Test
	void outputProcessorsRunOnceAcrossRetries() throws Exception {
		TestOutputs.SCRIPTS.put("flaky", new ArrayList<>(List.of(FlushResult.RETRY, FlushResult.RETRY)));
		start("""
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				  outputs:
				    - name: scripted
				      alias: flaky
				      match: '*'
				      retry_limit: 5
				      processors:
				        logs:
				          - name: dropdup
				            marker: processed
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(List.of(new LogEvent(T, Map.of("n", 1L)), new LogEvent(T, Map.of("n", 2L, "dup", true)),
				new LogEvent(T, Map.of("n", 3L, "drop", true))));
		Await.until(DEADLINE, "delivered", () -> TestOutputs.DELIVERED.getOrDefault("flaky", List.of()).size() == 3);
		assertThat(TestOutputs.DELIVERED.get("flaky")).extracting((e) -> e.body().get("n")).containsExactly(1L, 2L, 2L);
		assertThat(TestOutputs.DELIVERED.get("flaky")).allMatch((e) -> Boolean.TRUE.equals(e.body().get("processed")));
		assertThat(TestOutputs.CALLS.get("flaky").get()).isEqualTo(3);
		ProcessorInstance p = this.sluice.output("flaky").processors().get(0);
		assertThat(p.metrics().invocations.sum()).isEqualTo(1);
		assertThat(p.metrics().itemsIn.sum()).isEqualTo(3);
		assertThat(p.metrics().itemsOut.sum()).isEqualTo(3);
		// add/drop are the net change of one run, as for filters: one dropped and one added cancel out
		assertThat(p.metrics().itemsAdd.sum()).isZero();
		assertThat(p.metrics().itemsDrop.sum()).isZero();
	}

	@Test
	void chunksAreSplitByTagAndRouteSet() throws Exception {
		start("""
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      routes:
				        logs:
				          - name: a
				            condition:
				              rules:
				                - field: $to
				                  op: in
				                  value: [a, both]
				            to:
				              outputs: [a]
				          - name: b
				            condition:
				              rules:
				                - field: $to
				                  op: in
				                  value: [b, both]
				            to:
				              outputs: [b]
				  outputs:
				    - name: scripted
				      alias: a
				    - name: scripted
				      alias: b
				""");
		List<String> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (AutoCloseable ta = this.sluice.engine().openTap(new Tap("a", "*", (t) -> chunks.add(t.point() + " "
				+ t.events().records())));
				AutoCloseable tb = this.sluice.engine().openTap(new Tap("b", "*", (t) -> chunks.add(t.point() + " "
						+ t.events().records())))) {
			LibInput in = this.sluice.plugin("lib.0", LibInput.class);
			in.push(List.of(new LogEvent(T, Map.of("to", "a")), new LogEvent(T, Map.of("to", "both")),
					new LogEvent(T, Map.of("to", "b")), new LogEvent(T, Map.of("to", "a"))));
			Await.until(DEADLINE, "delivered", () -> this.sluice.engine().pendingTasks() == 0
					&& TestOutputs.DELIVERED.getOrDefault("a", List.of()).size() == 3
					&& TestOutputs.DELIVERED.getOrDefault("b", List.of()).size() == 2);
		}
		// three route sets: {a}, {a,b}, {b}: one chunk each; the {a,b} chunk is one task with two routes
		assertThat(chunks).containsExactlyInAnyOrder("output:a 2", "output:a 1", "output:b 1", "output:b 1");
		assertThat(TestOutputs.CALLS.get("a").get()).isEqualTo(2);
		assertThat(TestOutputs.CALLS.get("b").get()).isEqualTo(2);
	}
}
