package dev.sluice.net.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/** Writing records that extend a parser's msgpack map with a few keys (Fluent Bit's {@code flb_msgpack_expand_map}). */
public final class Records {

	private Records() {
	}

	/**
	 * Writes the map {@code map} (one msgpack map) with {@code key: value} (a string) appended as
	 * its last entry; only the map when {@code key} is null.
	 */
	public static void appendToMap(MessagePacker pk, byte[] map, byte[] key, String value) throws IOException {
		if (key == null) {
			pk.writePayload(map);
			return;
		}
		appendToMap(pk, map, new byte[][] { key }, new Object[] { value });
	}

	/**
	 * Writes {@code map} with entries appended in order; a null key is skipped. A value is a
	 * {@code String} (msgpack str) or a {@code byte[]} (msgpack bin).
	 */
	public static void appendToMap(MessagePacker pk, byte[] map, byte[][] keys, Object[] values) throws IOException {
		int extra = 0;
		for (byte[] k : keys) {
			if (k != null) {
				extra++;
			}
		}
		if (extra == 0) {
			pk.writePayload(map);
			return;
		}
		int n;
		int header;
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(map)) {
			n = u.unpackMapHeader();
			header = (int) u.getTotalReadBytes();
		}
		pk.packMapHeader(n + extra);
		pk.writePayload(map, header, map.length - header);
		for (int i = 0; i < keys.length; i++) {
			if (keys[i] == null) {
				continue;
			}
			pk.packRawStringHeader(keys[i].length);
			pk.writePayload(keys[i]);
			switch (values[i]) {
				case byte[] bin -> {
					pk.packBinaryHeader(bin.length);
					pk.writePayload(bin);
				}
				case null -> pk.packNil();
				default -> {
					byte[] s = values[i].toString().getBytes(StandardCharsets.UTF_8);
					pk.packRawStringHeader(s.length);
					pk.writePayload(s);
				}
			}
		}
	}
}
