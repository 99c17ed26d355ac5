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
 * The forward decoder as it was before events were decoded straight into the connection's
 * pending buffer (kept for {@link ForwardDecoderEquivalenceTest}: the new one must produce the
 * same bytes). Not used by Sluice.
 *
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
final class LegacyForwardDecoder {

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

	private final ByteSink sink = new ByteSink(4096);

	/**
	 * @param maxInflated the largest a compressed payload may inflate to, in bytes
	 */
	LegacyForwardDecoder(long maxInflated) {
		this.maxInflated = maxInflated;
	}

	/** Decodes the message in {@code b[off, end)}, which must be exactly one complete msgpack value. */
	public Decoded decode(byte[] b, int off, int end) throws ProtocolException {
		try {
			return decode0(b, off, end);
		}
		catch (MsgpackBytes.InvalidMsgpackException | ArrayIndexOutOfBoundsException ex) {
			throw new ProtocolException("invalid msgpack: " + ex.getMessage());
		}
	}

	private Decoded decode0(byte[] b, int off, int end) throws ProtocolException {
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
		String tag = MsgpackBytes.string(b, p);
		p = MsgpackBytes.endComplete(b, p, end);
		int second = p;
		int secondEnd = MsgpackBytes.endComplete(b, second, end);
		this.sink.reset();
		int[] counts = new int[2];
		Map<String, Object> options = Map.of();
		Mode mode;
		if (MsgpackBytes.isArray(b, second)) {
			mode = Mode.FORWARD;
			long count = MsgpackBytes.arraySize(b, second);
			int q = second + MsgpackBytes.containerHeaderLength(b, second);
			for (long i = 0; i < count; i++) {
				int e = MsgpackBytes.endComplete(b, q, secondEnd);
				entry(b, q, e, counts);
				q = e;
			}
			if (n >= 3) {
				options = options(b, secondEnd, end);
			}
		}
		else if (MsgpackBytes.isStr(b, second) || MsgpackBytes.isBin(b, second)) {
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
				byte[] inflated = gunzip(b, q, qe - q);
				packedEntries(inflated, 0, inflated.length, counts);
			}
			else if (compressed == null || "text".equals(compressed)) {
				mode = Mode.PACKED_FORWARD;
				packedEntries(b, q, qe, counts);
			}
			else {
				throw new ProtocolException("unsupported compression '" + compressed + "'");
			}
		}
		else {
			mode = Mode.MESSAGE;
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
			if (MsgpackBytes.isMap(b, rec) && writeTime(b, second, secondEnd)) {
				if (meta != null) {
					this.sink.write(meta, 0, meta.length);
				}
				else {
					this.sink.write(0x80);
				}
				this.sink.write(b, rec, recEnd - rec);
				counts[0]++;
			}
			else {
				this.sink.reset();
				counts[1]++;
			}
		}
		return new Decoded(tag, mode, this.sink.toByteArray(), this.sink.size(), counts[0], counts[1], options);
	}

	private void packedEntries(byte[] b, int q, int qe, int[] counts) throws ProtocolException {
		while (q < qe) {
			int e = MsgpackBytes.end(b, q, qe);
			if (e == MsgpackBytes.INCOMPLETE) {
				throw new ProtocolException("truncated entry in packed forward payload");
			}
			entry(b, q, e, counts);
			q = e;
		}
	}

	/** Writes one entry as a v2 event, or counts it as skipped. */
	private void entry(byte[] b, int q, int e, int[] counts) {
		int mark = this.sink.size();
		if (!MsgpackBytes.isArray(b, q) || MsgpackBytes.arraySize(b, q) != 2) {
			counts[1]++;
			return;
		}
		int t = q + MsgpackBytes.containerHeaderLength(b, q);
		int tEnd = MsgpackBytes.endComplete(b, t, e);
		int rec = tEnd;
		if (rec >= e || !MsgpackBytes.isMap(b, rec) || MsgpackBytes.endComplete(b, rec, e) != e) {
			counts[1]++;
			return;
		}
		boolean ok;
		if (MsgpackBytes.isArray(b, t)) {
			long h = MsgpackBytes.arraySize(b, t);
			int tt = t + MsgpackBytes.containerHeaderLength(b, t);
			if (h < 1) {
				counts[1]++;
				return;
			}
			int ttEnd = MsgpackBytes.endComplete(b, tt, tEnd);
			ok = writeTime(b, tt, ttEnd);
			if (ok) {
				if (h >= 2 && MsgpackBytes.isMap(b, ttEnd)) {
					int metaEnd = MsgpackBytes.endComplete(b, ttEnd, tEnd);
					this.sink.write(b, ttEnd, metaEnd - ttEnd);
				}
				else {
					this.sink.write(0x80);
				}
			}
		}
		else {
			ok = writeTime(b, t, tEnd);
			if (ok) {
				this.sink.write(0x80);
			}
		}
		if (!ok) {
			this.sink.truncate(mark);
			counts[1]++;
			return;
		}
		this.sink.write(b, rec, e - rec);
		counts[0]++;
	}

	/** Writes {@code 92 92 <EventTime>} for a time value; false (nothing written) if it is not one. */
	private boolean writeTime(byte[] b, int p, int pe) {
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
			if (!(d >= 0) || !Double.isFinite(d)) {
				return false;
			}
			EventTime et = EventTime.ofDouble(d);
			sec = et.seconds();
			nsec = et.nanos();
		}
		else if (t == 0xd7 && b[p + 1] == MsgpackValues.EVENT_TIME_EXT) {
			this.sink.write(0x92);
			this.sink.write(0x92);
			this.sink.write(b, p, 10);
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
		this.sink.write(0x92);
		this.sink.write(0x92);
		this.sink.write(0xd7);
		this.sink.write(0x00);
		this.sink.writeInt((int) sec);
		this.sink.writeInt((int) nsec);
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

	private byte[] gunzip(byte[] b, int off, int len) throws ProtocolException {
		ByteSink out = new ByteSink(Math.max(1024, Math.min(len * 4, 1 << 20)));
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b, off, len), 8192)) {
			byte[] buf = new byte[16384];
			int r;
			while ((r = in.read(buf)) > 0) {
				if ((long) out.size() + r > this.maxInflated) {
					throw new ProtocolException("gzip payload inflates beyond " + this.maxInflated + " bytes");
				}
				out.write(buf, 0, r);
			}
		}
		catch (IOException ex) {
			throw new ProtocolException("invalid gzip payload: " + ex.getMessage());
		}
		return out.toByteArray();
	}
}
