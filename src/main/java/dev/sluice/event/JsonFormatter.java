package dev.sluice.event;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Turns msgpack values and event streams into text exactly as Fluent Bit 5.1.1 does, reading the
 * msgpack bytes directly (no intermediate Java objects): the hot path of stdout, file and the
 * HTTP-style outputs.
 *
 * <ul>
 * <li>{@link #writeJson} is {@code flb_msgpack_to_json}: compact JSON, a map key that appears
 * again later in the same map is written only at its last position, integral doubles as
 * {@code %.1f} ({@code 5.0}), other doubles as {@code %.16g} ({@code 0.1}, {@code 1e+20}), NaN as
 * {@code nan} (or {@code null} with {@code json.convert_nan_to_null}), binaries as strings,
 * extension values as {@code "\xNN…"} (not valid JSON, as in Fluent Bit), and any key type
 * written as its JSON form (an integer key is written unquoted).</li>
 * <li>Strings are escaped as {@code flb_utils_write_str}: {@code \" \\ \n \r \t \b \f}, other
 * control characters and DEL as {@code &#92;u00xx}; with {@code json.escape_unicode} on (the
 * default) every non-ASCII character becomes {@code &#92;uXXXX} (surrogate pairs above U+FFFF), a
 * malformed UTF-8 byte becomes the private-use character U+E0xx and a truncated sequence at the
 * end of a string is dropped; with it off, valid UTF-8 is copied and each malformed byte becomes
 * U+FFFD.</li>
 * <li>{@link #formatEvents} is {@code flb_pack_msgpack_to_json_format}: each record gets the date
 * key first, then {@code "__internal__":{"log_metadata":{…}}} when the event metadata is not
 * empty, then the record's keys; as a JSON array, JSON lines or a JSON stream.</li>
 * <li>{@link #printMsgpack} is msgpack-c's {@code msgpack_object_print} ({@code {"k"=>"v"}}),
 * used by the stdout default format and out_file's csv, ltsv and template formats.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe. The service settings {@code json.escape_unicode}
 * and {@code json.convert_nan_to_null} are process-wide in Fluent Bit; the engine sets them once
 * with {@link #configure} and plugins take {@link #standard()}.
 */
public final class JsonFormatter {

	private static volatile JsonFormatter standard = new JsonFormatter(true, false);

	private final boolean escapeUnicode;

	private final boolean nanToNull;

	public JsonFormatter(boolean escapeUnicode, boolean convertNanToNull) {
		this.escapeUnicode = escapeUnicode;
		this.nanToNull = convertNanToNull;
	}

	/** Sets the service-wide {@code json.escape_unicode} and {@code json.convert_nan_to_null}. */
	public static void configure(boolean escapeUnicode, boolean convertNanToNull) {
		standard = new JsonFormatter(escapeUnicode, convertNanToNull);
	}

	/** The formatter with the service-wide settings. */
	public static JsonFormatter standard() {
		return standard;
	}

	public boolean escapeUnicode() {
		return this.escapeUnicode;
	}

	public boolean convertNanToNull() {
		return this.nanToNull;
	}

	/** The JSON output shapes of {@code flb_pack_msgpack_to_json_format}. */
	public enum Format {

		/** One JSON array of all records. */
		JSON,
		/** One record per line, each ending in a newline. */
		JSON_LINES,
		/** Records concatenated with no separator. */
		JSON_STREAM;

		/**
		 * Fluent Bit's {@code flb_pack_to_json_format_type}: {@code json}, {@code json_lines},
		 * {@code json_stream} (any case); null for anything else (including {@code msgpack}).
		 */
		public static Format parse(String s) {
			if (s == null) {
				return null;
			}
			return switch (s.toLowerCase(Locale.ROOT)) {
				case "json" -> JSON;
				case "json_lines" -> JSON_LINES;
				case "json_stream" -> JSON_STREAM;
				default -> null;
			};
		}
	}

	/** How the date key's value is written ({@code json_date_format}). */
	public enum DateFormat {

		/** Seconds as a double: {@code 1795314588.858428}. */
		DOUBLE,
		/** {@code 2026-11-22T02:37:39.122514Z} (UTC, microseconds). */
		ISO8601,
		/** {@code 2026-11-22 02:38:00.119021} (UTC, microseconds). */
		JAVA_SQL_TIMESTAMP,
		/** Whole seconds as an integer. */
		EPOCH,
		/** Milliseconds as an integer. */
		EPOCH_MS;

		/**
		 * Fluent Bit's {@code flb_pack_to_json_date_type} (any case; {@code epoch_millis} and
		 * {@code epoch_milliseconds} also mean {@link #EPOCH_MS}); null when not recognised.
		 */
		public static DateFormat parse(String s) {
			if (s == null) {
				return null;
			}
			return switch (s.toLowerCase(Locale.ROOT)) {
				case "double" -> DOUBLE;
				case "iso8601" -> ISO8601;
				case "java_sql_timestamp" -> JAVA_SQL_TIMESTAMP;
				case "epoch" -> EPOCH;
				case "epoch_ms", "epoch_millis", "epoch_milliseconds" -> EPOCH_MS;
				default -> null;
			};
		}
	}

	// ------------------------------------------------------------------------------------------
	// Public entry points

	/** Formats one Java value (as {@link MsgpackValues#pack} encodes it) as JSON. */
	public String toJson(Object value) {
		byte[] mp = pack(value);
		Sink out = new Sink(mp.length * 2 + 16);
		writeJson(mp, 0, out);
		return out.toString();
	}

	/**
	 * Writes the msgpack value at {@code off} as JSON ({@code flb_msgpack_to_json}) and returns
	 * the offset just after it.
	 * @throws EventFormatException when the bytes are not msgpack
	 */
	public int writeJson(byte[] data, int off, Sink out) {
		try {
			return json(data, off, out);
		}
		catch (ArrayIndexOutOfBoundsException ex) {
			throw new EventFormatException("truncated msgpack value at offset " + off, ex);
		}
	}

	/** Formats a run of events as Fluent Bit's JSON formats do. */
	public byte[] formatEvents(EventBytes events, Format format, DateFormat dateFormat, String dateKey) {
		Sink out = new Sink(events.length() + events.length() / 2 + 16);
		formatEvents(events.data(), events.offset(), events.length(), format, dateFormat, dateKey, out);
		return out.toByteArray();
	}

	/**
	 * Formats a run of events ({@code flb_pack_msgpack_to_json_format}): each record is a map
	 * with the date key first (unless {@code dateKey} is null), then
	 * {@code "__internal__":{"log_metadata":…}} when the metadata map is not empty, then the
	 * record's own keys. Group markers are skipped.
	 * @param dateFormat how to write the date; null means {@link DateFormat#DOUBLE}
	 * @throws EventFormatException when the bytes are not an event stream
	 */
	public void formatEvents(byte[] data, int off, int len, Format format, DateFormat dateFormat, String dateKey,
			Sink out) {
		DateFormat df = (dateFormat != null) ? dateFormat : DateFormat.DOUBLE;
		byte[] keyBytes = (dateKey != null) ? dateKey.getBytes(StandardCharsets.UTF_8) : null;
		EventCursor c = new EventCursor(data, off, len);
		RecordWriter rw = new RecordWriter();
		boolean first = true;
		if (format == Format.JSON) {
			out.write('[');
		}
		while (c.next()) {
			if (c.isGroupMarker()) {
				continue;
			}
			if (format == Format.JSON && !first) {
				out.write(',');
			}
			first = false;
			rw.write(this, c, keyBytes, df, out);
			if (format == Format.JSON_LINES) {
				out.write('\n');
			}
		}
		if (format == Format.JSON) {
			out.write(']');
		}
	}

	// ------------------------------------------------------------------------------------------
	// msgpack -> JSON

	private int json(byte[] b, int p, Sink o) {
		int t = b[p] & 0xff;
		if (t <= 0x7f) {
			o.writeLong(t);
			return p + 1;
		}
		if (t >= 0xe0) {
			o.writeLong((byte) t);
			return p + 1;
		}
		if (t <= 0x8f) {
			return jsonMap(b, p + 1, t & 0x0f, o);
		}
		if (t <= 0x9f) {
			return jsonArray(b, p + 1, t & 0x0f, o);
		}
		if (t <= 0xbf) {
			int n = t & 0x1f;
			writeString(b, p + 1, n, o);
			return p + 1 + n;
		}
		switch (t) {
			case 0xc0 -> {
				o.writeAscii("null");
				return p + 1;
			}
			case 0xc2 -> {
				o.writeAscii("false");
				return p + 1;
			}
			case 0xc3 -> {
				o.writeAscii("true");
				return p + 1;
			}
			case 0xc4, 0xd9 -> {
				int n = u8(b, p + 1);
				writeString(b, p + 2, n, o);
				return p + 2 + n;
			}
			case 0xc5, 0xda -> {
				int n = u16(b, p + 1);
				writeString(b, p + 3, n, o);
				return p + 3 + n;
			}
			case 0xc6, 0xdb -> {
				int n = len32(b, p + 1);
				writeString(b, p + 5, n, o);
				return p + 5 + n;
			}
			case 0xc7 -> {
				int n = u8(b, p + 1);
				return jsonExt(b, p + 3, n, o);
			}
			case 0xc8 -> {
				int n = u16(b, p + 1);
				return jsonExt(b, p + 4, n, o);
			}
			case 0xc9 -> {
				int n = len32(b, p + 1);
				return jsonExt(b, p + 6, n, o);
			}
			case 0xd4 -> {
				return jsonExt(b, p + 2, 1, o);
			}
			case 0xd5 -> {
				return jsonExt(b, p + 2, 2, o);
			}
			case 0xd6 -> {
				return jsonExt(b, p + 2, 4, o);
			}
			case 0xd7 -> {
				return jsonExt(b, p + 2, 8, o);
			}
			case 0xd8 -> {
				return jsonExt(b, p + 2, 16, o);
			}
			case 0xca -> {
				writeDouble(Float.intBitsToFloat((int) u32(b, p + 1)), o);
				return p + 5;
			}
			case 0xcb -> {
				writeDouble(Double.longBitsToDouble(i64(b, p + 1)), o);
				return p + 9;
			}
			case 0xcc -> {
				o.writeLong(u8(b, p + 1));
				return p + 2;
			}
			case 0xcd -> {
				o.writeLong(u16(b, p + 1));
				return p + 3;
			}
			case 0xce -> {
				o.writeLong(u32(b, p + 1));
				return p + 5;
			}
			case 0xcf -> {
				long v = i64(b, p + 1);
				if (v >= 0) {
					o.writeLong(v);
				}
				else {
					o.writeAscii(Long.toUnsignedString(v));
				}
				return p + 9;
			}
			case 0xd0 -> {
				o.writeLong(b[p + 1]);
				return p + 2;
			}
			case 0xd1 -> {
				o.writeLong((short) u16(b, p + 1));
				return p + 3;
			}
			case 0xd2 -> {
				o.writeLong((int) u32(b, p + 1));
				return p + 5;
			}
			case 0xd3 -> {
				o.writeLong(i64(b, p + 1));
				return p + 9;
			}
			case 0xdc -> {
				return jsonArray(b, p + 3, u16(b, p + 1), o);
			}
			case 0xdd -> {
				return jsonArray(b, p + 5, len32(b, p + 1), o);
			}
			case 0xde -> {
				return jsonMap(b, p + 3, u16(b, p + 1), o);
			}
			case 0xdf -> {
				return jsonMap(b, p + 5, len32(b, p + 1), o);
			}
			default -> throw new EventFormatException("invalid msgpack byte 0x" + Integer.toHexString(t)
					+ " at offset " + p);
		}
	}

	private int jsonArray(byte[] b, int p, int n, Sink o) {
		o.write('[');
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				o.write(',');
			}
			p = json(b, p, o);
		}
		o.write(']');
		return p;
	}

	private int jsonMap(byte[] b, int p, int n, Sink o) {
		o.write('{');
		if (n == 1) {
			p = json(b, p, o);
			o.write(':');
			p = json(b, p, o);
		}
		else if (n > 1) {
			// Fluent Bit writes a repeated string key only at its last occurrence.
			int[] keys = new int[n];
			long[] spans = new long[n];
			int q = p;
			for (int i = 0; i < n; i++) {
				keys[i] = q;
				spans[i] = strSpan(b, q);
				q = skip(b, skip(b, q));
			}
			boolean any = false;
			for (int i = 0; i < n; i++) {
				int k = keys[i];
				if (strLater(b, spans, i)) {
					continue;
				}
				if (any) {
					o.write(',');
				}
				any = true;
				int v = json(b, k, o);
				o.write(':');
				json(b, v, o);
			}
			p = q;
		}
		o.write('}');
		return p;
	}

	/** Whether key {@code i} (its str span, or -1) is a string that appears again later in the map. */
	private static boolean strLater(byte[] b, long[] spans, int i) {
		long s = spans[i];
		if (s < 0) {
			return false;
		}
		int off = (int) (s >>> 32);
		int len = (int) s;
		for (int j = i + 1; j < spans.length; j++) {
			long t = spans[j];
			if (t >= 0 && (int) t == len && Arrays.equals(b, off, off + len, b, (int) (t >>> 32),
					(int) (t >>> 32) + len)) {
				return true;
			}
		}
		return false;
	}

	/** For a str value at {@code p}: payload offset (high 32 bits) and length (low 32); else -1. */
	public static long strSpan(byte[] b, int p) {
		int t = b[p] & 0xff;
		int off;
		int len;
		if (t >= 0xa0 && t <= 0xbf) {
			off = p + 1;
			len = t & 0x1f;
		}
		else if (t == 0xd9) {
			off = p + 2;
			len = u8(b, p + 1);
		}
		else if (t == 0xda) {
			off = p + 3;
			len = u16(b, p + 1);
		}
		else if (t == 0xdb) {
			off = p + 5;
			len = len32(b, p + 1);
		}
		else {
			return -1;
		}
		return ((long) off << 32) | (len & 0xffffffffL);
	}

	private static int jsonExt(byte[] b, int dataOff, int n, Sink o) {
		// "\x%02x" of each byte as a (signed) char, as Fluent Bit prints it on x86-64
		o.write('"');
		for (int i = 0; i < n; i++) {
			o.write('\\');
			o.write('x');
			int v = b[dataOff + i];
			String hex = Integer.toHexString(v);
			if (hex.length() < 2) {
				o.write('0');
			}
			o.writeAscii(hex);
		}
		o.write('"');
		return dataOff + n;
	}

	/** Writes a double as Fluent Bit's JSON does: {@code %.1f} when integral, else {@code %.16g}. */
	public void writeDouble(double d, Sink o) {
		if (isIntegralForC(d)) {
			if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
				o.writeAscii("-0.0");
			}
			else {
				o.writeLong((long) d);
				o.writeAscii(".0");
			}
		}
		else if (this.nanToNull && Double.isNaN(d)) {
			o.writeAscii("null");
		}
		else {
			appendG16(o, d);
		}
	}

	/** C's {@code d == (double)(long long)d} on x86-64 (out of range converts to LLONG_MIN). */
	static boolean isIntegralForC(double d) {
		long ll = (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) ? Long.MIN_VALUE : (long) d;
		return d == (double) ll;
	}

	// ------------------------------------------------------------------------------------------
	// String escaping (flb_utils_write_str)

	/** Bytes that are copied as they are (printable ASCII other than {@code "} and {@code \}). */
	private static final boolean[] PLAIN = new boolean[256];

	private static final String[] ESCAPES = new String[128];

	/** Trailing bytes for a UTF-8 lead byte (Fluent Bit's trailingBytesForUTF8). */
	private static final byte[] TRAIL = new byte[256];

	/** Bjoern Hoehrmann's UTF-8 DFA, as Fluent Bit's flb_utf8.h carries it. */
	private static final byte[] UTF8D = {
			// byte -> character class
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
			7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
			8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
			0xa, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x4, 0x3, 0x3,
			0xb, 0x6, 0x6, 0x6, 0x5, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8, 0x8,
			// state x class -> state
			0x0, 0x1, 0x2, 0x3, 0x5, 0x8, 0x7, 0x1, 0x1, 0x1, 0x4, 0x6, 0x1, 0x1, 0x1, 0x1,
			1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1,
			1, 2, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1,
			1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 3, 1, 1, 1, 1, 1, 1,
			1, 3, 1, 1, 1, 1, 1, 3, 1, 3, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, };

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	static {
		for (int c = 0x20; c < 0x7f; c++) {
			PLAIN[c] = c != '"' && c != '\\';
		}
		for (int c = 0; c < 0x20; c++) {
			ESCAPES[c] = String.format("\\u%04x", c);
		}
		ESCAPES[0x7f] = "\\u007f";
		ESCAPES['"'] = "\\\"";
		ESCAPES['\\'] = "\\\\";
		ESCAPES['\n'] = "\\n";
		ESCAPES['\r'] = "\\r";
		ESCAPES['\t'] = "\\t";
		ESCAPES['\b'] = "\\b";
		ESCAPES['\f'] = "\\f";
		for (int c = 0xc0; c < 0x100; c++) {
			TRAIL[c] = (byte) ((c < 0xe0) ? 1 : (c < 0xf0) ? 2 : (c < 0xf8) ? 3 : (c < 0xfc) ? 4 : 5);
		}
	}

	/** Writes a quoted, escaped JSON string from UTF-8 (or arbitrary) bytes. */
	public void writeString(byte[] b, int off, int len, Sink o) {
		o.write('"');
		if (this.escapeUnicode) {
			writeEscaped(b, off, len, o);
		}
		else {
			writeRaw(b, off, len, o);
		}
		o.write('"');
	}

	/** Writes a quoted, escaped JSON string. */
	public void writeString(String s, Sink o) {
		byte[] b = s.getBytes(StandardCharsets.UTF_8);
		writeString(b, 0, b.length, o);
	}

	private static void writeEscaped(byte[] b, int off, int len, Sink o) {
		int i = off;
		int end = off + len;
		while (i < end) {
			int start = i;
			i = plainRun(b, i, end);
			if (i > start) {
				o.write(b, start, i - start);
			}
			if (i >= end) {
				break;
			}
			int c = b[i] & 0xff;
			if (c < 0x80) {
				o.writeAscii(ESCAPES[c]);
				i++;
				continue;
			}
			int need = TRAIL[c] + 1;
			if (i + need > end) {
				// Fluent Bit drops a lead byte whose sequence runs past the end of the string
				i++;
				continue;
			}
			int state = 0;
			int cp = 0;
			int n;
			boolean valid = true;
			for (n = 0; n < need; n++) {
				int x = b[i + n] & 0xff;
				int type = UTF8D[x];
				cp = (state != 0) ? (x & 0x3f) | (cp << 6) : (0xff >> type) & x;
				state = UTF8D[256 + state * 16 + type];
				if (state == 1) {
					valid = false;
					break;
				}
			}
			if (valid) {
				if (cp > 0xffff) {
					int v = cp - 0x10000;
					writeU(o, 0xd800 + (v >> 10));
					writeU(o, 0xdc00 + (v & 0x3ff));
				}
				else {
					writeU(o, cp);
				}
				i += need;
			}
			else {
				int count = (n == 0) ? 1 : n;
				for (int k = 0; k < count; k++) {
					int x = b[i + k] & 0xff;
					o.write(0xee);
					o.write(0x80 | ((x >> 6) & 0x03));
					o.write(0x80 | (x & 0x3f));
				}
				i += count;
			}
		}
	}

	private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
		.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	/**
	 * The end of the run of {@link #PLAIN} bytes from {@code i}: eight bytes at a time while none
	 * is below 0x20, 0x7f, {@code "}, {@code \} or above 0x7f (SWAR), then byte by byte.
	 */
	static int plainRun(byte[] b, int i, int end) {
		while (i + 8 <= end) {
			long x = (long) LONGS.get(b, i);
			long q = x ^ 0x2222222222222222L;
			long s = x ^ 0x5C5C5C5C5C5C5C5CL;
			long d = x ^ 0x7F7F7F7F7F7F7F7FL;
			long special = (((x - 0x2020202020202020L) & ~x) | ((q - ONES) & ~q) | ((s - ONES) & ~s)
					| ((d - ONES) & ~d) | x) & HIGHS;
			if (special != 0) {
				break;
			}
			i += 8;
		}
		while (i < end && PLAIN[b[i] & 0xff]) {
			i++;
		}
		return i;
	}

	private static void writeU(Sink o, int v) {
		o.write('\\');
		o.write('u');
		if (v > 0xffff) {
			o.writeAscii(Integer.toHexString(v));
			return;
		}
		o.write(HEX[(v >> 12) & 0xf]);
		o.write(HEX[(v >> 8) & 0xf]);
		o.write(HEX[(v >> 4) & 0xf]);
		o.write(HEX[v & 0xf]);
	}

	private static void writeRaw(byte[] b, int off, int len, Sink o) {
		int i = off;
		int end = off + len;
		while (i < end) {
			int start = i;
			i = plainRun(b, i, end);
			if (i > start) {
				o.write(b, start, i - start);
			}
			if (i >= end) {
				break;
			}
			int c = b[i] & 0xff;
			if (c < 0x80) {
				o.writeAscii(ESCAPES[c]);
				i++;
				continue;
			}
			int n = validUtf8(b, i, end - i);
			if (n == 0) {
				o.write(0xef);
				o.write(0xbf);
				o.write(0xbd);
				i++;
			}
			else {
				o.write(b, i, n);
				i += n;
			}
		}
	}

	/** Length of the valid UTF-8 sequence at {@code p} (Fluent Bit's flb_utf8_validate_char), or 0. */
	private static int validUtf8(byte[] s, int p, int max) {
		int c = s[p] & 0xff;
		int len;
		if (c <= 0x7f) {
			return 1;
		}
		else if ((c & 0xe0) == 0xc0) {
			if (c < 0xc2) {
				return 0;
			}
			len = 2;
		}
		else if ((c & 0xf0) == 0xe0) {
			if (max > 1 && c == 0xe0 && (s[p + 1] & 0xff) < 0xa0) {
				return 0;
			}
			if (max > 1 && c == 0xed && (s[p + 1] & 0xff) >= 0xa0) {
				return 0;
			}
			len = 3;
		}
		else if ((c & 0xf8) == 0xf0) {
			if (max > 1 && c == 0xf0 && (s[p + 1] & 0xff) < 0x90) {
				return 0;
			}
			if (c > 0xf4) {
				return 0;
			}
			if (max > 1 && c == 0xf4 && (s[p + 1] & 0xff) > 0x8f) {
				return 0;
			}
			len = 4;
		}
		else {
			return 0;
		}
		if (max < len) {
			return 0;
		}
		for (int i = 1; i < len; i++) {
			if ((s[p + i] & 0xc0) != 0x80) {
				return 0;
			}
		}
		return len;
	}

	// ------------------------------------------------------------------------------------------
	// Records with a date key (flb_pack_msgpack_to_json_format)

	private static final byte[] INTERNAL_KEY = "__internal__".getBytes(StandardCharsets.US_ASCII);

	/** Per-call scratch for one record's entries: synthetic date/internal keys plus the body's. */
	private static final class RecordWriter {

		static final int RAW = 0;

		static final int DATE = 1;

		static final int INTERNAL = 2;

		int[] kind = new int[16];

		/** For RAW: offset of the key; the value follows it. */
		int[] keyOff = new int[16];

		int n;

		void add(int k, int off) {
			if (this.n == this.kind.length) {
				this.kind = Arrays.copyOf(this.kind, this.n * 2);
				this.keyOff = Arrays.copyOf(this.keyOff, this.n * 2);
			}
			this.kind[this.n] = k;
			this.keyOff[this.n] = off;
			this.n++;
		}

		void write(JsonFormatter f, EventCursor c, byte[] dateKey, DateFormat df, Sink o) {
			byte[] b = c.data();
			this.n = 0;
			if (dateKey != null) {
				add(DATE, 0);
			}
			boolean meta = c.hasMetadata();
			if (meta) {
				add(INTERNAL, 0);
			}
			int body = c.bodyOffset();
			long mh = mapHeader(b, body);
			boolean bodyIsMap = mh >= 0;
			if (bodyIsMap) {
				int count = (int) (mh >>> 32);
				int q = (int) mh;
				for (int i = 0; i < count; i++) {
					add(RAW, q);
					q = skip(b, skip(b, q));
				}
			}
			o.write('{');
			boolean any = false;
			for (int i = 0; i < this.n; i++) {
				if (laterDuplicate(b, dateKey, i)) {
					continue;
				}
				if (any) {
					o.write(',');
				}
				any = true;
				switch (this.kind[i]) {
					case DATE -> {
						f.writeString(dateKey, 0, dateKey.length, o);
						o.write(':');
						writeDate(f, c, df, o);
					}
					case INTERNAL -> {
						o.writeAscii("\"__internal__\":{\"log_metadata\":");
						f.json(b, c.metadataOffset(), o);
						o.write('}');
					}
					default -> {
						int v = f.json(b, this.keyOff[i], o);
						o.write(':');
						f.json(b, v, o);
					}
				}
			}
			if (!bodyIsMap) {
				if (any) {
					o.write(',');
				}
				o.writeAscii("\"log\":");
				f.json(b, body, o);
			}
			o.write('}');
		}

		private boolean laterDuplicate(byte[] b, byte[] dateKey, int i) {
			byte[] kb;
			int ko;
			int kl;
			switch (this.kind[i]) {
				case DATE -> {
					kb = dateKey;
					ko = 0;
					kl = dateKey.length;
				}
				case INTERNAL -> {
					kb = INTERNAL_KEY;
					ko = 0;
					kl = INTERNAL_KEY.length;
				}
				default -> {
					long s = strSpan(b, this.keyOff[i]);
					if (s < 0) {
						return false;
					}
					kb = b;
					ko = (int) (s >>> 32);
					kl = (int) s;
				}
			}
			for (int j = i + 1; j < this.n; j++) {
				if (this.kind[j] == INTERNAL) {
					if (kl == INTERNAL_KEY.length && Arrays.equals(kb, ko, ko + kl, INTERNAL_KEY, 0, kl)) {
						return true;
					}
					continue;
				}
				if (this.kind[j] != RAW) {
					continue;
				}
				long t = strSpan(b, this.keyOff[j]);
				if (t >= 0 && (int) t == kl) {
					int to = (int) (t >>> 32);
					if (Arrays.equals(kb, ko, ko + kl, b, to, to + kl)) {
						return true;
					}
				}
			}
			return false;
		}

		private static void writeDate(JsonFormatter f, EventCursor c, DateFormat df, Sink o) {
			long sec = c.seconds();
			int ns = c.nanos();
			switch (df) {
				case DOUBLE -> f.writeDouble((double) sec + ((double) ns / 1.0e9), o);
				case EPOCH -> o.writeLong(sec);
				case EPOCH_MS -> o.writeLong(sec * 1000 + ns / 1_000_000);
				case ISO8601, JAVA_SQL_TIMESTAMP -> {
					o.write('"');
					appendUtcDateTime(o, sec, (df == DateFormat.ISO8601) ? 'T' : ' ');
					o.write('.');
					appendPadded(o, ns / 1000, 6);
					if (df == DateFormat.ISO8601) {
						o.write('Z');
					}
					o.write('"');
				}
			}
		}
	}

	/** Writes {@code YYYY-MM-DD<sep>HH:MM:SS} for epoch seconds, in UTC. */
	public static void appendUtcDateTime(Sink o, long epochSeconds, char sep) {
		long days = Math.floorDiv(epochSeconds, 86400);
		int secs = (int) Math.floorMod(epochSeconds, 86400);
		// civil-from-days (Howard Hinnant)
		long z = days + 719468;
		long era = Math.floorDiv(z, 146097);
		long doe = z - era * 146097;
		long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		long y = yoe + era * 400;
		long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		long mp = (5 * doy + 2) / 153;
		long d = doy - (153 * mp + 2) / 5 + 1;
		long m = (mp < 10) ? mp + 3 : mp - 9;
		if (m <= 2) {
			y++;
		}
		appendPadded(o, y, 4);
		o.write('-');
		appendPadded(o, m, 2);
		o.write('-');
		appendPadded(o, d, 2);
		o.write(sep);
		appendPadded(o, secs / 3600, 2);
		o.write(':');
		appendPadded(o, (secs / 60) % 60, 2);
		o.write(':');
		appendPadded(o, secs % 60, 2);
	}

	/** Writes a non-negative number zero-padded to at least {@code width} digits. */
	public static void appendPadded(Sink o, long v, int width) {
		String s = Long.toString(v);
		for (int i = s.length(); i < width; i++) {
			o.write('0');
		}
		o.writeAscii(s);
	}

	// ------------------------------------------------------------------------------------------
	// msgpack_object_print

	/**
	 * Writes the msgpack value at {@code off} as msgpack-c's {@code msgpack_object_print} does
	 * and returns the offset after it: {@code nil}, {@code true}, integers, doubles as
	 * {@code %f}, strings quoted with their bytes as they are, binaries quoted with {@code \"}
	 * and {@code \xNN} for unprintable bytes, extensions as {@code (ext: N)"…"}, arrays as
	 * {@code [a, b]} and maps as {@code {k=>v, k=>v}}.
	 */
	public static int printMsgpack(byte[] b, int p, Sink o) {
		try {
			return print(b, p, o);
		}
		catch (ArrayIndexOutOfBoundsException ex) {
			throw new EventFormatException("truncated msgpack value at offset " + p, ex);
		}
	}

	private static int print(byte[] b, int p, Sink o) {
		int t = b[p] & 0xff;
		if (t <= 0x7f) {
			o.writeLong(t);
			return p + 1;
		}
		if (t >= 0xe0) {
			o.writeLong((byte) t);
			return p + 1;
		}
		if (t <= 0x8f) {
			return printMap(b, p + 1, t & 0x0f, o);
		}
		if (t <= 0x9f) {
			return printArray(b, p + 1, t & 0x0f, o);
		}
		if (t <= 0xbf) {
			return printStr(b, p + 1, t & 0x1f, o);
		}
		return switch (t) {
			case 0xc0 -> {
				o.writeAscii("nil");
				yield p + 1;
			}
			case 0xc2 -> {
				o.writeAscii("false");
				yield p + 1;
			}
			case 0xc3 -> {
				o.writeAscii("true");
				yield p + 1;
			}
			case 0xd9 -> printStr(b, p + 2, u8(b, p + 1), o);
			case 0xda -> printStr(b, p + 3, u16(b, p + 1), o);
			case 0xdb -> printStr(b, p + 5, len32(b, p + 1), o);
			case 0xc4 -> printBin(b, p + 2, u8(b, p + 1), o);
			case 0xc5 -> printBin(b, p + 3, u16(b, p + 1), o);
			case 0xc6 -> printBin(b, p + 5, len32(b, p + 1), o);
			case 0xc7 -> printExt(b, b[p + 2], p + 3, u8(b, p + 1), o);
			case 0xc8 -> printExt(b, b[p + 3], p + 4, u16(b, p + 1), o);
			case 0xc9 -> printExt(b, b[p + 5], p + 6, len32(b, p + 1), o);
			case 0xd4 -> printExt(b, b[p + 1], p + 2, 1, o);
			case 0xd5 -> printExt(b, b[p + 1], p + 2, 2, o);
			case 0xd6 -> printExt(b, b[p + 1], p + 2, 4, o);
			case 0xd7 -> printExt(b, b[p + 1], p + 2, 8, o);
			case 0xd8 -> printExt(b, b[p + 1], p + 2, 16, o);
			case 0xca -> {
				appendFixed(o, Float.intBitsToFloat((int) u32(b, p + 1)), 6);
				yield p + 5;
			}
			case 0xcb -> {
				appendFixed(o, Double.longBitsToDouble(i64(b, p + 1)), 6);
				yield p + 9;
			}
			case 0xcc -> {
				o.writeLong(u8(b, p + 1));
				yield p + 2;
			}
			case 0xcd -> {
				o.writeLong(u16(b, p + 1));
				yield p + 3;
			}
			case 0xce -> {
				o.writeLong(u32(b, p + 1));
				yield p + 5;
			}
			case 0xcf -> {
				o.writeAscii(Long.toUnsignedString(i64(b, p + 1)));
				yield p + 9;
			}
			case 0xd0 -> {
				o.writeLong(b[p + 1]);
				yield p + 2;
			}
			case 0xd1 -> {
				o.writeLong((short) u16(b, p + 1));
				yield p + 3;
			}
			case 0xd2 -> {
				o.writeLong((int) u32(b, p + 1));
				yield p + 5;
			}
			case 0xd3 -> {
				o.writeLong(i64(b, p + 1));
				yield p + 9;
			}
			case 0xdc -> printArray(b, p + 3, u16(b, p + 1), o);
			case 0xdd -> printArray(b, p + 5, len32(b, p + 1), o);
			case 0xde -> printMap(b, p + 3, u16(b, p + 1), o);
			case 0xdf -> printMap(b, p + 5, len32(b, p + 1), o);
			default -> throw new EventFormatException(
					"invalid msgpack byte 0x" + Integer.toHexString(t) + " at offset " + p);
		};
	}

	private static int printStr(byte[] b, int p, int n, Sink o) {
		o.write('"');
		o.write(b, p, n);
		o.write('"');
		return p + n;
	}

	private static int printBin(byte[] b, int p, int n, Sink o) {
		o.write('"');
		binPrint(b, p, n, o);
		o.write('"');
		return p + n;
	}

	private static int printExt(byte[] b, byte type, int p, int n, Sink o) {
		o.writeAscii("(ext: ");
		o.writeLong(type);
		o.writeAscii(")\"");
		binPrint(b, p, n, o);
		o.write('"');
		return p + n;
	}

	private static void binPrint(byte[] b, int p, int n, Sink o) {
		for (int i = p; i < p + n; i++) {
			int c = b[i] & 0xff;
			if (c == '"') {
				o.write('\\');
				o.write('"');
			}
			else if (c >= 0x20 && c < 0x7f) {
				o.write(c);
			}
			else {
				o.write('\\');
				o.write('x');
				o.write(HEX[c >> 4]);
				o.write(HEX[c & 0xf]);
			}
		}
	}

	private static int printArray(byte[] b, int p, int n, Sink o) {
		o.write('[');
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				o.write(',');
				o.write(' ');
			}
			p = print(b, p, o);
		}
		o.write(']');
		return p;
	}

	private static int printMap(byte[] b, int p, int n, Sink o) {
		o.write('{');
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				o.write(',');
				o.write(' ');
			}
			p = print(b, p, o);
			o.write('=');
			o.write('>');
			p = print(b, p, o);
		}
		o.write('}');
		return p;
	}

	// ------------------------------------------------------------------------------------------
	// C number formatting

	/** C's {@code printf("%.<decimals>f", d)} (glibc: exact value, round half to even). */
	public static void appendFixed(Sink o, double d, int decimals) {
		if (Double.isNaN(d) || Double.isInfinite(d)) {
			appendNonFinite(o, d);
			return;
		}
		String s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
		if ((Double.doubleToRawLongBits(d) < 0) && s.charAt(0) != '-') {
			o.write('-');
		}
		o.writeAscii(s);
	}

	/** C's {@code printf("%.<decimals>f", d)} as a string. */
	public static String formatFixed(double d, int decimals) {
		Sink s = new Sink(32);
		appendFixed(s, d, decimals);
		return s.toString();
	}

	/** C's {@code printf("%.16g", d)} as a string. */
	public static String formatG16(double d) {
		Sink s = new Sink(32);
		appendG16(s, d);
		return s.toString();
	}

	private static void appendNonFinite(Sink o, double d) {
		boolean neg = Double.doubleToRawLongBits(d) < 0;
		if (neg) {
			o.write('-');
		}
		o.writeAscii(Double.isNaN(d) ? "nan" : "inf");
	}

	private static final MathContext SIXTEEN = new MathContext(16, RoundingMode.HALF_EVEN);

	/** C's {@code printf("%.16g", d)}, exactly as glibc prints it. */
	public static void appendG16(Sink o, double d) {
		if (Double.isNaN(d) || Double.isInfinite(d)) {
			appendNonFinite(o, d);
			return;
		}
		long bits = Double.doubleToRawLongBits(d);
		if (bits < 0) {
			o.write('-');
		}
		double a = Math.abs(d);
		if (a == 0) {
			o.write('0');
			return;
		}
		byte[] dg = new byte[18];
		int exp;
		int nd;
		int be = (int) ((bits >>> 52) & 0x7ff);
		long m = bits & ((1L << 52) - 1);
		int e;
		if (be == 0) {
			e = -1074;
		}
		else {
			m |= 1L << 52;
			e = be - 1075;
		}
		if (e < 0 && e >= -59) {
			// exact digits with long arithmetic: a = ip + frac / 2^s
			int s = -e;
			long mask = (1L << s) - 1;
			long ip = m >>> s;
			long frac = m & mask;
			nd = 0;
			if (ip > 0) {
				String is = Long.toString(ip);
				exp = is.length() - 1;
				for (int i = 0; i < is.length(); i++) {
					dg[nd++] = (byte) (is.charAt(i) - '0');
				}
			}
			else {
				exp = -1;
			}
			while (nd < 17 && frac != 0) {
				frac *= 10;
				int digit = (int) (frac >>> s);
				frac &= mask;
				if (nd == 0 && digit == 0) {
					exp--;
					continue;
				}
				dg[nd++] = (byte) digit;
			}
			if (nd == 17) {
				int r = dg[16];
				nd = 16;
				boolean up = r > 5 || (r == 5 && (frac != 0 || (dg[15] & 1) == 1));
				if (up) {
					int i = 15;
					while (i >= 0 && dg[i] == 9) {
						dg[i] = 0;
						i--;
					}
					if (i < 0) {
						dg[0] = 1;
						exp++;
					}
					else {
						dg[i]++;
					}
				}
			}
		}
		else {
			BigDecimal bd = new BigDecimal(a).round(SIXTEEN);
			String u = bd.unscaledValue().toString();
			exp = u.length() - 1 - bd.scale();
			nd = Math.min(u.length(), 16);
			for (int i = 0; i < nd; i++) {
				dg[i] = (byte) (u.charAt(i) - '0');
			}
		}
		while (nd > 1 && dg[nd - 1] == 0) {
			nd--;
		}
		if (exp < -4 || exp >= 16) {
			o.write('0' + dg[0]);
			if (nd > 1) {
				o.write('.');
				for (int i = 1; i < nd; i++) {
					o.write('0' + dg[i]);
				}
			}
			o.write('e');
			o.write(exp < 0 ? '-' : '+');
			int ax = Math.abs(exp);
			if (ax < 10) {
				o.write('0');
			}
			o.writeLong(ax);
		}
		else if (exp >= 0) {
			for (int i = 0; i <= exp; i++) {
				o.write('0' + ((i < nd) ? dg[i] : 0));
			}
			if (nd > exp + 1) {
				o.write('.');
				for (int i = exp + 1; i < nd; i++) {
					o.write('0' + dg[i]);
				}
			}
		}
		else {
			o.write('0');
			o.write('.');
			for (int i = -1; i > exp; i--) {
				o.write('0');
			}
			for (int i = 0; i < nd; i++) {
				o.write('0' + dg[i]);
			}
		}
	}

	// ------------------------------------------------------------------------------------------
	// msgpack reading helpers

	static int u8(byte[] b, int p) {
		return b[p] & 0xff;
	}

	static int u16(byte[] b, int p) {
		return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
	}

	static long u32(byte[] b, int p) {
		return ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xffL) << 16) | ((b[p + 2] & 0xffL) << 8) | (b[p + 3] & 0xffL);
	}

	private static int len32(byte[] b, int p) {
		long v = u32(b, p);
		if (v > Integer.MAX_VALUE) {
			throw new EventFormatException("msgpack length too large at offset " + p);
		}
		return (int) v;
	}

	static long i64(byte[] b, int p) {
		return (u32(b, p) << 32) | u32(b, p + 4);
	}

	/** For a map at {@code p}: entry count (high 32 bits) and first-entry offset (low 32); else -1. */
	public static long mapHeader(byte[] b, int p) {
		int t = b[p] & 0xff;
		if (t >= 0x80 && t <= 0x8f) {
			return ((long) (t & 0x0f) << 32) | (p + 1);
		}
		if (t == 0xde) {
			return ((long) u16(b, p + 1) << 32) | (p + 3);
		}
		if (t == 0xdf) {
			return ((long) len32(b, p + 1) << 32) | (p + 5);
		}
		return -1;
	}

	/** Returns the offset just after the msgpack value at {@code p}. */
	public static int skip(byte[] b, int p) {
		long remaining = 1;
		while (remaining > 0) {
			remaining--;
			int t = b[p++] & 0xff;
			if (t <= 0x7f || t >= 0xe0) {
				continue;
			}
			if (t <= 0x8f) {
				remaining += 2L * (t & 0x0f);
				continue;
			}
			if (t <= 0x9f) {
				remaining += t & 0x0f;
				continue;
			}
			if (t <= 0xbf) {
				p += t & 0x1f;
				continue;
			}
			switch (t) {
				case 0xc0, 0xc2, 0xc3 -> {
				}
				case 0xc4, 0xd9 -> p += 1 + u8(b, p);
				case 0xc5, 0xda -> p += 2 + u16(b, p);
				case 0xc6, 0xdb -> p += 4 + len32(b, p);
				case 0xc7 -> p += 2 + u8(b, p);
				case 0xc8 -> p += 3 + u16(b, p);
				case 0xc9 -> p += 5 + len32(b, p);
				case 0xcc, 0xd0 -> p += 1;
				case 0xcd, 0xd1 -> p += 2;
				case 0xca, 0xce, 0xd2 -> p += 4;
				case 0xcb, 0xcf, 0xd3 -> p += 8;
				case 0xd4 -> p += 2;
				case 0xd5 -> p += 3;
				case 0xd6 -> p += 5;
				case 0xd7 -> p += 9;
				case 0xd8 -> p += 17;
				case 0xdc -> {
					remaining += u16(b, p);
					p += 2;
				}
				case 0xdd -> {
					remaining += u32(b, p);
					p += 4;
				}
				case 0xde -> {
					remaining += 2L * u16(b, p);
					p += 2;
				}
				case 0xdf -> {
					remaining += 2L * u32(b, p);
					p += 4;
				}
				default -> throw new EventFormatException(
						"invalid msgpack byte 0x" + Integer.toHexString(t) + " at offset " + (p - 1));
			}
		}
		return p;
	}

	private static byte[] pack(Object value) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			MsgpackValues.pack(p, value);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw MsgpackValues.unchecked(ex);
		}
	}

	// ------------------------------------------------------------------------------------------
	// Event iteration

	/**
	 * Walks an event stream in place: {@code [[time, {meta}], {body}]} (v2) or
	 * {@code [time, {body}]} (legacy), time as EventTime, integer or float. Group markers (time
	 * -1 / -2) are returned too; see {@link #isGroupMarker()}. Not thread-safe.
	 */
	public static final class EventCursor {

		private final byte[] data;

		private final int end;

		private int pos;

		private int start;

		private long sec;

		private int nsec;

		private boolean marker;

		private int meta = -1;

		private boolean metaNonEmpty;

		private int body;

		public EventCursor(byte[] data, int off, int len) {
			this.data = data;
			this.pos = off;
			this.end = off + len;
		}

		public EventCursor(EventBytes events) {
			this(events.data(), events.offset(), events.length());
		}

		/**
		 * Moves to the next event. Returns false at the end.
		 * @throws EventFormatException when the next value is not an event
		 */
		public boolean next() {
			if (this.pos >= this.end) {
				return false;
			}
			int p = this.pos;
			this.start = p;
			try {
				byte[] b = this.data;
				int t = b[p] & 0xff;
				int n;
				if (t >= 0x90 && t <= 0x9f) {
					n = t & 0x0f;
					p++;
				}
				else if (t == 0xdc) {
					n = u16(b, p + 1);
					p += 3;
				}
				else if (t == 0xdd) {
					n = len32(b, p + 1);
					p += 5;
				}
				else {
					throw new EventFormatException("not an event at offset " + p);
				}
				if (n != 2) {
					throw new EventFormatException("not an event at offset " + this.start);
				}
				this.meta = -1;
				this.metaNonEmpty = false;
				int h0 = b[p] & 0xff;
				if ((h0 >= 0x90 && h0 <= 0x9f) || h0 == 0xdc || h0 == 0xdd) {
					int h = (h0 <= 0x9f) ? h0 & 0x0f : (h0 == 0xdc) ? u16(b, p + 1) : len32(b, p + 1);
					p += (h0 <= 0x9f) ? 1 : (h0 == 0xdc) ? 3 : 5;
					if (h < 1) {
						throw new EventFormatException("event header without time at offset " + this.start);
					}
					p = readTime(b, p);
					if (h >= 2) {
						long mh = mapHeader(b, p);
						if (mh >= 0) {
							this.meta = p;
							this.metaNonEmpty = (mh >>> 32) > 0;
						}
						p = skip(b, p);
						for (int i = 2; i < h; i++) {
							p = skip(b, p);
						}
					}
				}
				else {
					p = readTime(b, p);
				}
				this.body = p;
				p = skip(b, p);
				if (p > this.end) {
					throw new EventFormatException("truncated event at offset " + this.start);
				}
				this.pos = p;
				return true;
			}
			catch (ArrayIndexOutOfBoundsException ex) {
				throw new EventFormatException("truncated event at offset " + this.start, ex);
			}
		}

		private int readTime(byte[] b, int p) {
			int t = b[p] & 0xff;
			this.marker = false;
			if (t == 0xd7 && b[p + 1] == 0) {
				this.sec = u32(b, p + 2);
				this.nsec = (int) u32(b, p + 6);
				return p + 10;
			}
			if (t == 0xc7 && b[p + 1] == 8 && b[p + 2] == 0) {
				this.sec = u32(b, p + 3);
				this.nsec = (int) u32(b, p + 7);
				return p + 11;
			}
			if (t == 0xca || t == 0xcb) {
				double d = (t == 0xca) ? Float.intBitsToFloat((int) u32(b, p + 1))
						: Double.longBitsToDouble(i64(b, p + 1));
				this.sec = (long) d;
				this.nsec = (int) ((d - this.sec) * 1e9);
				return p + ((t == 0xca) ? 5 : 9);
			}
			if (t <= 0x7f || (t >= 0xcc && t <= 0xcf) || t >= 0xe0 || (t >= 0xd0 && t <= 0xd3)) {
				long v = switch (t) {
					case 0xcc -> u8(b, p + 1);
					case 0xcd -> u16(b, p + 1);
					case 0xce -> u32(b, p + 1);
					case 0xcf, 0xd3 -> i64(b, p + 1);
					case 0xd0 -> b[p + 1];
					case 0xd1 -> (short) u16(b, p + 1);
					case 0xd2 -> (int) u32(b, p + 1);
					default -> (byte) t;
				};
				if (v == -1 || v == -2) {
					this.marker = true;
				}
				else if (v < 0) {
					throw new EventFormatException("negative event time at offset " + p);
				}
				this.sec = v;
				this.nsec = 0;
				return skip(b, p);
			}
			throw new EventFormatException("unknown time format at offset " + p);
		}

		public byte[] data() {
			return this.data;
		}

		/** Offset where the current event starts. */
		public int start() {
			return this.start;
		}

		/** Offset just after the current event. */
		public int end() {
			return this.pos;
		}

		public long seconds() {
			return this.sec;
		}

		public int nanos() {
			return this.nsec;
		}

		public EventTime time() {
			return new EventTime(Math.max(0, this.sec), this.nsec);
		}

		/** Whether the current event is a group start/end marker (time -1 or -2). */
		public boolean isGroupMarker() {
			return this.marker;
		}

		/** Offset of the metadata map, or -1 when the event has none (legacy shape). */
		public int metadataOffset() {
			return this.meta;
		}

		/** Whether the event has a metadata map with at least one entry. */
		public boolean hasMetadata() {
			return this.metaNonEmpty;
		}

		/** Offset of the record (normally a map). */
		public int bodyOffset() {
			return this.body;
		}
	}

	// ------------------------------------------------------------------------------------------
	// Output buffer

	/** A growable byte buffer for formatted output (not thread-safe). */
	public static final class Sink {

		private byte[] buf;

		private int len;

		/** Its array is from {@link ByteArrayPool#SHARED} and goes back there on {@link #release}. */
		private boolean pooled;

		public Sink() {
			this(256);
		}

		public Sink(int capacity) {
			this.buf = new byte[Math.max(16, capacity)];
		}

		private Sink(byte[] buf) {
			this.buf = buf;
			this.pooled = true;
		}

		/**
		 * A sink whose array is recycled: for the large buffer an output formats a whole chunk
		 * into. Call {@link #release} (in a {@code finally}) once nothing reads its bytes any more.
		 */
		public static Sink pooled(int capacity) {
			return new Sink(ByteArrayPool.SHARED.take(Math.max(16, capacity)));
		}

		/** Gives a pooled sink's array back; the sink must not be used afterwards. */
		public void release() {
			if (this.pooled) {
				this.pooled = false;
				byte[] b = this.buf;
				this.buf = new byte[0];
				this.len = 0;
				ByteArrayPool.SHARED.give(b);
			}
		}

		private void ensure(int extra) {
			if (this.len + extra > this.buf.length) {
				int cap = Math.max(this.buf.length * 2, this.len + extra);
				if (this.pooled) {
					byte[] bigger = ByteArrayPool.SHARED.take(cap);
					System.arraycopy(this.buf, 0, bigger, 0, this.len);
					ByteArrayPool.SHARED.give(this.buf);
					this.buf = bigger;
				}
				else {
					this.buf = Arrays.copyOf(this.buf, cap);
				}
			}
		}

		public void write(int b) {
			if (this.len == this.buf.length) {
				ensure(1);
			}
			this.buf[this.len++] = (byte) b;
		}

		public void write(byte[] b, int off, int n) {
			ensure(n);
			System.arraycopy(b, off, this.buf, this.len, n);
			this.len += n;
		}

		public void write(byte[] b) {
			write(b, 0, b.length);
		}

		/** Writes a string whose characters are all ASCII. */
		public void writeAscii(String s) {
			int n = s.length();
			ensure(n);
			for (int i = 0; i < n; i++) {
				this.buf[this.len++] = (byte) s.charAt(i);
			}
		}

		/** Writes a string as UTF-8. */
		public void writeUtf8(String s) {
			write(s.getBytes(StandardCharsets.UTF_8));
		}

		public void writeLong(long v) {
			if (v >= 0 && v < 10) {
				write('0' + (int) v);
				return;
			}
			writeAscii(Long.toString(v));
		}

		public int length() {
			return this.len;
		}

		public byte[] buffer() {
			return this.buf;
		}

		public void reset() {
			this.len = 0;
		}

		public byte[] toByteArray() {
			return Arrays.copyOf(this.buf, this.len);
		}

		public void writeTo(OutputStream out) throws IOException {
			out.write(this.buf, 0, this.len);
		}

		@Override
		public String toString() {
			return new String(this.buf, 0, this.len, StandardCharsets.UTF_8);
		}
	}
}
