package dev.sluice.plugins.out.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLParameters;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.slf4j.Logger;

import dev.sluice.event.JsonFormatter;
import dev.sluice.event.LogEvent;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.net.http.HttpClients;
import dev.sluice.net.http.TrustAll;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fluent Bit's {@code loki} output: each chunk becomes one push request
 * ({@code POST /loki/api/v1/push}, JSON) of {@code {"streams":[{"stream":{labels},"values":[["<ns>","<line>"(,{metadata})]]}]}}.
 *
 * <p>As in Fluent Bit: when the labels are all static (no record accessor in {@code labels},
 * {@code label_keys}, {@code label_map_path} or structured metadata, and no
 * {@code auto_kubernetes_labels}), the chunk is one stream; otherwise each record is its own
 * stream with the labels taken from it. Record keys used for labels or structured metadata, and
 * {@code remove_keys}, are removed from the line; the line is the rest of the record as JSON (or
 * {@code key=value} pairs), or the value alone with {@code drop_single_key}. Status 400 (Loki's
 * answer to out-of-order or invalid data) drops the chunk; other non-2xx statuses and connection
 * failures retry it.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "loki", description = "Loki", config = LokiOutputConfig.class,
		network = true)
public final class LokiOutput implements OutputPlugin<LokiOutputConfig> {

	private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

	/** One label or structured-metadata entry. */
	record Kv(String key, String value, RecordAccessor raKey, RecordAccessor raValue) {
	}

	private Logger log;

	private final JsonFormatter json = JsonFormatter.standard();

	private final List<Kv> labels = new ArrayList<>();

	private final List<Kv> structuredMetadata = new ArrayList<>();

	private final List<RecordAccessor> structuredMetadataMaps = new ArrayList<>();

	private final List<RecordAccessor> removeKeys = new ArrayList<>();

	private boolean hasStructuredMetadata;

	private int raUsed;

	private boolean autoKubernetesLabels;

	private static final RecordAccessor K8S_LABELS = RecordAccessor.parse("$kubernetes['labels']");

	private boolean dropSingleKey;

	private boolean dropSingleKeyRaw;

	private boolean keyValue;

	private RecordAccessor tenantIdKey;

	private String tenantIdKeyName;

	private String tenantId;

	private String authorization;

	private List<List<String>> headers;

	private boolean gzip;

	private HttpClient client;

	private URI target;

	private String where;

	private Duration responseTimeout;

