package dev.sluice.plugins.out.opentelemetry;

import java.time.Duration;
import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code opentelemetry} output: Fluent Bit's out_opentelemetry names and defaults
 * (the upstream's {@code host}, {@code port} and {@code tls*}, then the plugin's own), plus
 * {@code format} (Sluice's: OTLP/HTTP as protobuf or JSON).
 */
public class OpenTelemetryOutputConfig {

	@ConfigOption(name = "host", description = "Host Address", defaultValue = "127.0.0.1")
	public String host;

	/** 0: 80, or 443 with TLS. */
	@ConfigOption(name = "port", description = "host Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "tls", description = "Enable or disable TLS/SSL support", defaultValue = "off")
	public boolean tls;

	@ConfigOption(name = "tls.verify", description = "Force certificate validation", defaultValue = "on")
	public boolean tlsVerify;

	@ConfigOption(name = "tls.ca_file", description = "Absolute path to CA certificate file")
	public String tlsCaFile;

	@ConfigOption(name = "tls.ca_path", description = "Absolute path to scan for certificate files")
	public String tlsCaPath;

	@ConfigOption(name = "tls.crt_file", description = "Absolute path to Certificate file")
	public String tlsCrtFile;

	@ConfigOption(name = "tls.key_file", description = "Absolute path to private Key file")
	public String tlsKeyFile;

	@ConfigOption(name = "tls.vhost", description = "Hostname to be used for TLS SNI extension")
	public String tlsVhost;

	@ConfigOption(name = "tls.verify_hostname", description = "Enable or disable to verify hostname", defaultValue = "off")
	public boolean tlsVerifyHostname;

	@ConfigOption(name = "tls.min_version", description = "Specify the minimum version of TLS")
	public String tlsMinVersion;

	@ConfigOption(name = "tls.max_version", description = "Specify the maximum version of TLS")
	public String tlsMaxVersion;

	@ConfigOption(name = "add_label", description = "Adds a custom label to the metrics use format: 'add_label name value'", type = OptionType.SLIST, maxSplit = 1, multiple = true)
	public List<List<String>> addLabel;

	@ConfigOption(name = "http2", description = "Enable, disable or force HTTP/2 usage. Accepted values : on, off, force", defaultValue = "off")
	public String http2;

	@ConfigOption(name = "grpc", description = "Enable, disable or force gRPC usage. Accepted values : on, off, auto", defaultValue = "off")
	public String grpc;

	@ConfigOption(name = "proxy", description = "Specify an HTTP Proxy. The expected format of this value is http://host:port. ")
	public String proxy;

	@ConfigOption(name = "http_user", description = "Set HTTP auth user")
	public String httpUser;

	@ConfigOption(name = "http_passwd", description = "Set HTTP auth password", defaultValue = "", secret = true)
	public String httpPasswd;

	@ConfigOption(name = "header", description = "Add a HTTP header key/value pair. Multiple headers can be set", type = OptionType.SLIST, maxSplit = 1, multiple = true)
	public List<List<String>> header;

	@ConfigOption(name = "metrics_uri", description = "Specify an optional HTTP URI for the target OTel endpoint.", defaultValue = "/v1/metrics")
	public String metricsUri;

	@ConfigOption(name = "grpc_metrics_uri", description = "Specify an optional gRPC URI for the target OTel endpoint.", defaultValue = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export")
	public String grpcMetricsUri;

	@ConfigOption(name = "batch_size", description = "Set the maximum number of log records to be flushed at a time", defaultValue = "1000")
	public int batchSize;

	@ConfigOption(name = "compress", description = "Set payload compression mechanism. Options available are 'gzip' and 'zstd'.")
	public String compress;

	@ConfigOption(name = "logs_uri", description = "Specify an optional HTTP URI for the target OTel endpoint.", defaultValue = "/v1/logs")
	public String logsUri;

	@ConfigOption(name = "grpc_logs_uri", description = "Specify an optional gRPC URI for the target OTel endpoint.", defaultValue = "/opentelemetry.proto.collector.logs.v1.LogsService/Export")
	public String grpcLogsUri;

	@ConfigOption(name = "logs_body_key", description = "Record accessor pattern of the log body; several may be set, the first found is the body. Unset: the whole record is the body.", multiple = true)
	public List<String> logsBodyKey;

	@ConfigOption(name = "traces_uri", description = "Specify an optional HTTP URI for the target OTel endpoint.", defaultValue = "/v1/traces")
	public String tracesUri;

	@ConfigOption(name = "grpc_traces_uri", description = "Specify an optional gRPC URI for the target OTel endpoint.", defaultValue = "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
	public String grpcTracesUri;

	@ConfigOption(name = "log_response_payload", description = "Specify if the response payload should be logged or not", defaultValue = "true")
	public boolean logResponsePayload;

	@ConfigOption(name = "logs_metadata_key", description = "Metadata key holding the OpenTelemetry fields of a log record", defaultValue = "otlp")
	public String logsMetadataKey;

	// Fluent Bit options accepted so its configurations load; not implemented (a warning at start when set)

	@ConfigOption(name = "logs_body_key_attributes", description = "If logs_body_key is set and it matched a pattern, this option will include the remaining fields in the record as attributes. (not supported yet)", defaultValue = "false")
	public boolean logsBodyKeyAttributes;

	@ConfigOption(name = "logs_max_resources", description = "Set the maximum number of OTLP log resources per export request (0 disables the limit). (not supported yet)", defaultValue = "0")
	public int logsMaxResources;

	@ConfigOption(name = "logs_max_scopes", description = "Set the maximum number of OTLP log scopes per resource (0 disables the limit). (not supported yet)", defaultValue = "0")
	public int logsMaxScopes;

	@ConfigOption(name = "logs_observed_timestamp_metadata_key", description = "Specify an ObservedTimestamp key (not supported yet)", defaultValue = "$ObservedTimestamp")
	public String logsObservedTimestampMetadataKey;

	@ConfigOption(name = "logs_timestamp_metadata_key", description = "Specify a Timestamp key (not supported yet)", defaultValue = "$Timestamp")
	public String logsTimestampMetadataKey;

	@ConfigOption(name = "logs_severity_text_metadata_key", description = "Specify a SeverityText key (not supported yet)", defaultValue = "$SeverityText")
	public String logsSeverityTextMetadataKey;

	@ConfigOption(name = "logs_severity_number_metadata_key", description = "Specify a SeverityNumber key (not supported yet)", defaultValue = "$SeverityNumber")
	public String logsSeverityNumberMetadataKey;

	@ConfigOption(name = "logs_trace_flags_metadata_key", description = "Specify a TraceFlags key (not supported yet)", defaultValue = "$TraceFlags")
	public String logsTraceFlagsMetadataKey;

	@ConfigOption(name = "logs_span_id_metadata_key", description = "Specify a SpanId key (not supported yet)", defaultValue = "$SpanId")
	public String logsSpanIdMetadataKey;

	@ConfigOption(name = "logs_trace_id_metadata_key", description = "Specify a TraceId key (not supported yet)", defaultValue = "$TraceId")
	public String logsTraceIdMetadataKey;

	@ConfigOption(name = "logs_attributes_metadata_key", description = "Specify an Attributes key (not supported yet)", defaultValue = "$Attributes")
	public String logsAttributesMetadataKey;

	@ConfigOption(name = "logs_instrumentation_scope_metadata_key", description = "Specify an InstrumentationScope key (not supported yet)", defaultValue = "InstrumentationScope")
	public String logsInstrumentationScopeMetadataKey;

	@ConfigOption(name = "logs_resource_metadata_key", description = "Specify a Resource key (not supported yet)", defaultValue = "Resource")
	public String logsResourceMetadataKey;

	@ConfigOption(name = "logs_span_id_message_key", description = "Specify a SpanId key (not supported yet)", defaultValue = "$SpanId")
	public String logsSpanIdMessageKey;

	@ConfigOption(name = "logs_trace_id_message_key", description = "Specify a TraceId key (not supported yet)", defaultValue = "$TraceId")
	public String logsTraceIdMessageKey;

	@ConfigOption(name = "logs_severity_text_message_key", description = "Specify a Severity Text key (not supported yet)", defaultValue = "$SeverityText")
	public String logsSeverityTextMessageKey;

	@ConfigOption(name = "logs_severity_number_message_key", description = "Specify a Severity Number key (not supported yet)", defaultValue = "$SeverityNumber")
	public String logsSeverityNumberMessageKey;

	@ConfigOption(name = "http.response_timeout", description = "Set maximum time to wait for a server response", defaultValue = "60s", type = OptionType.TIME)
	public Duration responseTimeout;

	@ConfigOption(name = "format", description = "OTLP/HTTP payload encoding: protobuf or json (Sluice)", defaultValue = "protobuf")
	public String format;
}
