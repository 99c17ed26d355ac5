package dev.sluice.config;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Properties every filter instance has (Fluent Bit's filter global config map). */
public class FilterCommonConfig {

	@ConfigOption(name = "name", description = "The plugin to use.", listed = false)
	public String name;

	@ConfigOption(name = "match", description = "Set a tag pattern to match the records that this filter should process. Supports exact matches or wildcards (e.g., '*').")
	public String match;

	@ConfigOption(name = "match_regex", description = "Set a regular expression to match tags for filtering. This allows more flexible matching compared to simple wildcards.")
	public String matchRegex;

	@ConfigOption(name = "alias", description = "Sets an alias for the filter instance. This is useful when using multiple instances of the same filter plugin. If no alias is set, the instance will be named using the plugin name and a sequence number.")
	public String alias;

	@ConfigOption(name = "log_level", description = "Specifies the log level for this filter plugin. If not set, the plugin will use the global log level defined in the 'service' section. If the global log level is also not specified, it defaults to 'info'.", defaultValue = "info")
	public String logLevel;

	@ConfigOption(name = "log_suppress_interval", description = "Allows suppression of repetitive log messages from the filter plugin that appear similar within a specified time interval. Defaults to 0, meaning no suppression.", defaultValue = "0", type = OptionType.TIME)
	public long logSuppressInterval;
}