	@Override
	public void init(LokiOutputConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		String host = (c.host == null || c.host.isEmpty()) ? "127.0.0.1" : c.host;
		int port = (c.port == 0) ? 3100 : c.port;
		this.where = host + ":" + port;
		List<String> derivedRemove = new ArrayList<>();
		if (c.structuredMetadata != null) {
			parseKv(c.structuredMetadata, this.structuredMetadata, derivedRemove);
		}
		if (c.structuredMetadataMapKeys != null) {
			for (String k : c.structuredMetadataMapKeys) {
				if (!k.startsWith("$")) {
					throw new IllegalArgumentException(
							"invalid structured metadata map key, the name must start with '$'");
				}
				this.structuredMetadataMaps.add(accessor(k));
				derivedRemove.add(k);
				this.raUsed++;
			}
		}
		this.hasStructuredMetadata = c.structuredMetadata != null || c.structuredMetadataMapKeys != null;
		if (c.labels != null) {
			parseKv(c.labels, this.labels, derivedRemove);
		}
		if (c.labelKeys != null) {
			for (String k : c.labelKeys) {
				if (!k.startsWith("$")) {
					throw new IllegalArgumentException("invalid label key, the name must start with '$'");
				}
				append(this.labels, k, null, derivedRemove);
			}
		}
		if (c.labelMapPath != null && !c.labelMapPath.isEmpty()) {
			try {
				loadLabelMap(Path.of(c.labelMapPath), derivedRemove);
			}
			catch (IOException | RuntimeException ex) {
				this.log.error("failed to load label_map_path: {}", ex.getMessage());
			}
		}
		this.autoKubernetesLabels = c.autoKubernetesLabels;
		for (String k : derivedRemove) {
			addRemove(k);
		}
		if (c.removeKeys != null) {
			for (String k : c.removeKeys) {
				addRemove(k.startsWith("$") ? k : "$" + k);
			}
		}
		if (c.tenantIdKey != null && !c.tenantIdKey.isEmpty()) {
			this.tenantIdKeyName = c.tenantIdKey;
			try {
				this.tenantIdKey = RecordAccessor.parse(c.tenantIdKey);
			}
			catch (IllegalArgumentException ex) {
				this.log.error("could not create record accessor for Tenant ID");
			}
		}
		this.tenantId = (c.tenantId == null || c.tenantId.isEmpty()) ? null : c.tenantId;
		this.gzip = c.compress != null && c.compress.equalsIgnoreCase("gzip");
		if (c.dropSingleKey != null) {
			if (c.dropSingleKey.equalsIgnoreCase("raw")) {
				this.dropSingleKey = true;
				this.dropSingleKeyRaw = true;
			}
			else {
				String v = c.dropSingleKey.toLowerCase(Locale.ROOT);
				if (List.of("on", "true", "yes").contains(v)) {
					this.dropSingleKey = true;
				}
				else if (!List.of("off", "false", "no").contains(v)) {
					throw new IllegalArgumentException("invalid 'drop_single_key' value: " + c.dropSingleKey);
				}
			}
		}
		String lf = (c.lineFormat == null) ? "json" : c.lineFormat;
		if (lf.equalsIgnoreCase("key_value")) {
			this.keyValue = true;
		}
		else if (!lf.equalsIgnoreCase("json")) {
			throw new IllegalArgumentException("invalid 'line_format' value: " + c.lineFormat);
		}
		if (c.httpUser != null && c.httpPasswd != null) {
			this.authorization = "Basic " + Base64.getEncoder()
				.encodeToString((c.httpUser + ":" + c.httpPasswd).getBytes(StandardCharsets.UTF_8));
		}
		else if (c.bearerToken != null && !c.bearerToken.isEmpty()) {
			this.authorization = "Bearer " + c.bearerToken;
		}
		this.headers = (c.header != null) ? c.header : List.of();

		Map<String, String> props = context.properties();
		Duration connectTimeout = HttpClients.connectTimeout(props);
		this.responseTimeout = HttpClients.ioTimeout(props, RESPONSE_TIMEOUT);
		HttpClient.Builder b = HttpClients.builder(connectTimeout);
		if (c.tls) {
			TlsSupport.Options o = new TlsSupport.Options(c.tlsVerify, c.tlsCaFile, c.tlsCaPath, c.tlsCrtFile,
					c.tlsKeyFile, c.tlsVhost, c.tlsVerifyHostname, c.tlsMinVersion, c.tlsMaxVersion);
			if (c.tlsVerify) {
				b.sslContext(TlsSupport.client(o));
			}
			else {
				b.sslContext(TrustAll.context());
			}
			SSLParameters params = new SSLParameters();
			String[] protocols = TlsSupport.protocols(o);
			if (protocols != null) {
				params.setProtocols(protocols);
			}
			if (c.tlsVhost != null && !c.tlsVhost.isEmpty()) {
				params.setServerNames(List.of(new javax.net.ssl.SNIHostName(c.tlsVhost)));
			}
			if (c.tlsCiphers != null && !c.tlsCiphers.isEmpty()) {
				params.setCipherSuites(c.tlsCiphers.split("[:,]"));
			}
			b.sslParameters(params);
		}
		this.client = b.build();
		String uri = (c.uri == null || c.uri.isEmpty()) ? "/loki/api/v1/push" : c.uri;
		String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
		this.target = URI.create((c.tls ? "https" : "http") + "://" + hostPart + ":" + port + uri);
		this.log.info("configured, hostname={}", this.where);
	}

