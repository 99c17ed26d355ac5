package dev.sluice.plugins.in.opentelemetry;

import java.time.Duration;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code opentelemetry} input, as Fluent Bit's in_opentelemetry declares them: the
 * HTTP server options every HTTP-server input has (as the {@code http} input), then its own.
 */
public class OpenTelemetryInputConfig {

	@ConfigOption(name = "listen", description = "Listen Address", defaultValue = "0.0.0.0")
	public String listen;

	@ConfigOption(name = "host", description = "Hostname", defaultValue = "localhost")
	public String host;

	/** 0 means the plugin's default, 4318. */
	@ConfigOption(name = "port", description = "Listen Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "http_server.http2", description = "Enable HTTP/2 support for the HTTP server", defaultValue = "true")
	public boolean serverHttp2;

	@ConfigOption(name = "http_server.idle_timeout", description = "Set the maximum idle time for accepted HTTP connections. 0 disables it.", defaultValue = "10s", type = OptionType.TIME)
	public Duration serverIdleTimeout;

	@ConfigOption(name = "http_server.buffer_max_size", description = "Set the maximum size of the HTTP request buffer", defaultValue = "4M", type = OptionType.SIZE)
	public long serverBufferMaxSize;

	@ConfigOption(name = "http_server.buffer_chunk_size", description = "Set the buffer chunk size used for HTTP requests", defaultValue = "512K", type = OptionType.SIZE)
	public long serverBufferChunkSize;

	@ConfigOption(name = "http_server.max_connections", description = "Set the maximum number of concurrent active HTTP connections. 0 means unlimited.", defaultValue = "0", type = OptionType.SIZE)
	public long serverMaxConnections;

	@ConfigOption(name = "http_server.workers", description = "Set the number of HTTP listener workers", defaultValue = "1")
	public int serverWorkers;

	@ConfigOption(name = "http_server.ingress_queue_event_limit", description = "Set the maximum number of deferred ingress queue events. Applies only when http_server.workers > 1.", defaultValue = "8192", type = OptionType.SIZE)
	public long ingressQueueEventLimit;

	@ConfigOption(name = "http_server.ingress_queue_byte_limit", description = "Set the maximum number of deferred ingress queue bytes. Applies only when http_server.workers > 1.", defaultValue = "256M", type = OptionType.SIZE)
	public long ingressQueueByteLimit;

	@ConfigOption(name = "http2", description = "Compatibility alias for http_server.http2", defaultValue = "true")
	public boolean http2;

	@ConfigOption(name = "buffer_max_size", description = "Compatibility alias for http_server.buffer_max_size", defaultValue = "4M", type = OptionType.SIZE)
	public long bufferMaxSize;

	@ConfigOption(name = "buffer_chunk_size", description = "Compatibility alias for http_server.buffer_chunk_size", defaultValue = "512K", type = OptionType.SIZE)
	public long bufferChunkSize;

	@ConfigOption(name = "max_connections", description = "Compatibility alias for http_server.max_connections", defaultValue = "0", type = OptionType.SIZE)
	public long maxConnections;

	@ConfigOption(name = "workers", description = "Compatibility alias for http_server.workers", defaultValue = "1")
	public int workers;

	@ConfigOption(name = "profiles_support", description = "This is an experimental feature whoses specification is not stable yet, feel free to test it but please do not enable this in production environments", defaultValue = "false")
	public boolean profilesSupport;

	@ConfigOption(name = "encode_profiles_as_log", description = "Encode profiles received as text and ingest them in the logging pipeline", defaultValue = "false")
	public boolean encodeProfilesAsLog;

	@ConfigOption(name = "tag_key", description = "Record accessor key to use for generating tags from incoming records")
	public String tagKey;

	@ConfigOption(name = "tag_from_uri", description = "If true, tag will be created from uri. e.g. v1_metrics from /v1/metrics .", defaultValue = "true")
	public boolean tagFromUri;

	@ConfigOption(name = "successful_response_code", description = "Set successful response code. 200, 201 and 204 are supported.", defaultValue = "201")
	public int successfulResponseCode;

	@ConfigOption(name = "raw_traces", description = "Forward traces without processing", defaultValue = "false")
	public boolean rawTraces;

	@ConfigOption(name = "logs_metadata_key", description = "Key name to store OpenTelemetry logs metadata in the record", defaultValue = "otlp")
	public String logsMetadataKey;

	@ConfigOption(name = "logs_body_key", description = "Key to use for the logs body. If unset, body key-value pairs will be used as the log record, and other types will be nested under a key.")
	public String logsBodyKey;
}
