package dev.sluice.plugins.filter.grep;

import java.util.List;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code grep} filter. */
public class GrepConfig {

	@ConfigOption(name = "regex", description = "Keep records in which the content of KEY matches the regular expression.", multiple = true)
	public List<String> regex;

	@ConfigOption(name = "exclude", description = "Exclude records in which the content of KEY matches the regular expression.", multiple = true)
	public List<String> exclude;

	@ConfigOption(name = "logical_op", description = "Specify whether to use logical conjuciton or disjunction. legacy, AND and OR are allowed.", defaultValue = "legacy")
	public String logicalOp;
}
