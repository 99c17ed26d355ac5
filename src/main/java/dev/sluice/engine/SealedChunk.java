package dev.sluice.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Chunk;
import dev.sluice.storage.StoredChunk;

/**
 * A chunk that no longer takes appends: what the engine routes and outputs flush. Its events are
 * in memory ("up"), or, for a filesystem chunk that is "down" ({@code storage.max_chunks_up}
 * reached, or a backlog chunk), read from its file each time they are asked for.
 */
public final class SealedChunk implements Chunk {

	private final String name;

	private final String tag;

	private final InputInstance source;

	private final int eventType;

	private final EventBytes events;

	private final List<OutputInstance> routes;

	private final StoredChunk stored;

	private final int records;

	private final int size;

	/**
	 * The pooled array its events are in ({@link dev.sluice.event.ByteArrayPool}), given back when its task ends;
	 * null when the events are not in a pooled array. Engine thread only.
	 */
	byte[] recycle;

	/**
	 * @param name Fluent Bit-style name, {@code <pid>-<sec>.<nsec>.flb}
	 * @param tag the tag of every event in it
	 * @param source the input instance that produced it
	 * @param eventType 0 logs, 1 metrics, 2 traces
	 * @param events the encoded events
	 * @param routes the outputs chosen by the input's conditional routes, or null: routed by
	 * {@code Match}
	 */
	public SealedChunk(String name, String tag, InputInstance source, int eventType, EventBytes events,
			List<OutputInstance> routes) {
		this(name, tag, source, eventType, events, routes, StoredChunk.MEMORY, events.records(), events.length());
	}

	public SealedChunk(String name, String tag, InputInstance source, int eventType, EventBytes events) {
		this(name, tag, source, eventType, events, null);
	}

	/**
	 * @param events the events, or null for a chunk that is down (read from {@code stored})
	 * @param stored where the chunk is stored
	 * @param records its events
	 * @param size its bytes
	 */
	SealedChunk(String name, String tag, InputInstance source, int eventType, EventBytes events,
			List<OutputInstance> routes, StoredChunk stored, int records, int size) {
		this.name = name;
		this.tag = tag;
		this.source = source;
		this.eventType = eventType;
		this.events = events;
		this.routes = routes;
		this.stored = stored;
		this.records = records;
		this.size = size;
	}

	/** The same chunk with other events (what an output's processors made of it). */
	SealedChunk withEvents(EventBytes other) {
		return new SealedChunk(this.name, this.tag, this.source, this.eventType, other, this.routes, this.stored,
				other.records(), other.length());
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String tag() {
		return this.tag;
	}

	public InputInstance source() {
		return this.source;
	}

	@Override
	public int eventType() {
		return this.eventType;
	}

	/** The events; a down chunk reads them from its file (not kept). */
	@Override
	public EventBytes events() {
		if (this.events != null) {
			return this.events;
		}
		try {
			byte[] b = this.stored.load();
			return new EventBytes(b, 0, b.length, this.records);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read chunk " + this.stored.location(), ex);
		}
	}

	public List<OutputInstance> routes() {
		return this.routes;
	}

	/** Where the chunk is stored ({@link StoredChunk#MEMORY} for a memory chunk). */
	public StoredChunk stored() {
		return this.stored;
	}

	/** Whether its events are in memory. */
	public boolean isUp() {
		return this.events != null;
	}

	@Override
	public int records() {
		return this.records;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public String input() {
		return this.source.displayName();
	}

	@Override
	public String toString() {
		return "SealedChunk[" + this.name + ", tag=" + this.tag + ", records=" + this.records + ", size=" + this.size + "]";
	}
}
