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
 * @param routes the outputs chosen by the input's conditional routes, or null: routed by
 * {@code Match}
 */
public record SealedChunk(String name, String tag, InputInstance source, int eventType, EventBytes events,
		java.util.List<OutputInstance> routes) implements Chunk {

	public SealedChunk(String name, String tag, InputInstance source, int eventType, EventBytes events) {
		this(name, tag, source, eventType, events, null);
	}

	/** The same chunk with other events (what an output's processors made of it). */
	SealedChunk withEvents(EventBytes other) {
		return new SealedChunk(this.name, this.tag, this.source, this.eventType, other, this.routes);
	}

	@Override
	public String input() {
		return this.source.displayName();
	}
}
