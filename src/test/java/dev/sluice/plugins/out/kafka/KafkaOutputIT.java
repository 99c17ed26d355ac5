package dev.sluice.plugins.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;
import dev.sluice.testing.KafkaTestCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kafka output in a running pipeline (lib input → kafka) against an in-process KRaft broker,
 * read back with a real Kafka consumer. One cluster for the class, reached through a TCP proxy
 * so that a test can make the broker unreachable and bring it back.
 */
class KafkaOutputIT {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private static final EventTime T = new EventTime(1_795_314_975L, 103_472_000);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static KafkaTestCluster kafka;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	@BeforeAll
	static void startKafka() throws Exception {
		kafka = KafkaTestCluster.startProxied();
	}

	@AfterAll
	static void stopKafka() throws Exception {
		if (kafka != null) {
			kafka.close();
		}
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("output:kafka:kafka.0")).detachAppender(this.logs);
		}
		kafka.proxyUp();
	}

	private EmbeddedSluice sluice(String... options) {
		List<String> args = new ArrayList<>(List.of("match", "*", "brokers", kafka.bootstrap()));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder()
			.unitMillis(20)
			.service("flush", "0.1")
			.service("scheduler.base", "1")
			.service("scheduler.cap", "1")
			.input("lib", "tag", "app")
			.output("kafka", args.toArray(String[]::new))
			.build();
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("output:kafka:kafka.0")).addAppender(this.logs);
		s.start();
		this.closeables.add(s);
		return s;
	}

	private static void push(EmbeddedSluice s, Map<String, ?> record) throws Exception {
		s.plugin("lib.0", LibInput.class).push(T, record);
	}

	private static String value(ConsumerRecord<byte[], byte[]> r) {
		return new String(r.value(), StandardCharsets.UTF_8);
	}

	private static Map<Long, Integer> countByN(List<ConsumerRecord<byte[], byte[]>> records) {
		Map<Long, Integer> count = new HashMap<>();
		for (ConsumerRecord<byte[], byte[]> r : records) {
			count.merge(JSON.readTree(r.value()).get("n").asLong(), 1, Integer::sum);
		}
		return count;
	}

	@Test
	void recordsArriveOnceAsJsonWithTheTimestampFirst() throws Exception {
		kafka.createTopic("out-json", 3);
		EmbeddedSluice s = sluice("topics", "out-json");
		for (int i = 0; i < 200; i++) {
			push(s, Map.of("n", (long) i, "msg", "hello \"kafka\""));
		}
		List<ConsumerRecord<byte[], byte[]>> got = kafka.read("out-json", 200, DEADLINE);
		Map<Long, Integer> count = countByN(got);
		assertThat(count).hasSize(200);
		assertThat(count.values()).containsOnly(1);
		ConsumerRecord<byte[], byte[]> r = got.get(0);
		assertThat(r.key()).isNull();
		assertThat(value(r)).startsWith("{\"@timestamp\":1795314975.103472,");
		JsonNode j = JSON.readTree(r.value());
		assertThat(j.get("msg").asString()).isEqualTo("hello \"kafka\"");
		Await.until(DEADLINE, "metrics", () -> s.output("kafka.0").metrics().procRecords.sum() == 200);
		assertThat(s.output("kafka.0").metrics().retries.sum()).isZero();
	}

	@Test
	void topicKeyDynamicTopicAndMessageKeyField() throws Exception {
		kafka.createTopic("out-default", 1);
		kafka.createTopic("out-known", 1);
		EmbeddedSluice s = sluice("topics", "out-default, out-known", "topic_key", "dest", "dynamic_topic", "on",
				"message_key_field", "user", "message_key", "static-key");
		push(s, Map.of("n", 1L, "dest", "out-known", "user", "alice"));
		push(s, Map.of("n", 2L, "dest", "out-dynamic", "user", "bob"));
		push(s, Map.of("n", 3L));
		push(s, Map.of("n", 4L, "dest", "bad,name"));
		List<ConsumerRecord<byte[], byte[]>> known = kafka.read("out-known", 1, DEADLINE);
		List<ConsumerRecord<byte[], byte[]>> dynamic = kafka.read("out-dynamic", 1, DEADLINE);
		List<ConsumerRecord<byte[], byte[]>> dflt = kafka.read("out-default", 2, DEADLINE);
		assertThat(countByN(known)).isEqualTo(Map.of(1L, 1));
		assertThat(new String(known.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("alice");
		assertThat(countByN(dynamic)).isEqualTo(Map.of(2L, 1));
		assertThat(new String(dynamic.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("bob");
		assertThat(countByN(dflt)).isEqualTo(Map.of(3L, 1, 4L, 1));
		assertThat(dflt).allSatisfy(
				(r) -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("static-key"));
		assertThat(this.logs.list).anySatisfy(
				(e) -> assertThat(e.getFormattedMessage()).isEqualTo("new topic added: out-dynamic"));
	}

	@Test
	void withoutDynamicTopicAnUnknownTopicKeyGoesToTheDefaultTopic() throws Exception {
		kafka.createTopic("out-static", 1);
		EmbeddedSluice s = sluice("topics", "out-static", "topic_key", "dest");
		push(s, Map.of("n", 1L, "dest", "out-elsewhere"));
		assertThat(countByN(kafka.read("out-static", 1, DEADLINE))).isEqualTo(Map.of(1L, 1));
	}

	@Test
	void msgpackFormatWithIso8601Timestamp() throws Exception {
		kafka.createTopic("out-msgpack", 1);
		EmbeddedSluice s = sluice("topics", "out-msgpack", "format", "msgpack", "timestamp_key", "ts",
				"timestamp_format", "iso8601");
		push(s, Map.of("n", 7L));
		ConsumerRecord<byte[], byte[]> r = kafka.read("out-msgpack", 1, DEADLINE).get(0);
		Map<String, Object> m = new LinkedHashMap<>();
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(r.value())) {
			int n = u.unpackMapHeader();
			for (int i = 0; i < n; i++) {
				m.put(u.unpackString(), MsgpackValues.unpack(u));
			}
		}
		assertThat(m.keySet()).containsExactly("ts", "n");
		assertThat(m).containsEntry("ts", "2026-11-22T02:36:15.103472Z").containsEntry("n", 7L);
	}

	@Test
	void iso8601NsTimestampInJson() throws Exception {
		kafka.createTopic("out-ns", 1);
		EmbeddedSluice s = sluice("topics", "out-ns", "timestamp_format", "iso8601_ns");
		push(s, Map.of("n", 8L));
		assertThat(value(kafka.read("out-ns", 1, DEADLINE).get(0)))
			.isEqualTo("{\"@timestamp\":\"2026-11-22T02:36:15.103472000Z\",\"n\":8}");
	}

	@Test
	void rawFormatSendsTheRawLogKeyOnlyAndSkipsRecordsWithoutIt() throws Exception {
		kafka.createTopic("out-raw", 1);
		EmbeddedSluice s = sluice("topics", "out-raw", "format", "raw", "raw_log_key", "log");
		push(s, Map.of("log", "line one", "other", 1L));
		push(s, Map.of("other", 2L));
		push(s, Map.of("log", "line three"));
		List<ConsumerRecord<byte[], byte[]>> got = kafka.read("out-raw", 2, DEADLINE);
		assertThat(got).extracting(KafkaOutputIT::value).containsExactly("line one", "line three");
		assertThat(this.logs.list).anySatisfy(
				(e) -> assertThat(e.getFormattedMessage()).isEqualTo("missing raw_log_key"));
	}

	@Test
	void rdkafkaPropertiesAreMappedAndTheOthersNamedInAWarning() throws Exception {
		kafka.createTopic("out-rdkafka", 1);
		EmbeddedSluice s = sluice("topics", "out-rdkafka", "rdkafka.compression.codec", "gzip",
				"rdkafka.request.required.acks", "-1", "rdkafka.queue.buffering.max.ms", "5",
				"rdkafka.batch.num.messages", "1000");
		push(s, Map.of("n", 1L));
		assertThat(countByN(kafka.read("out-rdkafka", 1, DEADLINE))).isEqualTo(Map.of(1L, 1));
		assertThat(this.logs.list).anySatisfy((e) -> assertThat(e.getFormattedMessage())
			.isEqualTo("rdkafka.batch.num.messages has no equivalent in the Java Kafka client: ignored"));
	}

	/**
	 * The broker becomes unreachable (the proxy in front of it refuses and cuts connections):
	 * flushes fail and are retried; once it is reachable again the records arrive. The outage
	 * starts before the records are sent, so none of them reached the broker before: each arrives
	 * exactly once. (In general a chunk retried after a failure part-way through is sent whole
	 * again: at-least-once.)
	 */
	@Test
	void brokerUnreachableThenReachableRecordsArrive() throws Exception {
		kafka.createTopic("out-outage", 1);
		EmbeddedSluice s = sluice("topics", "out-outage", "queue_full_retries", "2", "retry_limit", "no_limits",
				"rdkafka.message.timeout.ms", "3000", "rdkafka.reconnect.backoff.max.ms", "500");
		for (int i = 0; i < 10; i++) {
			push(s, Map.of("n", (long) i));
		}
		kafka.read("out-outage", 10, DEADLINE);
		Await.until(DEADLINE, "first batch flushed", () -> s.output("kafka.0").metrics().procRecords.sum() == 10);

		kafka.proxyDown();
		for (int i = 10; i < 30; i++) {
			push(s, Map.of("n", (long) i));
		}
		Await.until(DEADLINE, "a failed flush retried", () -> s.output("kafka.0").metrics().retries.sum() > 0);
		kafka.proxyUp();

		List<ConsumerRecord<byte[], byte[]>> got = kafka.read("out-outage", 30, DEADLINE);
		Map<Long, Integer> count = countByN(got);
		assertThat(count).hasSize(30);
		assertThat(count.values()).containsOnly(1);
		Await.until(DEADLINE, "all flushed", () -> s.output("kafka.0").metrics().procRecords.sum() == 30);
	}
}
