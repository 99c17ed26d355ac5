package dev.sluice.plugins.out.es;

/**
 * The settings the bulk writer uses, filled from the {@code es} or the {@code opensearch} options
 * (the two plugins share one implementation, as their Fluent Bit sources share one algorithm).
 */
public final class BulkSettings {

	public String host;

	public int port;

	public String index;

	public String type;

	public boolean suppressTypeName;

	public String httpUser;

	public String httpPasswd;

	public String httpApiKey;

	public String cloudId;

	public String cloudAuth;

	public String compress;

	public boolean awsAuth;

	public boolean logstashFormat;

	public String logstashPrefix;

	public String logstashPrefixSeparator;

	public String logstashPrefixKey;

	public String logstashDateformat;

	public String timeKey;

	public String timeKeyFormat;

	public boolean timeKeyNanos;

	public boolean includeTagKey;

	public String tagKey;

	public String bufferSize;

	public String path;

	public String pipeline;

	public boolean generateId;

	public String writeOperation;

	public String idKey;

	public boolean replaceDots;

	public boolean currentTimeIndex;

	public boolean traceOutput;

	public boolean traceError;

	public String upstream;

	public boolean tls;

	public boolean tlsVerify;

	public boolean tlsVerifyHostname;

	public String tlsCaFile;

	public String tlsCaPath;

	public String tlsCrtFile;

	public String tlsKeyFile;

	public String tlsVhost;

	public String tlsMinVersion;

	public String tlsMaxVersion;

	public String tlsCiphers;
}
