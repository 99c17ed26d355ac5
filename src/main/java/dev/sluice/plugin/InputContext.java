package dev.sluice.plugin;

import java.time.Duration;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;

/**
 * An input instance's view of the engine. Appends run the instance's filters on the calling
 * thread and add the result to the open chunk for the tag. {@link #append} never drops what it
 * is given; when the instance is paused (its buffer is over {@code mem_buf_limit}) the plugin is
 * expected to stop collecting: {@link #awaitResume()} blocks until it may go on.
 */
public interface InputContext extends PluginContext {

	/** The configured tag, or the instance name when none is set. */
	String tag();

	/**
	 * Appends encoded v2 events under a tag. Thread-safe. Once the instance has stopped (shutdown,
	 * reload) it throws {@link IllegalStateException} and appends nothing: the caller still owns
	 * the events (a network input then does not acknowledge them).
	 */
	void append(String tag, EventBytes events);

	/**
	 * As {@link #append(String, EventBytes)}, for events whose array the caller keeps and writes
	 * again once this returns (a network input's receive buffer): whatever the engine holds on to
	 * is copied first. Without filters, processors, conditional routes or an open tap the events
	 * are copied only into the open chunk.
	 */
	default void appendCopy(String tag, EventBytes events) {
		byte[] copy = java.util.Arrays.copyOfRange(events.data(), events.offset(), events.offset() + events.length());
		append(tag, new EventBytes(copy, 0, copy.length, events.records()));
	}

	/** Event type of {@link #append(String, int, EventBytes)}: log records (chunk type 0). */
	int LOGS = 0;

	/** Event type: metrics (chunk type 1). */
	int METRICS = 1;

	/** Event type: traces (chunk type 2). */
	int TRACES = 2;

	/**
	 * Appends events of another type than logs ({@link #METRICS}, {@link #TRACES}) under a tag:
	 * they go to chunks of that type ({@link Chunk#eventType()}), skip the filters and log
	 * processors (which work on log records) and are routed by {@code Match}. Each event is still
	 * an encoded v2 event; what its record holds is agreed between the producing input and the
	 * outputs that read that type (the OpenTelemetry plugins keep an OTLP export request in it).
	 * {@link #LOGS} is the same as {@link #append(String, EventBytes)}.
	 */
	default void append(String tag, int eventType, EventBytes events) {
		if (eventType != LOGS) {
			throw new UnsupportedOperationException("this input context takes log events only");
		}
		append(tag, events);
	}

	/**
	 * The service's own metrics as Fluent Bit names them ({@code fluentbit_input_records_total}
	 * and the rest of {@code /api/v2/metrics/prometheus}), read now; for the
	 * {@code fluentbit_metrics} input. Empty when the engine does not offer them.
	 */
	default java.util.List<MetricFamily> serviceMetrics() {
		return java.util.List.of();
	}

	/** Appends what the encoder holds under a tag, then resets the encoder. */
	default void append(String tag, EventEncoder encoder) {
		if (encoder.records() > 0) {
			append(tag, EventBytes.of(encoder));
		}
		encoder.reset();
	}

	/** False once the instance is being stopped; {@code collect} should then return. */
	boolean isRunning();

	boolean isPaused();

	/**
	 * Blocks while the instance is paused. Returns false when the instance is stopping instead.
	 */
	boolean awaitResume() throws InterruptedException;

	/**
	 * Sleeps, waking early when the instance stops. Returns false when it is stopping.
	 */
	boolean sleep(Duration duration) throws InterruptedException;
}
