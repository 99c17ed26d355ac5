package dev.sluice.plugins.in.http;

import java.util.ArrayDeque;

/**
 * A few byte arrays reused from request to request (a body copied out of Netty, the events being
 * written), so a busy input does not allocate two body-sized arrays per request. Bounded: at most
 * {@link #MAX_POOLED} arrays of at most {@link #MAX_SIZE} bytes are kept; bigger ones are
 * allocated and dropped. Thread-safe.
 */
final class BufferPool {

	static final int MAX_POOLED = 4;

	static final int MAX_SIZE = 1 << 20;

	private final ArrayDeque<byte[]> free = new ArrayDeque<>(MAX_POOLED);

	/** An array of at least {@code min} bytes, with undefined content. */
	byte[] take(int min) {
		synchronized (this.free) {
			byte[] b = this.free.pollLast();
			if (b != null && b.length >= min) {
				return b;
			}
		}
		return new byte[Math.max(min, 4096)];
	}

	/** Gives back an array from {@link #take} (or one grown from it); kept when there is room. */
	void give(byte[] b) {
		if (b == null || b.length > MAX_SIZE) {
			return;
		}
		synchronized (this.free) {
			if (this.free.size() < MAX_POOLED) {
				this.free.addLast(b);
			}
		}
	}
}
