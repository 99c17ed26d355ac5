package dev.sluice.plugins.out.es;

import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code es} output: each chunk becomes a {@code _bulk} request to Elasticsearch;
 * only the records whose bulk items failed with a retryable status are sent again (see
 * {@link BulkWriter}).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "es", description = "Elasticsearch", config = EsOutputConfig.class,
		workers = 2, network = true)
public final class EsOutput implements OutputPlugin<EsOutputConfig> {

	private BulkWriter writer;

	@Override
	public void init(EsOutputConfig c, OutputContext context) throws Exception {
		BulkSettings s = new BulkSettings();
		s.host = (c.host == null || c.host.isEmpty()) ? "127.0.0.1" : c.host;
		s.port = (c.port == 0) ? 9200 : c.port;
		s.index = c.index;
		s.type = c.type;
		s.suppressTypeName = c.suppressTypeName;
		s.httpUser = c.httpUser;
		s.httpPasswd = c.httpPasswd;
		s.httpApiKey = c.httpApiKey;
		s.cloudId = c.cloudId;
		s.cloudAuth = c.cloudAuth;
		s.compress = c.compress;
		s.awsAuth = c.awsAuth;
		s.logstashFormat = c.logstashFormat;
		s.logstashPrefix = c.logstashPrefix;
		s.logstashPrefixSeparator = c.logstashPrefixSeparator;
		s.logstashPrefixKey = c.logstashPrefixKey;
		s.logstashDateformat = c.logstashDateformat;
		s.timeKey = c.timeKey;
		s.timeKeyFormat = c.timeKeyFormat;
		s.timeKeyNanos = c.timeKeyNanos;
		s.includeTagKey = c.includeTagKey;
		s.tagKey = c.tagKey;
		s.bufferSize = c.bufferSize;
		s.path = c.path;
		s.pipeline = c.pipeline;
		s.generateId = c.generateId;
		s.writeOperation = c.writeOperation;
		s.idKey = c.idKey;
		s.replaceDots = c.replaceDots;
		s.currentTimeIndex = c.currentTimeIndex;
		s.traceOutput = c.traceOutput;
		s.traceError = c.traceError;
		s.upstream = c.upstream;
		s.tls = c.tls;
		s.tlsVerify = c.tlsVerify;
		s.tlsVerifyHostname = c.tlsVerifyHostname;
		s.tlsCaFile = c.tlsCaFile;
		s.tlsCaPath = c.tlsCaPath;
		s.tlsCrtFile = c.tlsCrtFile;
		s.tlsKeyFile = c.tlsKeyFile;
		s.tlsVhost = c.tlsVhost;
		s.tlsMinVersion = c.tlsMinVersion;
		s.tlsMaxVersion = c.tlsMaxVersion;
		s.tlsCiphers = c.tlsCiphers;
		this.writer = new BulkWriter(s, context);
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		return this.writer.flush(chunk);
	}

	/** The bulk writer (its counters: indexed, dropped and retried records). */
	public BulkWriter writer() {
		return this.writer;
	}

	@Override
	public void exit() {
		if (this.writer != null) {
			this.writer.close();
		}
	}
}
