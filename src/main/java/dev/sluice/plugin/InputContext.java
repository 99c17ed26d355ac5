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
