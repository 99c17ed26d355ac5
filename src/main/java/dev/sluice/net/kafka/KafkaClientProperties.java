package dev.sluice.net.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds the Apache Kafka Java client's configuration from a Fluent Bit kafka plugin's
 * {@code brokers}, {@code client_id}, {@code group_id} and {@code rdkafka.*} properties.
 *
 * <p>Fluent Bit hands {@code rdkafka.<key>} straight to librdkafka. The Java client has other
 * names for many of the same settings, and no equivalent for some. Each {@code rdkafka.} key is
 * translated:
 * <ul>
 * <li>by the table below (name and, where they differ, value: {@code compression.codec} →
 * {@code compression.type}, {@code request.required.acks} → {@code acks} with {@code -1} →
 * {@code all}, {@code message.max.bytes} → {@code max.request.size},
 * {@code queue.buffering.max.ms} → {@code linger.ms}, {@code message.timeout.ms} →
 * {@code delivery.timeout.ms}, {@code sasl.username}/{@code sasl.password} → a
 * {@code sasl.jaas.config} for PLAIN or SCRAM, PEM file locations → PEM trust and key stores, …);</li>
 * <li>else passed through unchanged when the Java client knows a setting of that name
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code client.id},
 * {@code session.timeout.ms}, {@code retry.backoff.ms}, …);</li>
 * <li>else dropped, with a warning naming it ({@link #warnings()}).</li>
 * </ul>
 * Nothing here touches the network; the Kafka client classes are loaded only when a kafka plugin
 * is configured.
 */
public final class KafkaClientProperties {

	/** Which client the properties are for. */
	public enum Role {
		PRODUCER, CONSUMER
	}

	/** librdkafka name → Java client name, where only the name differs. */
	private static final Map<String, String> RENAMED_COMMON = Map.ofEntries(
			Map.entry("metadata.broker.list", "bootstrap.servers"),
			Map.entry("sasl.mechanisms", "sasl.mechanism"),
			Map.entry("socket.send.buffer.bytes", "send.buffer.bytes"),
			Map.entry("socket.receive.buffer.bytes", "receive.buffer.bytes"),
			Map.entry("topic.metadata.refresh.interval.ms", "metadata.max.age.ms"),
			Map.entry("socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.ms"));

	private static final Map<String, String> RENAMED_PRODUCER = Map.ofEntries(
			Map.entry("compression.codec", "compression.type"),
			Map.entry("request.required.acks", "acks"),
			Map.entry("message.max.bytes", "max.request.size"),
			Map.entry("queue.buffering.max.ms", "linger.ms"),
			Map.entry("message.send.max.retries", "retries"),
			Map.entry("message.timeout.ms", "delivery.timeout.ms"),
			Map.entry("max.in.flight", "max.in.flight.requests.per.connection"));

	private static final Map<String, String> RENAMED_CONSUMER = Map.ofEntries(
			Map.entry("fetch.wait.max.ms", "fetch.max.wait.ms"),
			Map.entry("fetch.message.max.bytes", "max.partition.fetch.bytes"),
			Map.entry("max.partition.fetch.bytes", "max.partition.fetch.bytes"));

	/** librdkafka settings with no Java equivalent that Fluent Bit itself sets; dropped quietly. */
	private static final Set<String> QUIET = Set.of("receive.message.max.bytes");

	private final Role role;

	private final Properties properties = new Properties();

	private final List<String> warnings = new ArrayList<>();

	private final Map<String, String> applied = new LinkedHashMap<>();

	private String saslUsername;

	private String saslPassword;

	private String sslCertificateLocation;

	private String sslKeyLocation;

	private KafkaClientProperties(Role role) {
		this.role = role;
	}

	/**
	 * Translates a plugin's settings.
	 * @param brokers {@code brokers} (required)
	 * @param clientId {@code client_id}, or null for Fluent Bit's default {@code fluent-bit}
	 * @param groupId {@code group_id} for a consumer (null: {@code fluent-bit}); ignored for a producer
	 * @param rdkafka the {@code rdkafka.} properties, key without the prefix
	 * @throws IllegalArgumentException when {@code brokers} is missing or a value cannot be used
	 */
	public static KafkaClientProperties of(Role role, String brokers, String clientId, String groupId,
			Map<String, String> rdkafka) {
		KafkaClientProperties k = new KafkaClientProperties(role);
		if (brokers == null || brokers.isBlank()) {
			throw new IllegalArgumentException("config: no brokers defined");
		}
		k.properties.put("bootstrap.servers", brokers.trim());
		k.properties.put("client.id", (clientId != null && !clientId.isBlank()) ? clientId : "fluent-bit");
		if (role == Role.CONSUMER) {
			k.properties.put("group.id", (groupId != null && !groupId.isBlank()) ? groupId : "fluent-bit");
		}
		if (rdkafka != null) {
			for (Map.Entry<String, String> e : rdkafka.entrySet()) {
				if (!e.getKey().isEmpty()) {
					k.translate(e.getKey().toLowerCase(Locale.ROOT), e.getValue().trim());
				}
			}
		}
		k.finish();
		return k;
	}

	/** The Java client's configuration. */
	public Properties properties() {
		return this.properties;
	}

	/** One line per {@code rdkafka.} key that has no Java client equivalent (not applied). */
	public List<String> warnings() {
		return this.warnings;
	}

	/** Each applied {@code rdkafka.} key with the Java client setting it became. */
	public Map<String, String> applied() {
		return this.applied;
	}

	private void translate(String key, String value) {
		switch (key) {
			case "sasl.username" -> {
				this.saslUsername = value;
				this.applied.put(key, "sasl.jaas.config");
				return;
			}
			case "sasl.password" -> {
				this.saslPassword = value;
				this.applied.put(key, "sasl.jaas.config");
				return;
			}
			case "ssl.ca.location" -> {
				put(key, "ssl.truststore.location", value);
				this.properties.put("ssl.truststore.type", "PEM");
				return;
			}
			case "ssl.certificate.location" -> {
				this.sslCertificateLocation = value;
				this.applied.put(key, "ssl.keystore.certificate.chain");
				return;
			}
			case "ssl.key.location" -> {
				this.sslKeyLocation = value;
				this.applied.put(key, "ssl.keystore.key");
				return;
			}
			case "ssl.key.password" -> {
				put(key, "ssl.key.password", value);
				return;
			}
			case "security.protocol" -> {
				put(key, "security.protocol", value.toUpperCase(Locale.ROOT));
				return;
			}
			case "ssl.endpoint.identification.algorithm" -> {
				put(key, "ssl.endpoint.identification.algorithm",
						value.equalsIgnoreCase("none") ? "" : value.toLowerCase(Locale.ROOT));
				return;
			}
			case "client.id", "group.id", "bootstrap.servers", "metadata.broker.list" -> {
				put(key, RENAMED_COMMON.getOrDefault(key, key), value);
				return;
			}
			default -> {
			}
		}
		if (this.role == Role.PRODUCER) {
			switch (key) {
				case "compression.codec", "compression.type" -> {
					put(key, "compression.type", value.toLowerCase(Locale.ROOT));
					return;
				}
				case "request.required.acks", "acks" -> {
					put(key, "acks", value.equals("-1") ? "all" : value);
					return;
				}
				case "queue.buffering.max.kbytes" -> {
					put(key, "buffer.memory", Long.toString(parseLong(key, value) * 1024));
					return;
				}
				default -> {
				}
			}
			String renamed = RENAMED_PRODUCER.get(key);
			if (renamed != null) {
				put(key, renamed, value);
				return;
			}
		}
		else {
			switch (key) {
				case "auto.offset.reset" -> {
					String v = switch (value.toLowerCase(Locale.ROOT)) {
						case "smallest", "earliest", "beginning" -> "earliest";
						case "largest", "latest", "end" -> "latest";
						case "error" -> "none";
						default -> throw new IllegalArgumentException(
								"rdkafka.auto.offset.reset: invalid value '" + value + "'");
					};
					put(key, "auto.offset.reset", v);
					return;
				}
				case "partition.assignment.strategy" -> {
					List<String> classes = new ArrayList<>();
					for (String s : value.split(",")) {
						classes.add(switch (s.trim().toLowerCase(Locale.ROOT)) {
							case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
							case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
							case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
							default -> s.trim();
						});
					}
					put(key, "partition.assignment.strategy", String.join(",", classes));
					return;
				}
				case "enable.auto.commit" -> {
					this.warnings.add("rdkafka.enable.auto.commit is ignored: use the plugin's enable_auto_commit option");
					return;
				}
				default -> {
				}
			}
			String renamed = RENAMED_CONSUMER.get(key);
			if (renamed != null) {
				put(key, renamed, value);
				return;
			}
		}
		String renamed = RENAMED_COMMON.get(key);
		if (renamed != null) {
			put(key, renamed, value);
			return;
		}
		Set<String> known = (this.role == Role.PRODUCER) ? ProducerConfig.configNames() : ConsumerConfig.configNames();
		if (known.contains(key)) {
			put(key, key, value);
			return;
		}
		if (!QUIET.contains(key)) {
			this.warnings.add("rdkafka." + key + " has no equivalent in the Java Kafka client: ignored");
		}
	}

	private void put(String rdkafkaKey, String javaKey, String value) {
		this.properties.put(javaKey, value);
		this.applied.put(rdkafkaKey, javaKey);
	}

	private void finish() {
		if (this.saslUsername != null || this.saslPassword != null) {
			String mechanism = this.properties.getProperty("sasl.mechanism", "PLAIN").toUpperCase(Locale.ROOT);
			String module = switch (mechanism) {
				case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
				case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
				default -> null;
			};
			if (module == null) {
				this.warnings.add("rdkafka.sasl.username/sasl.password apply to PLAIN and SCRAM only, not " + mechanism
						+ ": ignored");
			}
			else if (!this.properties.containsKey("sasl.jaas.config")) {
				this.properties.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(this.saslUsername)
						+ "\" password=\"" + jaasEscape(this.saslPassword) + "\";");
			}
		}
		if (this.sslCertificateLocation != null || this.sslKeyLocation != null) {
			if (this.sslCertificateLocation == null || this.sslKeyLocation == null) {
				throw new IllegalArgumentException(
						"rdkafka.ssl.certificate.location and rdkafka.ssl.key.location must be set together");
			}
			this.properties.put("ssl.keystore.type", "PEM");
			this.properties.put("ssl.keystore.certificate.chain", read(this.sslCertificateLocation));
			this.properties.put("ssl.keystore.key", read(this.sslKeyLocation));
		}
		if (this.role == Role.PRODUCER && this.properties.containsKey("delivery.timeout.ms")) {
			// librdkafka has no such constraint; the Java producer refuses
			// delivery.timeout.ms < linger.ms + request.timeout.ms
			long delivery = parseLong("delivery.timeout.ms", this.properties.getProperty("delivery.timeout.ms"));
			long linger = parseLong("linger.ms", this.properties.getProperty("linger.ms", "5"));
			long request = parseLong("request.timeout.ms", this.properties.getProperty("request.timeout.ms", "30000"));
			if (delivery < linger + request && delivery - linger > 0) {
				this.properties.put("request.timeout.ms", Long.toString(delivery - linger));
			}
		}
	}

	private static String read(String path) {
		try {
			return Files.readString(Path.of(path), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("cannot read " + path + ": " + ex.getMessage(), ex);
		}
	}

	private static long parseLong(String key, String value) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(key + ": not a number: '" + value + "'", ex);
		}
	}

	private static String jaasEscape(String s) {
		return (s == null) ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
	}
}
