package dev.sluice.plugins.out.kafka;

import java.util.Map;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code kafka} output, as Fluent Bit declares them in {@code plugins/out_kafka}
 * (same names, defaults, descriptions and order; the Avro options of builds with the Avro encoder
 * are not declared).
 */
public class KafkaOutputConfig {

	@ConfigOption(name = "topic_key", description = "Which record to use as the kafka topic.")
	public String topicKey;

	@ConfigOption(name = "dynamic_topic", description = "Activate dynamic topics.", defaultValue = "false")
	public boolean dynamicTopic;

	@ConfigOption(name = "format", description = "Set the record output format. Supported values include json, msgpack, gelf, raw, otlp_json and otlp_proto.")
	public String format;

	@ConfigOption(name = "otlp_logs_partition_by_resource", description = "When using format otlp_json or otlp_proto, split OTLP log payloads by resource and use a hash of the resource attributes as the Kafka message key. This supersedes message_key and message_key_field for those chunks; logs without resource information are unkeyed. After partial partition delivery, later produce failures are not retried by the engine to avoid duplicates; disable this option or reduce Kafka back-pressure for chunk-level retry durability.", defaultValue = "false")
	public boolean otlpLogsPartitionByResource;

	@ConfigOption(name = "message_key", description = "Which record key to use as the message data.")
	public String messageKey;

	@ConfigOption(name = "message_key_field", description = "Which record key field to use as the message data.")
	public String messageKeyField;

	@ConfigOption(name = "timestamp_key", description = "Set the key for the the timestamp.", defaultValue = "@timestamp")
	public String timestampKey;

	@ConfigOption(name = "timestamp_format", description = "Set the format the timestamp is in.")
	public String timestampFormat;

	@ConfigOption(name = "queue_full_retries", description = "Set the number of local retries to enqueue the data.", defaultValue = "10")
	public int queueFullRetries;

	@ConfigOption(name = "gelf_timestamp_key", description = "Set the timestamp key for gelf  output.")
	public String gelfTimestampKey;

	@ConfigOption(name = "gelf_host_key", description = "Set the host key for gelf  output.")
	public String gelfHostKey;

	@ConfigOption(name = "gelf_short_message_key", description = "Set the short message key for gelf  output.")
	public String gelfShortMessageKey;

	@ConfigOption(name = "gelf_full_message_key", description = "Set the full message key for gelf  output.")
	public String gelfFullMessageKey;

	@ConfigOption(name = "gelf_level_key", description = "Set the level key for gelf  output.")
	public String gelfLevelKey;

	@ConfigOption(name = "topics", description = "Set the kafka topics, delimited by commas.")
	public String topics;

	@ConfigOption(name = "brokers", description = "Set the kafka brokers, delimited by commas.")
	public String brokers;

	@ConfigOption(name = "client_id", description = "Set the kafka client_id.")
	public String clientId;

	@ConfigOption(name = "group_id", description = "Set the kafka group_id.")
	public String groupId;

	/** Fluent Bit's description of this key is "Set the kafka group_id." (sic). */
	@ConfigOption(name = "rdkafka.", description = "Set the kafka group_id.", type = OptionType.PREFIX)
	public Map<String, String> rdkafka;

	@ConfigOption(name = "raw_log_key", description = "By default, the whole log record will be sent to Kafka. If you specify a key name with this option, then only the value of that key will be sent to Kafka.")
	public String rawLogKey;

	@ConfigOption(name = "aws_msk_iam_cluster_arn", description = "ARN of the MSK cluster when using AWS IAM authentication")
	public String awsMskIamClusterArn;

	@ConfigOption(name = "aws_msk_iam", description = "Enable AWS MSK IAM authentication", defaultValue = "false")
	public boolean awsMskIam;
}
