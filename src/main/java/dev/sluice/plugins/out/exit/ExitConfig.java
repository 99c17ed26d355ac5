package dev.sluice.plugins.out.exit;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code exit} output, as Fluent Bit 5.1.1 declares them. */
public class ExitConfig {

	@ConfigOption(name = "flush_count", description = "number of flushes before exiting", defaultValue = "-1")
	public int flushCount;

	@ConfigOption(name = "record_count", description = "number of records received before exiting", defaultValue = "-1")
	public int recordCount;

	@ConfigOption(name = "time_count", description = "number of seconds before exiting (will trigger upon receiving a flush)", defaultValue = "-1")
	public int timeCount;
}
