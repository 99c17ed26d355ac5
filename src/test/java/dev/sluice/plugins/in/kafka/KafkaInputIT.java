package dev.sluice.plugins.in.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ClassicConfigReader;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.InputInstance;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.KafkaTestCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kafka input in a running pipeline (kafka → lib output) against an in-process KRaft broker,
 * fed by a real Kafka producer. One cluster for the class.
 */
class KafkaInputIT {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static KafkaTestCluster kafka;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@BeforeAll
	static void startKafka() throws Exception {
		kafka = KafkaTestCluster.start();
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
	}

	private EmbeddedSluice sluice(String topic, String group, String... options) {
		List<String> args = new ArrayList<>(List.of("tag", "kafka.in", "brokers", kafka.bootstrap(), "topics", topic,
				"group_id", group, "poll_ms", "100", "rdkafka.auto.offset.reset", "earliest"));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder()
			.unitMillis(20)
			.service("flush", "0.1")
			.input("kafka", args.toArray(String[]::new))
			.output("lib", "match", "*")
			.build();
		s.start();
		this.closeables.add(s);
		return s;
	}

	private static List<LogEvent> events(EmbeddedSluice s) {
		return s.plugin("lib.0", LibOutput.class).events();
	}

	private static List<LogEvent> awaitEvents(EmbeddedSluice s, int n) {
		return Await.value(DEADLINE, n + " events", () -> events(s), (l) -> l.size() >= n);
	}

	private static void produce(String topic, int from, int to) throws Exception {
		try (KafkaProducer<String, String> p = kafka.producer()) {
			for (int i = from; i < to; i++) {
				p.send(new ProducerRecord<>(topic, "k" + i, "message " + i)).get();
			}
		}
	}

	private static Map<String, Integer> countPayloads(List<LogEvent> events) {
		Map<String, Integer> count = new HashMap<>();
		for (LogEvent e : events) {
			count.merge(String.valueOf(e.body().get("payload")), 1, Integer::sum);
		}
		return count;
	}

	@Test
	void producedRecordsArriveOnceInFluentBitsRecordShape() throws Exception {
		kafka.createTopic("in-once", 3);
		produce("in-once", 0, 300);
		EmbeddedSluice s = sluice("in-once", "g-once");
		List<LogEvent> got = awaitEvents(s, 300);
		Map<String, Integer> count = countPayloads(got);
		assertThat(count).hasSize(300);
		assertThat(count.values()).containsOnly(1);
		LogEvent e = got.stream().filter((x) -> "message 7".equals(x.body().get("payload"))).findFirst().orElseThrow();
		assertThat(e.body().keySet()).containsExactly("topic", "partition", "offset", "error", "key", "payload");
		assertThat(e.body()).containsEntry("topic", "in-once").containsEntry("key", "k7").containsEntry("error", null);
		assertThat(e.body().get("partition")).isInstanceOf(Long.class);
		assertThat(e.body().get("offset")).isInstanceOf(Long.class);
		// every partition's offsets are committed once the records are in the buffer
		Await.until(DEADLINE, "offsets committed", () -> {
			long total = 0;
			for (int p = 0; p < 3; p++) {
				total += Math.max(0, committed("g-once", "in-once", p));
			}
			return total == 300;
		});
	}

	private static long committed(String group, String topic, int partition) {
		try {
			return kafka.committed(group, topic, partition);
		}
		catch (Exception ex) {
			return -1;
		}
	}

	@Test
	void jsonFormatParsesPayloadsThatAreJson() throws Exception {
		kafka.createTopic("in-json", 1);
		try (KafkaProducer<String, String> p = kafka.producer()) {
			p.send(new ProducerRecord<>("in-json", "{\"level\":\"info\",\"n\":1}")).get();
			p.send(new ProducerRecord<>("in-json", "not json {")).get();
		}
		EmbeddedSluice s = sluice("in-json", "g-json", "format", "json");
		List<LogEvent> got = awaitEvents(s, 2);
		assertThat(got.get(0).body().get("payload")).isEqualTo(Map.of("level", "info", "n", 1L));
		assertThat(got.get(0).body()).containsEntry("key", null);
		assertThat(got.get(1).body().get("payload")).isEqualTo("not json {");
	}

