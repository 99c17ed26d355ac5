package dev.sluice.plugins.out.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;

import dev.sluice.plugin.FlushResult;

/**
 * The part of the kafka output that touches the Kafka client, kept apart so that no Kafka class
 * is loaded unless a kafka output is configured. One producer per output instance, shared by its
 * concurrent flushes (the Java producer is thread-safe).
 */
final class KafkaSender {

	private final KafkaProducer<byte[], byte[]> producer;

	private final Logger log;

	private final int queueFullRetries;

	KafkaSender(Properties properties, int queueFullRetries, Logger log) {
		this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
		this.queueFullRetries = queueFullRetries;
		this.log = log;
	}

	/** The records of one flush, sent together and then awaited. */
	final class Batch {

		private final List<Future<RecordMetadata>> futures = new ArrayList<>();

		/**
		 * Hands one record to the producer. When it cannot take it (its buffer is full, or the
		 * topic's metadata is unavailable) within {@code max.block.ms}, tries again, up to
		 * {@code queue_full_retries} times (0: no limit). Returns null when queued, else the
		 * flush's result.
		 */
		FlushResult add(String topic, byte[] key, byte[] value) {
			int attempts = 0;
			while (true) {
				try {
					this.futures.add(KafkaSender.this.producer.send(new ProducerRecord<>(topic, key, value)));
					return null;
				}
				catch (TimeoutException ex) {
					attempts++;
					if (KafkaSender.this.queueFullRetries > 0 && attempts >= KafkaSender.this.queueFullRetries) {
						KafkaSender.this.log.warn("cannot enqueue message for topic '{}' after {} attempts: {}", topic,
								attempts, ex.getMessage());
						return FlushResult.RETRY;
					}
					KafkaSender.this.log.warn("internal queue is full or topic '{}' unavailable ({}), retrying", topic,
							ex.getMessage());
					if (Thread.currentThread().isInterrupted()) {
						return FlushResult.RETRY;
					}
				}
				catch (InterruptException ex) {
					return FlushResult.RETRY;
				}
				catch (RuntimeException ex) {
					KafkaSender.this.log.error("failed to produce to topic {}: {}", topic, ex.toString());
					return FlushResult.ERROR;
				}
			}
		}

		/**
		 * Waits until the broker confirmed (or the producer gave up on) every record added. OK when
		 * all were acknowledged; RETRY when any failed with a retriable error (a timeout, the
		 * broker unreachable, no leader); ERROR when the failures are all of a kind that retrying
		 * cannot fix (a record too large, an invalid topic, not authorized).
		 */
		FlushResult await() throws InterruptedException {
			int retriable = 0;
			int fatal = 0;
			String first = null;
			for (Future<RecordMetadata> f : this.futures) {
				try {
					f.get();
				}
				catch (ExecutionException ex) {
					Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
					if (cause instanceof RetriableException) {
						retriable++;
					}
					else {
						fatal++;
					}
					if (first == null) {
						first = cause.toString();
					}
				}
			}
			if (retriable == 0 && fatal == 0) {
				return FlushResult.OK;
			}
			KafkaSender.this.log.warn("message delivery failed for {} of {} records ({} retriable): {}",
					retriable + fatal, this.futures.size(), retriable, first);
			return (retriable > 0) ? FlushResult.RETRY : FlushResult.ERROR;
		}

		int size() {
			return this.futures.size();
		}
	}

	Batch batch() {
		return new Batch();
	}

	/** Closes the producer, giving records still in flight up to {@code timeout}. */
	void close(Duration timeout) {
		this.producer.close(timeout);
	}
}
