package dev.sluice.storage;

import java.io.IOException;

/**
 * The stored side of one chunk. For a filesystem chunk: its file, written on every append,
 * deleted when every output is done with the chunk ({@link #release} after {@link #retain}).
 */
public interface StoredChunk {

	/** A chunk of the memory store: nothing to write, nothing to delete. */
	StoredChunk MEMORY = new StoredChunk() {
		@Override
		public void append(byte[] b, int off, int len, int records) {
		}

		@Override
		public void seal() {
		}

		@Override
		public byte[] load() {
			throw new IllegalStateException("a memory chunk has no stored copy");
		}

		@Override
		public void retain() {
		}

		@Override
		public void release() {
		}

		@Override
		public boolean persistent() {
			return false;
		}

		@Override
		public String location() {
			return "memory";
		}
	};

	/** Writes encoded events to the chunk; durable (as {@code storage.sync} says) on return. */
	void append(byte[] b, int off, int len, int records) throws IOException;

	/** No more appends: the file is closed (it stays on disk). */
	void seal();

	/** The content (the events) read back from storage. */
	byte[] load() throws IOException;

	/** One more task holds the chunk. */
	void retain();

	/** A task is done with it; the last one deletes the file. */
	void release();

	boolean persistent();

	/** {@code <stream>/<name>} for log lines. */
	String location();
}
