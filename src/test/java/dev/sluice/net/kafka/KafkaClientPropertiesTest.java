package dev.sluice.net.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.net.kafka.KafkaClientProperties.Role;

/** Translation of Fluent Bit's kafka options and {@code rdkafka.*} keys to the Java client's. */
class KafkaClientPropertiesTest {

	private static Map<String, String> rd(String... kv) {
		Map<String, String> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put(kv[i], kv[i + 1]);
		}
		return m;
	}

	@Test
	void defaultsAsFluentBit() {
		Properties p = KafkaClientProperties.of(Role.CONSUMER, "a:9092,b:9092", null, null, null).properties();
		assertThat(p).containsEntry("bootstrap.servers", "a:9092,b:9092")
			.containsEntry("client.id", "fluent-bit")
			.containsEntry("group.id", "fluent-bit");
		Properties q = KafkaClientProperties.of(Role.PRODUCER, "a:9092", "agent-1", "ignored", null).properties();
		assertThat(q).containsEntry("client.id", "agent-1").doesNotContainKey("group.id");
	}

	@Test
	void missingBrokersIsAnError() {
		assertThatThrownBy(() -> KafkaClientProperties.of(Role.PRODUCER, null, null, null, null))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("config: no brokers defined");
	}

	@Test
	void producerKeysAreRenamedAndValuesConverted() {
		KafkaClientProperties k = KafkaClientProperties.of(Role.PRODUCER, "b:1", null, null,
				rd("compression.codec", "LZ4", "request.required.acks", "-1", "message.max.bytes", "2000000",
						"queue.buffering.max.ms", "50", "queue.buffering.max.kbytes", "1024",
						"message.send.max.retries", "3", "security.protocol", "sasl_ssl", "sasl.mechanisms", "PLAIN",
						"sasl.username", "user", "sasl.password", "p\"w", "client.id", "from-rdkafka",
						"retry.backoff.ms", "250", "enable.idempotence", "true"));
		assertThat(k.properties()).containsEntry("compression.type", "lz4")
			.containsEntry("acks", "all")
			.containsEntry("max.request.size", "2000000")
			.containsEntry("linger.ms", "50")
			.containsEntry("buffer.memory", "1048576")
			.containsEntry("retries", "3")
			.containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("sasl.mechanism", "PLAIN")
			.containsEntry("client.id", "from-rdkafka")
			.containsEntry("retry.backoff.ms", "250")
			.containsEntry("enable.idempotence", "true")
			.containsEntry("sasl.jaas.config",
					"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"user\" password=\"p\\\"w\";");
		assertThat(k.warnings()).isEmpty();
	}

	@Test
	void keysWithoutEquivalentAreNamedInWarnings() {
		KafkaClientProperties k = KafkaClientProperties.of(Role.PRODUCER, "b:1", null, null,
				rd("batch.num.messages", "10000", "queue.buffering.max.messages", "100", "log_level", "7"));
		assertThat(k.warnings()).containsExactly(
				"rdkafka.batch.num.messages has no equivalent in the Java Kafka client: ignored",
				"rdkafka.queue.buffering.max.messages has no equivalent in the Java Kafka client: ignored",
				"rdkafka.log_level has no equivalent in the Java Kafka client: ignored");
		assertThat(k.properties()).doesNotContainKeys("batch.num.messages", "queue.buffering.max.messages", "log_level");
	}

	@Test
	void consumerKeys() {
		KafkaClientProperties k = KafkaClientProperties.of(Role.CONSUMER, "b:1", null, "g1",
				rd("auto.offset.reset", "smallest", "fetch.wait.max.ms", "100", "partition.assignment.strategy",
						"roundrobin", "session.timeout.ms", "10000", "enable.auto.commit", "true",
						"receive.message.max.bytes", "1000"));
		assertThat(k.properties()).containsEntry("group.id", "g1")
			.containsEntry("auto.offset.reset", "earliest")
			.containsEntry("fetch.max.wait.ms", "100")
			.containsEntry("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RoundRobinAssignor")
			.containsEntry("session.timeout.ms", "10000")
			.doesNotContainKeys("enable.auto.commit", "receive.message.max.bytes");
		assertThat(k.warnings())
			.containsExactly("rdkafka.enable.auto.commit is ignored: use the plugin's enable_auto_commit option");
	}

	@Test
	void producerOnlyKeysOnAConsumerAreWarnedAbout() {
		KafkaClientProperties k = KafkaClientProperties.of(Role.CONSUMER, "b:1", null, null,
				rd("compression.codec", "gzip"));
		assertThat(k.warnings())
			.containsExactly("rdkafka.compression.codec has no equivalent in the Java Kafka client: ignored");
	}

	@Test
	void shortMessageTimeoutLowersTheRequestTimeout() {
		KafkaClientProperties k = KafkaClientProperties.of(Role.PRODUCER, "b:1", null, null,
				rd("message.timeout.ms", "3000", "queue.buffering.max.ms", "5"));
		assertThat(k.properties()).containsEntry("delivery.timeout.ms", "3000").containsEntry("request.timeout.ms", "2995");
	}

	@Test
	void pemFilesBecomePemStores(@TempDir Path dir) throws Exception {
		Path ca = Files.writeString(dir.resolve("ca.pem"), "CA");
		Path crt = Files.writeString(dir.resolve("c.pem"), "CERT");
		Path key = Files.writeString(dir.resolve("k.pem"), "KEY");
		Properties p = KafkaClientProperties.of(Role.PRODUCER, "b:1", null, null,
				rd("ssl.ca.location", ca.toString(), "ssl.certificate.location", crt.toString(), "ssl.key.location",
						key.toString(), "ssl.endpoint.identification.algorithm", "none"))
			.properties();
		assertThat(p).containsEntry("ssl.truststore.type", "PEM")
			.containsEntry("ssl.truststore.location", ca.toString())
			.containsEntry("ssl.keystore.type", "PEM")
			.containsEntry("ssl.keystore.certificate.chain", "CERT")
			.containsEntry("ssl.keystore.key", "KEY")
			.containsEntry("ssl.endpoint.identification.algorithm", "");
	}
}
