package dev.sluice.plugins.filter.nest;

import java.util.List;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code nest} filter. */
public class NestConfig {

	@ConfigOption(name = "Operation", description = "Select the operation nest or lift")
	public String operation;

	@ConfigOption(name = "Wildcard", description = "Nest records which field matches the wildcard", multiple = true)
	public List<String> wildcard;

	@ConfigOption(name = "Nest_under", description = "Nest records matching the Wildcard under this key")
	public String nestUnder;

	@ConfigOption(name = "Nested_under", description = "Lift records nested under the Nested_under key")
	public String nestedUnder;

	@ConfigOption(name = "Add_prefix", description = "Prefix affected keys with this string")
	public String addPrefix;

	@ConfigOption(name = "Remove_prefix", description = "Remove prefix from affected keys if it matches this string")
	public String removePrefix;
}
