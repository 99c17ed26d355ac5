package dev.sluice.net.forward;

import java.util.Arrays;

/** A growable byte buffer (not thread-safe). */
public final class ByteSink {

	private byte[] buf;

	private int size;

	public ByteSink(int initial) {
		this.buf = new byte[Math.max(16, initial)];
	}

	/** Makes room for {@code extra} more bytes, so that {@link #array()} can be written directly up to there. */
	public void ensure(int extra) {
		long need = (long) this.size + extra;
		if (need > this.buf.length) {
			long cap = Math.max(need, (long) this.buf.length * 2);
			if (cap > Integer.MAX_VALUE - 16) {
				cap = Integer.MAX_VALUE - 16;
				if (need > cap) {
					throw new OutOfMemoryError("buffer too large");
				}
			}
			this.buf = Arrays.copyOf(this.buf, (int) cap);
		}
	}

	public void write(int b) {
		ensure(1);
		this.buf[this.size++] = (byte) b;
	}

	public void write(byte[] b, int off, int len) {
		ensure(len);
		System.arraycopy(b, off, this.buf, this.size, len);
		this.size += len;
	}

	public void write(byte[] b) {
		write(b, 0, b.length);
	}

	public void writeInt(int v) {
		ensure(4);
		this.buf[this.size++] = (byte) (v >>> 24);
		this.buf[this.size++] = (byte) (v >>> 16);
		this.buf[this.size++] = (byte) (v >>> 8);
		this.buf[this.size++] = (byte) v;
	}

	public int size() {
		return this.size;
	}

	public byte[] array() {
		return this.buf;
	}

	public void reset() {
		this.size = 0;
	}

	/** Sets the size: drops bytes after it, or (after {@link #ensure}) takes bytes written into {@link #array()}. */
	public void truncate(int size) {
		this.size = size;
	}

	public byte[] toByteArray() {
		return Arrays.copyOf(this.buf, this.size);
	}
}
