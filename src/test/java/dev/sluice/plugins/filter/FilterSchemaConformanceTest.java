package dev.sluice.plugins.filter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core filters declare exactly the options Fluent Bit's schema ({@code fluent-bit -J},
 * captured in {@code fixtures/help/schema.json}) lists for them: names as written, type labels,
 * defaults and descriptions, in order; and the plugin descriptions.
 */
class FilterSchemaConformanceTest {

	private static Path fixtures() {
		List<Path> candidates = new ArrayList<>();
		String property = System.getProperty("sluice.fixtures");
		if (property != null) {
			candidates.add(Path.of(property));
		}
		candidates.add(Path.of("/work/shared/fixtures"));
		candidates.add(Path.of("").toAbsolutePath().resolve("../shared/fixtures").normalize());
		for (Path c : candidates) {
			if (Files.isDirectory(c)) {
				return c;
			}
		}
		throw new AssertionError("Fluent Bit fixtures not found in any of " + candidates);
	}

	private static JsonNode schemaOf(String filter) {
		JsonNode root = new ObjectMapper().readTree(fixtures().resolve("help/schema.json").toFile());
		for (JsonNode f : root.get("filters")) {
			if (f.get("name").asString().equals(filter)) {
				return f;
			}
		}
		throw new AssertionError("filter " + filter + " not in schema.json");
	}

	record Row(String name, String type, String defaultValue, String description) {
	}

	@ParameterizedTest
	@ValueSource(strings = { "grep", "modify", "record_modifier", "nest", "rewrite_tag", "throttle", "lua", "stdout" })
	void declaredOptionsMatchFluentBitsSchema(String filter) {
		JsonNode schema = schemaOf(filter);
		PluginDescriptor d = PluginRegistry.builtin().find(PluginKind.FILTER, filter);
		assertThat(d).as(filter + " is registered").isNotNull();
		assertThat(d.description()).isEqualTo(schema.get("description").asString());
		List<Row> expected = new ArrayList<>();
		for (JsonNode o : schema.get("properties").get("options")) {
			JsonNode def = o.get("default");
			expected.add(new Row(o.get("name").asString(), o.get("type").asString(),
					(def == null || def.isNull()) ? null : def.asString(), o.get("description").asString()));
		}
		List<Row> actual = new ArrayList<>();
		for (OptionSpec s : d.options()) {
			if (s.listed()) {
				actual.add(new Row(s.declaredName(), s.typeLabel(), s.defaultValue(), s.description()));
			}
		}
		assertThat(actual).containsExactlyElementsOf(expected);
	}

	@Test
	void typeConverterAndExpectFollowFluentBitsSource() {
		PluginRegistry r = PluginRegistry.builtin();
		PluginDescriptor tc = r.find(PluginKind.FILTER, "type_converter");
		assertThat(tc.description()).isEqualTo("Data type converter");
		assertThat(tc.options()).extracting(OptionSpec::name, OptionSpec::typeLabel, OptionSpec::multiple)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("int_key", "space delimited strings (minimum 3)", true),
					org.assertj.core.groups.Tuple.tuple("uint_key", "space delimited strings (minimum 3)", true),
					org.assertj.core.groups.Tuple.tuple("float_key", "space delimited strings (minimum 3)", true),
					org.assertj.core.groups.Tuple.tuple("str_key", "space delimited strings (minimum 3)", true));
		PluginDescriptor ex = r.find(PluginKind.FILTER, "expect");
		assertThat(ex.description()).isEqualTo("Validate expected keys and values");
		assertThat(ex.options()).extracting(OptionSpec::name, OptionSpec::typeLabel, OptionSpec::defaultValue)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("key_exists", "string", null),
					org.assertj.core.groups.Tuple.tuple("key_not_exists", "string", null),
					org.assertj.core.groups.Tuple.tuple("key_val_is_null", "string", null),
					org.assertj.core.groups.Tuple.tuple("key_val_is_not_null", "string", null),
					org.assertj.core.groups.Tuple.tuple("key_val_eq", "space delimited strings (minimum 1)", null),
					org.assertj.core.groups.Tuple.tuple("action", "string", "warn"),
					org.assertj.core.groups.Tuple.tuple("result_key", "string", "matched"));
	}
}
