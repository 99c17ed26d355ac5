package dev.sluice.storage;

/** Bytes that are not a chunk file (or not a sound one). */
public final class ChunkFormatException extends Exception {

	private static final long serialVersionUID = 1L;

	public ChunkFormatException(String message) {
		super(message);
	}
}
