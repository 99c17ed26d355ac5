package dev.sluice.plugins.out.udp;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code udp} output, as Fluent Bit declares them ({@code plugins/out_udp}). */
public class UdpOutputConfig {

	/** Empty means 127.0.0.1. */
	@ConfigOption(name = "host", description = "Host Address", defaultValue = "")
	public String host;

	/** 0 means 5170. */
	@ConfigOption(name = "port", description = "host Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "format", description = "Specify the payload format, supported formats: msgpack, json, json_lines or json_stream.", defaultValue = "json_lines")
	public String format;

	@ConfigOption(name = "json_date_format", description = "Specify the format of the date, supported formats: double, iso8601 (e.g: 2018-05-30T09:39:52.000681Z), java_sql_timestamp (e.g: 2018-05-30 09:39:52.000681, useful for AWS Athena), and epoch.", defaultValue = "double")
	public String jsonDateFormat;

	@ConfigOption(name = "json_date_key", description = "Specify the name of the date field in output.", defaultValue = "date")
	public String jsonDateKey;

	@ConfigOption(name = "raw_message_key", description = "use a raw message key for the message.")
	public String rawMessageKey;
}
