package dev.sluice.config.read;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Section names known to the readers, and the model's type for each. */
public final class SectionTypes {

	/** Classic section names (lower case) to model types; plural forms are Fluent Bit aliases. */
	private static final Map<String, String> CLASSIC = Map.ofEntries(Map.entry("service", "service"),
			Map.entry("input", "input"), Map.entry("inputs", "input"), Map.entry("filter", "filter"),
			Map.entry("filters", "filter"), Map.entry("output", "output"), Map.entry("outputs", "output"),
			Map.entry("custom", "custom"), Map.entry("customs", "custom"), Map.entry("parser", "parser"),
			Map.entry("multiline_parser", "multiline_parser"), Map.entry("plugins", "plugins"),
			Map.entry("upstream", "upstream"), Map.entry("node", "node"), Map.entry("stream_task", "stream_task"));

	/** Types whose entries name a plugin or definition and so need a {@code name}. */
	public static final Set<String> NAMED = Set.of("input", "filter", "output", "custom", "parser",
			"multiline_parser", "processor");

	/** Types only valid in a parsers file. */
	public static final Set<String> PARSER_TYPES = Set.of("parser", "multiline_parser");

	/**
	 * Fluent Bit's error for parser sections in the main classic file.
	 */
	public static final String PARSERS_IN_MAIN = "Sections 'multiline_parser' and 'parser' are not valid in the main "
			+ "configuration file. It belongs to the 'parsers_file' configuration files.";

	private SectionTypes() {
	}

	/** The model type for a classic section name, or null when the name is unknown. */
	public static String classicType(String name) {
		return CLASSIC.get(name.toLowerCase(Locale.ROOT));
	}
}
