package dev.sluice.engine;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Chunk;

/**
 * A chunk that no longer takes appends: what the engine routes and outputs flush.
 *
 * @param name Fluent Bit-style name, {@code <pid>-<sec>.<nsec>.flb}
 * @param tag the tag of every event in it
 * @param source the input instance that produced it
 * @param eventType 0 logs, 1 metrics, 2 traces
 * @param events the encoded events
 */
public record SealedChunk(String name, String tag, InputInstance source, int eventType, EventBytes events)
		implements Chunk {

	@Override
	public String input() {
		return this.source.displayName();
	}
}
