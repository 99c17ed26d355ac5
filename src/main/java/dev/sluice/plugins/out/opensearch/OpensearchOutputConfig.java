package dev.sluice.plugins.out.opensearch;

import dev.sluice.plugin.ConfigOption;

/**
 * Options of the {@code opensearch} output, with Fluent Bit's names, defaults and descriptions (its
 * {@code out_opensearch} config map in order, after the instance's {@code host}/{@code port}), then
 * the TLS settings.
 */
public class OpensearchOutputConfig {

	@ConfigOption(name = "host", description = "Host Address", defaultValue = "127.0.0.1")
	public String host;

	@ConfigOption(name = "port", description = "host Port", defaultValue = "9200")
	public int port;

	@ConfigOption(name = "index", description = "Set an index name", defaultValue = "fluent-bit")
	public String index;

	@ConfigOption(name = "type", description = "Set the document type property", defaultValue = "_doc")
	public String type;

	@ConfigOption(name = "suppress_type_name", description = "If true, mapping types is removed. (for v7.0.0 or later)", defaultValue = "false")
	public boolean suppressTypeName;

	@ConfigOption(name = "http_user", description = "Optional username credential for access")
	public String httpUser;

	@ConfigOption(name = "http_passwd", description = "Password for user defined in 'http_user'", defaultValue = "", secret = true)
	public String httpPasswd;

	@ConfigOption(name = "aws_auth", description = "Enable AWS Sigv4 Authentication", defaultValue = "false")
	public boolean awsAuth;

	@ConfigOption(name = "aws_region", description = "AWS Region of your Amazon OpenSearch Service cluster")
	public String awsRegion;

	@ConfigOption(name = "aws_profile", description = "AWS Profile name. AWS Profiles can be configured with AWS CLI and are usually stored in $HOME/.aws/ directory.", defaultValue = "default")
	public String awsProfile;

	@ConfigOption(name = "aws_sts_endpoint", description = "Custom endpoint for the AWS STS API, used with the AWS_Role_ARN option")
	public String awsStsEndpoint;

	@ConfigOption(name = "aws_role_arn", description = "AWS IAM Role to assume to put records to your Amazon OpenSearch cluster")
	public String awsRoleArn;

	@ConfigOption(name = "aws_external_id", description = "External ID for the AWS IAM Role specified with `aws_role_arn`")
	public String awsExternalId;

	@ConfigOption(name = "aws_service_name", description = "AWS Service Name", defaultValue = "es")
	public String awsServiceName;

	@ConfigOption(name = "logstash_format", description = "Enable Logstash format compatibility", defaultValue = "false")
	public boolean logstashFormat;

	@ConfigOption(name = "logstash_prefix", description = "When Logstash_Format is enabled, the Index name is composed using a prefix and the date, e.g: If Logstash_Prefix is equals to 'mydata' your index will become 'mydata-YYYY.MM.DD'. The last string appended belongs to the date when the data is being generated", defaultValue = "logstash")
	public String logstashPrefix;

	@ConfigOption(name = "logstash_prefix_separator", description = "Set a separator between logstash_prefix and date.", defaultValue = "-")
	public String logstashPrefixSeparator;

	@ConfigOption(name = "logstash_prefix_key", description = "When included: the value in the record that belongs to the key will be looked up and over-write the Logstash_Prefix for index generation. If the key/value is not found in the record then the Logstash_Prefix option will act as a fallback. Nested keys are supported through record accessor pattern")
	public String logstashPrefixKey;

	@ConfigOption(name = "logstash_dateformat", description = "Time format (based on strftime) to generate the second part of the Index name", defaultValue = "%Y.%m.%d")
	public String logstashDateformat;

	@ConfigOption(name = "time_key", description = "When Logstash_Format is enabled, each record will get a new timestamp field. The Time_Key property defines the name of that field", defaultValue = "@timestamp")
	public String timeKey;

	@ConfigOption(name = "time_key_format", description = "When Logstash_Format is enabled, this property defines the format of the timestamp", defaultValue = "%Y-%m-%dT%H:%M:%S")
	public String timeKeyFormat;

	@ConfigOption(name = "time_key_nanos", description = "When Logstash_Format is enabled, enabling this property sends nanosecond precision timestamps", defaultValue = "false")
	public boolean timeKeyNanos;

	@ConfigOption(name = "include_tag_key", description = "When enabled, it append the Tag name to the record", defaultValue = "false")
	public boolean includeTagKey;

	@ConfigOption(name = "tag_key", description = "When Include_Tag_Key is enabled, this property defines the key name for the tag", defaultValue = "flb-key")
	public String tagKey;

	@ConfigOption(name = "buffer_size", description = "Specify the buffer size used to read the response from the OpenSearch HTTP service. This option is useful for debugging purposes where is required to read full responses, note that response size grows depending of the number of records inserted. To set an unlimited amount of memory set this value to 'false', otherwise the value must be according to the Unit Size specification", defaultValue = "512k")
	public String bufferSize;

	@ConfigOption(name = "path", description = "OpenSearch accepts new data on HTTP query path '/_bulk'. But it is also possible to serve OpenSearch behind a reverse proxy on a subpath. This option defines such path on the fluent-bit side. It simply adds a path prefix in the indexing HTTP POST URI")
	public String path;

	@ConfigOption(name = "pipeline", description = "OpenSearch allows to setup filters called pipelines. This option allows to define which pipeline the database should use. For performance reasons is strongly suggested to do parsing and filtering on Fluent Bit side, avoid pipelines")
	public String pipeline;

	@ConfigOption(name = "generate_id", description = "When enabled, generate _id for outgoing records. This prevents duplicate records when retrying", defaultValue = "false")
	public boolean generateId;

	@ConfigOption(name = "write_operation", description = "Operation to use to write in bulk requests", defaultValue = "create")
	public String writeOperation;

	@ConfigOption(name = "id_key", description = "If set, _id will be the value of the key from incoming record.")
	public String idKey;

	@ConfigOption(name = "replace_dots", description = "When enabled, replace field name dots with underscore.", defaultValue = "false")
	public boolean replaceDots;

	@ConfigOption(name = "current_time_index", description = "Use current time for index generation instead of message record", defaultValue = "false")
	public boolean currentTimeIndex;

	@ConfigOption(name = "trace_output", description = "When enabled print the OpenSearch API calls to stdout (for diag only)", defaultValue = "false")
	public boolean traceOutput;

	@ConfigOption(name = "trace_error", description = "When enabled print the OpenSearch exception to stderr (for diag only)", defaultValue = "false")
	public boolean traceError;

	@ConfigOption(name = "compress", description = "Set payload compression mechanism. Option available is 'gzip'")
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
