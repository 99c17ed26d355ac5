package dev.sluice.storage;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The chunk file format of Fluent Bit (chunkio), read and written byte for byte. All integers
 * big-endian:
 *
 * <pre>
 * 0   2  magic C1 00
 * 2   4  CRC32 of bytes [22, 24+M+content) when storage.checksum is on, else 0
 * 6   4  0 (historic padding CRC)
 * 10  4  content length (0 in files older than chunkio 1.x: inferred from the file size)
 * 14  8  0
 * 22  2  metadata length M
 * 24  M  metadata ({@link ChunkMeta})
 * 24+M   content: concatenated msgpack events
 * </pre>
 *
 * Fluent Bit maps the file and grows it in pages, so it may be longer than the content; the
 * trailing bytes are zero and the content-length field is what counts.
 */
public final class ChunkFile {

	/** Bytes before the metadata. */
	public static final int HEADER_SIZE = 24;

	public static final int OFF_CRC = 2;

	public static final int OFF_CONTENT_LENGTH = 10;

	public static final int OFF_META_LENGTH = 22;

	public static final int MAX_META = 65535;

	private ChunkFile() {
	}

	/** What the CRC field says about the content. */
	public enum CrcState {
		/** The field is zero (checksum off when written). */
		ZERO,
		/** The field is the CRC32 of the metadata length, metadata and content. */
		VALID,
		/**
		 * The field holds chunkio's running CRC state ({@code crc ^ 0xFFFFFFFF}, little-endian):
		 * the chunk was open for writing when the process was killed. Fluent Bit refuses such a
		 * file; its data is whole (the CRC still matches it).
		 */
		RUNNING,
		/** The field matches neither: content or metadata changed after it was written. */
		MISMATCH
	}

	/**
	 * A parsed chunk file.
	 *
	 * @param crcField the raw CRC field (big-endian int)
	 * @param declaredLength the content-length field
	 * @param metadata the raw metadata bytes
	 * @param content the content bytes: the declared length, or what the file holds when it is
	 * shorter ({@link #truncated}), or the rest of the file when the length field is 0
	 * @param fileSize the file's length
	 * @param crc the CRC field checked against the bytes
	 * @param truncated the file ends before the declared content does
	 * @param inferredLength the length field was 0 and the content runs to the end of the file
	 */
	public record Parsed(int crcField, int declaredLength, byte[] metadata, byte[] content, int fileSize, CrcState crc,
			boolean truncated, boolean inferredLength) {

		/** The file exactly as it was read: header, metadata, content and the zero tail. */
		public byte[] reencode() {
			return ChunkFile.encode(this.metadata, this.content, this.crcField, this.declaredLength, this.fileSize);
		}
	}

	/**
	 * Parses a chunk file's bytes.
	 * @throws ChunkFormatException when the bytes are not a chunk at all (too short, wrong magic,
	 * metadata running past the end)
	 */
	public static Parsed parse(byte[] f) throws ChunkFormatException {
		if (f.length == 0) {
			throw new ChunkFormatException("empty file");
		}
		if (f.length < HEADER_SIZE) {
			throw new ChunkFormatException("file of " + f.length + " bytes is shorter than a chunk header");
		}
		if ((f[0] & 0xff) != 0xC1 || f[1] != 0) {
			throw new ChunkFormatException(String.format("bad magic %02x %02x", f[0] & 0xff, f[1] & 0xff));
		}
		int crcField = readInt(f, OFF_CRC);
		int declared = readInt(f, OFF_CONTENT_LENGTH);
		int metaLen = ((f[OFF_META_LENGTH] & 0xff) << 8) | (f[OFF_META_LENGTH + 1] & 0xff);
		int contentStart = HEADER_SIZE + metaLen;
		if (contentStart > f.length) {
			throw new ChunkFormatException("metadata length " + metaLen + " runs past the end of the file");
		}
		byte[] meta = Arrays.copyOfRange(f, HEADER_SIZE, contentStart);
		boolean truncated = false;
		boolean inferred = false;
		int len;
		if (declared == 0 && contentStart < f.length && f[contentStart] != 0) {
			inferred = true;
			len = f.length - contentStart;
		}
		else if (declared < 0 || (long) contentStart + declared > f.length) {
			truncated = true;
			len = f.length - contentStart;
		}
		else {
			len = declared;
		}
		byte[] content = Arrays.copyOfRange(f, contentStart, contentStart + len);
		CrcState state;
		if (crcField == 0) {
			state = CrcState.ZERO;
		}
		else {
			int crc = crc(meta, content);
			if (crc == crcField && !truncated) {
				state = CrcState.VALID;
			}
			else if (!truncated && Integer.reverseBytes(~crc) == crcField) {
				state = CrcState.RUNNING;
			}
			else {
				state = CrcState.MISMATCH;
			}
		}
		return new Parsed(crcField, declared, meta, content, f.length, state, truncated, inferred);
	}