	private static RecordAccessor accessor(String pattern) {
		try {
			return RecordAccessor.parse(pattern);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid record accessor pattern '" + pattern + "': " + ex.getMessage(), ex);
		}
	}

	/** {@code key=value} entries ({@code value} may be an accessor) or {@code $accessor} entries. */
	private void parseKv(List<String> entries, List<Kv> into, List<String> derivedRemove) {
		for (String e : entries) {
			if (e.startsWith("$")) {
				append(into, e, null, derivedRemove);
				continue;
			}
			int eq = e.indexOf('=');
			if (eq < 0 || eq == e.length() - 1) {
				throw new IllegalArgumentException("invalid key value pair on '" + e + "'");
			}
			append(into, e.substring(0, eq), e.substring(eq + 1), derivedRemove);
		}
	}

	private void append(List<Kv> into, String key, String value, List<String> derivedRemove) {
		if (key.startsWith("$") && key.length() >= 2 && Character.isDigit(key.charAt(1))) {
			throw new IllegalArgumentException("key name for record accessor cannot start with a number: " + key);
		}
		if (key.startsWith("$") && value == null) {
			RecordAccessor ra = accessor(key);
			into.add(new Kv(normalize(ra), null, ra, null));
			derivedRemove.add(key);
			this.raUsed++;
		}
		else if (value != null && value.startsWith("$")) {
			into.add(new Kv(key, null, null, accessor(value)));
			derivedRemove.add(value);
			this.raUsed++;
		}
		else {
			into.add(new Kv(key, value, null, null));
		}
	}

	/** {@code $sub['stream']} → {@code sub_stream} (then sanitised as a label name). */
	static String normalize(RecordAccessor ra) {
		StringBuilder b = new StringBuilder();
		for (Object step : ra.path()) {
			if (!b.isEmpty()) {
				b.append('_');
			}
			b.append(step);
		}
		return b.toString();
	}

	/** Label names: {@code [A-Za-z0-9_]}, others become {@code _}; a leading digit gets {@code _} before it. */
	static String sanitize(String key) {
		StringBuilder b = new StringBuilder(key.length() + 1);
		if (!key.isEmpty() && key.charAt(0) >= '0' && key.charAt(0) <= '9') {
			b.append('_');
		}
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		for (byte x : bytes) {
			char ch = (char) (x & 0xFF);
			boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
			b.append(ok ? ch : '_');
		}
		return b.toString();
	}

	private void addRemove(String pattern) {
		for (RecordAccessor r : this.removeKeys) {
			if (r.pattern().equals(pattern)) {
				return;
			}
		}
		this.removeKeys.add(accessor(pattern));
	}

	/** {@code label_map_path}: a JSON object whose string leaves name the label for the record key at that path. */
	private void loadLabelMap(Path file, List<String> derivedRemove) throws IOException {
		JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
		if (root == null || !root.isObject()) {
			throw new IOException("data type is not map");
		}
		for (var e : root.properties()) {
			List<String> path = new ArrayList<>();
			path.add(e.getKey());
			labelMapEntry(path, e.getValue(), derivedRemove);
		}
	}

	private void labelMapEntry(List<String> path, JsonNode val, List<String> derivedRemove) throws IOException {
		if (val.isString()) {
			StringBuilder ra = new StringBuilder("$").append(path.get(0));
			for (int i = 1; i < path.size(); i++) {
				ra.append("['").append(path.get(i)).append("']");
			}
			append(this.labels, val.asString(), ra.toString(), derivedRemove);
		}
		else if (val.isObject()) {
			for (var e : val.properties()) {
				path.add(e.getKey());
				labelMapEntry(path, e.getValue(), derivedRemove);
				path.remove(path.size() - 1);
			}
		}
		else {
			throw new IOException("value type is not str or map");
		}
	}

