package dev.sluice.plugins.in.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.msgpack.core.MessagePacker;
import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.JsonToMsgpack;
import dev.sluice.parser.MsgpackWriter;

/**
 * The part of the kafka input that touches the Kafka client, kept apart so that no Kafka class is
 * loaded unless a kafka input is configured. Used by the input's collector thread only (the
 * consumer is not thread-safe).
 */
final class KafkaPoller {

	private final KafkaConsumer<byte[], byte[]> consumer;

	private final Logger log;

	private final boolean json;

	private final JsonToMsgpack jsonParser = new JsonToMsgpack();

	private final MsgpackWriter jsonOut = new MsgpackWriter(512);

	/** Offsets to commit for what was read since the last commit: next offset per partition. */
	private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

	private boolean paused;

	KafkaPoller(Properties properties, List<String> topics, boolean json, Logger log) {
		this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
		this.log = log;
		this.json = json;
		this.consumer.subscribe(topics, new ConsumerRebalanceListener() {

			@Override
			public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			}

			@Override
			public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
				if (KafkaPoller.this.paused) {
					KafkaPoller.this.consumer.pause(partitions);
				}
			}
		});
	}

	/**
	 * Polls once, waiting up to {@code timeout}, and encodes what came as events. Returns the
	 * number of records read (0 when none, or on a consumer error, which is logged).
	 * @throws InterruptedException when the thread is interrupted (the input is stopping)
	 */
	int poll(Duration timeout, EventEncoder encoder) throws IOException, InterruptedException {
		ConsumerRecords<byte[], byte[]> records;
		try {
			records = this.consumer.poll(timeout);
		}
		catch (InterruptException | WakeupException ex) {
			throw interrupted(ex);
		}
		catch (KafkaException ex) {
			this.log.warn("consumer error: {}", ex.getMessage());
			return 0;
		}
		int n = 0;
		for (ConsumerRecord<byte[], byte[]> r : records) {
			encode(r, encoder);
			this.pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
			n++;
		}
		return n;
	}

	/** Fluent Bit's record: topic, partition, offset, error, key, payload (in that order). */
	private void encode(ConsumerRecord<byte[], byte[]> r, EventEncoder encoder) throws IOException {
		MessagePacker p = encoder.beginEvent(EventTime.now(), Map.of());
		p.packMapHeader(6);
		p.packString("topic");
		p.packString(r.topic());
		p.packString("partition");
		p.packInt(r.partition());
		p.packString("offset");
		p.packLong(r.offset());
		p.packString("error");
		p.packNil();
		p.packString("key");
		packBytesAsString(p, r.key());
		p.packString("payload");
		byte[] v = r.value();
		if (v == null) {
			p.packNil();
		}
		else if (this.json && parseJson(v)) {
			p.writePayload(this.jsonOut.buffer(), 0, this.jsonOut.size());
		}
		else {
			packBytesAsString(p, v);
		}
		encoder.endEvent();
	}

	private boolean parseJson(byte[] v) {
		this.jsonOut.reset();
		return this.jsonParser.convert(v, 0, v.length, this.jsonOut) != JsonToMsgpack.Result.INVALID;
	}

	private static void packBytesAsString(MessagePacker p, byte[] b) throws IOException {
		if (b == null) {
			p.packNil();
			return;
		}
		p.packRawStringHeader(b.length);
		p.writePayload(b);
	}

	/** Stops fetching from the assigned partitions (the group membership is kept by polling). */
	void pause() {
		if (!this.paused) {
			this.paused = true;
			this.consumer.pause(this.consumer.assignment());
		}
	}

	void resume() {
		if (this.paused) {
			this.paused = false;
			this.consumer.resume(this.consumer.paused());
		}
	}

	boolean hasPending() {
		return !this.pending.isEmpty();
	}

	/** Forgets the offsets read since the last commit (the records were not appended). */
	void dropPending() {
		this.pending.clear();
	}

	/**
	 * Commits the offsets of the records read since the last commit, synchronously. A failure
	 * (a rebalance took the partition away, the broker is unreachable) is logged; those records
	 * may then be read again by whoever owns the partition next (at-least-once).
	 */
	void commit(Duration timeout) throws InterruptedException {
		if (this.pending.isEmpty()) {
			return;
		}
		try {
			this.consumer.commitSync(this.pending, timeout);
			this.pending.clear();
		}
		catch (InterruptException ex) {
			throw interrupted(ex);
		}
		catch (KafkaException ex) {
			this.log.warn("cannot commit offsets {}: {}", this.pending, ex.toString());
			this.pending.clear();
		}
	}

	private static InterruptedException interrupted(RuntimeException ex) {
		InterruptedException ie = new InterruptedException("interrupted");
		ie.initCause(ex);
		return ie;
	}

	void close(Duration timeout) {
		try {
			this.consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(timeout));
		}
		catch (KafkaException ex) {
			this.log.warn("error closing consumer: {}", ex.toString());
		}
	}
}
