package dev.sluice.plugins.out.nullout;

import dev.sluice.plugin.ConfigOption;

/**
 * Options of the {@code null} output, as Fluent Bit 5.1.1 declares them (the descriptions of
 * {@code json_date_format} and {@code json_date_key} are swapped there, and kept so here).
 */
public class NullConfig {

	@ConfigOption(name = "format", description = "Specifies the data format to be printed. Supported formats are msgpack json, json_lines and json_stream.")
	public String format;

	@ConfigOption(name = "json_date_format", description = "Specifies the name of the date field in output.")
	public String jsonDateFormat;

	@ConfigOption(name = "json_date_key", description = "Specify the format of the date, supported formats: double, iso8601 (e.g: 2018-05-30T09:39:52.000681Z), java_sql_timestamp (e.g: 2018-05-30 09:39:52.000681, useful for AWS Athena), and epoch.", defaultValue = "date")
	public String jsonDateKey;
}
