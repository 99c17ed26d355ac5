package dev.sluice.plugins.in.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.net.kafka.KafkaClientProperties;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code kafka} input on the Apache Kafka Java client: a consumer in group
 * {@code group_id} (default {@code fluent-bit}) subscribed to {@code topics}.
 *
 * <ul>
 * <li>Each message becomes a record {@code {"topic":…, "partition":…, "offset":…, "error":null,
 * "key":…, "payload":…}} (Fluent Bit's keys, in its order) timed now, under the instance's tag;
 * with {@code format json} a payload that is valid JSON is stored parsed, any other stays a
 * string.</li>
 * <li>Every {@code poll_ms} the consumer is polled ({@code poll_timeout_ms} each) until nothing
 * more comes or the events read reach {@code buffer_max_size}; a round that reached the limit is
 * followed at once by the next.</li>
 * <li>Offsets: with {@code enable_auto_commit off} (the default) the offsets of a round are
 * committed synchronously only after its records were appended to the buffer, so a stop or crash
 * never skips a record: what was appended but not yet committed is read again after a restart
 * (at-least-once). With it on, the client commits in the background.</li>
 * <li>While the instance is paused ({@code mem_buf_limit}) its partitions are paused: polling
 * continues only to keep the group membership, nothing is fetched.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "kafka", description = "Kafka consumer input plugin",
		config = KafkaInputConfig.class)
public final class KafkaInput implements InputPlugin<KafkaInputConfig> {

	private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private Logger log;

	private KafkaPoller poller;

	private Duration pollInterval;

	private Duration pollTimeout;

	/** Stop a round once the encoded events are past this size; 0 for no limit. */
	private long threshold;

	private boolean autoCommit;

	private volatile boolean collecting;

	private boolean closed;

	@Override
	public void init(KafkaInputConfig c, InputContext context) throws Exception {
		this.log = context.log();
		boolean json;
		String format = (c.format == null) ? "none" : c.format.toLowerCase(Locale.ROOT);
		switch (format) {
			case "none" -> json = false;
			case "json" -> json = true;
			default -> throw new IllegalArgumentException("config: invalid format \"" + c.format + "\"");
		}
		if (c.topics == null || c.topics.isBlank()) {
			throw new IllegalArgumentException("config: no topics specified");
		}
		List<String> topics = new ArrayList<>();
		for (String t : c.topics.split(",")) {
			// "topic:partitions" is accepted as in Fluent Bit; a subscription takes topic names only
			String name = t.trim();
			int colon = name.indexOf(':');
			if (colon >= 0) {
				name = name.substring(0, colon).trim();
			}
			if (!name.isEmpty()) {
				topics.add(name);
			}
		}
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("Failed to parse topic list");
		}
		KafkaClientProperties kp = KafkaClientProperties.of(KafkaClientProperties.Role.CONSUMER, c.brokers, c.clientId,
				c.groupId, c.rdkafka);
		for (String w : kp.warnings()) {
			this.log.warn(w);
		}
		Properties props = kp.properties();
		this.autoCommit = c.enableAutoCommit;
		props.put("enable.auto.commit", Boolean.toString(this.autoCommit));
		if (c.bufferMaxSize > 0) {
			this.threshold = c.bufferMaxSize;
			if (c.bufferMaxSize > 512) {
				props.put("fetch.max.bytes", Long.toString(Math.min(Integer.MAX_VALUE, c.bufferMaxSize - 512)));
			}
		}
		this.pollInterval = Duration.ofMillis(Math.max(1, c.pollMs));
		this.pollTimeout = Duration.ofMillis(Math.max(1, c.pollTimeoutMs));
		this.poller = new KafkaPoller(props, topics, json, this.log);
	}

	@Override
	public void collect(InputContext context) throws Exception {
		this.collecting = true;
		EventEncoder encoder = new EventEncoder();
		try {
			while (context.isRunning()) {
				if (context.isPaused()) {
					this.poller.pause();
					this.poller.poll(this.pollInterval, encoder);
					if (encoder.records() > 0 && !append(context, encoder)) {
						return;
					}
					continue;
				}
				this.poller.resume();
				boolean full = false;
				while (context.isRunning()) {
					if (this.poller.poll(this.pollTimeout, encoder) == 0) {
						break;
					}
					if (this.threshold > 0 && encoder.size() > this.threshold + 512) {
						full = true;
						break;
					}
				}
				if (encoder.records() > 0 && !append(context, encoder)) {
					return;
				}
				if (!full && !context.sleep(this.pollInterval)) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// stopping
		}
		finally {
			// commit what was appended and leave the group on a thread of its own: the engine
			// interrupts the collector (again) while stopping, which would cut the close short
			Thread closer = Thread.ofVirtual().name("kafka-close-" + context.name()).start(this::finish);
			try {
				closer.join(CLOSE_TIMEOUT.plus(COMMIT_TIMEOUT));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void finish() {
		if (this.poller.hasPending() && !this.autoCommit) {
			try {
				this.poller.commit(COMMIT_TIMEOUT);
			}
			catch (RuntimeException | InterruptedException ex) {
				this.log.warn("cannot commit offsets on stop: {}", ex.toString());
			}
		}
		closePoller();
		this.collecting = false;
	}

	/** Appends the round's events, then commits their offsets; false when the input stopped. */
	private boolean append(InputContext context, EventEncoder encoder) throws InterruptedException {
		try {
			context.append(context.tag(), encoder);
		}
		catch (IllegalStateException ex) {
			// stopped: nothing appended, nothing committed; read again next time
			encoder.reset();
			this.poller.dropPending();
			return false;
		}
		if (!this.autoCommit) {
			this.poller.commit(COMMIT_TIMEOUT);
		}
		else {
			this.poller.dropPending();
		}
		return true;
	}

	private synchronized void closePoller() {
		if (!this.closed && this.poller != null) {
			this.closed = true;
			this.poller.close(CLOSE_TIMEOUT);
		}
	}

	@Override
	public void exit() {
		if (!this.collecting) {
			closePoller();
		}
	}
}
