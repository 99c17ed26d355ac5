package dev.sluice.plugins.out.forward;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code forward} output, as Fluent Bit 5.1.1 declares them (in its order). */
public class ForwardOutputConfig {

	/** Empty means 127.0.0.1. */
	@ConfigOption(name = "host", description = "Host Address", defaultValue = "")
	public String host;

	/** 0 means 24224. */
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

	@ConfigOption(name = "time_as_integer", description = "Set timestamp in integer format (compat mode for old Fluentd v0.12)", defaultValue = "false")
	public boolean timeAsInteger;

	@ConfigOption(name = "retain_metadata_in_forward_mode", description = "Retain metadata when operating in forward mode", defaultValue = "true")
	public boolean retainMetadataInForwardMode;

	@ConfigOption(name = "shared_key", description = "Shared key for authentication", secret = true)
	public String sharedKey;

	@ConfigOption(name = "self_hostname", description = "Hostname")
	public String selfHostname;

	@ConfigOption(name = "empty_shared_key", description = "Set an empty shared key for authentication", defaultValue = "false")
	public boolean emptySharedKey;

	@ConfigOption(name = "send_options", description = "Send 'forward protocol options' to remote endpoint", defaultValue = "false")
	public boolean sendOptions;

	@ConfigOption(name = "require_ack_response", description = "Require that remote endpoint confirms data reception", defaultValue = "false")
	public boolean requireAckResponse;

	@ConfigOption(name = "username", description = "Username for authentication", defaultValue = "")
	public String username;

	@ConfigOption(name = "password", description = "Password for authentication", defaultValue = "", secret = true)
	public String password;

	@ConfigOption(name = "unix_path", description = "Path to unix socket. It is ignored when 'upstream' property is set")
	public String unixPath;

	@ConfigOption(name = "upstream", description = "Path to 'upstream' configuration file (define multiple nodes)")
	public String upstream;

	@ConfigOption(name = "tag", description = "Set a custom Tag for the outgoing records")
	public String tag;

	@ConfigOption(name = "compress", description = "Compression mode")
	public String compress;

	@ConfigOption(name = "fluentd_compat", description = "Send metrics and traces with Fluentd compatible format", defaultValue = "false")
	public boolean fluentdCompat;

	@ConfigOption(name = "add_option", description = "Set an extra Forward protocol option. This is an advance feature, use it only for very specific use-cases.", type = OptionType.SLIST, maxSplit = 2, multiple = true)
	public List<List<String>> addOption;
}
