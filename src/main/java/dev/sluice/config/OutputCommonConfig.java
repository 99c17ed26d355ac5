package dev.sluice.config;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Properties every output instance has (Fluent Bit's output global config map). */
public class OutputCommonConfig {

	@ConfigOption(name = "name", description = "The plugin to use.", listed = false)
	public String name;

	@ConfigOption(name = "match", description = "Set a tag pattern to match the records that this output should process. Supports exact matches or wildcards (e.g., '*').")
	public String match;

	@ConfigOption(name = "match_regex", description = "Set a regular expression to match tags for output routing. This allows more flexible matching compared to simple wildcards.")
	public String matchRegex;

	@ConfigOption(name = "alias", description = "Sets an alias for the output instance. This is useful when using multiple instances of the same output plugin. If no alias is set, the instance will be named using the plugin name and a sequence number.")
	public String alias;

	@ConfigOption(name = "log_level", description = "Specifies the log level for this output plugin. If not set, the plugin will use the global log level defined in the 'service' section. If the global log level is also not specified, it defaults to 'info'.", defaultValue = "info")
	public String logLevel;

	@ConfigOption(name = "log_suppress_interval", description = "Allows suppression of repetitive log messages from the output plugin that appear similar within a specified time interval. Defaults to 0, meaning no suppression.", defaultValue = "0", type = OptionType.TIME)
	public long logSuppressInterval;

	@ConfigOption(name = "retry_limit", description = "Set the retry limit for the output plugin when delivery fails. Accepted values: a positive integer, 'no_limits', 'false', or 'off' to disable retry limits, or 'no_retries' to disable retries entirely.", defaultValue = "1")
	public String retryLimit;

	@ConfigOption(name = "tls.windows.certstore_name", description = "Sets the certstore name on an output (Windows)")
	public String tlsWindowsCertstoreName;

	@ConfigOption(name = "tls.windows.use_enterprise_store", description = "Sets whether using enterprise certstore or not on an output (Windows)")
	public String tlsWindowsUseEnterpriseStore;

	@ConfigOption(name = "tls.windows.client_thumbprints", description = "Comma-separated list of certificate thumbprints (SHA1/SHA256) to trust from the Windows store (Windows)")
	public String tlsWindowsClientThumbprints;

	@ConfigOption(name = "workers", description = "Number of flushes of this output that may run at once.", listed = false)
	public Integer workers;

	@ConfigOption(name = "storage.total_limit_size", description = "Limit the size of the filesystem buffer queued for this output; the oldest chunks are dropped first.", type = OptionType.SIZE, listed = false)
	public long storageTotalLimitSize;
}