	// ------------------------------------------------------------------------------------------
	// Payload

	/** Fluent Bit's record accessor translation of a single accessor: a scalar as text, else null. */
	private static String translate(RecordAccessor ra, Map<String, Object> record) {
		if (record == null) {
			return null;
		}
		Object v = ra.get(record);
		return switch (v) {
			case null -> null;
			case String s -> s;
			case byte[] b -> new String(b, StandardCharsets.UTF_8);
			case Long l -> Long.toString(l);
			case Double d -> String.format(Locale.ROOT, "%f", d);
			case Boolean bool -> bool ? "true" : "false";
			default -> (v instanceof Number n) ? n.toString() : null;
		};
	}

	private Map<String, String> labelsOf(Map<String, Object> record) {
		Map<String, String> out = new LinkedHashMap<>();
		packKv(this.labels, record, out);
		if (this.autoKubernetesLabels && record != null && K8S_LABELS.get(record) instanceof Map<?, ?> m) {
			for (Map.Entry<?, ?> e : m.entrySet()) {
				if (e.getKey() instanceof String k && e.getValue() instanceof String v) {
					out.put(sanitize(k), v);
				}
			}
		}
		if (out.isEmpty()) {
			out.put("job", "fluent-bit");
		}
		return out;
	}

	private void packKv(List<Kv> list, Map<String, Object> record, Map<String, String> out) {
		for (Kv kv : list) {
			if (kv.raKey() != null) {
				String v = translate(kv.raKey(), record);
				if (v != null && !v.isEmpty()) {
					out.put(sanitize(kv.key()), v);
				}
			}
			else if (kv.raValue() != null) {
				String v = translate(kv.raValue(), record);
				if (v != null && !v.isEmpty()) {
					out.put(kv.key(), v);
				}
			}
			else {
				out.put(kv.key(), kv.value());
			}
		}
	}

	private Map<String, String> structuredMetadataOf(Map<String, Object> record) {
		Map<String, String> out = new LinkedHashMap<>();
		if (record != null) {
			for (RecordAccessor ra : this.structuredMetadataMaps) {
				if (ra.get(record) instanceof Map<?, ?> m && !m.isEmpty()) {
					for (Map.Entry<?, ?> e : m.entrySet()) {
						String v = (e.getValue() instanceof String s) ? s : this.json.toJson(e.getValue());
						out.put(sanitize(String.valueOf(e.getKey())), v);
					}
				}
			}
		}
		packKv(this.structuredMetadata, record, out);
		return out;
	}

	/** The request body (JSON) of a chunk, and the tenant found in its records. */
	record Payload(byte[] json, String tenant) {
	}

	Payload compose(Chunk chunk) throws IOException {
		List<LogEvent> events = chunk.decode();
		String tenant = null;
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packMapHeader(1);
		p.packString("streams");
		boolean single = this.raUsed == 0 && !this.autoKubernetesLabels;
		if (single) {
			p.packArrayHeader(1);
			p.packMapHeader(2);
			p.packString("stream");
			packStringMap(p, labelsOf(null));
			p.packString("values");
			p.packArrayHeader(events.size());
		}
		else {
			p.packArrayHeader(events.size());
		}
		for (LogEvent ev : events) {
			Map<String, Object> record = ev.body();
			if (!single) {
				p.packMapHeader(2);
				p.packString("stream");
				packStringMap(p, labelsOf(record));
				p.packString("values");
				p.packArrayHeader(1);
			}
			p.packArrayHeader(this.hasStructuredMetadata ? 3 : 2);
			p.packString(Long.toUnsignedString(ev.time().toEpochNanos()));
			if (this.tenantIdKey != null) {
				Object t = this.tenantIdKey.get(record);
				if (t == null) {
					this.log.warn("the value of {} is missing", this.tenantIdKeyName);
				}
				else if (!(t instanceof String s)) {
					this.log.warn("the value of {} is not string", this.tenantIdKeyName);
				}
				else {
					if (tenant != null && !tenant.equals(s)) {
						this.log.warn("Tenant ID is overwritten {} -> {}", tenant, s);
					}
					tenant = s;
				}
			}
			Map<String, String> sm = this.hasStructuredMetadata ? structuredMetadataOf(single ? null : record) : null;
			p.packString(line(record));
			if (sm != null) {
				packStringMap(p, sm);
			}
		}
		byte[] mp = p.toByteArray();
		JsonFormatter.Sink out = new JsonFormatter.Sink(mp.length * 2 + 64);
		this.json.writeJson(mp, 0, out);
		return new Payload(out.toByteArray(), tenant);
	}

