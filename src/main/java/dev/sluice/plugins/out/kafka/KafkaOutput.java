package dev.sluice.plugins.out.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.net.kafka.KafkaClientProperties;
import dev.sluice.parser.MsgpackWriter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code kafka} output on the Apache Kafka Java client: one Kafka message per
 * record.
 *
 * <ul>
 * <li>Value: {@code format json} (the default) or {@code msgpack}: the record with
 * {@code timestamp_key} ({@code @timestamp}) first, as a double ({@code timestamp_format double},
 * the default), {@code iso8601} ({@code 2026-11-22T06:40:01.123456Z}) or {@code iso8601_ns};
 * {@code raw}: the string value of {@code raw_log_key} alone (a record without it is skipped and
 * logged).</li>
 * <li>Topic: the first of {@code topics} ({@code fluent-bit} when unset); with {@code topic_key},
 * the record's string value of that key when it names one of {@code topics}, or with
 * {@code dynamic_topic on} any topic (added on first use; names with a comma or longer than 249
 * characters fall back to the default).</li>
 * <li>Key: the string value of {@code message_key_field} in the record, else {@code message_key},
 * else none.</li>
 * <li>Delivery: a flush returns OK only once the broker acknowledged every record of the chunk
 * (the producer's futures); RETRY when any failed with a retriable error or timed out (the chunk
 * is sent again: records of it that did arrive arrive again, so delivery is at-least-once);
 * ERROR when the only failures cannot be fixed by retrying. When the producer cannot take a
 * record within {@code max.block.ms} (1 s unless set: buffer full or broker unreachable) the
 * record is offered again, {@code queue_full_retries} times in all (0: no limit), then the
 * flush returns RETRY, as Fluent Bit retries its full librdkafka queue once a second.</li>
 * <li>Not a network plugin in Fluent Bit's sense: no {@code net.*} or {@code tls.*} keys; TLS and
 * SASL are set with {@code rdkafka.security.protocol}, {@code rdkafka.ssl.*} and
 * {@code rdkafka.sasl.*}.</li>
 * <li>{@code rdkafka.*}: translated to the Java client's settings by
 * {@link KafkaClientProperties}; each one with no equivalent is named in a warning. The Java
 * producer's own defaults apply otherwise: {@code acks=all} and {@code enable.idempotence=true}
 * (the broker drops the producer's own internal resends within a session).</li>
 * </ul>
 */
@Plugin(kind = PluginKind.OUTPUT, name = "kafka", description = "Kafka", config = KafkaOutputConfig.class)
public final class KafkaOutput implements OutputPlugin<KafkaOutputConfig> {

	enum Format {
		JSON, MSGPACK, RAW
	}

	enum TimestampFormat {
		DOUBLE, ISO8601, ISO8601_NS
	}

	private static final String DEFAULT_TOPIC = "fluent-bit";

	private static final int MAX_TOPIC_LENGTH = 249;

	private Logger log;

	private Format format;

	private TimestampFormat timestampFormat;

	private byte[] timestampKey;

	private byte[] topicKey;

	private boolean dynamicTopic;

	private byte[] messageKeyField;

	private byte[] messageKey;

	private byte[] rawLogKey;

	private String defaultTopic;

	private final Set<String> topics = ConcurrentHashMap.newKeySet();

	private JsonFormatter json;

	private KafkaSender sender;

	/** How long closing waits for records still in flight (Fluent Bit waits its grace period). */
	private final Duration closeTimeout = Duration.ofSeconds(5);

	@Override
	public void init(KafkaOutputConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		this.json = JsonFormatter.standard();
		if (c.awsMskIam || c.awsMskIamClusterArn != null) {
			throw new IllegalArgumentException("aws_msk_iam is not supported");
		}
		this.format = parseFormat(c.format);
		this.timestampFormat = TimestampFormat.DOUBLE;
		if (c.timestampFormat != null) {
			switch (c.timestampFormat.toLowerCase(Locale.ROOT)) {
				case "iso8601" -> this.timestampFormat = TimestampFormat.ISO8601;
				case "iso8601_ns" -> this.timestampFormat = TimestampFormat.ISO8601_NS;
				default -> {
				}
			}
		}
		this.timestampKey = bytes((c.timestampKey != null) ? c.timestampKey : "@timestamp");
		this.topicKey = bytes(c.topicKey);
		this.dynamicTopic = c.dynamicTopic;
		this.messageKeyField = bytes(c.messageKeyField);
		this.messageKey = bytes(c.messageKey);
		this.rawLogKey = bytes(c.rawLogKey);
		if (this.format == Format.RAW && this.rawLogKey == null) {
			throw new IllegalArgumentException("format raw needs raw_log_key");
		}
		List<String> configured = new ArrayList<>();
		if (c.topics != null) {
			for (String t : c.topics.split(",")) {
				if (!t.isBlank()) {
					configured.add(t.trim());
				}
			}
		}
		if (configured.isEmpty()) {
			if (c.topics != null) {
				this.log.warn("invalid topics defined, setting default");
			}
			configured.add(DEFAULT_TOPIC);
		}
		this.defaultTopic = configured.get(0);
		this.topics.addAll(configured);
		if (c.otlpLogsPartitionByResource) {
			this.log.warn("otlp_logs_partition_by_resource applies to the otlp formats only: ignored");
		}

		KafkaClientProperties kp = KafkaClientProperties.of(KafkaClientProperties.Role.PRODUCER, c.brokers, c.clientId,
				null, c.rdkafka);
		for (String w : kp.warnings()) {
			this.log.warn(w);
		}
		Properties props = kp.properties();
		// how long one attempt to enqueue a record may block (full buffer, no metadata yet)
		props.putIfAbsent("max.block.ms", "1000");
		int retries = Math.max(0, c.queueFullRetries);
		this.sender = new KafkaSender(props, retries, this.log);
		this.log.info("brokers='{}' topics='{}'", c.brokers, c.topics);
	}

	private Format parseFormat(String s) {
		if (s == null) {
			return Format.JSON;
		}
		return switch (s.toLowerCase(Locale.ROOT)) {
			case "json" -> Format.JSON;
			case "msgpack" -> Format.MSGPACK;
			case "raw" -> Format.RAW;
			case "gelf", "avro", "otlp_json", "otlp_proto" ->
				throw new IllegalArgumentException("format '" + s + "' is not supported yet (json, msgpack, raw)");
			default -> {
				this.log.warn("unknown format '{}', using json", s);
				yield Format.JSON;
			}
		};
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		if (chunk.eventType() != 0) {
			this.log.error("format '{}' only supports logs", this.format.name().toLowerCase(Locale.ROOT));
			return FlushResult.ERROR;
		}
		KafkaSender.Batch batch = this.sender.batch();
		JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(chunk.events());
		MsgpackWriter mp = new MsgpackWriter(512);
		JsonFormatter.Sink sink = (this.format == Format.JSON) ? new JsonFormatter.Sink(512) : null;
		int skipped = 0;
		try {
			while (c.next()) {
				if (c.isGroupMarker()) {
					continue;
				}
				FlushResult r = produce(c, mp, sink, batch);
				if (r == FlushResult.ERROR) {
					skipped++;
				}
				else if (r != null) {
					// could not enqueue: what was queued is still awaited, then the chunk retried
					batch.await();
					return r;
				}
			}
		}
		catch (EventFormatException ex) {
			this.log.error("invalid events in chunk {}: {}", chunk.name(), ex.getMessage());
			FlushResult sent = batch.await();
			return (sent == FlushResult.OK) ? FlushResult.ERROR : sent;
		}
		if (skipped > 0) {
			this.log.error("{} records of chunk {} could not be sent and were skipped", skipped, chunk.name());
		}
		return batch.await();
	}

	/** Builds and enqueues one record's message; null when queued. */
	private FlushResult produce(JsonFormatter.EventCursor c, MsgpackWriter mp, JsonFormatter.Sink sink,
			KafkaSender.Batch batch) {
		byte[] b = c.data();
		int body = c.bodyOffset();
		long header = JsonFormatter.mapHeader(b, body);
		if (header < 0) {
			this.log.warn("record is not a map: skipped");
			return FlushResult.ERROR;
		}
		int n = (int) (header >>> 32);
		int first = (int) header;
		int end = c.end();

		byte[] key = null;
		byte[] raw = null;
		String topic = null;
		int p = first;
		for (int i = 0; i < n; i++) {
			int k = p;
			int v = JsonFormatter.skip(b, k);
			p = JsonFormatter.skip(b, v);
			long ks = JsonFormatter.strSpan(b, k);
			long vs = JsonFormatter.strSpan(b, v);
			if (ks < 0 || vs < 0) {
				continue;
			}
			if (key == null && equalsKey(b, ks, this.messageKeyField)) {
				key = slice(b, vs);
			}
			if (raw == null && this.format == Format.RAW && equalsKey(b, ks, this.rawLogKey)) {
				raw = slice(b, vs);
			}
			if (topic == null && equalsKey(b, ks, this.topicKey)) {
				topic = topicFor(new String(b, (int) (vs >>> 32), (int) vs, StandardCharsets.UTF_8));
			}
		}
		if (key == null) {
			key = this.messageKey;
		}
		if (topic == null) {
			topic = this.defaultTopic;
		}

		byte[] value;
		if (this.format == Format.RAW) {
			if (raw == null) {
				this.log.error("missing raw_log_key");
				return FlushResult.ERROR;
			}
			value = raw;
		}
		else {
			mp.reset();
			mp.mapHeader(n + 1);
			mp.str(this.timestampKey, 0, this.timestampKey.length);
			writeTimestamp(c, mp);
			mp.writeRaw(b, first, end - first);
			if (this.format == Format.MSGPACK) {
				value = mp.toByteArray();
			}
			else {
				sink.reset();
				this.json.writeJson(mp.buffer(), 0, sink);
				value = sink.toByteArray();
			}
		}
		return batch.add(topic, key, value);
	}

	private void writeTimestamp(JsonFormatter.EventCursor c, MsgpackWriter mp) {
		if (this.timestampFormat == TimestampFormat.DOUBLE) {
			mp.float64(c.seconds() + c.nanos() / 1e9);
			return;
		}
		JsonFormatter.Sink s = new JsonFormatter.Sink(40);
		JsonFormatter.appendUtcDateTime(s, c.seconds(), 'T');
		s.write('.');
		if (this.timestampFormat == TimestampFormat.ISO8601) {
			JsonFormatter.appendPadded(s, c.nanos() / 1000, 6);
		}
		else {
			JsonFormatter.appendPadded(s, c.nanos(), 9);
		}
		s.write('Z');
		byte[] t = s.toByteArray();
		mp.str(t, 0, t.length);
	}

	/** The topic for a record's {@code topic_key} value, as Fluent Bit picks it. */
	private String topicFor(String name) {
		if (this.topics.contains(name)) {
			return name;
		}
		if (!this.dynamicTopic) {
			return this.defaultTopic;
		}
		if (name.indexOf(',') >= 0) {
			this.log.warn("',' not allowed in dynamic_kafka topic names");
			return this.defaultTopic;
		}
		if (name.length() > MAX_TOPIC_LENGTH || name.isEmpty()) {
			this.log.warn(" dynamic kafka topic length > 249 not allowed");
			return this.defaultTopic;
		}
		if (this.topics.add(name)) {
			this.log.info("new topic added: {}", name);
		}
		return name;
	}

	private static boolean equalsKey(byte[] b, long span, byte[] key) {
		if (key == null || (int) span != key.length) {
			return false;
		}
		int off = (int) (span >>> 32);
		return Arrays.equals(b, off, off + key.length, key, 0, key.length);
	}

	private static byte[] slice(byte[] b, long span) {
		int off = (int) (span >>> 32);
		return Arrays.copyOfRange(b, off, off + (int) span);
	}

	private static byte[] bytes(String s) {
		return (s == null) ? null : s.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void exit() {
		if (this.sender != null) {
			this.sender.close(this.closeTimeout);
		}
	}
}
