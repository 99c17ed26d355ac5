package dev.sluice.plugins.out.es;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

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

	/**
	 * The settings from an options class ({@link EsOutputConfig}, {@code OpensearchOutputConfig}):
	 * each field here takes the value of the options' public field of the same name; a field the
	 * options do not have stays unset ({@code opensearch} has no {@code cloud_id}, for one). An
	 * unset {@code host} is {@code 127.0.0.1}, port 0 is 9200.
	 */
	public static BulkSettings from(Object options) throws ReflectiveOperationException {
		BulkSettings s = new BulkSettings();
		for (Field f : BulkSettings.class.getDeclaredFields()) {
			if (Modifier.isStatic(f.getModifiers())) {
				continue;
			}
			Field o;
			try {
				o = options.getClass().getField(f.getName());
			}
			catch (NoSuchFieldException ex) {
				continue;
			}
			if (o.getType() != f.getType()) {
				throw new IllegalStateException("option field " + o + " is not a " + f.getType().getSimpleName());
			}
			f.set(s, o.get(options));
		}
		s.host = (s.host == null || s.host.isEmpty()) ? "127.0.0.1" : s.host;
		s.port = (s.port == 0) ? 9200 : s.port;
		return s;
	}
}
