package dev.sluice.plugins.out.es;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.slf4j.Logger;

import dev.sluice.event.EventTime;
import dev.sluice.event.JsonFormatter;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.net.http.HttpClients;
import dev.sluice.net.http.TrustAll;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Elasticsearch / OpenSearch bulk writer shared by the {@code es} and {@code opensearch}
 * outputs.
 *
 * <p>The request body is Fluent Bit's, byte for byte: for each record an action line
 * ({@code {"create":{"_index":"fluent-bit","_type":"_doc"}}}, with {@code _id} for
 * {@code generate_id}/{@code id_key}, without {@code _type} for {@code suppress_type_name}) and
 * the document: the time key first ({@code time_key_format} then {@code .mmmZ}, or nanoseconds),
 * then the tag key, then the record (keys with dots replaced for {@code replace_dots}), as Fluent
 * Bit's JSON; {@code update}/{@code upsert} wrap it in {@code {"doc":…}}.
 *
 * <p>Unlike Fluent Bit, which retries the whole chunk when any bulk item failed (duplicates, and
 * endless retries on mapping errors), the bulk response is read item by item. Per chunk (keyed by
 * its name) the writer remembers which records are done; a retried flush sends only the others.
 * An item answered 2xx, or 409 (the document exists: an earlier attempt created it), is done; 429
 * and 5xx are retried; any other status (such as 400 {@code mapper_parsing_exception}) drops that
 * record: counted, logged with the reason, never retried. A whole-request failure (connection
 * refused or reset, no answer in time, a status other than 200/201, a body that is not a bulk
 * response) retries what is not done.
 */
public final class BulkWriter {

	/** Progress entries of chunks not flushed for this long are forgotten (retries gave up). */
	private static final long FORGET_AFTER_NANOS = TimeUnit.HOURS.toNanos(3);

	private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

	private final Logger log;

	private final JsonFormatter json = JsonFormatter.standard();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final String action;

	private final String docPrefix;

	private final String docSuffix;

	private final BulkSettings s;

	private final RecordAccessor idKey;

	private final RecordAccessor prefixKey;

	private final byte[] timeKey;

	private final byte[] tagKey;

	private final HttpClient client;

	private final URI target;

	private final String uri;

	private final String authorization;

	private final boolean gzip;

	private final Duration responseTimeout;

	private final Map<String, Progress> progress = new ConcurrentHashMap<>();

	/** Records dropped because their bulk item failed with a non-retryable status. */
	public final LongAdder droppedRecords = new LongAdder();

	/** Records whose bulk item failed with a retryable status (each time). */
	public final LongAdder retriedRecords = new LongAdder();

	/** Records acknowledged by the cluster (2xx, or 409 for a document an earlier attempt created). */
	public final LongAdder indexedRecords = new LongAdder();

	/** Which records of one chunk are done (indexed or dropped). */
	private static final class Progress {

		final BitSet done = new BitSet();

		int indexed;

		int dropped;

		volatile long touched = System.nanoTime();
	}

