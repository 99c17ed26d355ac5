package dev.sluice.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares each built-in plugin's own options with what Fluent Bit 5.1.1 prints with {@code -J}
 * ({@code shared/fixtures/help/schema.json}): names in order, type labels, defaults and
 * descriptions, and the plugin description.
 */
class SchemaConformanceTest {

	/** Built-in plugins that the captured binary does not have (checked against Fluent Bit's source elsewhere). */
	private static final List<String> NOT_IN_SCHEMA = List.of(
			"input:stdin",
			"filter:type_converter",
			"filter:expect",
			"filter:multiline",
			"filter:kubernetes",
			"input:kubernetes_events",
			"input:kafka",
			"output:kafka",
			"input:exec",
			"input:cpu",
			"input:mem",
			"output:udp",
			"output:syslog",
			"output:pgsql",
			"output:es",
			"output:opensearch",
			"output:loki",
			"input:opentelemetry",
			"input:fluentbit_metrics",
			"output:opentelemetry",
			"output:prometheus_exporter");

	@Test
	void builtinOptionsMatchFluentBitSchema() throws Exception {
		JsonNode schema = JsonMapper.builder().build().readTree(Fixtures.path("help/schema.json").toFile());
		PluginRegistry registry = PluginRegistry.builtin();
		List<String> checked = new ArrayList<>();
		for (PluginDescriptor d : registry.all()) {
			String id = d.kind().label() + ":" + d.name();
			if (NOT_IN_SCHEMA.contains(id)) {
				continue;
			}
			JsonNode p = find(schema, d.kind(), d.name());
			assertThat(p).as("%s in schema.json", id).isNotNull();
			assertThat(d.description()).as("%s description", id).isEqualTo(p.get("description").asString());
			List<Map<String, String>> expected = new ArrayList<>();
			JsonNode options = p.get("properties").get("options");
			for (JsonNode o : (options != null) ? options : JsonMapper.builder().build().createArrayNode()) {
				expected.add(row(o.get("name").asString(), o.get("type").asString(),
						o.get("default").isNull() ? null : o.get("default").asString(), o.get("description").asString()));
			}
			List<Map<String, String>> actual = new ArrayList<>();
			for (OptionSpec s : d.options()) {
				if (s.listed()) {
					actual.add(row(s.declaredName(), s.typeLabel(), s.defaultValue(), s.description()));
				}
			}
			assertThat(actual).as("%s options", id).isEqualTo(expected);
			checked.add(id);
		}
		assertThat(checked).contains("input:dummy", "output:stdout", "output:file", "output:counter", "output:exit",
				"output:null");
	}

	private static Map<String, String> row(String name, String type, String def, String description) {
		Map<String, String> m = new java.util.LinkedHashMap<>();
		m.put("name", name);
		m.put("type", type);
		m.put("default", def);
		m.put("description", description);
		return m;
	}

	private static JsonNode find(JsonNode schema, PluginKind kind, String name) {
		String section = switch (kind) {
			case INPUT -> "inputs";
			case FILTER -> "filters";
			case OUTPUT -> "outputs";
		};
		for (JsonNode p : schema.get(section)) {
			if (p.get("name").asString().equals(name)) {
				return p;
			}
		}
		return null;
	}

	@Test
	void everyBuiltinRegisters() {
		PluginRegistry r = PluginRegistry.builtin();
		assertThat(r.find(PluginKind.INPUT, "dummy")).isNotNull();
		assertThat(r.find(PluginKind.INPUT, "stdin")).isNotNull();
		for (String o : List.of("stdout", "file", "counter", "exit", "null")) {
			assertThat(r.find(PluginKind.OUTPUT, o)).as(o).isNotNull();
			assertThat(r.find(PluginKind.OUTPUT, o).newPlugin()).isNotNull();
			assertThat(r.find(PluginKind.OUTPUT, o).newConfig()).isNotNull();
		}
	}
}
