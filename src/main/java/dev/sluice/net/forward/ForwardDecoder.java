package dev.sluice.net.forward;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * Turns one complete Forward protocol message (a top-level msgpack array) into Fluent Bit v2
 * events, {@code [[EventTime, {meta}], {record}]}, working on the bytes: records and metadata are
 * copied as they are, only times are normalised (integer and float seconds become EventTime).
 *
 * <ul>
 * <li>Message: {@code [tag, time, record, option?]}; the option {@code metadata} (a map, as Fluent
 * Bit's out_forward sends it in Message mode) becomes the event metadata.</li>
 * <li>Forward: {@code [tag, [entry, ...], option?]}.</li>
 * <li>PackedForward: {@code [tag, str|bin(entry...), option?]}; with {@code compressed: "gzip"}
 * the blob is gzip (several members allowed), inflated up to a cap.</li>
 * </ul>
 * Entries are {@code [time, record]} or {@code [[time, meta?], record]}; an entry with another
 * shape is skipped and counted in {@link Decoded#skipped()}.
 */
public final class ForwardDecoder {

	/** The protocol mode a message used. */
	public enum Mode {
		MESSAGE, FORWARD, PACKED_FORWARD, COMPRESSED_PACKED_FORWARD
	}

	/** Raised when a message is not a valid Forward message; the connection should be closed. */
	public static final class ProtocolException extends Exception {

		private static final long serialVersionUID = 1L;

		public ProtocolException(String message) {
			super(message);
		}
	}

	/**
	 * One decoded message.
	 * @param tag the message's tag
	 * @param mode the mode it used
	 * @param events v2 events, {@code length} bytes
	 * @param length bytes used in {@code events}
	 * @param records events written
	 * @param skipped entries that were not events
	 * @param options the option map, empty when none was sent
	 */
	public record Decoded(String tag, Mode mode, byte[] events, int length, int records, int skipped,
			Map<String, Object> options) {

		/** The {@code chunk} option (a string, or a binary read as UTF-8), or null. */
		public String chunk() {
			Object c = this.options.get("chunk");
			if (c instanceof byte[] bytes) {
				return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
			}
			return (c instanceof String s) ? s : null;
		}

		/** The {@code fluent_signal} option: 0 logs (default), 1 metrics, 2 traces. */
		public int signal() {
			Object s = this.options.get("fluent_signal");
			return (s instanceof Number n) ? n.intValue() : 0;
		}
	}

	private final long maxInflated;

	/** Where {@link #decode} puts its events. */
	private final ByteSink sink = new ByteSink(4096);

	/** Events written and entries skipped by the message being decoded. */
	private int records;

	private int skipped;

	/** The last tag seen, as bytes and as a string: consecutive messages mostly share it. */
	private byte[] lastTagBytes = new byte[0];

	private String lastTag = "";

	/**
	 * @param maxInflated the largest a compressed payload may inflate to, in bytes
	 */
	public ForwardDecoder(long maxInflated) {
		this.maxInflated = maxInflated;
	}

	/**
	 * Decodes the message in {@code b[off, end)}, which must be exactly one complete msgpack
	 * value; the result holds its events.
	 */
	public Decoded decode(byte[] b, int off, int end) throws ProtocolException {
		this.sink.reset();
		Decoded d = decodeInto(b, off, end, this.sink);
		return new Decoded(d.tag(), d.mode(), this.sink.toByteArray(), this.sink.size(), d.records(), d.skipped(),
				d.options());
	}

	/**
	 * Decodes the message in {@code b[off, end)}, which must be exactly one complete msgpack
	 * value, appending its events to {@code out}; the result's {@link Decoded#events()} is null
	 * and its {@link Decoded#length()} the bytes appended. On an exception nothing is appended.
	 */
	public Decoded decodeInto(byte[] b, int off, int end, ByteSink out) throws ProtocolException {
		int mark = out.size();
		try {
			return decode0(b, off, end, out, mark);
		}
		catch (MsgpackBytes.InvalidMsgpackException | ArrayIndexOutOfBoundsException ex) {
			out.truncate(mark);
			throw new ProtocolException("invalid msgpack: " + ex.getMessage());
		}
		catch (ProtocolException | RuntimeException ex) {
			out.truncate(mark);
			throw ex;
		}
	}

	/**
	 * The tag of the message in {@code b[off, end)}, checking what {@link #decode} checks first
	 * (an array of 2 to 4 elements starting with a string).
	 */
	public String tag(byte[] b, int off, int end) throws ProtocolException {
		try {
			return tag0(b, off, end);
		}
		catch (MsgpackBytes.InvalidMsgpackException | ArrayIndexOutOfBoundsException ex) {
			throw new ProtocolException("invalid msgpack: " + ex.getMessage());
		}
	}

	private String tag0(byte[] b, int off, int end) throws ProtocolException {
		if (!MsgpackBytes.isArray(b, off)) {
			throw new ProtocolException("message is not an array (first byte 0x" + Integer.toHexString(b[off] & 0xff) + ")");
		}
		long n = MsgpackBytes.arraySize(b, off);
		if (n < 2 || n > 4) {
			throw new ProtocolException("message is an array of " + n + " elements, expected 2 to 4");
		}
		int p = off + MsgpackBytes.containerHeaderLength(b, off);
		if (!MsgpackBytes.isStr(b, p) && !MsgpackBytes.isBin(b, p)) {
			throw new ProtocolException("tag is not a string");
		}
		long[] raw = MsgpackBytes.rawPayload(b, p);
		int ts = (int) raw[0];
		int tl = (int) raw[1];
		if (raw[0] + raw[1] > end) {
			throw new MsgpackBytes.InvalidMsgpackException("truncated msgpack value at offset " + p);
		}
		byte[] last = this.lastTagBytes;
		if (tl == last.length && java.util.Arrays.equals(b, ts, ts + tl, last, 0, tl)) {
			return this.lastTag;
		}
		String tag = new String(b, ts, tl, java.nio.charset.StandardCharsets.UTF_8);
		this.lastTagBytes = java.util.Arrays.copyOfRange(b, ts, ts + tl);
		this.lastTag = tag;
		return tag;
	}

	private Decoded decode0(byte[] b, int off, int end, ByteSink out, int mark) throws ProtocolException {
		String tag = tag0(b, off, end);
		long n = MsgpackBytes.arraySize(b, off);
		int p = off + MsgpackBytes.containerHeaderLength(b, off);
		p = MsgpackBytes.endComplete(b, p, end);
		int second = p;
		this.records = 0;
		this.skipped = 0;
		Map<String, Object> options = Map.of();
		Mode mode;
		if (MsgpackBytes.isArray(b, second)) {
			mode = Mode.FORWARD;
			long count = MsgpackBytes.arraySize(b, second);
			int q = second + MsgpackBytes.containerHeaderLength(b, second);
			for (long i = 0; i < count; i++) {
				if (q >= end) {
					throw new MsgpackBytes.InvalidMsgpackException("truncated msgpack value at offset " + q);
				}
				int e = entry(b, q, end, out);
				if (e == MsgpackBytes.INCOMPLETE) {
					throw new MsgpackBytes.InvalidMsgpackException("truncated msgpack value at offset " + q);
				}
				q = e;
			}
			if (n >= 3) {
				options = options(b, q, end);
			}
		}
		else if (MsgpackBytes.isStr(b, second) || MsgpackBytes.isBin(b, second)) {
			int secondEnd = MsgpackBytes.endComplete(b, second, end);
			if (n >= 3) {
				options = options(b, secondEnd, end);
			}
			long[] raw = MsgpackBytes.rawPayload(b, second);
			int q = (int) raw[0];
			int qe = (int) (raw[0] + raw[1]);
			Object compressed = options.get("compressed");
			if (compressed instanceof byte[] cb) {
				compressed = new String(cb, java.nio.charset.StandardCharsets.UTF_8);
			}
			if ("gzip".equals(compressed)) {
				mode = Mode.COMPRESSED_PACKED_FORWARD;
				ByteSink inflated = gunzip(b, q, qe - q);
				packedEntries(inflated.array(), 0, inflated.size(), out);
			}
			else if (compressed == null || "text".equals(compressed)) {
				mode = Mode.PACKED_FORWARD;
				packedEntries(b, q, qe, out);
			}
			else {
				throw new ProtocolException("unsupported compression '" + compressed + "'");
			}
		}
		else {
			mode = Mode.MESSAGE;
			int secondEnd = MsgpackBytes.endComplete(b, second, end);
			if (n < 3) {
				throw new ProtocolException("message mode needs [tag, time, record]");
			}
			int rec = secondEnd;
			int recEnd = MsgpackBytes.endComplete(b, rec, end);
			if (n == 4) {
				options = options(b, recEnd, end);
			}
			byte[] meta = null;
			Object m = options.get("metadata");
			if (m instanceof Map<?, ?> map) {
				meta = packValue(map);
			}
			int at = out.size();
			if (MsgpackBytes.isMap(b, rec) && writeTime(b, second, out)) {
				if (meta != null) {
					out.write(meta, 0, meta.length);
				}
				else {
					out.write(0x80);
				}
				out.write(b, rec, recEnd - rec);
				this.records++;
			}
			else {
				out.truncate(at);
				this.skipped++;
			}
		}
		return new Decoded(tag, mode, null, out.size() - mark, this.records, this.skipped, options);
	}

	private void packedEntries(byte[] b, int q, int qe, ByteSink out) throws ProtocolException {
		while (q < qe) {
			int e = entry(b, q, qe, out);
			if (e == MsgpackBytes.INCOMPLETE) {
				throw new ProtocolException("truncated entry in packed forward payload");
			}
			q = e;
		}
	}

	/**
	 * Writes the entry starting at {@code q} (before {@code limit}) as a v2 event, or counts it as
	 * skipped; returns the entry's end, or {@link MsgpackBytes#INCOMPLETE} when it does not end
	 * before {@code limit} (nothing written then).
	 */
	private int entry(byte[] b, int q, int limit, ByteSink out) {
		if ((b[q] & 0xff) != 0x92) {
			// not a fixarray of 2: another shape (skipped) or a 2-element array with a long header
			int e = MsgpackBytes.end(b, q, limit);
			if (e != MsgpackBytes.INCOMPLETE) {
				entrySlow(b, q, e, out);
			}
			return e;
		}
		int t = q + 1;
		if (t >= limit) {
			return MsgpackBytes.INCOMPLETE;
		}
		int tEnd;
		if ((b[t] & 0xff) == 0xd7) {
			tEnd = t + 10;
			if (tEnd > limit) {
				return MsgpackBytes.INCOMPLETE;
			}
		}
		else {
			tEnd = MsgpackBytes.end(b, t, limit);
			if (tEnd == MsgpackBytes.INCOMPLETE) {
				return MsgpackBytes.INCOMPLETE;
			}
		}
		int rec = tEnd;
		if (rec >= limit) {
			return MsgpackBytes.INCOMPLETE;
		}
		int e = MsgpackBytes.end(b, rec, limit);
		if (e == MsgpackBytes.INCOMPLETE) {
			return MsgpackBytes.INCOMPLETE;
		}
		if (!MsgpackBytes.isMap(b, rec)) {
			this.skipped++;
			return e;
		}
		if (b[t] == (byte) 0xd7 && b[t + 1] == MsgpackValues.EVENT_TIME_EXT) {
			// the common case, [EventTime, record]: 92 92 <time> 80 <record>
			int len = e - rec;
			out.ensure(len + 13);
			byte[] a = out.array();
			int o = out.size();
			a[o] = (byte) 0x92;
			a[o + 1] = (byte) 0x92;
			System.arraycopy(b, t, a, o + 2, 10);
			a[o + 12] = (byte) 0x80;
			System.arraycopy(b, rec, a, o + 13, len);
			out.truncate(o + 13 + len);
			this.records++;
			return e;
		}
		entryBody(b, t, tEnd, rec, e, out);
		return e;
	}

	/** {@link #entry} for a complete entry {@code b[q, e)} whose header is not {@code 0x92}. */
	private void entrySlow(byte[] b, int q, int e, ByteSink out) {
		if (!MsgpackBytes.isArray(b, q) || MsgpackBytes.arraySize(b, q) != 2) {
			this.skipped++;
			return;
		}
		int t = q + MsgpackBytes.containerHeaderLength(b, q);
		int tEnd = MsgpackBytes.endComplete(b, t, e);
		int rec = tEnd;
		if (rec >= e || !MsgpackBytes.isMap(b, rec) || MsgpackBytes.endComplete(b, rec, e) != e) {
			this.skipped++;
			return;
		}
		entryBody(b, t, tEnd, rec, e, out);
	}

	/** Writes the event of an entry: time at {@code b[t, tEnd)} (plain or {@code [time, meta?]}), record (a map) at {@code b[rec, e)}. */
	private void entryBody(byte[] b, int t, int tEnd, int rec, int e, ByteSink out) {
		int mark = out.size();
		boolean ok;
		if (MsgpackBytes.isArray(b, t)) {
			long h = MsgpackBytes.arraySize(b, t);
			int tt = t + MsgpackBytes.containerHeaderLength(b, t);
			if (h < 1) {
				this.skipped++;
				return;
			}
			int ttEnd = MsgpackBytes.endComplete(b, tt, tEnd);
			ok = writeTime(b, tt, out);
			if (ok) {
				if (h >= 2 && MsgpackBytes.isMap(b, ttEnd)) {
					int metaEnd = MsgpackBytes.endComplete(b, ttEnd, tEnd);
					out.write(b, ttEnd, metaEnd - ttEnd);
				}
				else {
					out.write(0x80);
				}
			}
		}
		else {
			ok = writeTime(b, t, out);
			if (ok) {
				out.write(0x80);
			}
		}
		if (!ok) {
			out.truncate(mark);
			this.skipped++;
			return;
		}
		out.write(b, rec, e - rec);
		this.records++;
	}

	/** Writes {@code 92 92 <EventTime>} for a time value; false (nothing written) if it is not one. */
	private static boolean writeTime(byte[] b, int p, ByteSink out) {
		int t = b[p] & 0xff;
		long sec;
		long nsec = 0;
		if (t <= 0x7f) {
			sec = t;
		}
		else if (t == 0xcc) {
			sec = b[p + 1] & 0xff;
		}
		else if (t == 0xcd) {
			sec = MsgpackBytes.u16(b, p + 1);
		}
		else if (t == 0xce) {
			sec = MsgpackBytes.u32(b, p + 1);
		}
		else if (t == 0xcf || t == 0xd3 || t == 0xd2 || t == 0xd1 || t == 0xd0) {
			long v = switch (t) {
				case 0xcf, 0xd3 -> java.nio.ByteBuffer.wrap(b, p + 1, 8).getLong();
				case 0xd2 -> java.nio.ByteBuffer.wrap(b, p + 1, 4).getInt();
				case 0xd1 -> java.nio.ByteBuffer.wrap(b, p + 1, 2).getShort();
				default -> b[p + 1];
			};
			if (v < 0) {
				return false;
			}
			sec = v;
		}
		else if (t == 0xca || t == 0xcb) {
			double d = (t == 0xca) ? java.nio.ByteBuffer.wrap(b, p + 1, 4).getFloat()
					: java.nio.ByteBuffer.wrap(b, p + 1, 8).getDouble();
			// 2^32 s and more does not fit an EventTime (and 2^63 would overflow the conversion)
			if (!(d >= 0) || d >= 0x1p32) {
				return false;
			}
			EventTime et = EventTime.ofDouble(d);
			sec = et.seconds();
			nsec = et.nanos();
		}
		else if (t == 0xd7 && b[p + 1] == MsgpackValues.EVENT_TIME_EXT) {
			out.write(0x92);
			out.write(0x92);
			out.write(b, p, 10);
			return true;
		}
		else if (t == 0xc7 && (b[p + 1] & 0xff) == 8 && b[p + 2] == MsgpackValues.EVENT_TIME_EXT) {
			sec = MsgpackBytes.u32(b, p + 3);
			nsec = MsgpackBytes.u32(b, p + 7);
		}
		else {
			return false;
		}
		if (sec > 0xffffffffL) {
			return false;
		}
		out.write(0x92);
		out.write(0x92);
		out.write(0xd7);
		out.write(0x00);
		out.writeInt((int) sec);
		out.writeInt((int) nsec);
		return true;
	}

	private static Map<String, Object> options(byte[] b, int p, int end) throws ProtocolException {
		if (p >= end || MsgpackBytes.isNil(b, p)) {
			return Map.of();
		}
		if (!MsgpackBytes.isMap(b, p)) {
			throw new ProtocolException("options is not a map");
		}
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b, p, end - p)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> m = (Map<String, Object>) MsgpackValues.unpack(u);
			return m;
		}
		catch (IOException | RuntimeException ex) {
			throw new ProtocolException("invalid options map: " + ex.getMessage());
		}
	}

	private static byte[] packValue(Object v) {
		try (var p = MessagePack.newDefaultBufferPacker()) {
			MsgpackValues.pack(p, v);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** Inflated payloads; kept between messages unless a large one made it grow past this. */
	private static final int INFLATED_KEEP = 8 << 20;

	private ByteSink inflated;

	/** Inflates a gzip payload (one or more members) into {@link #inflated}, up to {@link #maxInflated} bytes. */
	private ByteSink gunzip(byte[] b, int off, int len) throws ProtocolException {
		ByteSink out = this.inflated;
		if (out == null || out.array().length > INFLATED_KEEP) {
			out = new ByteSink(Math.max(16384, Math.min(len * 4, 1 << 20)));
			this.inflated = out;
		}
		out.reset();
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b, off, len), 8192)) {
			while (true) {
				if (out.size() == out.array().length) {
					out.ensure((int) Math.max(1, Math.min(Math.max(16384, out.size()), this.maxInflated + 1 - out.size())));
				}
				int r = in.read(out.array(), out.size(), out.array().length - out.size());
				if (r <= 0) {
					break;
				}
				if ((long) out.size() + r > this.maxInflated) {
					throw new ProtocolException("gzip payload inflates beyond " + this.maxInflated + " bytes");
				}
				out.truncate(out.size() + r);
			}
		}
		catch (IOException ex) {
			throw new ProtocolException("invalid gzip payload: " + ex.getMessage());
		}
		return out;
	}
}
