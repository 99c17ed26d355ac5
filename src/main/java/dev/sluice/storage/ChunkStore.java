package dev.sluice.storage;

import java.io.IOException;

/**
 * Where an input's chunks live while they wait for delivery. The engine asks the store of each
 * input for a {@link StoredChunk} when it opens a chunk and writes every append through it before
 * the append returns. {@link #MEMORY} is the memory buffer (nothing is written);
 * {@link FilesystemStorage} writes Fluent Bit chunk files.
 */
public interface ChunkStore {

	/** The memory store: chunks live only in the heap. */
	ChunkStore MEMORY = new ChunkStore() {
		@Override
		public StoredChunk open(String stream, String name, String tag, int eventType) {
			return StoredChunk.MEMORY;
		}

		@Override
		public boolean persistent() {
			return false;
		}
	};

	/**
	 * Backing for a new chunk.
	 * @param stream the input instance's name (the chunk's directory under {@code storage.path})
	 * @param name the chunk's file name ({@code <pid>-<sec>.<nsec>.flb})
	 */
	StoredChunk open(String stream, String name, String tag, int eventType) throws IOException;

	/** Whether chunks survive the process. */
	boolean persistent();
}
