package dev.sluice.plugins.otlp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.event.MsgpackValues;
import dev.sluice.event.RecordAccessor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * OpenTelemetry (OTLP) events as Sluice carries them, shared by the {@code opentelemetry} input
 * and output, {@code fluentbit_metrics} and {@code prometheus_exporter}.
 *
 * <ul>
 * <li><b>Logs</b> are log events shaped as Fluent Bit 4+ does: per resource and scope a group
 * start {@code [[-1, {"schema":"otlp","resource_id":R,"scope_id":S}], {"resource":{...},
 * "scope":{...}}]}, then the records, each with metadata {@code {"otlp": {timestamp,
 * observed_timestamp, severity_number, severity_text, attributes, dropped_attributes_count,
 * trace_id, span_id, trace_flags, event_name}}} and the body (a kvlist body is the record, any
 * other body is {@code {"log": value}}), then a group end {@code [[-2, {}], {}]}.</li>
 * <li><b>Metrics and traces</b> travel in chunks of their own type (1, 2); each event is
 * {@code [[time, {}], {"otlp_protobuf": <bin>}]} whose binary is one OTLP export request
 * ({@code ExportMetricsServiceRequest} / {@code ExportTraceServiceRequest}) in protobuf, exactly
 * as received, so an OTLP output sends it on unchanged.</li>
 * </ul>
 */
public final class Otlp {

	/** The record key holding an OTLP export request (metrics and traces events). */
	public static final String PAYLOAD_KEY = "otlp_protobuf";

	private static final HexFormat HEX = HexFormat.of();

	private Otlp() {
	}

	// ---- metrics and traces events

	/** One metrics or traces event holding an export request's protobuf bytes. */
	public static EventBytes payloadEvent(byte[] protobuf) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			p.packArrayHeader(2);
			p.packArrayHeader(2);
			MsgpackValues.packEventTime(p, EventTime.now());
			p.packMapHeader(0);
			p.packMapHeader(1);
			p.packString(PAYLOAD_KEY);
			p.packBinaryHeader(protobuf.length);
			p.writePayload(protobuf);
			return EventBytes.of(p.toByteArray(), 1);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The export requests held by metrics or traces events (events without one are skipped). */
	public static List<byte[]> payloads(EventBytes events) {
		List<byte[]> out = new ArrayList<>();
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(events.data(), events.offset(), events.length())) {
			while (u.hasNext()) {
				LogEvent e = EventDecoder.readEvent(u);
				if (e != null && e.body().get(PAYLOAD_KEY) instanceof byte[] b) {
					out.add(b);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new EventFormatException("malformed OTLP event stream: " + ex.getMessage(), ex);
		}
		return out;
	}

	// ---- values

	/** An OTLP value as a Java value (maps keep their order; bytes stay bytes). */
	public static Object toJava(AnyValue v) {
		if (v == null) {
			return null;
		}
		return switch (v.getValueCase()) {
			case STRING_VALUE -> v.getStringValue();
			case BOOL_VALUE -> v.getBoolValue();
			case INT_VALUE -> v.getIntValue();
			case DOUBLE_VALUE -> v.getDoubleValue();
			case BYTES_VALUE -> v.getBytesValue().toByteArray();
			case ARRAY_VALUE -> {
				List<Object> l = new ArrayList<>(v.getArrayValue().getValuesCount());
				for (AnyValue x : v.getArrayValue().getValuesList()) {
					l.add(toJava(x));
				}
				yield l;
			}
			case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
			default -> null;
		};
	}

	public static Map<String, Object> attributes(List<KeyValue> kvs) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (KeyValue kv : kvs) {
			m.put(kv.getKey(), toJava(kv.getValue()));
		}
		return m;
	}