	private static void packStringMap(MessageBufferPacker p, Map<String, String> m) throws IOException {
		p.packMapHeader(m.size());
		for (Map.Entry<String, String> e : m.entrySet()) {
			p.packString(e.getKey());
			p.packString(e.getValue());
		}
	}

	/** The log line of one record (keys used as labels and {@code remove_keys} removed). */
	String line(Map<String, Object> original) {
		Map<String, Object> record = original;
		if (!this.removeKeys.isEmpty()) {
			record = deepCopy(original);
			for (RecordAccessor ra : this.removeKeys) {
				ra.remove(record);
			}
		}
		if (this.dropSingleKey && record.size() == 1) {
			Object val = record.values().iterator().next();
			if (!this.keyValue) {
				if (val instanceof String s && this.dropSingleKeyRaw) {
					return s;
				}
				return this.json.toJson(val);
			}
			if (val instanceof String s) {
				return s;
			}
			StringBuilder b = new StringBuilder();
			formatValue(b, val);
			return b.toString();
		}
		if (!this.keyValue) {
			return this.json.toJson(record);
		}
		StringBuilder b = new StringBuilder();
		for (Map.Entry<String, Object> e : record.entrySet()) {
			if (!b.isEmpty()) {
				b.append(' ');
			}
			b.append(e.getKey()).append('=');
			formatValue(b, e.getValue());
		}
		return b.toString();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> deepCopy(Map<String, Object> m) {
		Map<String, Object> copy = new LinkedHashMap<>(m.size() * 2);
		for (Map.Entry<String, Object> e : m.entrySet()) {
			copy.put(e.getKey(), deepCopyValue(e.getValue()));
		}
		return copy;
	}

	@SuppressWarnings("unchecked")
	private static Object deepCopyValue(Object v) {
		if (v instanceof Map<?, ?> m) {
			return deepCopy((Map<String, Object>) m);
		}
		if (v instanceof List<?> l) {
			List<Object> c = new ArrayList<>(l.size());
			for (Object o : l) {
				c.add(deepCopyValue(o));
			}
			return c;
		}
		return v;
	}

	/** {@code key_value} values as Fluent Bit writes them: strings quoted (not escaped), arrays and maps Go-style. */
	private static void formatValue(StringBuilder b, Object v) {
		switch (v) {
			case null -> b.append("null");
			case String s -> b.append('"').append(s).append('"');
			case byte[] bin -> {
				// a binary value is written as nothing, as in Fluent Bit
			}
			case Boolean bool -> b.append(bool ? "true" : "false");
			case Long l -> b.append(l);
			case java.math.BigInteger big -> b.append(big);
			case Double d -> {
				if (d == (double) (long) d.doubleValue()) {
					b.append(JsonFormatter.formatFixed(d, 1));
				}
				else {
					b.append(JsonFormatter.formatG16(d));
				}
			}
			case List<?> l -> {
				b.append("\"[");
				for (int i = 0; i < l.size(); i++) {
					if (i > 0) {
						b.append(' ');
					}
					formatValue(b, l.get(i));
				}
				b.append("]\"");
			}
			case Map<?, ?> m -> {
				b.append("\"map[");
				int i = 0;
				for (Map.Entry<?, ?> e : m.entrySet()) {
					if (i++ > 0) {
						b.append(' ');
					}
					b.append(e.getKey()).append(':');
					formatValue(b, e.getValue());
				}
				b.append("]\"");
			}
			default -> {
				// extension values and others: nothing
			}
		}
	}

	// ------------------------------------------------------------------------------------------
	// Flush

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		if (chunk.eventType() != 0) {
			this.log.error("only logs are supported; dropping a chunk of event type {}", chunk.eventType());
			return FlushResult.ERROR;
		}
		Payload payload;
		try {
			payload = compose(chunk);
		}
		catch (IOException | RuntimeException ex) {
			this.log.error("cannot compose request payload: {}", ex.getMessage());
			return FlushResult.RETRY;
		}
		byte[] body = payload.json();
		boolean compressed = false;
		if (this.gzip) {
			try {
				ByteArrayOutputStream bos = new ByteArrayOutputStream(body.length / 2 + 32);
				try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
					gz.write(body);
				}
				body = bos.toByteArray();
				compressed = true;
			}
			catch (IOException ex) {
				this.log.error("cannot gzip payload, disabling compression");
			}
		}
		HttpRequest.Builder rb = HttpRequest.newBuilder(this.target).POST(HttpRequest.BodyPublishers.ofByteArray(body));
		try {
			rb.header("User-Agent", "Fluent-Bit");
			if (this.authorization != null) {
				rb.header("Authorization", this.authorization);
			}
			for (List<String> h : this.headers) {
				if (!h.isEmpty()) {
					rb.header(h.get(0), h.get(h.size() - 1));
				}
			}
			rb.header("Content-Type", "application/json");
			if (compressed) {
				rb.header("Content-Encoding", "gzip");
			}
			String tenant = (payload.tenant() != null) ? payload.tenant() : this.tenantId;
			if (tenant != null) {
				rb.header("X-Scope-OrgID", tenant);
			}
		}
		catch (IllegalArgumentException ex) {
			this.log.error("invalid header: {}", ex.getMessage());
			return FlushResult.ERROR;
		}
		CompletableFuture<HttpResponse<byte[]>> f = this.client.sendAsync(rb.build(),
				HttpResponse.BodyHandlers.ofByteArray());
		HttpResponse<byte[]> resp;
		try {
			resp = f.get(this.responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			f.cancel(true);
			this.log.error("could not flush records to {} (http_do=-1): no response within {}", this.where,
					this.responseTimeout);
			return FlushResult.RETRY;
		}
		catch (InterruptedException ex) {
			f.cancel(true);
			Thread.currentThread().interrupt();
			return FlushResult.RETRY;
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
				this.log.error("no upstream connections available");
			}
			else {
				String what = (cause instanceof HttpTimeoutException) ? "timeout" : String.valueOf(cause.getMessage());
				this.log.error("could not flush records to {} (http_do=-1): {}", this.where, what);
			}
			return FlushResult.RETRY;
		}
		int status = resp.statusCode();
		String text = new String(resp.body(), StandardCharsets.UTF_8);
		if (status == 400) {
			this.log.error("{}, HTTP status={} Not retrying.\n{}", this.where, status, text);
			return FlushResult.ERROR;
		}
		if (status >= 500 && status <= 599) {
			this.log.error("could not flush records to {} HTTP status={}", this.where, status);
			this.log.trace("Response was:\n{}", text);
			return FlushResult.RETRY;
		}
		if (status < 200 || status > 205) {
			if (!text.isEmpty()) {
				this.log.error("{}, HTTP status={}\n{}", this.where, status, text);
			}
			else {
				this.log.error("{}, HTTP status={}", this.where, status);
			}
			return FlushResult.RETRY;
		}
		this.log.debug("{}, HTTP status={}", this.where, status);
		return FlushResult.OK;
	}

	@Override
	public void exit() {
		if (this.client != null) {
			this.client.shutdownNow();
		}
	}
}
