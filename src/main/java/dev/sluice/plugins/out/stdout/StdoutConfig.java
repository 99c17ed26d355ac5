package dev.sluice.plugins.out.stdout;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code stdout} output, as Fluent Bit 5.1.1 declares them. */
public class StdoutConfig {

	@ConfigOption(name = "format", description = "Specifies the data format to be printed. Supported formats are msgpack, json, json_lines, json_stream, otlp_json and otlp_json_pretty.")
	public String format;

	@ConfigOption(name = "json_date_format", description = "Specify the format of the date, supported formats: double, iso8601 (e.g: 2018-05-30T09:39:52.000681Z), java_sql_timestamp (e.g: 2018-05-30 09:39:52.000681, useful for AWS Athena), and epoch.")
	public String jsonDateFormat;

	@ConfigOption(name = "json_date_key", description = "Specifies the name of the date field in output.", defaultValue = "date")
	public String jsonDateKey;
}
