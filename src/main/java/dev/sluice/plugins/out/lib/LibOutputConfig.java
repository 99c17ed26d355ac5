package dev.sluice.plugins.out.lib;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code lib} output. */
public class LibOutputConfig {

	@ConfigOption(name = "format", description = "Specifies the data format to be printed. Supported formats are 'msgpack' or 'json', json_lines and json_stream.")
	public String format;

	@ConfigOption(name = "max_records", description = "Specifies the maximum number of log records to be printed.")
	public Integer maxRecords;

	@ConfigOption(name = "data_mode", description = "", defaultValue = "single_record")
	public String dataMode;
}
