package dev.sluice.plugins.processor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.config.YamlConfigReader;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.ProcessorInstance;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Input and output processors in real pipelines, from YAML. */
class ProcessorRuntimeTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	static final EventTime T = new EventTime(1_700_000_000L, 0);

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	static EmbeddedSluice start(String yaml) {
		EmbeddedSluice s = EmbeddedSluice.of(new YamlConfigReader(Map.of()).read(yaml, "test.yaml"),
				PluginRegistry.builtin(), 20);
		s.start();
		return s;
	}

	static ConfigException configError(String yaml) {
		try {
			EmbeddedSluice s = EmbeddedSluice.of(new YamlConfigReader(Map.of()).read(yaml, "test.yaml"),
					PluginRegistry.builtin(), 20);
			s.start();
			s.close();
		}
		catch (ConfigException ex) {
			return ex;
		}
		throw new AssertionError("no configuration error");
	}

	static final String SERVICE = """
			service:
			  flush: 0.05
			  grace: 5
			""";

	@Test
	void inputProcessorsRunInOrderBeforeFilters() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      processors:
				        logs:
				          - name: content_modifier
				            action: insert
				            key: stage
				            value: processor1
				          - name: content_modifier
				            action: rename
				            key: stage
				            value: stage2
				          - name: grep
				            exclude: drop yes
				  filters:
				    - name: modify
				      match: '*'
				      condition: Key_exists stage2
				      set: filter_saw_processor yes
				  outputs:
				    - name: lib
				      match: '*'
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(List.of(new LogEvent(T, Map.of("msg", "a")), new LogEvent(T, Map.of("msg", "b", "drop", "yes"))));
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "one record", () -> out.events().size() == 1);
		assertThat(out.events().get(0).body()).containsExactly(Map.entry("msg", "a"),
				Map.entry("stage2", "processor1"), Map.entry("filter_saw_processor", "yes"));
		List<ProcessorInstance> ps = this.sluice.input("lib.0").processors();
		assertThat(ps).extracting(ProcessorInstance::name).containsExactly("content_modifier", "content_modifier", "grep");
		assertThat(ps).extracting(ProcessorInstance::stage).containsExactly(0, 1, 2);
		assertThat(ps.get(0).scope()).isEqualTo("input");
		assertThat(ps.get(0).owner()).isEqualTo("lib.0");
		assertThat(ps.get(0).metrics().itemsIn.sum()).isEqualTo(2);
		assertThat(ps.get(0).metrics().invocations.sum()).isEqualTo(1);
		assertThat(ps.get(2).metrics().itemsIn.sum()).isEqualTo(2);
		assertThat(ps.get(2).metrics().itemsOut.sum()).isEqualTo(1);
		assertThat(ps.get(2).metrics().itemsDrop.sum()).isEqualTo(1);
		assertThat(ps.get(2).metrics().errors.sum()).isZero();
	}

	@Test
	void outputProcessorsChangeOnlyTheirOutput() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				  outputs:
				    - name: lib
				      alias: modified
				      match: '*'
				      processors:
				        logs:
				          - name: content_modifier
				            action: upsert
				            key: $k8s['ns']
				            value: prod
				          - name: content_modifier
				            action: delete
				            key: secret
				    - name: lib
				      alias: plain
				      match: '*'
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(T, Map.of("msg", "a", "secret", "s"));
		LibOutput modified = this.sluice.plugin("modified", LibOutput.class);
		LibOutput plain = this.sluice.plugin("plain", LibOutput.class);
		Await.until(DEADLINE, "both outputs", () -> modified.events().size() == 1 && plain.events().size() == 1);
		assertThat(modified.events().get(0).body()).isEqualTo(Map.of("msg", "a", "k8s", Map.of("ns", "prod")));
		assertThat(plain.events().get(0).body()).isEqualTo(Map.of("msg", "a", "secret", "s"));
		ProcessorInstance p = this.sluice.output("modified").processors().get(0);
		assertThat(p.scope()).isEqualTo("output");
		assertThat(p.owner()).isEqualTo("lib.0");
		assertThat(p.metrics().itemsOut.sum()).isEqualTo(1);
	}

	@Test
	void outputProcessorDroppingEverythingSkipsTheFlushAsOk() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				  outputs:
				    - name: lib
				      alias: filtered
				      match: '*'
				      processors:
				        logs:
				          - name: grep
				            regex: level error
				    - name: lib
				      alias: all
				      match: '*'
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(T, Map.of("level", "info"));
		LibOutput all = this.sluice.plugin("all", LibOutput.class);
		Await.until(DEADLINE, "delivered", () -> all.events().size() == 1);
		Await.until(DEADLINE, "task done", () -> this.sluice.engine().pendingTasks() == 0);
		assertThat(this.sluice.plugin("filtered", LibOutput.class).events()).isEmpty();
		var m = this.sluice.output("filtered").metrics();
		assertThat(m.errors.sum()).isZero();
		assertThat(m.retries.sum()).isZero();
		assertThat(m.droppedRecords.sum()).isZero();
		assertThat(this.sluice.output("filtered").processors().get(0).metrics().itemsDrop.sum()).isEqualTo(1);
	}

	@Test
	void conditionalProcessorOnlyTouchesMatchingRecords() throws Exception {
		this.sluice = start(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				      processors:
				        logs:
				          - name: content_modifier
				            action: insert
				            key: alert
				            value: 'true'
				            condition:
				              op: and
				              rules:
				                - field: $level
				                  op: eq
				                  value: error
				                - field: $latency
				                  op: gt
				                  value: 100
				  outputs:
				    - name: lib
				      match: '*'
				""");
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		in.push(List.of(new LogEvent(T, Map.of("level", "error", "latency", 250L)),
				new LogEvent(T, Map.of("level", "error", "latency", 5L)),
				new LogEvent(T, Map.of("level", "info", "latency", 900L))));
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "3 records", () -> out.events().size() == 3);
		assertThat(out.events()).extracting((e) -> e.body().get("alert")).containsExactly("true", null, null);
	}

	@Test
	void unknownProcessorIsAnErrorWithItsLine() {
		ConfigException ex = configError(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      processors:
				        logs:
				          - name: content_modifer
				            action: insert
				  outputs:
				    - name: lib
				      match: '*'
				""");
		assertThat(ex.errors()).hasSize(1);
		assertThat(ex.errors().get(0).origin().toString()).isEqualTo("test.yaml:9");
		assertThat(ex.errors().get(0).message()).contains("content_modifer");
	}

	@Test
	void processorPropertiesAreBoundWithTheirLine() {
		ConfigException ex = configError(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      processors:
				        logs:
				          - name: content_modifier
				            action: insert
				            keyy: a
				  outputs:
				    - name: lib
				      match: '*'
				""");
		assertThat(ex.errors()).hasSize(1);
		assertThat(ex.errors().get(0).origin().toString()).isEqualTo("test.yaml:11");
		assertThat(ex.errors().get(0).message()).contains("unknown configuration property 'keyy'");
	}

	@Test
	void badProcessorSettingFailsStartWithItsLine() {
		ConfigException ex = configError(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				      processors:
				        logs:
				          - name: content_modifier
				            action: explode
				            key: a
				  outputs:
				    - name: lib
				      match: '*'
				""");
		assertThat(ex.errors()).hasSize(1);
		assertThat(ex.errors().get(0).origin().toString()).isEqualTo("test.yaml:9");
		assertThat(ex.errors().get(0).message())
			.isEqualTo("failed initialize processor content_modifier of input lib.0: unknown action 'explode'");
	}

	@Test
	void contentModifierIsNotAFilter() {
		ConfigException ex = configError(SERVICE + """
				pipeline:
				  inputs:
				    - name: lib
				  filters:
				    - name: content_modifier
				      match: '*'
				      action: delete
				      key: a
				  outputs:
				    - name: lib
				      match: '*'
				""");
		assertThat(ex.errors().get(0).origin().toString()).isEqualTo("test.yaml:8");
	}
}
