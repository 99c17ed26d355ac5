package dev.sluice.plugins.processor;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static dev.sluice.plugins.processor.ProcessorRuntimeTest.DEADLINE;
import static dev.sluice.plugins.processor.ProcessorRuntimeTest.SERVICE;
import static dev.sluice.plugins.processor.ProcessorRuntimeTest.T;
import static dev.sluice.plugins.processor.ProcessorRuntimeTest.configError;
import static dev.sluice.plugins.processor.ProcessorRuntimeTest.start;
import static org.assertj.core.api.Assertions.assertThat;

/** Conditional routes (YAML {@code routes}) in real pipelines. */
class ConditionalRoutingTest {

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private static LogEvent ev(Object... kv) {
		Map<String, Object> m = new java.util.LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return new LogEvent(T, m);
	}

	private List<Object> field(String output, String key) {
		return this.sluice.plugin(output, LibOutput.class).events().stream().map((e) -> e.body().get(key)).toList();
	}

	static final String BY_LEVEL = SERVICE + """
			pipeline:
			  inputs:
			    - name: lib
			      tag: app
			      routes:
			        logs:
			          - name: errors
			            condition:
			              op: or
			              rules:
			                - field: $level
			                  op: eq
			                  value: error
			                - field: $level
			                  op: eq
			                  value: fatal
			            to:
			              outputs:
			                - errors_out
			          - name: info
			            condition:
			              op: and
			              rules:
			                - field: $level
			                  op: eq
			                  value: info
			            to:
			              outputs: [info_out, lib.2]
			          - name: rest
			            condition:
			              default: true
			            to:
			              outputs:
			                - default_out
			  outputs:
			    - name: lib
			      alias: errors_out
			    - name: lib
			      alias: info_out
			    - name: lib
			      match: '*'
			    - name: lib
			      alias: default_out
			      match: nothing
			""";

	@Test
	void recordsAreSplitByLevelWithADefaultRoute() throws Exception {
		this.sluice = start(BY_LEVEL);
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(List.of(ev("n", 1L, "level", "info"), ev("n", 2L, "level", "error"), ev("n", 3L, "level", "debug"),
				ev("n", 4L, "level", "fatal"), ev("n", 5L, "level", "info"), ev("n", 6L)));
		Await.until(DEADLINE, "all delivered", () -> this.sluice.engine().pendingTasks() == 0
				&& this.sluice.plugin("default_out", LibOutput.class).events().size() == 2
				&& this.sluice.plugin("lib.2", LibOutput.class).events().size() == 2
				&& this.sluice.plugin("errors_out", LibOutput.class).events().size() == 2);
		assertThat(field("errors_out", "n")).containsExactly(2L, 4L);
		assertThat(field("info_out", "n")).containsExactly(1L, 5L);
		// routed by its route only, not by its Match '*'
		assertThat(field("lib.2", "n")).containsExactly(1L, 5L);
		// the default route takes what no other route took, whatever the output's Match says
		assertThat(field("default_out", "n")).containsExactly(3L, 6L);
		assertThat(this.sluice.output("errors_out").routeMetrics().get("lib.0").records.sum()).isEqualTo(2);
	}

