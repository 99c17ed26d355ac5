package dev.sluice.plugins.out.tcp;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code tcp} output, as Fluent Bit 5.1.1 declares them (in its order). */
public class TcpOutputConfig {

	/** Empty means 127.0.0.1. */
	@ConfigOption(name = "host", description = "Host Address", defaultValue = "")
	public String host;

	/** 0 means 5170. */
	@ConfigOption(name = "port", description = "host Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "tls", description = "Enable or disable TLS/SSL support", defaultValue = "off")
	public boolean tls;

	@ConfigOption(name = "tls.verify", description = "Force certificate validation", defaultValue = "on")
	public boolean tlsVerify;

	@ConfigOption(name = "tls.verify_client_cert", description = "Enable or disable client certificate verification", defaultValue = "off")
	public boolean tlsVerifyClientCert;

	@ConfigOption(name = "tls.debug", description = "Set TLS debug verbosity level. It accept the following values: 0 (No debug), 1 (Error), 2 (State change), 3 (Informational) and 4 Verbose", defaultValue = "1")
	public int tlsDebug;

	@ConfigOption(name = "tls.ca_file", description = "Absolute path to CA certificate file")
	public String tlsCaFile;

	@ConfigOption(name = "tls.ca_path", description = "Absolute path to scan for certificate files")
	public String tlsCaPath;

	@ConfigOption(name = "tls.crt_file", description = "Absolute path to Certificate file")
	public String tlsCrtFile;

	@ConfigOption(name = "tls.key_file", description = "Absolute path to private Key file")
	public String tlsKeyFile;

	@ConfigOption(name = "tls.key_passwd", description = "Optional password for tls.key_file file", secret = true)
	public String tlsKeyPasswd;

	@ConfigOption(name = "tls.vhost", description = "Hostname to be used for TLS SNI extension")
	public String tlsVhost;

	@ConfigOption(name = "tls.verify_hostname", description = "Enable or disable to verify hostname", defaultValue = "off")
	public boolean tlsVerifyHostname;

	@ConfigOption(name = "tls.min_version", description = "Specify the minimum version of TLS")
	public String tlsMinVersion;

	@ConfigOption(name = "tls.max_version", description = "Specify the maximum version of TLS")
	public String tlsMaxVersion;

	@ConfigOption(name = "tls.ciphers", description = "Specify TLS ciphers up to TLSv1.2")
	public String tlsCiphers;

	@ConfigOption(name = "tls.proxy.ca_file", description = "Absolute path to CA certificate file used to verify the HTTPS proxy certificate. Independent from tls.ca_file (destination CA)")
	public String tlsProxyCaFile;

	@ConfigOption(name = "tls.proxy.ca_path", description = "Absolute path to scan for CA certificate files used to verify the HTTPS proxy certificate")
	public String tlsProxyCaPath;

	@ConfigOption(name = "tls.proxy.verify", description = "Force HTTPS proxy certificate validation", defaultValue = "on")
	public boolean tlsProxyVerify;

	@ConfigOption(name = "tls.proxy.verify_hostname", description = "Enable or disable HTTPS proxy hostname verification", defaultValue = "on")
	public boolean tlsProxyVerifyHostname;

	@ConfigOption(name = "format", description = "Specify the payload format, supported formats: msgpack, json, json_lines or json_stream.", defaultValue = "msgpack")
	public String format;

	@ConfigOption(name = "json_date_format", description = "Specify the format of the date, supported formats: double, iso8601 (e.g: 2018-05-30T09:39:52.000681Z), java_sql_timestamp (e.g: 2018-05-30 09:39:52.000681, useful for AWS Athena), and epoch.", defaultValue = "double")
	public String jsonDateFormat;

	@ConfigOption(name = "json_date_key", description = "Specify the name of the date field in output.", defaultValue = "date")
	public String jsonDateKey;

	@ConfigOption(name = "raw_message_key", description = "use a raw message key for the message.")
	public String rawMessageKey;
}