	/** A Java value (as decoded from msgpack) as an OTLP value. */
	public static AnyValue toAny(Object v) {
		AnyValue.Builder b = AnyValue.newBuilder();
		switch (v) {
			case null -> {
			}
			case String s -> b.setStringValue(s);
			case Boolean x -> b.setBoolValue(x);
			case Double d -> b.setDoubleValue(d);
			case Float f -> b.setDoubleValue(f);
			case java.math.BigInteger i -> b.setIntValue(i.longValue());
			case Number n -> b.setIntValue(n.longValue());
			case byte[] bytes -> b.setBytesValue(ByteString.copyFrom(bytes));
			case Map<?, ?> m -> b.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(m)));
			case List<?> l -> {
				ArrayValue.Builder a = ArrayValue.newBuilder();
				for (Object o : l) {
					a.addValues(toAny(o));
				}
				b.setArrayValue(a);
			}
			default -> b.setStringValue(v.toString());
		}
		return b.build();
	}

	public static List<KeyValue> keyValues(Map<?, ?> m) {
		List<KeyValue> out = new ArrayList<>(m.size());
		for (Map.Entry<?, ?> e : m.entrySet()) {
			out.add(KeyValue.newBuilder().setKey(String.valueOf(e.getKey())).setValue(toAny(e.getValue())).build());
		}
		return out;
	}

	// ---- logs: OTLP -> events

	/** What {@link #logsToEvents} made: events per tag, in the order the tags first appeared. */
	public record TaggedEvents(String tag, EventBytes events) {
	}

	/**
	 * Turns an export request into log events with group markers, per tag: the input's tag, or
	 * the value of {@code tagKey} in each record when set (records without it keep the default).
	 */
	public static List<TaggedEvents> logsToEvents(ExportLogsServiceRequest req, String metadataKey, String bodyKey,
			RecordAccessor tagKey, String defaultTag) {
		Map<String, Builder> byTag = new LinkedHashMap<>();
		int resourceId = 0;
		for (ResourceLogs rl : req.getResourceLogsList()) {
			int scopeId = 0;
			for (ScopeLogs sl : rl.getScopeLogsList()) {
				if (sl.getLogRecordsCount() == 0) {
					scopeId++;
					continue;
				}
				Map<String, Object> groupMeta = new LinkedHashMap<>();
				groupMeta.put("schema", "otlp");
				groupMeta.put("resource_id", (long) resourceId);
				groupMeta.put("scope_id", (long) scopeId);
				Map<String, Object> groupBody = groupBody(rl, sl);
				for (Builder b : byTag.values()) {
					b.inGroup = false;
				}
				for (LogRecord r : sl.getLogRecordsList()) {
					Map<String, Object> body = recordBody(r, bodyKey);
					String tag = defaultTag;
					if (tagKey != null && tagKey.get(body) instanceof String t && !t.isEmpty()) {
						tag = t;
					}
					Builder b = byTag.computeIfAbsent(tag, (k) -> new Builder());
					if (!b.inGroup) {
						b.groupStart(groupMeta, groupBody);
					}
					b.record(recordTime(r), Map.of(metadataKey, recordMetadata(r)), body);
				}
				for (Builder b : byTag.values()) {
					if (b.inGroup) {
						b.groupEnd();
					}
				}
				scopeId++;
			}
			resourceId++;
		}
		List<TaggedEvents> out = new ArrayList<>(byTag.size());
		for (Map.Entry<String, Builder> e : byTag.entrySet()) {
			out.add(new TaggedEvents(e.getKey(), e.getValue().events()));
		}
		return out;
	}

	private static Map<String, Object> groupBody(ResourceLogs rl, ScopeLogs sl) {
		Map<String, Object> resource = new LinkedHashMap<>();
		if (rl.hasResource()) {
			Resource r = rl.getResource();
			if (r.getAttributesCount() > 0) {
				resource.put("attributes", attributes(r.getAttributesList()));
			}
			if (r.getDroppedAttributesCount() > 0) {
				resource.put("dropped_attributes_count", (long) r.getDroppedAttributesCount());
			}
			if (!rl.getSchemaUrl().isEmpty()) {
				resource.put("schema_url", rl.getSchemaUrl());
			}
		}
		Map<String, Object> scope = new LinkedHashMap<>();
		if (!sl.getSchemaUrl().isEmpty()) {
			scope.put("schema_url", sl.getSchemaUrl());
		}
		if (sl.hasScope()) {
			InstrumentationScope s = sl.getScope();
			if (!s.getName().isEmpty()) {
				scope.put("name", s.getName());
			}
			if (!s.getVersion().isEmpty()) {
				scope.put("version", s.getVersion());
			}
			if (s.getAttributesCount() > 0) {
				scope.put("attributes", attributes(s.getAttributesList()));
			}
			if (s.getDroppedAttributesCount() > 0) {
				scope.put("dropped_attributes_count", (long) s.getDroppedAttributesCount());
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("resource", resource);
		body.put("scope", scope);
		return body;
	}

	private static EventTime recordTime(LogRecord r) {
		if (r.getTimeUnixNano() > 0) {
			return EventTime.ofEpochNanos(r.getTimeUnixNano());
		}
		if (r.getObservedTimeUnixNano() > 0) {
			return EventTime.ofEpochNanos(r.getObservedTimeUnixNano());
		}
		return EventTime.now();
	}

	private static Map<String, Object> recordMetadata(LogRecord r) {
		Map<String, Object> m = new LinkedHashMap<>();
		if (r.getObservedTimeUnixNano() != 0) {
			m.put("observed_timestamp", r.getObservedTimeUnixNano());
		}
		if (r.getTimeUnixNano() != 0) {
			m.put("timestamp", r.getTimeUnixNano());
		}
		if (r.getSeverityNumberValue() >= 1 && r.getSeverityNumberValue() <= 24) {
			m.put("severity_number", (long) r.getSeverityNumberValue());
		}
		if (!r.getSeverityText().isEmpty()) {
			m.put("severity_text", r.getSeverityText());
		}
		if (r.getAttributesCount() > 0) {
			m.put("attributes", attributes(r.getAttributesList()));
		}
		if (r.getDroppedAttributesCount() > 0) {
			m.put("dropped_attributes_count", (long) r.getDroppedAttributesCount());
		}
		if (!r.getTraceId().isEmpty()) {
			m.put("trace_id", r.getTraceId().toByteArray());
		}
		if (!r.getSpanId().isEmpty()) {
			m.put("span_id", r.getSpanId().toByteArray());
		}
		m.put("trace_flags", (long) (r.getFlags() & 0xff));
		if (!r.getEventName().isEmpty()) {
			m.put("event_name", r.getEventName());
		}
		return m;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> recordBody(LogRecord r, String bodyKey) {
		if (bodyKey == null && r.hasBody() && r.getBody().getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
			return (Map<String, Object>) toJava(r.getBody());
		}
		Map<String, Object> m = new LinkedHashMap<>();
		m.put((bodyKey != null) ? bodyKey : "log", r.hasBody() ? toJava(r.getBody()) : null);
		return m;
	}

	/** Writes log events with group markers (markers are not counted as records). */
	static final class Builder {

		private final MessageBufferPacker p = MessagePack.newDefaultBufferPacker();

		private int records;

		boolean inGroup;

		void groupStart(Map<String, Object> meta, Map<String, Object> body) {
			marker(-1, meta, body);
			this.inGroup = true;
		}

		void groupEnd() {
			marker(-2, Map.of(), Map.of());
			this.inGroup = false;
		}

		private void marker(int kind, Map<String, Object> meta, Map<String, Object> body) {
			try {
				this.p.packArrayHeader(2);
				this.p.packArrayHeader(2);
				this.p.packInt(kind);
				MsgpackValues.pack(this.p, meta);
				MsgpackValues.pack(this.p, body);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void record(EventTime t, Map<String, Object> meta, Map<String, Object> body) {
			try {
				this.p.packArrayHeader(2);
				this.p.packArrayHeader(2);
				MsgpackValues.packEventTime(this.p, t);
				MsgpackValues.pack(this.p, meta);
				MsgpackValues.pack(this.p, body);
				this.records++;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		EventBytes events() {
			return EventBytes.of(this.p.toByteArray(), this.records);
		}
	}

	// ---- logs: events -> OTLP

	/**
	 * Rebuilds OTLP logs from log events: records inside a group go under the group's resource
	 * and scope (groups with the same resource share one {@code ResourceLogs}); records outside
	 * any group go under an empty resource and scope. Each request holds at most
	 * {@code batchSize} records.
	 *
	 * @param metadataKey the metadata key holding the OTLP fields ({@code otlp})
	 * @param bodyKeys record accessors tried in order for the body; the first found is the body
	 * (the whole record when none is set or none matches)
	 */
	public static List<ExportLogsServiceRequest> eventsToLogs(EventBytes events, String metadataKey,
			List<RecordAccessor> bodyKeys, int batchSize) {
		List<ExportLogsServiceRequest> out = new ArrayList<>();
		Batch batch = new Batch();
		Map<String, Object> group = null;
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(events.data(), events.offset(), events.length())) {
			while (u.hasNext()) {
				LogEvent e = EventDecoder.readEvent(u);
				if (e == null) {
					continue;
				}
				long s = e.time().seconds();
				if (s == -1) {
					group = e.body();
					continue;
				}
				if (s == -2) {
					group = null;
					continue;
				}
				batch.add(group, logRecord(e, metadataKey, bodyKeys));
				if (batch.records >= Math.max(1, batchSize)) {
					out.add(batch.build());
					batch = new Batch();
				}
			}
		}
		catch (IOException ex) {
			throw new EventFormatException("malformed event stream: " + ex.getMessage(), ex);
		}
		if (batch.records > 0) {
			out.add(batch.build());
		}
		return out;
	}

	/** Records grouped by resource and scope, in order. */
	private static final class Batch {

		private final Map<Object, ResourceLogs.Builder> resources = new LinkedHashMap<>();

		private final Map<Object, ScopeLogs.Builder> scopes = new LinkedHashMap<>();

		int records;

		void add(Map<String, Object> group, LogRecord r) {
			Object resKey = (group != null) ? Objects.requireNonNullElse(group.get("resource"), Map.of()) : Map.of();
			Object scopeKey = (group != null) ? Objects.requireNonNullElse(group.get("scope"), Map.of()) : Map.of();
			ResourceLogs.Builder rl = this.resources.computeIfAbsent(resKey, (k) -> resourceLogs((Map<?, ?>) k));
			ScopeLogs.Builder sl = this.scopes.computeIfAbsent(List.of(resKey, scopeKey), (k) -> {
				ScopeLogs.Builder b = scopeLogs((Map<?, ?>) scopeKey);
				return b;
			});
			sl.addLogRecords(r);
			this.records++;
			// remember which resource a scope belongs to
			this.owner.putIfAbsent(List.of(resKey, scopeKey), rl);
		}

		private final Map<Object, ResourceLogs.Builder> owner = new LinkedHashMap<>();

		ExportLogsServiceRequest build() {
			for (Map.Entry<Object, ScopeLogs.Builder> e : this.scopes.entrySet()) {
				this.owner.get(e.getKey()).addScopeLogs(e.getValue());
			}
			ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
			for (ResourceLogs.Builder rl : this.resources.values()) {
				b.addResourceLogs(rl);
			}
			return b.build();
		}
	}

	private static ResourceLogs.Builder resourceLogs(Map<?, ?> res) {
		ResourceLogs.Builder rl = ResourceLogs.newBuilder();
		Resource.Builder r = Resource.newBuilder();
		if (res.get("attributes") instanceof Map<?, ?> a) {
			r.addAllAttributes(keyValues(a));
		}
		if (res.get("dropped_attributes_count") instanceof Number n) {
			r.setDroppedAttributesCount(n.intValue());
		}
		if (res.get("schema_url") instanceof String s) {
			rl.setSchemaUrl(s);
		}
		return rl.setResource(r);
	}

	private static ScopeLogs.Builder scopeLogs(Map<?, ?> scope) {
		ScopeLogs.Builder sl = ScopeLogs.newBuilder();
		InstrumentationScope.Builder s = InstrumentationScope.newBuilder();
		if (scope.get("name") instanceof String n) {
			s.setName(n);
		}
		if (scope.get("version") instanceof String v) {
			s.setVersion(v);
		}
		if (scope.get("attributes") instanceof Map<?, ?> a) {
			s.addAllAttributes(keyValues(a));
		}
		if (scope.get("dropped_attributes_count") instanceof Number n) {
			s.setDroppedAttributesCount(n.intValue());
		}
		if (scope.get("schema_url") instanceof String u) {
			sl.setSchemaUrl(u);
		}
		return sl.setScope(s);
	}

	private static LogRecord logRecord(LogEvent e, String metadataKey, List<RecordAccessor> bodyKeys) {
		LogRecord.Builder b = LogRecord.newBuilder();
		long nanos = e.time().toEpochNanos();
		b.setTimeUnixNano(nanos);
		Map<?, ?> otlp = (e.metadata().get(metadataKey) instanceof Map<?, ?> m) ? m : Map.of();
		if (otlp.get("timestamp") instanceof Number n) {
			b.setTimeUnixNano(n.longValue());
		}
		if (otlp.get("observed_timestamp") instanceof Number n) {
			b.setObservedTimeUnixNano(n.longValue());
		}
		else {
			b.setObservedTimeUnixNano(nanos);
		}
		if (otlp.get("severity_number") instanceof Number n) {
			b.setSeverityNumberValue(n.intValue());
		}
		if (otlp.get("severity_text") instanceof String s) {
			b.setSeverityText(s);
		}
		if (otlp.get("attributes") instanceof Map<?, ?> a) {
			b.addAllAttributes(keyValues(a));
		}
		if (otlp.get("dropped_attributes_count") instanceof Number n) {
			b.setDroppedAttributesCount(n.intValue());
		}
		if (id(otlp.get("trace_id"), 16) instanceof byte[] t) {
			b.setTraceId(ByteString.copyFrom(t));
		}
		if (id(otlp.get("span_id"), 8) instanceof byte[] s) {
			b.setSpanId(ByteString.copyFrom(s));
		}
		if (otlp.get("trace_flags") instanceof Number n) {
			b.setFlags(n.intValue() & 0xff);
		}
		if (otlp.get("event_name") instanceof String s) {
			b.setEventName(s);
		}
		Object body = e.body();
		for (RecordAccessor ra : bodyKeys) {
			if (ra.exists(e.body())) {
				body = ra.get(e.body());
				break;
			}
		}
		b.setBody(toAny(body));
		return b.build();
	}

	/** An id given as bytes or as a hex string, or null. */
	private static byte[] id(Object v, int len) {
		if (v instanceof byte[] b && b.length == len) {
			return b;
		}
		if (v instanceof String s && s.length() == len * 2) {
			try {
				return HEX.parseHex(s);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		return null;
	}

	// ---- OTLP/JSON

	private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();

	private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer()
		.omittingInsignificantWhitespace()
		.printingEnumsAsInts();

	private static boolean isIdKey(String k) {
		return k.equals("traceId") || k.equals("spanId") || k.equals("parentSpanId") || k.equals("trace_id")
				|| k.equals("span_id") || k.equals("parent_span_id");
	}

	/**
	 * Reads OTLP/JSON into a builder. OTLP/JSON differs from protobuf's JSON mapping in that
	 * trace and span ids are hex strings (not base64).
	 */
	public static void mergeJson(String json, Message.Builder builder) throws InvalidProtocolBufferException {
		JsonElement tree;
		try {
			tree = JsonParser.parseString(json);
		}
		catch (RuntimeException ex) {
			throw new InvalidProtocolBufferException("invalid JSON: " + ex.getMessage());
		}
		if (!tree.isJsonObject()) {
			throw new InvalidProtocolBufferException("invalid JSON: not an object");
		}
		convertIds(tree, true);
		JSON_PARSER.merge(tree.toString(), builder);
	}

	/** Writes a message as OTLP/JSON (lowerCamelCase names, enums as numbers, hex ids). */
	public static String toJson(MessageOrBuilder m) {
		try {
			JsonElement tree = JsonParser.parseString(JSON_PRINTER.print(m));
			convertIds(tree, false);
			return tree.toString();
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void convertIds(JsonElement e, boolean hexToBase64) {
		if (e.isJsonObject()) {
			JsonObject o = e.getAsJsonObject();
			for (Map.Entry<String, JsonElement> en : o.entrySet()) {
				JsonElement v = en.getValue();
				if (isIdKey(en.getKey()) && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
					String s = v.getAsString();
					try {
						String c = hexToBase64 ? Base64.getEncoder().encodeToString(HEX.parseHex(s))
								: HEX.formatHex(Base64.getDecoder().decode(s));
						en.setValue(new JsonPrimitive(c));
					}
					catch (IllegalArgumentException ex) {
						// left as it is: the parser reports what is wrong
					}
				}
				else {
					convertIds(v, hexToBase64);
				}
			}
		}
		else if (e.isJsonArray()) {
			JsonArray a = e.getAsJsonArray();
			for (JsonElement x : a) {
				convertIds(x, hexToBase64);
			}
		}
	}
}
