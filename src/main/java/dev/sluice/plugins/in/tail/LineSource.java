package dev.sluice.plugins.in.tail;

import dev.sluice.event.EventTime;

/**
 * Where the line handed to a {@link LineProcessor} comes from: the monitored file (its name as
 * first seen, which {@code path_key} reports even after rotation), the file offset of the line's
 * first byte ({@code offset_key}), a stable stream id (the file's device and inode, as Fluent
 * Bit keys multiline streams) and the time stamped on raw lines. One mutable instance per file,
 * updated for each line: do not keep it.
 */
public final class LineSource {

	private final String path;

	private final String streamId;

	long offset;

	EventTime time = EventTime.ZERO;

	LineSource(String path, String streamId) {
		this.path = path;
		this.streamId = streamId;
	}

	/** The file's name as first discovered (what {@code path_key} reports). */
	public String path() {
		return this.path;
	}

	/** {@code <dev>:<inode>}: stays the same across renames. */
	public String streamId() {
		return this.streamId;
	}

	/** The absolute file offset of the line's first byte. */
	public long offset() {
		return this.offset;
	}

	/** The time for records that carry no time of their own (read time). */
	public EventTime time() {
		return this.time;
	}
}
