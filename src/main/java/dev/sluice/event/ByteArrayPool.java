package dev.sluice.event;

import java.util.ArrayDeque;

/**
 * Large byte arrays, recycled: the arrays behind in-memory chunks, and the buffers outputs format
 * a chunk into ({@link JsonFormatter.Sink#pooled}). A log pipeline's chunk data lives from the
 * append until every output flushed it: far longer than a young collection apart at a few
 * hundred MB/s, so without recycling every chunk is copied into the old generation and the
 * serial collector grows the heap towards its maximum rather than collect it. Recycled arrays
 * stay in the old generation and are filled again; the young generation then only sees the
 * short-lived garbage of the plugins.
 * <p>
 * Arrays come in power-of-two sizes from {@link #MIN_SIZE} to {@link #MAX_SIZE} (a chunk is
 * sealed at about 2 MB, so its array is at most 4 MiB, and its JSON about twice that); bigger
 * requests get a plain array that is never pooled. At most {@link #limit} bytes are kept free; {@link #trim} gives back half of
 * what was not taken since its last call, so an idle pipeline returns its buffers to the
 * collector within a few flush intervals.
 * <p>
 * A chunk's array is given back only by the engine, when the task of its chunk ended with no
 * flush of it still running: outputs read a chunk's bytes during {@code flush} and must not keep
 * them after it returned (copy what is kept, as the live tap does).
 */
public final class ByteArrayPool {

	static final int MIN_SHIFT = 14;

	static final int MAX_SHIFT = 23;

	/** 16 KiB. */
	static final int MIN_SIZE = 1 << MIN_SHIFT;

	/** 8 MiB. */
	static final int MAX_SIZE = 1 << MAX_SHIFT;

	/** Shared by every engine of the process (generations hand chunks to each other on reload). */
	public static final ByteArrayPool SHARED = new ByteArrayPool(defaultLimit());

	@SuppressWarnings("unchecked")
	private final ArrayDeque<byte[]>[] free = new ArrayDeque[MAX_SHIFT - MIN_SHIFT + 1];

	/** Per size class: arrays taken since the last trim (those not taken are given back). */
	private final int[] takenSinceTrim = new int[MAX_SHIFT - MIN_SHIFT + 1];

	private final long limit;

	private long freeBytes;

	private long reuses;

	ByteArrayPool(long limit) {
		this.limit = limit;
		for (int i = 0; i < this.free.length; i++) {
			this.free[i] = new ArrayDeque<>();
		}
	}

	/** An eighth of the maximum heap, at most 256 MiB, and room for two of the largest arrays. */
	private static long defaultLimit() {
		long max = Runtime.getRuntime().maxMemory();
		return Math.max(2L * MAX_SIZE, Math.min(256L << 20, max / 8));
	}

	/** An array of at least {@code capacity} bytes (its contents are whatever was last in it). */
	public byte[] take(int capacity) {
		int cls = sizeClass(capacity);
		if (cls < 0) {
			return new byte[capacity];
		}
		synchronized (this) {
			this.takenSinceTrim[cls]++;
			byte[] b = this.free[cls].pollFirst();
			if (b != null) {
				this.reuses++;
				this.freeBytes -= b.length;
				return b;
			}
		}
		return new byte[1 << (cls + MIN_SHIFT)];
	}

	/** Returns an array from {@link #take}; the caller must hold no reference to it afterwards. */
	public void give(byte[] b) {
		int cls = sizeClass(b.length);
		if (cls < 0 || b.length != (1 << (cls + MIN_SHIFT))) {
			return; // not one of ours: the collector takes it
		}
		synchronized (this) {
			if (this.freeBytes + b.length <= this.limit) {
				this.free[cls].addFirst(b);
				this.freeBytes += b.length;
			}
		}
	}

	/** Drops half of the free arrays of each size class that was not asked for since the last trim. */
	public synchronized void trim() {
		for (int i = 0; i < this.free.length; i++) {
			if (this.takenSinceTrim[i] == 0) {
				int drop = (this.free[i].size() + 1) / 2;
				for (int k = 0; k < drop; k++) {
					this.freeBytes -= this.free[i].pollLast().length;
				}
			}
			this.takenSinceTrim[i] = 0;
		}
	}

	public synchronized long freeBytes() {
		return this.freeBytes;
	}

	/** Arrays handed out again since the start. */
	public synchronized long reuses() {
		return this.reuses;
	}

	/** The size class index for a capacity, or -1 when it is above {@link #MAX_SIZE}. */
	static int sizeClass(int capacity) {
		if (capacity > MAX_SIZE) {
			return -1;
		}
		int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, capacity - 1)));
		return shift - MIN_SHIFT;
	}
}