	/** CRC32 of the 2-byte metadata length, the metadata and the content, as chunkio stores it. */
	public static int crc(byte[] meta, byte[] content) {
		CRC32 c = new CRC32();
		c.update(new byte[] { (byte) (meta.length >> 8), (byte) meta.length });
		c.update(meta);
		c.update(content);
		return (int) c.getValue();
	}

	/** A fresh chunk file: exact size (no page padding), CRC when {@code checksum}. */
	public static byte[] encode(byte[] meta, byte[] content, boolean checksum) {
		return encode(meta, content, checksum ? crc(meta, content) : 0, content.length,
				HEADER_SIZE + meta.length + content.length);
	}

	/**
	 * A chunk file from its fields.
	 * @param fileSize at least header + metadata + content; the rest is zero (Fluent Bit's page
	 * growth, {@link #fluentBitFileSize})
	 */
	public static byte[] encode(byte[] meta, byte[] content, int crcField, int contentLengthField, int fileSize) {
		if (meta.length > MAX_META) {
			throw new IllegalArgumentException("metadata longer than " + MAX_META + " bytes");
		}
		byte[] f = new byte[Math.max(fileSize, HEADER_SIZE + meta.length + content.length)];
		writeHeader(f, crcField, contentLengthField, meta.length);
		System.arraycopy(meta, 0, f, HEADER_SIZE, meta.length);
		System.arraycopy(content, 0, f, HEADER_SIZE + meta.length, content.length);
		return f;
	}

	/** Writes the 24 header bytes into {@code f}. */
	public static void writeHeader(byte[] f, int crcField, int contentLength, int metaLength) {
		f[0] = (byte) 0xC1;
		f[1] = 0;
		writeInt(f, OFF_CRC, crcField);
		writeInt(f, 6, 0);
		writeInt(f, OFF_CONTENT_LENGTH, contentLength);
		Arrays.fill(f, 14, 22, (byte) 0);
		f[OFF_META_LENGTH] = (byte) (metaLength >> 8);
		f[OFF_META_LENGTH + 1] = (byte) metaLength;
	}

	/**
	 * The size Fluent Bit gives a file holding {@code used} bytes: one 4096-byte page, grown in
	 * steps of 32 KiB (eight pages) — what every fixture written by Fluent Bit 5.1 shows.
	 */
	public static int fluentBitFileSize(int used) {
		if (used <= 4096) {
			return 4096;
		}
		return 4096 + ((used - 4096 + 32767) / 32768) * 32768;
	}

	static int readInt(byte[] b, int off) {
		return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
	}

	static void writeInt(byte[] b, int off, int v) {
		b[off] = (byte) (v >>> 24);
		b[off + 1] = (byte) (v >>> 16);
		b[off + 2] = (byte) (v >>> 8);
		b[off + 3] = (byte) v;
	}
}
