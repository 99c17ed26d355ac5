package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.msgpack.core.MessagePacker;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.MsgpackWriter;

/**
 * No parser: each line becomes {@code {[path_key: name,] [offset_key: offset,] key: line}}, in
 * that order, as Fluent Bit's {@code flb_tail_file_pack_line} writes it. The line's bytes are
 * copied as they are into a msgpack string (no decoding, no {@link String} per line).
 */
public final class RawLineProcessor implements LineProcessor {

	private final byte[] key;

	private final byte[] pathKey;

	private final byte[] offsetKey;

	private byte[] pathValue;

	private String pathValueOf;

	/** The key, as an encoded msgpack str (header and bytes). */
	private final byte[] keyEncoded;

	/** {@code offset_key} as an encoded msgpack str, or null. */
	private final byte[] offsetKeyEncoded;

	/** {@code path_key: <path>} encoded, for {@link #pathEncodedOf}, or null. */
	private byte[] pathEncoded;

	private String pathEncodedOf;

	/** The encoded event header ({@code [[EventTime, {}], }) for {@link #headerOf}. */
	private final byte[] header = new byte[EVENT_HEADER_LENGTH];

	private EventTime headerOf;

	/** Length of an encoded v2 event header with an EventTime and empty metadata. */
	static final int EVENT_HEADER_LENGTH = 13;

	public RawLineProcessor(String key, String pathKey, String offsetKey) {
		this.key = key.getBytes(StandardCharsets.UTF_8);
		this.pathKey = (pathKey != null) ? pathKey.getBytes(StandardCharsets.UTF_8) : null;
		this.offsetKey = (offsetKey != null) ? offsetKey.getBytes(StandardCharsets.UTF_8) : null;
		this.keyEncoded = encodedStr(this.key);
		this.offsetKeyEncoded = (this.offsetKey != null) ? encodedStr(this.offsetKey) : null;
	}

	private static byte[] encodedStr(byte[] b) {
		MsgpackWriter w = new MsgpackWriter(b.length + 8);
		w.str(b, 0, b.length);
		return w.toByteArray();
	}

	@Override
	public boolean direct() {
		return true;
	}

	@Override
	public int lineDirect(byte[] buf, int off, int len, LineSource source, MsgpackWriter out) {
		out.ensureCapacity(EVENT_HEADER_LENGTH + 1 + this.keyEncoded.length + 5 + len);
		writeEventHeader(out, source.time());
		out.mapHeader(1 + customKeyCount());
		appendCustomKeys(out, source);
		out.writeRaw(this.keyEncoded);
		out.str(buf, off, len);
		return 1;
	}

	/** Writes {@code [[time, {}], } as {@link EventEncoder#beginEvent} does (the record follows). */
	void writeEventHeader(MsgpackWriter out, EventTime time) {
		if (time != this.headerOf) {
			putEventHeader(this.header, 0, time);
			this.headerOf = time;
		}
		out.writeRaw(this.header, 0, EVENT_HEADER_LENGTH);
	}

	/** Encodes an event header at {@code at}: two array headers, the EventTime ext, an empty map. */
	static void putEventHeader(byte[] b, int at, EventTime time) {
		long s = time.seconds();
		int ns = time.nanos();
		b[at] = (byte) 0x92;
		b[at + 1] = (byte) 0x92;
		b[at + 2] = (byte) 0xd7;
		b[at + 3] = 0;
		b[at + 4] = (byte) (s >>> 24);
		b[at + 5] = (byte) (s >>> 16);
		b[at + 6] = (byte) (s >>> 8);
		b[at + 7] = (byte) s;
		b[at + 8] = (byte) (ns >>> 24);
		b[at + 9] = (byte) (ns >>> 16);
		b[at + 10] = (byte) (ns >>> 8);
		b[at + 11] = (byte) ns;
		b[at + 12] = (byte) 0x80;
	}

	/** Writes the {@code path_key} and {@code offset_key} fields (when configured). */
	public void appendCustomKeys(MsgpackWriter out, LineSource source) {
		if (this.pathKey != null) {
			if (this.pathEncodedOf != source.path()) {
				MsgpackWriter w = new MsgpackWriter(64);
				w.str(this.pathKey, 0, this.pathKey.length);
				w.str(source.path());
				this.pathEncoded = w.toByteArray();
				this.pathEncodedOf = source.path();
			}
			out.writeRaw(this.pathEncoded);
		}
		if (this.offsetKeyEncoded != null) {
			out.writeRaw(this.offsetKeyEncoded);
			out.integer(source.offset());
		}
	}

	/** How many fields {@link #appendCustomKeys} adds. */
	public int customKeyCount() {
		return ((this.pathKey != null) ? 1 : 0) + ((this.offsetKey != null) ? 1 : 0);
	}

	@Override
	public int line(byte[] buf, int off, int len, LineSource source, EventEncoder out) throws IOException {
		MessagePacker p = out.beginEvent(source.time(), Map.of());
		p.packMapHeader(1 + customKeyCount());
		appendCustomKeys(p, source);
		p.packRawStringHeader(this.key.length);
		p.writePayload(this.key);
		p.packRawStringHeader(len);
		p.writePayload(buf, off, len);
		out.endEvent();
		return 1;
	}

	/** Writes the {@code path_key} and {@code offset_key} fields (when configured). */
	public void appendCustomKeys(MessagePacker p, LineSource source) throws IOException {
		if (this.pathKey != null) {
			if (this.pathValueOf != source.path()) {
				this.pathValue = source.path().getBytes(StandardCharsets.UTF_8);
				this.pathValueOf = source.path();
			}
			p.packRawStringHeader(this.pathKey.length);
			p.writePayload(this.pathKey);
			p.packRawStringHeader(this.pathValue.length);
			p.writePayload(this.pathValue);
		}
		if (this.offsetKey != null) {
			p.packRawStringHeader(this.offsetKey.length);
			p.writePayload(this.offsetKey);
			p.packLong(source.offset());
		}
	}
}
