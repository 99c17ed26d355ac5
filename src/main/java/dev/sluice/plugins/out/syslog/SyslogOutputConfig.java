package dev.sluice.plugins.out.syslog;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code syslog} output, as Fluent Bit declares them ({@code plugins/out_syslog},
 * in its order), then the newer {@code syslog_framing} and {@code syslog_sd_preset}.
 */
public class SyslogOutputConfig {

	/** Empty means 127.0.0.1. */
	@ConfigOption(name = "host", description = "Host Address", defaultValue = "")
	public String host;

	/** 0 means 514. */
	@ConfigOption(name = "port", description = "host Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "mode", description = "Set the desired transport type, the available options are tcp and udp. If you need to use a TLS secure channel, choose 'tcp' mode here and enable the 'tls' option separately.", defaultValue = "udp")
	public String mode;

	@ConfigOption(name = "syslog_format", description = "Specify the Syslog protocol format to use, the available options are rfc3164 and rfc5424.", defaultValue = "rfc5424")
	public String syslogFormat;

	@ConfigOption(name = "syslog_maxsize", description = "Set the maximum size allowed per message. The value must be only integers representing the number of bytes allowed. If no value is provided, the default size is set depending of the protocol version specified by syslog_format , rfc3164 sets max size to 1024 bytes, while rfc5424 sets the size to 2048 bytes.", defaultValue = "0", type = OptionType.SIZE)
	public long syslogMaxsize;

	@ConfigOption(name = "syslog_severity_key", description = "Specify the name of the key from the original record that contains the Syslog severity number. This configuration is optional.")
	public String syslogSeverityKey;

	@ConfigOption(name = "syslog_severity_preset", description = "Specify the preset severity number. It must be 0-7.  This configuration is optional.", defaultValue = "6")
	public int syslogSeverityPreset;

	@ConfigOption(name = "syslog_facility_key", description = "Specify the name of the key from the original record that contains the Syslog facility number. This configuration is optional.")
	public String syslogFacilityKey;

	@ConfigOption(name = "syslog_facility_preset", description = "Specify the preset facility number. It must be 0-23.  This configuration is optional.", defaultValue = "1")
	public int syslogFacilityPreset;

	@ConfigOption(name = "syslog_hostname_key", description = "Specify the key name from the original record that contains the hostname that generated the message. This configuration is optional.")
	public String syslogHostnameKey;

	@ConfigOption(name = "syslog_hostname_preset", description = "Specify the preset hostname. This configuration is optional.")
	public String syslogHostnamePreset;

	@ConfigOption(name = "syslog_appname_key", description = "Specify the key name from the original record that contains the application name that generated the message. This configuration is optional.")
	public String syslogAppnameKey;

	@ConfigOption(name = "syslog_appname_preset", description = "Specify the preset appname. This configuration is optional.")
	public String syslogAppnamePreset;

	@ConfigOption(name = "syslog_procid_key", description = "Specify the key name from the original record that contains the Process ID that generated the message. This configuration is optional.")
	public String syslogProcidKey;

	@ConfigOption(name = "syslog_procid_preset", description = "Specify the preset procid.  This configuration is optional.")
	public String syslogProcidPreset;

	@ConfigOption(name = "syslog_msgid_key", description = "Specify the key name from the original record that contains the Message ID associated to the message. This configuration is optional.")
	public String syslogMsgidKey;

	@ConfigOption(name = "syslog_msgid_preset", description = "Specify the preset msgid. This configuration is optional.")
	public String syslogMsgidPreset;

	@ConfigOption(name = "syslog_sd_key", description = "Specify the key name from the original record that contains the Structured Data (SD) content. If set, the value of the key must be a map.This option can be set multiple times.", multiple = true)
	public List<String> syslogSdKey;

	@ConfigOption(name = "syslog_message_key", description = "Specify the key name that contains the message to deliver. Note that if this property is mandatory, otherwise the message will be empty.")
	public String syslogMessageKey;

	@ConfigOption(name = "allow_longer_sd_id", description = "If true, Fluent-bit allows SD-ID that is longer than 32 characters. Such long SD-ID violates RFC 5424.", defaultValue = "false")
	public boolean allowLongerSdId;

	@ConfigOption(name = "syslog_framing", description = "The framing method used to delimit messages on stream transports: newline or octet_counting (RFC 6587). octet_counting requires mode tcp or tls.", defaultValue = "newline")
	public String syslogFraming;

	@ConfigOption(name = "syslog_sd_preset", description = "A literal RFC5424 structured data field used when no structured data is extracted from the record: '-' or one or more [SD-ID PARAM-NAME=\"PARAM-VALUE\"] elements. Ignored for rfc3164.")
	public String syslogSdPreset;
}