	@Test
	void inAndRegexOperatorsAndOverlappingRoutes() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      routes:
				        logs:
				          - name: critical
				            condition:
				              rules:
				                - field: $service
				                  op: in
				                  value: [payment, auth]
				            to:
				              outputs: [critical]
				          - name: security
				            condition:
				              op: or
				              rules:
				                - field: $msg
				                  op: regex
				                  value: (?i)(unauthorized|forbidden)
				                - field: $status
				                  op: gte
				                  value: 500
				            to:
				              outputs: [security]
				          - name: not_debug
				            condition:
				              rules:
				                - field: $service
				                  op: not_in
				                  value: [debug, trace]
				                - field: $msg
				                  op: not_regex
				                  value: ^health
				            to:
				              outputs: [rest]
				  outputs:
				    - name: lib
				      alias: critical
				    - name: lib
				      alias: security
				    - name: lib
				      alias: rest
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(List.of(ev("n", 1L, "service", "payment", "msg", "ok", "status", 200L),
				ev("n", 2L, "service", "web", "msg", "User UNAUTHORIZED", "status", 401L),
				ev("n", 3L, "service", "debug", "msg", "x", "status", 503L),
				ev("n", 4L, "service", "web", "msg", "health check", "status", 200L),
				ev("n", 5L, "service", "auth", "msg", "Forbidden", "status", "500")));
		Await.until(DEADLINE, "all delivered", () -> this.sluice.engine().pendingTasks() == 0
				&& this.sluice.plugin("rest", LibOutput.class).events().size() == 3
				&& this.sluice.plugin("security", LibOutput.class).events().size() == 3
				&& this.sluice.plugin("critical", LibOutput.class).events().size() == 2);
		assertThat(field("critical", "n")).containsExactly(1L, 5L);
		assertThat(field("security", "n")).containsExactly(2L, 3L, 5L);
		assertThat(field("rest", "n")).containsExactly(1L, 2L, 5L);
		// record 4 went nowhere: counted as dropped by the input
		assertThat(this.sluice.input("lib.0").metrics().droppedRecords.sum()).isEqualTo(1);
	}

	@Test
	void metadataContextAndOutputsByInstanceName() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      routes:
				        logs:
				          - name: by_meta
				            condition:
				              rules:
				                - field: $source
				                  context: metadata
				                  op: eq
				                  value: k8s
				            to:
				              outputs: [lib.1]
				  outputs:
				    - name: lib
				      match: '*'
				    - name: lib
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(List.of(new LogEvent(T, Map.of("source", "k8s"), Map.of("n", 1L)),
				new LogEvent(T, Map.of(), Map.of("n", 2L, "source", "k8s"))));
		Await.until(DEADLINE, "delivered", () -> this.sluice.plugin("lib.1", LibOutput.class).events().size() == 1
				&& this.sluice.engine().pendingTasks() == 0);
		assertThat(field("lib.1", "n")).containsExactly(1L);
		assertThat(this.sluice.plugin("lib.0", LibOutput.class).events()).isEmpty();
	}

	@Test
	void inputWithoutLogRoutesIsRoutedByMatch() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      routes:
				        metrics:
				          - name: m
				            condition:
				              default: true
				            to:
				              outputs: [lib.1]
				  outputs:
				    - name: lib
				      match: app
				    - name: lib
				""");
		this.sluice.plugin("lib.0", LibInput.class).push(T, Map.of("n", 1L));
		Await.until(DEADLINE, "delivered", () -> this.sluice.plugin("lib.0", LibOutput.class).events().size() == 1);
		assertThat(this.sluice.input("lib.0").conditionallyRouted()).isFalse();
	}

	@Test
	void unknownOutputInRouteIsAnErrorWithItsLine() {
		ConfigException ex = configError(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      routes:
				        logs:
				          - name: r
				            condition:
				              default: true
				            to:
				              outputs:
				                - known
				                - unknown_out
				  outputs:
				    - name: lib
				      alias: known
				""");
		assertThat(ex.errors()).hasSize(1);
		assertThat(ex.errors().get(0).origin().toString()).isEqualTo("test.yaml:13"); // the line of the to.outputs key (items share it)
		assertThat(ex.errors().get(0).message()).contains("output 'unknown_out' does not exist");
	}

	@Test
	void badRulesAreErrorsWithTheirLines() {
		ConfigException ex = configError(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      routes:
				        logs:
				          - name: r
				            condition:
				              op: xor
				              rules:
				                - field: $a
				                  op: like
				                  value: x
				                - field: $a
				                  op: regex
				                  value: '(unclosed'
				            to:
				              outputs: [lib.0]
				          - name: no_condition
				            to:
				              outputs: [lib.0]
				  outputs:
				    - name: lib
				""");
		assertThat(ex.errors()).extracting((e) -> e.origin().toString())
			.containsExactly("test.yaml:11", "test.yaml:14", "test.yaml:18", "test.yaml:21");
		assertThat(ex.errors().get(0).message()).contains("invalid condition op 'xor'");
		assertThat(ex.errors().get(1).message()).contains("invalid condition rule op 'like'");
		assertThat(ex.errors().get(2).message()).contains("invalid condition rule regex");
		assertThat(ex.errors().get(3).message()).contains("route 'no_condition' has no condition");
	}
}
