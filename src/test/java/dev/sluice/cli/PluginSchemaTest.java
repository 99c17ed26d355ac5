package dev.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.OptionType;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;

import static org.assertj.core.api.Assertions.assertThat;

final class PluginSchemaTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final PluginSchema schema = new PluginSchema("5.1.1", "linux", PluginSchema.NetworkOptions.NONE);

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.propertyNames().forEach(names::add);
		return names;
	}

	@Test
	void catalogueHasFluentBitsTopLevelShapeOnOneLine() {
		String json = this.schema.catalogueJson(TestPlugins.registry());
		assertThat(json).doesNotContain("\n").startsWith(
				"{\"fluent-bit\":{\"version\":\"5.1.1\",\"schema_version\":\"1\",\"os\":\"linux\"},\"customs\":[],\"inputs\":[");
		JsonNode root = JSON.readTree(json);
		assertThat(fieldNames(root)).containsExactly("fluent-bit", "customs", "inputs", "processors", "filters",
				"outputs");
		assertThat(root.get("processors").size()).isZero();
		assertThat(root.get("inputs").size()).isEqualTo(2);
		assertThat(root.get("filters").size()).isEqualTo(1);
		assertThat(root.get("outputs").size()).isEqualTo(2);
	}

	@Test
	void catalogueListsInternalPluginsToo() {
		JsonNode root = JSON.readTree(this.schema.catalogueJson(TestPlugins.registry()));
		List<String> inputs = new ArrayList<>();
		root.get("inputs").forEach((p) -> inputs.add(p.get("name").asString()));
		assertThat(inputs).containsExactly("tail", "lib");
		JsonNode lib = root.get("inputs").get(1);
		assertThat(fieldNames(lib.get("properties"))).containsExactly("global_options");
	}

	@Test
	void pluginEntryHasTypeNameDescriptionAndOptionGroups() {
		JsonNode root = JSON.readTree(this.schema.catalogueJson(TestPlugins.registry()));
		JsonNode file = root.get("outputs").get(0);
		assertThat(fieldNames(file)).containsExactly("type", "name", "description", "properties");
		assertThat(file.get("type").asString()).isEqualTo("output");
		assertThat(file.get("name").asString()).isEqualTo("file");
		assertThat(file.get("description").asString()).isEqualTo("Generate log file");
		assertThat(fieldNames(file.get("properties"))).containsExactly("global_options", "options");

		JsonNode match = file.get("properties").get("global_options").get(0);
		assertThat(fieldNames(match)).containsExactly("name", "description", "default", "type");
		assertThat(match.get("name").asString()).isEqualTo("match");
		assertThat(match.get("default").isNull()).isTrue();
		assertThat(match.get("type").asString()).isEqualTo("string");

		JsonNode rotateMaxSize = null;
		for (JsonNode o : file.get("properties").get("options")) {
			if (o.get("name").asString().equals("rotate_max_size")) {
				rotateMaxSize = o;
			}
		}
		assertThat(rotateMaxSize).isNotNull();
		assertThat(rotateMaxSize.get("description").asString())
			.isEqualTo("Rotate the output file once it has reached this size");
		assertThat(rotateMaxSize.get("default").asString()).isEqualTo("100M");
		assertThat(rotateMaxSize.get("type").asString()).isEqualTo("size");
	}

	@Test
	void fileOutputEntryEqualsTheCapturedOne() {
		String captured = HelpFixtures.readOrNull("schema.json");
		org.junit.jupiter.api.Assertions.assertTrue(captured != null, "shared fixtures not available");
		JsonNode expected = null;
		for (JsonNode o : JSON.readTree(captured).get("outputs")) {
			if (o.get("name").asString().equals("file")) {
				expected = o;
			}
		}
		JsonNode actual = JSON.readTree(this.schema.pluginJson(TestPlugins.descriptor(PluginKind.OUTPUT, "file")));
		assertThat(actual).isEqualTo(expected);
	}

	@Test
	void onePluginsJsonIsTheCatalogueEntry() {
		PluginDescriptor tail = TestPlugins.descriptor(PluginKind.INPUT, "tail");
		JsonNode root = JSON.readTree(this.schema.catalogueJson(TestPlugins.registry()));
		assertThat(JSON.readTree(this.schema.pluginJson(tail))).isEqualTo(root.get("inputs").get(0));
	}

	@Test
	void typeLabelsAreFluentBits() {
		assertThat(PluginSchema.typeLabel(spec(OptionType.STR, -1))).isEqualTo("string");
		assertThat(PluginSchema.typeLabel(spec(OptionType.INT, -1))).isEqualTo("integer");
		assertThat(PluginSchema.typeLabel(spec(OptionType.BOOL, -1))).isEqualTo("boolean");
		assertThat(PluginSchema.typeLabel(spec(OptionType.DOUBLE, -1))).isEqualTo("double");
		assertThat(PluginSchema.typeLabel(spec(OptionType.SIZE, -1))).isEqualTo("size");
		assertThat(PluginSchema.typeLabel(spec(OptionType.TIME, -1))).isEqualTo("time");
		assertThat(PluginSchema.typeLabel(spec(OptionType.CLIST, -1))).isEqualTo("multiple comma delimited strings");
		assertThat(PluginSchema.typeLabel(spec(OptionType.SLIST, -1))).isEqualTo("multiple space delimited strings");
		assertThat(PluginSchema.typeLabel(spec(OptionType.SLIST, 2))).isEqualTo("space delimited strings (minimum 2)");
		assertThat(PluginSchema.typeLabel(spec(OptionType.CLIST, 3))).isEqualTo("comma delimited strings (minimum 3)");
		assertThat(PluginSchema.typeLabel(spec(OptionType.PREFIX, -1))).isEqualTo("prefixed string");
		assertThat(PluginSchema.typeLabel(spec(OptionType.DEPRECATED, -1))).isEqualTo("deprecated");
	}

	private static OptionSpec spec(OptionType type, int maxSplit) {
		return new OptionSpec("k", "d", null, type, false, maxSplit, false, false, true, null);
	}

	@Test
	void networkGroupsComeFromTheNetworkOptionsGiven() {
		OptionSpec keepalive = new OptionSpec("net.keepalive", "Enable or disable Keepalive support", "true",
				OptionType.BOOL, false, -1, false, false, true, null);
		PluginSchema.NetworkOptions net = new PluginSchema.NetworkOptions() {
			@Override
			public List<OptionSpec> networking(PluginDescriptor plugin) {
				return plugin.name().equals("file") ? List.of(keepalive) : null;
			}

			@Override
			public List<OptionSpec> networkTls(PluginDescriptor plugin) {
				return plugin.name().equals("file") ? List.of() : null;
			}
		};
		PluginSchema withNet = this.schema.withNetworkOptions(net);
		JsonNode file = JSON.readTree(withNet.pluginJson(TestPlugins.descriptor(PluginKind.OUTPUT, "file")));
		assertThat(fieldNames(file.get("properties"))).containsExactly("global_options", "options", "networking",
				"network_tls");
		assertThat(file.get("properties").get("networking").get(0).get("default").asString()).isEqualTo("true");
		assertThat(file.get("properties").get("network_tls").size()).isZero();
		JsonNode nul = JSON.readTree(withNet.pluginJson(TestPlugins.descriptor(PluginKind.OUTPUT, "null")));
		assertThat(fieldNames(nul.get("properties"))).containsExactly("global_options");
	}

	@Test
	void jsonEscapesLikeFluentBit() {
		assertThat(PluginSchema.toJson(Map.of("k", "a\"b\\c\nd\u00e9/\u0001"))).isEqualTo(
				"{\"k\":\"a\\\"b\\\\c\\nd\\u00e9/\\u0001\"}");
		assertThat(PluginSchema.toJson(java.util.Arrays.asList(null, true, 3))).isEqualTo("[null,true,3]");
	}

	@Test
	void osNamesAreFluentBits() {
		assertThat(PluginSchema.osName("Linux")).isEqualTo("linux");
		assertThat(PluginSchema.osName("Mac OS X")).isEqualTo("macos");
		assertThat(PluginSchema.osName("Windows 11")).isEqualTo("windows");
		assertThat(PluginSchema.osName("FreeBSD")).isEqualTo("freebsd");
		assertThat(PluginSchema.osName("Plan9")).isEqualTo("unknown");
	}
}
