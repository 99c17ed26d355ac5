package dev.sluice.net.server;

import java.time.Duration;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * The options every HTTP-server input of Fluent Bit 5.1.1 declares first ({@code http},
 * {@code opentelemetry}), in its order: an input's options class extends this one and adds its
 * own after them (superclass options come first). Read by {@link HttpServerSupport}.
 */
public class HttpServerConfig {

	@ConfigOption(name = "listen", description = "Listen Address", defaultValue = "0.0.0.0")
	public String listen;

	@ConfigOption(name = "host", description = "Hostname", defaultValue = "localhost")
	public String host;

	/** 0 means the plugin's default port. */
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
}