	/**
	 * Stop the pipeline after the first records arrived, produce more, start again with the same
	 * group: it resumes at the committed offset. A single partition and a sentinel record produced
	 * last make "nothing else arrives" checkable: when the sentinel arrived, all before it did.
	 */
	@Test
	void restartResumesFromTheCommittedOffset() throws Exception {
		kafka.createTopic("in-restart", 1);
		produce("in-restart", 0, 50);
		EmbeddedSluice first = sluice("in-restart", "g-restart");
		assertThat(countPayloads(awaitEvents(first, 50))).hasSize(50);
		Await.until(DEADLINE, "offset 50 committed", () -> committed("g-restart", "in-restart", 0) == 50);
		first.close();
		assertThat(countPayloads(events(first)).values()).containsOnly(1);

		produce("in-restart", 50, 100);
		try (KafkaProducer<String, String> p = kafka.producer()) {
			p.send(new ProducerRecord<>("in-restart", "end")).get();
		}
		EmbeddedSluice second = sluice("in-restart", "g-restart");
		Await.until(DEADLINE, "the sentinel",
				() -> events(second).stream().anyMatch((e) -> "end".equals(e.body().get("payload"))));
		Map<String, Integer> count = countPayloads(events(second));
		assertThat(count).hasSize(51).containsEntry("end", 1).containsKey("message 50").containsKey("message 99");
		assertThat(count.values()).containsOnly(1);
		Await.until(DEADLINE, "offset 101 committed", () -> committed("g-restart", "in-restart", 0) == 101);
	}

	@Test
	void pausedInputResumesWithoutLossOrDuplicates() throws Exception {
		kafka.createTopic("in-pause", 1);
		EmbeddedSluice s = sluice("in-pause", "g-pause");
		produce("in-pause", 0, 10);
		awaitEvents(s, 10);
		InputInstance in = s.input("kafka.0");
		in.pause(InputInstance.PauseReason.ADMIN, "test");
		produce("in-pause", 10, 30);
		in.resume(InputInstance.PauseReason.ADMIN, "test");
		try (KafkaProducer<String, String> p = kafka.producer()) {
			p.send(new ProducerRecord<>("in-pause", "end")).get();
		}
		Await.until(DEADLINE, "the sentinel",
				() -> events(s).stream().anyMatch((e) -> "end".equals(e.body().get("payload"))));
		Map<String, Integer> count = countPayloads(events(s));
		assertThat(count).hasSize(31);
		assertThat(count.values()).containsOnly(1);
	}

	/**
	 * The README's "Scale out with Kafka" configurations, run as they are: an agent tails two
	 * files into topic {@code logs} (two partitions); two aggregators in one group share the
	 * partitions and write files. Every line arrives exactly once across the aggregators.
	 */
	@Test
	void agentAndAggregatorsFromTheReadme(@TempDir Path dir) throws Exception {
		kafka.createTopic("logs", 2);
		Path logs = Files.createDirectories(dir.resolve("logs"));
		List<String> lines = new ArrayList<>();
		for (String f : List.of("a", "b")) {
			StringBuilder sb = new StringBuilder();
			for (int i = 0; i < 100; i++) {
				String line = "line " + f + " " + i;
				lines.add(line);
				sb.append(line).append('\n');
			}
			Files.writeString(logs.resolve(f + ".log"), sb);
		}
		Path home = Path.of(System.getProperty("sluice.home", "."));
		List<Path> outDirs = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Path out = Files.createDirectories(dir.resolve("out" + i));
			outDirs.add(out);
			start(home.resolve("conf/kafka-aggregator.conf"),
					Map.of("KAFKA_BROKERS", kafka.bootstrap(), "OUT_DIR", out.toString()));
		}
		Await.until(DEADLINE, "both aggregators assigned a partition",
				() -> assignedMembers("sluice-aggregator") == 2);
		start(home.resolve("conf/kafka-agent.conf"), Map.of("KAFKA_BROKERS", kafka.bootstrap(), "LOG_PATH",
				logs.resolve("*.log").toString(), "DB_FILE", dir.resolve("tail.db").toString()));

		Map<String, Integer> count = Await.value(DEADLINE, "200 lines", () -> linesOut(outDirs),
				(m) -> m.values().stream().mapToInt(Integer::intValue).sum() >= 200);
		assertThat(count.keySet()).containsExactlyInAnyOrderElementsOf(lines);
		assertThat(count.values()).containsOnly(1);
	}

	private void start(Path conf, Map<String, String> env) {
		EmbeddedSluice s = EmbeddedSluice.of(new ClassicConfigReader(env).read(conf));
		this.closeables.add(s);
		s.start();
	}

	private static int assignedMembers(String group) {
		try {
			return kafka.assignedMembers(group);
		}
		catch (Exception ex) {
			return -1;
		}
	}

	/** The {@code log} of each record the aggregators wrote, counted. */
	private static Map<String, Integer> linesOut(List<Path> dirs) {
		Map<String, Integer> count = new HashMap<>();
		for (Path d : dirs) {
			Path f = d.resolve("logs.jsonl");
			if (!Files.exists(f)) {
				continue;
			}
			try {
				for (String l : Files.readAllLines(f)) {
					if (!l.isBlank()) {
						JsonNode j = JSON.readTree(l);
						assertThat(j.has("@timestamp")).as(l).isTrue();
						assertThat(j.get("path").asString()).as(l).endsWith(".log");
						count.merge(j.get("log").asString(), 1, Integer::sum);
					}
				}
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
		return count;
	}

	@Test
	void invalidFormatRefusesToStart() {
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice("x", "g", "format", "xml"))
			.hasMessageContaining("config: invalid format \"xml\"");
	}
}
