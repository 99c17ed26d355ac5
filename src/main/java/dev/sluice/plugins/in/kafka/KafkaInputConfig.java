package dev.sluice.plugins.in.kafka;

import java.util.Map;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code kafka} input, as Fluent Bit declares them in {@code plugins/in_kafka}
 * (same names, defaults, descriptions and order).
 */
public class KafkaInputConfig {

	@ConfigOption(name = "poll_ms", description = "Interval in milliseconds to check for new messages.", defaultValue = "500")
	public int pollMs;

	@ConfigOption(name = "topics", description = "Set the kafka topics, delimited by commas.")
	public String topics;

	@ConfigOption(name = "format", description = "Set the data format which will be used for parsing records.", defaultValue = "none")
	public String format;

	@ConfigOption(name = "brokers", description = "Set the kafka brokers, delimited by commas.")
	public String brokers;

	@ConfigOption(name = "client_id", description = "Set the kafka client_id.")
	public String clientId;

	@ConfigOption(name = "group_id", description = "Set the kafka group_id.")
	public String groupId;

	@ConfigOption(name = "rdkafka.", description = "Set the librdkafka options", type = OptionType.PREFIX)
	public Map<String, String> rdkafka;

	@ConfigOption(name = "buffer_max_size", description = "Set the maximum size of chunk", defaultValue = "4M", type = OptionType.SIZE)
	public long bufferMaxSize;

	@ConfigOption(name = "poll_timeout_ms", description = "Set the timeout in milliseconds for Kafka consumer poll operations. This option only takes effect when running in a dedicated thread (i.e., when 'threaded' is enabled). Using a higher timeout (e.g., 1.5x - 2x 'rdkafka.fetch.wait.max.ms') can improve efficiency by leveraging Kafka's batching mechanism.", defaultValue = "1")
	public int pollTimeoutMs;

	@ConfigOption(name = "enable_auto_commit", description = "Rely on kafka auto-commit and commit messages in batches", defaultValue = "false")
	public boolean enableAutoCommit;
}