	public BulkWriter(BulkSettings s, OutputContext context) throws Exception {
		this.log = context.log();
		this.s = s;
		String op = (s.writeOperation == null) ? "create" : s.writeOperation.toLowerCase(Locale.ROOT);
		switch (op) {
			case "index", "create" -> this.action = op;
			case "update", "upsert" -> this.action = "update";
			default -> throw new IllegalArgumentException(
					"wrong Write_Operation (should be one of index, create, update, upsert)");
		}
		this.docPrefix = op.equals("update") ? "{\"doc\":" : op.equals("upsert") ? "{\"doc_as_upsert\":true,\"doc\":" : null;
		this.docSuffix = (this.docPrefix != null) ? "}" : null;
		this.idKey = blank(s.idKey) ? null : RecordAccessor.parse(s.idKey);
		if (this.idKey != null && s.generateId) {
			this.log.warn("Generate_ID is ignored when ID_key is set");
			s.generateId = false;
		}
		if (this.action.equals("update") && this.idKey == null && !s.generateId) {
			throw new IllegalArgumentException("Id_Key or Generate_Id must be set when Write_Operation update or upsert");
		}
		String pk = s.logstashPrefixKey;
		this.prefixKey = blank(pk) ? null : RecordAccessor.parse(pk.startsWith("$") ? pk : "$" + pk);
		this.timeKey = utf8(s.timeKey);
		this.tagKey = utf8(s.tagKey);
		if (s.awsAuth) {
			throw new IllegalArgumentException("aws_auth is not supported yet");
		}
		if (!blank(s.upstream)) {
			throw new IllegalArgumentException("upstream is not supported yet");
		}
		this.gzip = s.compress != null && s.compress.equalsIgnoreCase("gzip");
		if (!blank(s.compress) && !this.gzip) {
			this.log.warn("unknown compression '{}': sending uncompressed", s.compress);
		}
		String host = s.host;
		int port = s.port;
		String cloudUser = null;
		String cloudPasswd = null;
		if (!blank(s.cloudId)) {
			String[] hp = cloudHost(s.cloudId);
			host = hp[0];
			port = Integer.parseInt(hp[1]);
		}
		if (!blank(s.cloudAuth)) {
			int c = s.cloudAuth.indexOf(':');
			cloudUser = (c < 0) ? s.cloudAuth : s.cloudAuth.substring(0, c);
			cloudPasswd = (c < 0) ? "" : s.cloudAuth.substring(c + 1);
		}
		if (s.httpUser != null && s.httpPasswd != null) {
			this.authorization = basic(s.httpUser, s.httpPasswd);
		}
		else if (cloudUser != null) {
			this.authorization = basic(cloudUser, cloudPasswd);
		}
		else if (!blank(s.httpApiKey)) {
			this.authorization = "ApiKey " + s.httpApiKey;
		}
		else {
			this.authorization = null;
		}
		String path = (s.path == null) ? "" : s.path;
		this.uri = blank(s.pipeline) ? path + "/_bulk" : path + "/_bulk/?pipeline=" + s.pipeline;
		Map<String, String> props = context.properties();
		Duration connectTimeout = HttpClients.connectTimeout(props);
		this.responseTimeout = HttpClients.ioTimeout(props, RESPONSE_TIMEOUT);
		HttpClient.Builder b = HttpClients.builder(connectTimeout);
		if (s.tls) {
			b.sslContext(sslContext(s));
			SSLParameters params = new SSLParameters();
			TlsSupport.Options o = tlsOptions(s);
			String[] protocols = TlsSupport.protocols(o);
			if (protocols != null) {
				params.setProtocols(protocols);
			}
			if (!blank(s.tlsVhost)) {
				params.setServerNames(List.of(new javax.net.ssl.SNIHostName(s.tlsVhost)));
			}
			if (!blank(s.tlsCiphers)) {
				params.setCipherSuites(s.tlsCiphers.split("[:,]"));
			}
			b.sslParameters(params);
		}
		this.client = b.build();
		String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
		this.target = URI.create((s.tls ? "https" : "http") + "://" + hostPart + ":" + port + this.uri);
		this.log.debug("host={} port={} index={} type={}", host, port, s.index, s.type);
	}

	/** {@code cloud_id} {@code name:base64(domain$es-uuid$kibana-uuid)} to {host, port}. */
	static String[] cloudHost(String cloudId) {
		String enc = cloudId.substring(cloudId.indexOf(':') + 1);
		String dec = new String(Base64.getDecoder().decode(enc), StandardCharsets.UTF_8);
		String[] parts = dec.split("\\$");
		if (parts.length < 2) {
			throw new IllegalArgumentException("cannot decode cloud_id");
		}
		String domain = parts[0];
		String port = "443";
		int c = domain.indexOf(':');
		if (c >= 0) {
			port = domain.substring(c + 1);
			domain = domain.substring(0, c);
		}
		return new String[] { parts[1] + "." + domain, port };
	}

