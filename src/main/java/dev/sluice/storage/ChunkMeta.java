package dev.sluice.storage;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fluent Bit's chunk metadata (v1.9+): {@code F1 77}, event type, flags, then the tag bytes (no
 * length, no terminator). When flags are set the tag is followed by {@code 00} and a routing
 * payload, kept here as raw bytes so it survives a round trip. Files older than 1.9 hold the tag
 * alone (no magic).
 *
 * @param eventType 0 logs, 1 metrics, 2 traces, 3 blobs, 4 profiles
 * @param flags routing flags ({@code 0x01} direct routes, {@code 0x02} labels, {@code 0x04} wide
 * ids, {@code 0x08} plugin ids); 0 for chunks Sluice writes
 * @param tag the tag of every record in the chunk
 * @param routing the bytes after the tag's {@code 00} terminator when flags are set, else empty
 * @param legacy the metadata had no magic (pre-1.9 file: the bytes are the tag)
 */
public record ChunkMeta(int eventType, int flags, String tag, byte[] routing, boolean legacy) {

	public static final int MAGIC_0 = 0xF1;

	public static final int MAGIC_1 = 0x77;

	/** Highest event type Fluent Bit defines (profiles). */
	public static final int MAX_EVENT_TYPE = 4;

	public static ChunkMeta of(String tag, int eventType) {
		return new ChunkMeta(eventType, 0, tag, new byte[0], false);
	}

	/**
	 * Reads metadata bytes.
	 * @throws ChunkFormatException when they are not metadata Fluent Bit could have written: an
	 * unknown event type, a tag that is not UTF-8 text, a routing payload without its terminator
	 */
	public static ChunkMeta parse(byte[] m) throws ChunkFormatException {
		if (m.length >= 4 && (m[0] & 0xff) == MAGIC_0 && (m[1] & 0xff) == MAGIC_1) {
			int type = m[2] & 0xff;
			int flags = m[3] & 0xff;
			if (type > MAX_EVENT_TYPE) {
				throw new ChunkFormatException("unknown event type " + type + " in chunk metadata");
			}
			if (flags == 0) {
				return new ChunkMeta(type, 0, text(m, 4, m.length), new byte[0], false);
			}
			if ((flags & ~0x0f) != 0) {
				throw new ChunkFormatException("unknown metadata flags 0x" + Integer.toHexString(flags));
			}
			int nul = -1;
			for (int i = 4; i < m.length; i++) {
				if (m[i] == 0) {
					nul = i;
					break;
				}
			}
			if (nul < 0) {
				throw new ChunkFormatException("routing flags set but the tag has no terminator");
			}
			return new ChunkMeta(type, flags, text(m, 4, nul), Arrays.copyOfRange(m, nul + 1, m.length), false);
		}
		return new ChunkMeta(0, 0, text(m, 0, m.length), new byte[0], true);
	}

	private static String text(byte[] b, int from, int to) throws ChunkFormatException {
		if (to <= from) {
			throw new ChunkFormatException("chunk metadata holds an empty tag");
		}
		for (int i = from; i < to; i++) {
			int c = b[i] & 0xff;
			if (c < 0x20 || c == 0x7f) {
				throw new ChunkFormatException("chunk metadata tag holds control byte 0x" + Integer.toHexString(c));
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(java.nio.ByteBuffer.wrap(b, from, to - from))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ChunkFormatException("chunk metadata tag is not UTF-8 text");
		}
	}

	/** The metadata bytes as Fluent Bit writes them. */
	public byte[] encode() {
		byte[] t = this.tag.getBytes(StandardCharsets.UTF_8);
		if (this.legacy) {
			return t;
		}
		int extra = (this.flags != 0) ? 1 + this.routing.length : 0;
		byte[] m = new byte[4 + t.length + extra];
		m[0] = (byte) MAGIC_0;
		m[1] = (byte) MAGIC_1;
		m[2] = (byte) this.eventType;
		m[3] = (byte) this.flags;
		System.arraycopy(t, 0, m, 4, t.length);
		if (this.flags != 0) {
			m[4 + t.length] = 0;
			System.arraycopy(this.routing, 0, m, 5 + t.length, this.routing.length);
		}
		return m;
	}
}
