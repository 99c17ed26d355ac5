package dev.sluice.plugins.out.loki;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code loki} output, with Fluent Bit's names, defaults and descriptions (its
 * {@code out_loki} config map in order, after the instance's {@code host}/{@code port}), then the
 * TLS settings.
 */
public class LokiOutputConfig {

	@ConfigOption(name = "host", description = "Host Address", defaultValue = "127.0.0.1")
	public String host;

	@ConfigOption(name = "port", description = "host Port", defaultValue = "3100")
	public int port;

	@ConfigOption(name = "uri", description = "Specify a custom HTTP URI. It must start with forward slash.", defaultValue = "/loki/api/v1/push")
	public String uri;

	@ConfigOption(name = "tenant_id", description = "Tenant ID used by default to push logs to Loki. If omitted or empty it assumes Loki is running in single-tenant mode and no X-Scope-OrgID header is sent.")
	public String tenantId;

	@ConfigOption(name = "tenant_id_key", description = "If set, X-Scope-OrgID will be the value of the key from incoming record. It is useful to set X-Scode-OrgID dynamically.")
	public String tenantIdKey;

	@ConfigOption(name = "labels", description = "labels for API requests. If no value is set, the default label is 'job=fluent-bit'", type = OptionType.CLIST)
	public List<String> labels;

	@ConfigOption(name = "structured_metadata", description = "optional structured metadata fields for API requests.", type = OptionType.CLIST)
	public List<String> structuredMetadata;

	@ConfigOption(name = "structured_metadata_map_keys", description = "optional structured metadata fields, as derived dynamically from configured maps keys, for API requests.", type = OptionType.CLIST)
	public List<String> structuredMetadataMapKeys;

	@ConfigOption(name = "auto_kubernetes_labels", description = "If set to true, it will add all Kubernetes labels to Loki labels.", defaultValue = "false")
	public boolean autoKubernetesLabels;

	@ConfigOption(name = "drop_single_key", description = "If set to true and only a single key remains, the log line sent to Loki will be the value of that key. If set to 'raw' and the log line is a string, the log line will be sent unquoted.")
	public String dropSingleKey;

	@ConfigOption(name = "label_keys", description = "Comma separated list of keys to use as stream labels.", type = OptionType.CLIST)
	public List<String> labelKeys;

	@ConfigOption(name = "remove_keys", description = "Comma separated list of keys to remove.", type = OptionType.CLIST)
	public List<String> removeKeys;

	@ConfigOption(name = "line_format", description = "Format to use when flattening the record to a log line. Valid values are 'json' or 'key_value'. If set to 'json' the log line sent to Loki will be the Fluent Bit record dumped as json. If set to 'key_value', the log line will be each item in the record concatenated together (separated by a single space) in the format '='.", defaultValue = "json")
	public String lineFormat;

	@ConfigOption(name = "label_map_path", description = "A label map file path")
	public String labelMapPath;

	@ConfigOption(name = "http_user", description = "Set HTTP auth user")
	public String httpUser;

	@ConfigOption(name = "http_passwd", description = "Set HTTP auth password", defaultValue = "", secret = true)
	public String httpPasswd;

	@ConfigOption(name = "buffer_size", description = "Maximum HTTP response buffer size in bytes", defaultValue = "512KB", type = OptionType.SIZE)
	public long bufferSize;

	@ConfigOption(name = "bearer_token", description = "Set bearer token auth", secret = true)
	public String bearerToken;

	@ConfigOption(name = "header", description = "Add a HTTP header key/value pair. Multiple headers can be set", type = OptionType.SLIST, maxSplit = 1, multiple = true)
	public List<List<String>> header;

	@ConfigOption(name = "compress", description = "Set payload compression in network transfer. Option available is 'gzip'")
	public String compress;

	@ConfigOption(name = "tls", description = "Enable or disable TLS/SSL support", defaultValue = "off")
	public boolean tls;

	@ConfigOption(name = "tls.verify", description = "Force certificate validation", defaultValue = "on")
	public boolean tlsVerify;

	@ConfigOption(name = "tls.verify_hostname", description = "Enable or disable to verify hostname", defaultValue = "off")
	public boolean tlsVerifyHostname;

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

	@ConfigOption(name = "tls.min_version", description = "Specify the minimum version of TLS")
	public String tlsMinVersion;

	@ConfigOption(name = "tls.max_version", description = "Specify the maximum version of TLS")
	public String tlsMaxVersion;

	@ConfigOption(name = "tls.ciphers", description = "Specify TLS ciphers up to TLSv1.2")
	public String tlsCiphers;
}
