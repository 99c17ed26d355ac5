package dev.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.OptionType;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the per-plugin help of every plugin captured from Fluent Bit 5.1.1, declaring each
 * plugin's options as {@code fluent-bit -J} listed them, and compares the text with what
 * {@code fluent-bit -i/-F/-o NAME -h} printed, byte for byte. The global options come from
 * Sluice's own common-option classes, so this also checks those against Fluent Bit.
 * Skipped when the shared fixtures folder is not there.
 */
final class FixtureParityTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern MINIMUM = Pattern.compile("(comma|space) delimited strings \\(minimum (\\d+)\\)");

	static Stream<String> fixtures() throws IOException {
		if (!HelpFixtures.sharedAvailable()) {
			return Stream.of("none");
		}
		try (Stream<Path> files = Files.list(HelpFixtures.SHARED)) {
			return files.map((p) -> p.getFileName().toString())
				.filter((n) -> n.matches("(input|filter|output)-[a-z_]+\\.txt"))
				.sorted()
				.toList()
				.stream();
		}
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void pluginHelpMatchesFluentBit(String fixture) throws IOException {
		org.junit.jupiter.api.Assertions.assertTrue(HelpFixtures.sharedAvailable(), "shared fixtures not available");
		String kindLabel = fixture.substring(0, fixture.indexOf('-'));
		String name = fixture.substring(fixture.indexOf('-') + 1, fixture.length() - 4);
		PluginKind kind = PluginKind.valueOf(kindLabel.toUpperCase(java.util.Locale.ROOT));
		JsonNode entry = find(kind, name);

		Map<String, List<OptionSpec>> groups = new HashMap<>();
		entry.get("properties").properties().forEach((e) -> groups.put(e.getKey(), specs(e.getValue())));
		PluginDescriptor d = new PluginDescriptor(kind, name, entry.get("description").asString(), Object.class,
				groups.getOrDefault("options", List.of()), 1, groups.containsKey("networking"), false, Object.class,
				"test");
		PluginSchema schema = new PluginSchema("5.1.1", "linux", new PluginSchema.NetworkOptions() {
			@Override
			public List<OptionSpec> networking(PluginDescriptor plugin) {
				return groups.get("networking");
			}

			@Override
			public List<OptionSpec> networkTls(PluginDescriptor plugin) {
				return groups.get("network_tls");
			}
		});

		String expected = Files.readString(HelpFixtures.SHARED.resolve(fixture), StandardCharsets.UTF_8);
		// Known difference, not the help renderer's: Fluent Bit's input global option
		// thread.ring_buffer.window has the default "(5)" (a stringified C macro); Sluice declares 5.
		expected = expected.replace("> default: (5), type: integer", "> default: 5, type: integer");
		String actual = HelpTest.render((out) -> Help.plugin(out, schema.describe(d)));
		List<String> a = actual.lines().toList();
		List<String> e = expected.lines().toList();
		for (int i = 0; i < Math.min(a.size(), e.size()); i++) {
			assertThat(a.get(i)).as("%s line %d", fixture, i + 1).isEqualTo(e.get(i));
		}
		assertThat(actual).isEqualTo(expected);
	}

	private static JsonNode find(PluginKind kind, String name) throws IOException {
		JsonNode root = JSON.readTree(Files.readString(HelpFixtures.SHARED.resolve("schema.json")));
		for (JsonNode p : root.get(kind.label() + "s")) {
			if (p.get("name").asString().equals(name)) {
				return p;
			}
		}
		throw new AssertionError("no " + kind.label() + " " + name + " in schema.json");
	}

	private static List<OptionSpec> specs(JsonNode options) {
		List<OptionSpec> out = new ArrayList<>();
		for (JsonNode o : options) {
			String label = o.get("type").asString();
			OptionType type = OptionType.STR;
			int maxSplit = -1;
			Matcher m = MINIMUM.matcher(label);
			if (m.matches()) {
				type = m.group(1).equals("comma") ? OptionType.CLIST : OptionType.SLIST;
				maxSplit = Integer.parseInt(m.group(2));
			}
			else {
				for (OptionType t : OptionType.values()) {
					if (t != OptionType.AUTO && t.label().equals(label)) {
						type = t;
					}
				}
				assertThat(type.label()).as("type label %s", label).isEqualTo(label);
			}
			JsonNode def = o.get("default");
			out.add(new OptionSpec(o.get("name").asString(), o.get("description").asString(),
					def.isNull() ? null : def.asString(), type, false, maxSplit, false, false, true, null));
		}
		return out;
	}
}
