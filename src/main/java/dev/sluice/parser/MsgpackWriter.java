package dev.sluice.parser;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small, fast msgpack writer into a growable byte array: what parsers use to produce records
 * without going through Java maps. Not thread-safe; reusable with {@link #reset()}.
 */
public final class MsgpackWriter {

	private byte[] buf;

	private int size;

	public MsgpackWriter() {
		this(256);
	}

	public MsgpackWriter(int capacity) {
		this.buf = new byte[Math.max(16, capacity)];
	}

	public void reset() {
		this.size = 0;
	}

	public int size() {
		return this.size;
	}

	/** Moves the end back (or forward over bytes already written into {@link #buffer()}). */
	void setSize(int size) {
		this.size = size;
	}

	public byte[] buffer() {
		return this.buf;
	}

	/** Takes over an array written past {@link #buffer()} (same content up to the old size, maybe grown). */
	void adopt(byte[] buf, int size) {
		this.buf = buf;
		this.size = size;
	}

	/** Moves the end back to {@code size} (at most {@link #size()}), dropping what follows. */
	public void truncate(int size) {
		if (size < 0 || size > this.size) {
			throw new IllegalArgumentException("size " + size + " not in [0, " + this.size + "]");
		}
		this.size = size;
	}

	/** Makes room for {@code n} more bytes, so that writes up to that much do not grow the buffer. */
	public void ensureCapacity(int n) {
		ensure(n);
	}

	public byte[] toByteArray() {
		return Arrays.copyOf(this.buf, this.size);
	}

	private void ensure(int n) {
		if (this.size + n > this.buf.length) {
			this.buf = Arrays.copyOf(this.buf, Math.max(this.buf.length * 2, this.size + n));
		}
	}

	public void writeByte(int b) {
		ensure(1);
		this.buf[this.size++] = (byte) b;
	}

	public void writeRaw(byte[] b, int off, int len) {
		ensure(len);
		System.arraycopy(b, off, this.buf, this.size, len);
		this.size += len;
	}

	public void writeRaw(byte[] b) {
		writeRaw(b, 0, b.length);
	}

	private void put16(int v) {
		ensure(2);
		this.buf[this.size++] = (byte) (v >>> 8);
		this.buf[this.size++] = (byte) v;
	}

	private void put32(long v) {
		ensure(4);
		this.buf[this.size++] = (byte) (v >>> 24);
		this.buf[this.size++] = (byte) (v >>> 16);
		this.buf[this.size++] = (byte) (v >>> 8);
		this.buf[this.size++] = (byte) v;
	}

	private void put64(long v) {
		put32(v >>> 32);
		put32(v & 0xFFFFFFFFL);
	}

	public void mapHeader(int n) {
		if (n < 16) {
			writeByte(0x80 | n);
		}
		else if (n < 65536) {
			writeByte(0xde);
			put16(n);
		}
		else {
			writeByte(0xdf);
			put32(n);
		}
	}

	/** Position where a map header of known maximum size is reserved (5 bytes, patched later). */
	public int reserveMapHeader32() {
		int at = this.size;
		ensure(5);
		this.size += 5;
		return at;
	}

	/** Patches a header reserved by {@link #reserveMapHeader32()} (always the 32-bit form). */
	public void patchMapHeader32(int at, int n) {
		this.buf[at] = (byte) 0xdf;
		this.buf[at + 1] = (byte) (n >>> 24);
		this.buf[at + 2] = (byte) (n >>> 16);
		this.buf[at + 3] = (byte) (n >>> 8);
		this.buf[at + 4] = (byte) n;
	}

	public void arrayHeader(int n) {
		if (n < 16) {
			writeByte(0x90 | n);
		}
		else if (n < 65536) {
			writeByte(0xdc);
			put16(n);
		}
		else {
			writeByte(0xdd);
			put32(n);
		}
	}

	public void strHeader(int n) {
		if (n < 32) {
			writeByte(0xa0 | n);
		}
		else if (n < 256) {
			writeByte(0xd9);
			writeByte(n);
		}
		else if (n < 65536) {
			writeByte(0xda);
			put16(n);
		}
		else {
			writeByte(0xdb);
			put32(n);
		}
	}

	public void str(byte[] b, int off, int len) {
		strHeader(len);
		writeRaw(b, off, len);
	}

	public void str(String s) {
		byte[] b = s.getBytes(StandardCharsets.UTF_8);
		str(b, 0, b.length);
	}

	public void nil() {
		writeByte(0xc0);
	}

	public void bool(boolean v) {
		writeByte(v ? 0xc3 : 0xc2);
	}

	/** A signed integer in the smallest msgpack form (as msgpack-c's {@code pack_int64}). */
	public void integer(long v) {
		if (v >= 0) {
			unsigned(v);
		}
		else if (v >= -32) {
			writeByte((int) v);
		}
		else if (v >= Byte.MIN_VALUE) {
			writeByte(0xd0);
			writeByte((int) v);
		}
		else if (v >= Short.MIN_VALUE) {
			writeByte(0xd1);
			put16((int) v);
		}
		else if (v >= Integer.MIN_VALUE) {
			writeByte(0xd2);
			put32(v);
		}
		else {
			writeByte(0xd3);
			put64(v);
		}
	}

	/** An unsigned integer (the 64-bit pattern of {@code v} read as unsigned). */
	public void unsigned(long v) {
		if (v < 0) {
			writeByte(0xcf);
			put64(v);
		}
		else if (v < 128) {
			writeByte((int) v);
		}
		else if (v < 256) {
			writeByte(0xcc);
			writeByte((int) v);
		}
		else if (v < 65536) {
			writeByte(0xcd);
			put16((int) v);
		}
		else if (v < 0x100000000L) {
			writeByte(0xce);
			put32(v);
		}
		else {
			writeByte(0xcf);
			put64(v);
		}
	}

	public void float64(double d) {
		writeByte(0xcb);
		put64(Double.doubleToRawLongBits(d));
	}
}
