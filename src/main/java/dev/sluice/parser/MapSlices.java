package dev.sluice.parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The entries of one msgpack map as byte ranges of the encoded data, so records can be rebuilt
 * by copying bytes (keeping order, duplicates and exact encodings). Keys and values that are
 * strings (or binaries) also have their payload range.
 */
public final class MapSlices {

	private final byte[] data;

	private final int count;

	/** Per entry: key start, value start, value end, key payload start/end, value payload start/end (-1 if not str/bin). */
	private final int[] pos;

	private final boolean[] valueIsStr;

	private final boolean[] keyIsStr;

	private MapSlices(byte[] data, int count, int[] pos, boolean[] keyIsStr, boolean[] valueIsStr) {
		this.data = data;
		this.count = count;
		this.pos = pos;
		this.keyIsStr = keyIsStr;
		this.valueIsStr = valueIsStr;
	}

	/**
	 * Scans the map at {@code data[off, off+len)}; null when it is not a well-formed map.
	 */
	public static MapSlices scan(byte[] data, int off, int len) {
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data, off, len)) {
			if (!u.hasNext() || u.getNextFormat().getValueType() != ValueType.MAP) {
				return null;
			}
			int n = u.unpackMapHeader();
			int[] pos = new int[n * 7];
			boolean[] ks = new boolean[n];
			boolean[] vs = new boolean[n];
			for (int i = 0; i < n; i++) {
				int b = i * 7;
				pos[b] = off + (int) u.getTotalReadBytes();
				int[] kp = payload(u, off);
				ks[i] = kp != null;
				pos[b + 3] = (kp != null) ? kp[0] : -1;
				pos[b + 4] = (kp != null) ? kp[1] : -1;
				pos[b + 1] = off + (int) u.getTotalReadBytes();
				int[] vp = payload(u, off);
				vs[i] = vp != null;
				pos[b + 5] = (vp != null) ? vp[0] : -1;
				pos[b + 6] = (vp != null) ? vp[1] : -1;
				pos[b + 2] = off + (int) u.getTotalReadBytes();
			}
			return new MapSlices(data, n, pos, ks, vs);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** Reads one value; returns the payload range of a str/bin, else null (the value is skipped). */
	private static int[] payload(MessageUnpacker u, int off) throws IOException {
		MessageFormat f = u.getNextFormat();
		ValueType t = f.getValueType();
		if (t == ValueType.STRING) {
			int n = u.unpackRawStringHeader();
			int s = off + (int) u.getTotalReadBytes();
			u.readPayloadAsReference(n);
			return new int[] { s, s + n };
		}
		if (t == ValueType.BINARY) {
			int n = u.unpackBinaryHeader();
			int s = off + (int) u.getTotalReadBytes();
			u.readPayloadAsReference(n);
			return new int[] { s, s + n };
		}
		u.skipValue();
		return null;
	}

	public byte[] data() {
		return this.data;
	}

	public int size() {
		return this.count;
	}

	public int entryStart(int i) {
		return this.pos[i * 7];
	}

	public int valueStart(int i) {
		return this.pos[i * 7 + 1];
	}

	public int entryEnd(int i) {
		return this.pos[i * 7 + 2];
	}

	/** Whether the key is a string (or binary). */
	public boolean keyIsString(int i) {
		return this.keyIsStr[i];
	}

	/** Whether the value is a string (or binary). */
	public boolean valueIsString(int i) {
		return this.valueIsStr[i];
	}

	public int keyPayloadStart(int i) {
		return this.pos[i * 7 + 3];
	}

	public int keyPayloadEnd(int i) {
		return this.pos[i * 7 + 4];
	}

	public int valuePayloadStart(int i) {
		return this.pos[i * 7 + 5];
	}

	public int valuePayloadEnd(int i) {
		return this.pos[i * 7 + 6];
	}

	/** Whether entry {@code i}'s key is a string equal to {@code key}. */
	public boolean keyEquals(int i, byte[] key) {
		if (!this.keyIsStr[i]) {
			return false;
		}
		int s = keyPayloadStart(i);
		int e = keyPayloadEnd(i);
		return java.util.Arrays.equals(this.data, s, e, key, 0, key.length);
	}

	public String key(int i) {
		return this.keyIsStr[i]
				? new String(this.data, keyPayloadStart(i), keyPayloadEnd(i) - keyPayloadStart(i), StandardCharsets.UTF_8)
				: null;
	}

	/** First entry whose key equals {@code key}, or -1. */
	public int find(byte[] key) {
		for (int i = 0; i < this.count; i++) {
			if (keyEquals(i, key)) {
				return i;
			}
		}
		return -1;
	}
}
