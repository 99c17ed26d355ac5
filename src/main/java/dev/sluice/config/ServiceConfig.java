package dev.sluice.config;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * The {@code [SERVICE]} section. Unknown service keys are ignored, as Fluent Bit does.
 */
public class ServiceConfig {

	@ConfigOption(name = "flush", description = "Interval in seconds (may be fractional) at which open chunks are sealed and flushed.", defaultValue = "1")
	public double flush;

	@ConfigOption(name = "grace", description = "Seconds to wait for buffered data to be flushed on shutdown; -1 waits until everything is flushed.", defaultValue = "5")
	public int grace;

	@ConfigOption(name = "daemon", description = "Run in the background (not supported: Sluice always runs in the foreground).", defaultValue = "off")
	public boolean daemon;

	@ConfigOption(name = "log_level", description = "Log level: off, error, warn, info, debug or trace.", defaultValue = "info")
	public String logLevel;

	@ConfigOption(name = "log_file", description = "Write Sluice's own log to this file instead of stderr.")
	public String logFile;

	@ConfigOption(name = "parsers_file", description = "A parsers file to load.", multiple = true)
	public List<String> parsersFile;

	@ConfigOption(name = "plugins_file", description = "A plugins file to load ([PLUGINS] Path ...).", multiple = true)
	public List<String> pluginsFile;

	@ConfigOption(name = "streams_file", description = "Stream processor file (not supported).")
	public String streamsFile;

	@ConfigOption(name = "http_server", description = "Enable the monitoring HTTP server.", defaultValue = "off")
	public boolean httpServer;

	@ConfigOption(name = "http_listen", description = "Address the monitoring HTTP server listens on.", defaultValue = "0.0.0.0")
	public String httpListen;

	@ConfigOption(name = "http_port", description = "Port of the monitoring HTTP server.", defaultValue = "2020")
	public int httpPort;

	@ConfigOption(name = "health_check", description = "Enable /api/v1/health.", defaultValue = "off")
	public boolean healthCheck;

	@ConfigOption(name = "hc_errors_count", description = "Output errors within hc_period above which the service is unhealthy.", defaultValue = "5")
	public int hcErrorsCount;

	@ConfigOption(name = "hc_retry_failure_count", description = "Retry failures within hc_period above which the service is unhealthy.", defaultValue = "5")
	public int hcRetryFailureCount;

	@ConfigOption(name = "hc_period", description = "Health check window, in seconds.", defaultValue = "60")
	public int hcPeriod;

	@ConfigOption(name = "hot_reload", description = "Enable hot reload (SIGHUP and /api/v2/reload).", defaultValue = "off")
	public boolean hotReload;

	@ConfigOption(name = "hot_reload.ensure_thread_safety", description = "Wait for in-flight data during a reload.", defaultValue = "on")
	public boolean hotReloadEnsureThreadSafety;

	@ConfigOption(name = "hot_reload.timeout", description = "Seconds old outputs get to finish in-flight flushes during a reload; 0 waits without limit.", defaultValue = "0", type = OptionType.TIME)
	public long hotReloadTimeout;

	@ConfigOption(name = "hot_reload.watch", description = "Reload when the configuration file changes on disk.", defaultValue = "off")
	public boolean hotReloadWatch;

	@ConfigOption(name = "scheduler.base", description = "Base of the retry backoff, in seconds.", defaultValue = "5")
	public int schedulerBase;

	@ConfigOption(name = "scheduler.cap", description = "Cap of the retry backoff, in seconds.", defaultValue = "2000")
	public int schedulerCap;

	@ConfigOption(name = "json.escape_unicode", description = "Escape non-ASCII characters in JSON output as \\uXXXX.", defaultValue = "on")
	public boolean jsonEscapeUnicode;

	@ConfigOption(name = "json.convert_nan_to_null", description = "Write NaN as null in JSON output.", defaultValue = "off")
	public boolean jsonConvertNanToNull;

	@ConfigOption(name = "multiline_buffer_limit", description = "Largest pending multiline group.", defaultValue = "2MB", type = OptionType.SIZE)
	public long multilineBufferLimit;

	@ConfigOption(name = "storage.path", description = "Root directory of filesystem buffering.")
	public String storagePath;

	@ConfigOption(name = "storage.sync", description = "normal or full: whether chunk writes are synced to disk.", defaultValue = "normal")
	public String storageSync;

	@ConfigOption(name = "storage.checksum", description = "Write and verify CRC32 of chunk content.", defaultValue = "off")
	public boolean storageChecksum;

	@ConfigOption(name = "storage.metrics", description = "Serve /api/v1/storage.", defaultValue = "on")
	public boolean storageMetrics;

	@ConfigOption(name = "storage.backlog.mem_limit", description = "Memory used to bring backlog chunks up.", defaultValue = "5M", type = OptionType.SIZE)
	public long storageBacklogMemLimit;

	@ConfigOption(name = "storage.backlog.flush_on_shutdown", description = "Try to flush backlog chunks during shutdown.", defaultValue = "off")
	public boolean storageBacklogFlushOnShutdown;

	@ConfigOption(name = "storage.max_chunks_up", description = "Filesystem chunks kept in memory at once.", defaultValue = "128")
	public int storageMaxChunksUp;

	@ConfigOption(name = "storage.delete_irrecoverable_chunks", description = "Delete corrupt chunks instead of keeping them.", defaultValue = "off")
	public boolean storageDeleteIrrecoverableChunks;

	@ConfigOption(name = "storage.trim_files", description = "Truncate chunk files after their data is flushed.", defaultValue = "off")
	public boolean storageTrimFiles;

	@ConfigOption(name = "storage.keep.rejected", description = "Keep chunks that could not be delivered in the rejected directory.", defaultValue = "off")
	public boolean storageKeepRejected;

	@ConfigOption(name = "storage.rejected.path", description = "Directory (under storage.path) for rejected chunks.", defaultValue = "rejected")
	public String storageRejectedPath;

	@ConfigOption(name = "storage.inherit", description = "Inputs inherit storage.type from the service.", defaultValue = "off")
	public boolean storageInherit;

	@ConfigOption(name = "storage.type", description = "Storage type inherited by inputs when storage.inherit is on.", defaultValue = "memory")
	public String storageType;

	@ConfigOption(name = "admin.token", description = "Bearer token required by the mutating admin endpoints (reload, pause, resume, tap).", secret = true)
	public String adminToken;

	@ConfigOption(name = "admin.protect_read_endpoints", description = "Require the admin token on the read-only endpoints too.", defaultValue = "off")
	public boolean adminProtectReadEndpoints;
}