	private static String basic(String user, String passwd) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + passwd).getBytes(StandardCharsets.UTF_8));
	}

	private static boolean blank(String v) {
		return v == null || v.isEmpty();
	}

	private static byte[] utf8(String v) {
		return v.getBytes(StandardCharsets.UTF_8);
	}

	/** The request path, {@code <path>/_bulk} (with {@code ?pipeline=}). */
	public String uri() {
		return this.uri;
	}

	// ------------------------------------------------------------------------------------------
	// Request body

	/** The action and document lines of one record, and the chunk record it came from. */
	record Item(int record, byte[] lines) {
	}

	/**
	 * Formats the records of a chunk not yet done. Records that are not log events are skipped
	 * (marked done).
	 */
	List<Item> format(Chunk chunk, BitSet done, EventTime now) throws IOException {
		var ev = chunk.events();
		List<Item> items = new ArrayList<>();
		String fixedIndexLine = null;
		String nowIndex = Strftime.format(this.s.index, now.seconds());
		if (!this.s.logstashFormat && !this.s.generateId) {
			fixedIndexLine = actionLine(nowIndex, null);
		}
		MessageBufferPacker doc = MessagePack.newDefaultBufferPacker();
		SecondCache timeCache = new SecondCache(this.s.timeKeyFormat);
		SecondCache dateCache = new SecondCache(this.s.logstashDateformat);
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(ev.data(), ev.offset(), ev.length())) {
			int record = -1;
			while (u.hasNext()) {
				record++;
				Event e = readEvent(u, ev.data(), ev.offset());
				if (e == null) {
					continue;
				}
				if (done.get(record)) {
					u.skipValue();
					continue;
				}
				EventTime t = this.s.currentTimeIndex ? now : e.time;
				doc.clear();
				Map<String, Object> decoded = null;
				String index = this.s.index;
				String customPrefix = null;
				if (this.prefixKey != null) {
					decoded = e.decode(ev.data());
					Object v = this.prefixKey.get(decoded);
					if (v != null && !(v instanceof Map) && !(v instanceof List)) {
						customPrefix = (v instanceof byte[] bin) ? new String(bin, StandardCharsets.UTF_8) : String.valueOf(v);
						if (customPrefix.length() > 128) {
							customPrefix = customPrefix.substring(0, 128);
						}
						if (customPrefix.isEmpty()) {
							customPrefix = null;
						}
					}
				}
				doc.packMapHeader(e.pairs + 1 + (this.s.includeTagKey ? 1 : 0));
				doc.packRawStringHeader(this.timeKey.length);
				doc.writePayload(this.timeKey);
				byte[] ts = utf8(timestamp(t, timeCache));
				doc.packRawStringHeader(ts.length);
				doc.writePayload(ts);
				if (this.s.logstashFormat) {
					String prefix = (customPrefix != null) ? customPrefix : this.s.logstashPrefix;
					index = prefix + this.s.logstashPrefixSeparator + dateCache.format(t.seconds());
				}
				else if (this.s.currentTimeIndex) {
					index = nowIndex;
				}
				if (this.s.includeTagKey) {
					byte[] tag = utf8(chunk.tag());
					doc.packRawStringHeader(this.tagKey.length);
					doc.writePayload(this.tagKey);
					doc.packRawStringHeader(tag.length);
					doc.writePayload(tag);
				}
				int n = u.unpackMapHeader();
				for (int i = 0; i < n; i++) {
					copyKey(u, doc);
					copyValue(u, doc);
				}
				byte[] docBytes = doc.toByteArray();
				String line;
				if (this.s.generateId) {
					line = actionLine(index, Murmur3.documentId(docBytes, 0, docBytes.length));
				}
				else if (fixedIndexLine != null) {
					line = fixedIndexLine;
				}
				else {
					line = actionLine(index, null);
				}
				if (this.idKey != null) {
					if (decoded == null) {
						decoded = e.decode(ev.data());
					}
					Object id = this.idKey.get(decoded);
					if (id == null && !this.idKey.exists(decoded)) {
						this.log.warn("the value of {} is missing", this.s.idKey);
					}
					else if (!(id instanceof String)) {
						this.log.warn("the value of {} is not string", this.s.idKey);
					}
					else {
						line = actionLine(index, (String) id);
					}
				}
				JsonFormatter.Sink out = new JsonFormatter.Sink(docBytes.length * 2 + line.length() + 32);
				out.write(utf8(line));
				if (this.docPrefix != null) {
					out.writeAscii(this.docPrefix);
				}
				this.json.writeJson(docBytes, 0, out);
				if (this.docSuffix != null) {
					out.writeAscii(this.docSuffix);
				}
				out.write('\n');
				items.add(new Item(record, out.toByteArray()));
			}
		}
		return items;
	}

	private String actionLine(String index, String id) {
		StringBuilder b = new StringBuilder(96);
		b.append("{\"").append(this.action).append("\":{\"_index\":\"").append(index).append('"');
		if (!this.s.suppressTypeName) {
			b.append(",\"_type\":\"").append(this.s.type).append('"');
		}
		if (id != null) {
			b.append(",\"_id\":\"").append(id).append('"');
		}
		return b.append("}}\n").toString();
	}

	/** {@code time_key_format} on the UTC time, then {@code .mmmZ} ({@code .nnnnnnnnnZ} with {@code time_key_nanos}). */
	String timestamp(EventTime t) {
		return timestamp(t, new SecondCache(this.s.timeKeyFormat));
	}

	private String timestamp(EventTime t, SecondCache cache) {
		String sec = cache.format(t.seconds());
		StringBuilder b = new StringBuilder(sec.length() + 12).append(sec).append('.');
		if (this.s.timeKeyNanos) {
			pad(b, t.nanos(), 9);
		}
		else {
			pad(b, t.nanos() / 1_000_000, 3);
		}
		return b.append('Z').toString();
	}

	private static void pad(StringBuilder b, int v, int width) {
		String n = Integer.toString(v);
		for (int i = n.length(); i < width; i++) {
			b.append('0');
		}
		b.append(n);
	}

	/** A strftime pattern's result for the last second seen (records of a chunk share seconds). */
	private static final class SecondCache {

		private final String pattern;

		private long second = Long.MIN_VALUE;

		private String text;

		SecondCache(String pattern) {
			this.pattern = pattern;
		}

		String format(long sec) {
			if (sec != this.second || this.text == null) {
				this.text = Strftime.format(this.pattern, sec);
				this.second = sec;
			}
			return this.text;
		}
	}

	/** One decoded event: its time, and where its body map starts (the header included). */
	private static final class Event {

		EventTime time;

		int bodyOffset;

		int pairs;

		Map<String, Object> decode(byte[] data) throws IOException {
			try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data, this.bodyOffset, data.length - this.bodyOffset)) {
				return dev.sluice.event.MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
			}
		}
	}

	private static Event readEvent(MessageUnpacker u, byte[] data, int base) throws IOException {
		if (u.getNextFormat().getValueType() != ValueType.ARRAY) {
			u.skipValue();
			return null;
		}
		int n = u.unpackArrayHeader();
		if (n != 2) {
			u.skipValue(n);
			return null;
		}
		EventTime time;
		if (u.getNextFormat().getValueType() == ValueType.ARRAY) {
			int h = u.unpackArrayHeader();
			if (h < 1) {
				u.skipValue();
				return null;
			}
			time = dev.sluice.event.EventDecoder.readTime(u);
			u.skipValue(h - 1);
		}
		else {
			time = dev.sluice.event.EventDecoder.readTime(u);
		}
		if (time == null || u.getNextFormat().getValueType() != ValueType.MAP) {
			u.skipValue();
			return null;
		}
		Event e = new Event();
		e.time = time;
		e.bodyOffset = base + (int) u.getTotalReadBytes();
		// the pair count, read from the bytes; the caller reads (or skips) the map itself
		e.pairs = (int) (JsonFormatter.mapHeader(data, e.bodyOffset) >>> 32);
		return e;
	}

	private void copyKey(MessageUnpacker in, MessagePacker out) throws IOException {
		MessageFormat f = in.getNextFormat();
		byte[] key;
		if (f.getValueType() == ValueType.STRING) {
			key = in.readPayload(in.unpackRawStringHeader());
		}
		else if (f.getValueType() == ValueType.BINARY) {
			key = in.readPayload(in.unpackBinaryHeader());
		}
		else {
			// Fluent Bit writes such a key as an empty string
			in.skipValue();
			key = new byte[0];
		}
		if (this.s.replaceDots) {
			key = key.clone();
			for (int i = 0; i < key.length; i++) {
				if (key[i] == '.') {
					key[i] = '_';
				}
			}
		}
		out.packRawStringHeader(key.length);
		out.writePayload(key);
	}

	/** Re-encodes one value as msgpack-c packs it (smallest forms), maps with sanitised keys. */
	private void copyValue(MessageUnpacker in, MessagePacker out) throws IOException {
		MessageFormat f = in.getNextFormat();
		switch (f.getValueType()) {
			case NIL -> {
				in.unpackNil();
				out.packNil();
			}
			case BOOLEAN -> out.packBoolean(in.unpackBoolean());
			case INTEGER -> {
				if (f == MessageFormat.UINT64) {
					out.packBigInteger(in.unpackBigInteger());
				}
				else {
					out.packLong(in.unpackLong());
				}
			}
			case FLOAT -> {
				if (f == MessageFormat.FLOAT32) {
					out.packFloat(in.unpackFloat());
				}
				else {
					out.packDouble(in.unpackDouble());
				}
			}
			case STRING -> {
				int n = in.unpackRawStringHeader();
				out.packRawStringHeader(n);
				out.writePayload(in.readPayload(n));
			}
			case BINARY -> {
				int n = in.unpackBinaryHeader();
				out.packBinaryHeader(n);
				out.writePayload(in.readPayload(n));
			}
			case ARRAY -> {
				int n = in.unpackArrayHeader();
				out.packArrayHeader(n);
				for (int i = 0; i < n; i++) {
					copyValue(in, out);
				}
			}
			case MAP -> {
				int n = in.unpackMapHeader();
				out.packMapHeader(n);
				for (int i = 0; i < n; i++) {
					copyKey(in, out);
					copyValue(in, out);
				}
			}
			case EXTENSION -> {
				var h = in.unpackExtensionTypeHeader();
				out.packExtensionTypeHeader(h.getType(), h.getLength());
				out.writePayload(in.readPayload(h.getLength()));
			}
			default -> throw new IOException("unexpected msgpack format " + f);
		}
	}

	// ------------------------------------------------------------------------------------------
	// Flush

	public FlushResult flush(Chunk chunk) {
		if (chunk.eventType() != 0) {
			this.log.error("only logs are supported; dropping a chunk of event type {}", chunk.eventType());
			return FlushResult.ERROR;
		}
		forgetStale();
		Progress p = this.progress.computeIfAbsent(chunk.name(), (k) -> new Progress());
		p.touched = System.nanoTime();
		List<Item> items;
		try {
			items = format(chunk, p.done, EventTime.now());
		}
		catch (IOException | RuntimeException ex) {
			this.log.error("cannot format the chunk as a bulk request: {}", ex.getMessage());
			this.progress.remove(chunk.name());
			return FlushResult.ERROR;
		}
		if (items.isEmpty()) {
			return finish(chunk, p);
		}
		int size = 0;
		for (Item it : items) {
			size += it.lines().length;
		}
		byte[] body = new byte[size];
		int pos = 0;
		for (Item it : items) {
			System.arraycopy(it.lines(), 0, body, pos, it.lines().length);
			pos += it.lines().length;
		}
		if (this.s.traceOutput) {
			PrintStream out = System.out;
			out.write(body, 0, body.length);
			out.flush();
		}
		HttpResponse<byte[]> resp = post(body);
		if (resp == null) {
			return FlushResult.RETRY;
		}
		int status = resp.statusCode();
		String payload = new String(resp.body(), StandardCharsets.UTF_8);
		this.log.debug("HTTP Status={} URI={}", status, this.uri);
		if (status != 200 && status != 201) {
			if (!payload.isEmpty()) {
				this.log.error("HTTP status={} URI={}, response:\n{}\n", status, this.uri, payload);
			}
			else {
				this.log.error("HTTP status={} URI={}", status, this.uri);
			}
			return FlushResult.RETRY;
		}
		if (payload.isEmpty()) {
			this.log.error("HTTP status={} URI={}: empty response", status, this.uri);
			return FlushResult.RETRY;
		}
		JsonNode root;
		try {
			root = this.mapper.readTree(payload);
		}
		catch (RuntimeException ex) {
			this.log.error("could not pack/validate JSON response\n{}", payload);
			return FlushResult.RETRY;
		}
		JsonNode errors = (root != null) ? root.get("errors") : null;
		if (errors == null || !errors.isBoolean()) {
			this.log.error("unexpected bulk response (no boolean 'errors')\n{}", payload);
			return FlushResult.RETRY;
		}
		if (!errors.asBoolean()) {
			this.log.debug("Elasticsearch response\n{}", payload);
			for (Item it : items) {
				p.done.set(it.record());
			}
			p.indexed += items.size();
			this.indexedRecords.add(items.size());
			return finish(chunk, p);
		}
		JsonNode results = root.get("items");
		if (results == null || !results.isArray() || results.size() != items.size()) {
			this.log.error("bulk response has {} items for {} records sent; retrying them all\n{}",
					(results == null || !results.isArray()) ? 0 : results.size(), items.size(), payload);
			return FlushResult.RETRY;
		}
		if (this.s.traceError) {
			if (body.length < 4000) {
				this.log.debug("error caused by: Input\n{}\n", new String(body, StandardCharsets.UTF_8));
			}
			if (payload.length() < 4000) {
				this.log.error("error: Output\n{}", payload);
			}
			else {
				System.err.write(resp.body(), 0, resp.body().length);
				System.err.flush();
			}
		}
		int retry = 0;
		int dropped = 0;
		int ok = 0;
		for (int i = 0; i < items.size(); i++) {
			JsonNode result = results.get(i);
			JsonNode inner = (result != null && result.isObject() && result.size() == 1)
					? result.properties().iterator().next().getValue() : null;
			int itemStatus = (inner != null && inner.get("status") != null) ? inner.get("status").asInt() : 0;
			Item it = items.get(i);
			if ((itemStatus >= 200 && itemStatus < 300) || itemStatus == 409) {
				p.done.set(it.record());
				ok++;
			}
			else if (itemStatus == 429 || itemStatus >= 500 || itemStatus == 408 || itemStatus == 0) {
				retry++;
			}
			else {
				p.done.set(it.record());
				dropped++;
				JsonNode error = inner.get("error");
				String index = (inner.get("_index") != null) ? inner.get("_index").asString() : "?";
				this.log.error("record dropped: bulk item {} status={} index={} {}", i, itemStatus, index,
						describe(error));
			}
		}
		p.indexed += ok;
		p.dropped += dropped;
		this.indexedRecords.add(ok);
		this.droppedRecords.add(dropped);
		this.retriedRecords.add(retry);
		if (retry > 0) {
			this.log.warn("bulk request: {} indexed, {} dropped, {} to retry", ok, dropped, retry);
			return FlushResult.RETRY;
		}
		this.log.warn("bulk request: {} indexed, {} dropped", ok, dropped);
		return finish(chunk, p);
	}

	/** The chunk is done: OK, or ERROR when every record was dropped. */
	private FlushResult finish(Chunk chunk, Progress p) {
		this.progress.remove(chunk.name());
		return (p.indexed == 0 && p.dropped > 0) ? FlushResult.ERROR : FlushResult.OK;
	}

	private static String describe(JsonNode error) {
		if (error == null) {
			return "(no error detail)";
		}
		if (!error.isObject()) {
			return "error=" + error;
		}
		StringBuilder b = new StringBuilder();
		b.append("type=").append(text(error.get("type"))).append(" reason=").append(text(error.get("reason")));
		JsonNode cause = error.get("caused_by");
		if (cause != null && cause.isObject()) {
			b.append(" caused_by=").append(text(cause.get("type"))).append(": ").append(text(cause.get("reason")));
		}
		return b.toString();
	}

	private static String text(JsonNode n) {
		return (n == null) ? "" : n.isString() ? n.asString() : n.toString();
	}

	private void forgetStale() {
		long now = System.nanoTime();
		this.progress.values().removeIf((p) -> now - p.touched > FORGET_AFTER_NANOS);
	}

	/** Sends the body; null (logged) when the request failed as a whole. */
	private HttpResponse<byte[]> post(byte[] body) {
		byte[] payload = body;
		boolean compressed = false;
		if (this.gzip) {
			try {
				ByteArrayOutputStream bos = new ByteArrayOutputStream(body.length / 2 + 32);
				try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
					gz.write(body);
				}
				payload = bos.toByteArray();
				compressed = true;
			}
			catch (IOException ex) {
				this.log.error("cannot gzip payload, disabling compression");
			}
		}
		HttpRequest.Builder rb = HttpRequest.newBuilder(this.target)
			.POST(HttpRequest.BodyPublishers.ofByteArray(payload))
			.header("User-Agent", "Fluent-Bit")
			.header("Content-Type", "application/x-ndjson");
		if (this.authorization != null) {
			rb.header("Authorization", this.authorization);
		}
		if (compressed) {
			rb.header("Content-Encoding", "gzip");
		}
		CompletableFuture<HttpResponse<byte[]>> f = this.client.sendAsync(rb.build(),
				HttpResponse.BodyHandlers.ofByteArray());
		try {
			return f.get(this.responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			f.cancel(true);
			this.log.warn("http_do=-1 URI={}: no response within {}", this.uri, this.responseTimeout);
			return null;
		}
		catch (InterruptedException ex) {
			f.cancel(true);
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
				this.log.error("no upstream connections available to {}:{}", this.target.getHost(), this.target.getPort());
			}
			else {
				String what = (cause instanceof HttpTimeoutException) ? "timeout" : String.valueOf(cause.getMessage());
				this.log.warn("http_do=-1 URI={}: {}", this.uri, what);
			}
			return null;
		}
	}

	/** How many chunks have records waiting for a retry (for tests and diagnostics). */
	public int chunksInProgress() {
		return this.progress.size();
	}

	public void close() {
		this.client.shutdownNow();
		this.progress.clear();
	}

	// ------------------------------------------------------------------------------------------
	// TLS

	private static TlsSupport.Options tlsOptions(BulkSettings s) {
		return new TlsSupport.Options(s.tlsVerify, s.tlsCaFile, s.tlsCaPath, s.tlsCrtFile, s.tlsKeyFile, s.tlsVhost,
				s.tlsVerifyHostname, s.tlsMinVersion, s.tlsMaxVersion);
	}

	private static SSLContext sslContext(BulkSettings s) throws Exception {
		if (s.tlsVerify) {
			return TlsSupport.client(tlsOptions(s));
		}
		return TrustAll.context();
	}
}
