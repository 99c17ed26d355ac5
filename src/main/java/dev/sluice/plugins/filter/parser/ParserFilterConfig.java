package dev.sluice.plugins.filter.parser;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code parser} filter, as Fluent Bit 5.1 declares them. */
public class ParserFilterConfig {

	@ConfigOption(name = "Key_Name", description = "Specify field name in record to parse.")
	public String keyName;

	@ConfigOption(name = "Parser", description = "Specify the parser name to interpret the field. Multiple Parser entries are allowed (one per line).", multiple = true)
	public List<String> parser;

	@ConfigOption(name = "Preserve_Key", description = "Keep original Key_Name field in the parsed result. If false, the field will be removed.", defaultValue = "false")
	public boolean preserveKey;

	@ConfigOption(name = "Reserve_Data", description = "Keep all other original fields in the parsed result. If false, all other original fields will be removed.", defaultValue = "false")
	public boolean reserveData;

	@ConfigOption(name = "Unescape_key", description = "(deprecated)", type = OptionType.DEPRECATED)
	public String unescapeKey;
}
