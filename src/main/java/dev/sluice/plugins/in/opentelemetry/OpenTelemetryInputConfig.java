package dev.sluice.plugins.in.opentelemetry;

import dev.sluice.net.server.HttpServerConfig;
import dev.sluice.plugin.ConfigOption;

/**
 * Options of the {@code opentelemetry} input, as Fluent Bit's in_opentelemetry declares them: the
 * HTTP server options every HTTP-server input has ({@link HttpServerConfig}, as the {@code http}
 * input; port 0 means 4318), then its own.
 */
public class OpenTelemetryInputConfig extends HttpServerConfig {

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
