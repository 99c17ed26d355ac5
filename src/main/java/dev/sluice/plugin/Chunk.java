package dev.sluice.plugin;

import java.util.List;

import dev.sluice.event.EventBytes;
import dev.sluice.event.LogEvent;

/**
 * A read-only view of a sealed chunk handed to an output: the events of one tag from one input.
 */
public interface Chunk {

	/** The chunk's name, as Fluent Bit names chunk files: {@code <pid>-<sec>.<nsec>.flb}. */
	String name();

	String tag();

	/** The name of the input instance that produced it. */
	String input();

	/** Event type: 0 logs, 1 metrics, 2 traces. */
	int eventType();

	/** The encoded events; the array must not be modified. */
	EventBytes events();

	default int records() {
		return events().records();
	}

	default int size() {
		return events().length();
	}

	/** Decodes the events (allocates; for plugins that need Java values). */
	default List<LogEvent> decode() {
		return events().decode();
	}
}
