package dev.sluice.parser;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.event.EventTime;
import dev.sluice.parser.ParserDefinition.Format;
import dev.sluice.parser.ParserDefinition.TypeRule;
import dev.sluice.parser.ParserDefinition.ValueType;
import dev.sluice.parser.time.TimeFormat;

/**
 * A compiled parser: turns one line into a record the way Fluent Bit's {@code flb_parser_do}
 * does for the {@code json}, {@code regex}, {@code logfmt}, {@code ltsv} (and {@code tskv})
 * formats, including {@code Time_Key}/{@code Time_Format}/{@code Time_Keep}, {@code Types},
 * {@code Skip_Empty_Values} and decoders. The record is written straight to msgpack bytes.
 * Immutable and thread-safe.
 */
public final class Parser {

	static final Logger LOG = LoggerFactory.getLogger("parser");

	private static final ThreadLocal<JsonToMsgpack> JSON = ThreadLocal.withInitial(JsonToMsgpack::new);

	private static final ThreadLocal<MsgpackWriter> WRITER = ThreadLocal.withInitial(() -> new MsgpackWriter(1024));

	private final ParserDefinition definition;

	private final Regex regex;

	private final TimeFormat time;

	private final String timeKey;

	private final byte[] timeKeyBytes;

	private final byte[][] typeKeys;

	private final ValueType[] typeValues;

	private final FieldDecoders decoders;

	private final LongSupplier clock;

	private Parser(ParserDefinition d, LongSupplier clock) {
		this.definition = d;
		this.clock = clock;
		if (d.format() == Format.REGEX) {
			if (d.regex() == null) {
				throw new IllegalArgumentException("Invalid regex pattern");
			}
			try {
				this.regex = Regex.compile(d.regex());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid regex pattern " + d.regex() + ": " + ex.getMessage());
			}
		}
		else {
			this.regex = null;
		}
		this.time = (d.timeFormat() != null) ? TimeFormat.compile(d.timeFormat(), d.timeOffset(), d.timeZone(),
				d.timeSystemTimezone(), d.timeStrict()) : null;
		this.timeKey = (d.timeKey() != null) ? d.timeKey() : "time";
		this.timeKeyBytes = this.timeKey.getBytes(StandardCharsets.UTF_8);
		List<TypeRule> types = d.types();
		this.typeKeys = new byte[types.size()][];
		this.typeValues = new ValueType[types.size()];
		for (int i = 0; i < types.size(); i++) {
			this.typeKeys[i] = types.get(i).key().getBytes(StandardCharsets.UTF_8);
			this.typeValues[i] = types.get(i).type();
		}
		this.decoders = d.decoders().isEmpty() ? null : new FieldDecoders(d.decoders());
	}

	/**
	 * Compiles a definition.
	 * @throws IllegalArgumentException when its regex or time settings cannot be used
	 */
	public static Parser create(ParserDefinition d) {
		return new Parser(d, () -> System.currentTimeMillis() / 1000);
	}

	/** Compiles with a clock (epoch seconds) for time formats without a year. */
	public static Parser create(ParserDefinition d, LongSupplier clockSeconds) {
		return new Parser(d, clockSeconds);
	}

	public ParserDefinition definition() {
		return this.definition;
	}

	public String name() {
		return this.definition.name();
	}

	/** Parses a string (UTF-8); null when the parser does not match. */
	public ParseResult parse(String text) {
		byte[] b = text.getBytes(StandardCharsets.UTF_8);
		return parse(b, 0, b.length);
	}

	/** Parses {@code data[off, off+len)}; null when the parser does not match. */
	public ParseResult parse(byte[] data, int off, int len) {
		return switch (this.definition.format()) {
			case JSON -> json(data, off, len);
			case REGEX -> regex(data, off, len);
			case LOGFMT -> logfmt(data, off, len);
			case LTSV -> ltsv(data, off, len, (byte) ':');
			case TSKV -> {
				byte[] prefix = { 't', 's', 'k', 'v', '\t' };
				if (len >= 5 && java.util.Arrays.equals(data, off, off + 5, prefix, 0, 5)) {
					yield ltsv(data, off + 5, len - 5, (byte) '=');
				}
				yield ltsv(data, off, len, (byte) '=');
			}
		};
	}

	// ---- json ----

	private ParseResult json(byte[] data, int off, int len) {
		MsgpackWriter w = WRITER.get();
		w.reset();
		JsonToMsgpack j = JSON.get();
		if (j.convert(data, off, len, w) != JsonToMsgpack.Result.OBJECT) {
			return null;
		}
		if (this.decoders == null) {
			if (this.time == null) {
				return new ParseResult(null, compactTopHeader(w));
			}
			// find the time key among the top-level entries recorded by the converter
			byte[] buf = w.buffer();
			for (int i = 0; i < j.entries(); i++) {
				int ks = j.keyStart(i);
				int[] key = strAt(buf, ks);
				if (key == null || key[1] - key[0] != this.timeKeyBytes.length
						|| !java.util.Arrays.equals(buf, key[0], key[1], this.timeKeyBytes, 0, this.timeKeyBytes.length)) {
					continue;
				}
				EventTime t = jsonTime(buf, key[1], j.valueEnd(i));
				if (t == null || this.definition.timeKeep()) {
					return new ParseResult(t, compactTopHeader(w));
				}
				return new ParseResult(t, without(buf, w.size(), j.entries(), ks, j.valueEnd(i)));
			}
			return new ParseResult(null, compactTopHeader(w));
		}
		byte[] map = this.decoders.apply(compactTopHeader(w));
		if (this.time == null) {
			return new ParseResult(null, map);
		}
		MapSlices m = MapSlices.scan(map, 0, map.length);
		int i = (m != null) ? m.find(this.timeKeyBytes) : -1;
		if (i < 0) {
			return new ParseResult(null, map);
		}
		EventTime t = jsonTime(map, m.valueStart(i), m.entryEnd(i));
		if (t == null || this.definition.timeKeep()) {
			return new ParseResult(t, map);
		}
		return new ParseResult(t, dropEntry(map, m, i));
	}

	/**
	 * Parses {@code data[off, off+len)} and appends the record to {@code out}: one msgpack map
	 * whose header counts {@code extraEntries} more entries than the record has (the caller
	 * writes them right after), in its smallest form. The same record as {@link #parse}, without
	 * the intermediate arrays. {@code time[0]} receives the time read from the record, or null.
	 * Returns false (and leaves {@code out} as it was) when the parser does not match.
	 */
	public boolean parseInto(byte[] data, int off, int len, MsgpackWriter out, int extraEntries, EventTime[] time) {
		time[0] = null;
		if (this.definition.format() != Format.JSON || this.decoders != null) {
			ParseResult r = parse(data, off, len);
			if (r == null) {
				return false;
			}
			time[0] = r.time();
			byte[] map = r.map();
			int f = map[0] & 0xFF;
			int n;
			int h;
			if ((f & 0xF0) == 0x80) {
				n = f & 0x0F;
				h = 1;
			}
			else if (f == 0xde) {
				n = ((map[1] & 0xFF) << 8) | (map[2] & 0xFF);
				h = 3;
			}
			else {
				n = ((map[1] & 0xFF) << 24) | ((map[2] & 0xFF) << 16) | ((map[3] & 0xFF) << 8) | (map[4] & 0xFF);
				h = 5;
			}
			out.mapHeader(n + extraEntries);
			out.writeRaw(map, h, map.length - h);
			return true;
		}
		MsgpackWriter w = WRITER.get();
		w.reset();
		JsonToMsgpack j = JSON.get();
		if (j.convert(data, off, len, w) != JsonToMsgpack.Result.OBJECT) {
			return false;
		}
		byte[] buf = w.buffer();
		int size = w.size();
		int entries = j.entries();
		if (this.time != null) {
			byte[] tk = this.timeKeyBytes;
			for (int i = 0; i < entries; i++) {
				int ks = j.keyStart(i);
				long key = strRange(buf, ks);
				if (key < 0) {
					continue;
				}
				int kf = (int) (key >>> 32);
				int ke = (int) key;
				if (ke - kf != tk.length || !java.util.Arrays.equals(buf, kf, ke, tk, 0, tk.length)) {
					continue;
				}
				int ve = j.valueEnd(i);
				EventTime t = jsonTime(buf, ke, ve);
				time[0] = t;
				if (t == null || this.definition.timeKeep()) {
					break;
				}
				out.mapHeader(entries - 1 + extraEntries);
				out.writeRaw(buf, 5, ks - 5);
				out.writeRaw(buf, ve, size - ve);
				return true;
			}
		}
		out.mapHeader(entries + extraEntries);
		out.writeRaw(buf, 5, size - 5);
		return true;
	}

	/** Payload range of a msgpack str at {@code at} as {@code start << 32 | end}, or -1. */
	private static long strRange(byte[] b, int at) {
		int f = b[at] & 0xFF;
		int n;
		int h;
		if ((f & 0xE0) == 0xA0) {
			n = f & 0x1F;
			h = 1;
		}
		else if (f == 0xd9) {
			n = b[at + 1] & 0xFF;
			h = 2;
		}
		else if (f == 0xda) {
			n = ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
			h = 3;
		}
		else if (f == 0xdb) {
			n = ((b[at + 1] & 0xFF) << 24) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 8) | (b[at + 4] & 0xFF);
			h = 5;
		}
		else {
			return -1;
		}
		return ((long) (at + h) << 32) | ((at + h + n) & 0xFFFFFFFFL);
	}

	private EventTime jsonTime(byte[] buf, int vs, int ve) {
		long v = strRange(buf, vs);
		if (v >= 0) {
			int s = (int) (v >>> 32);
			return lookupTime(buf, s, (int) v - s);
		}
		int f = buf[vs] & 0xFF;
		boolean numeric = f <= 0x7f || f == 0xca || f == 0xcb || (f >= 0xcc && f <= 0xcf);
		if (numeric) {
			LOG.warn("[parser:{}] invalid non-string time", name());
		}
		return null;
	}

	/** Payload range of a msgpack str at {@code at}, or null when it is not a str. */
	static int[] strAt(byte[] b, int at) {
		int f = b[at] & 0xFF;
		int n;
		int h;
		if ((f & 0xE0) == 0xA0) {
			n = f & 0x1F;
			h = 1;
		}
		else if (f == 0xd9) {
			n = b[at + 1] & 0xFF;
			h = 2;
		}
		else if (f == 0xda) {
			n = ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
			h = 3;
		}
		else if (f == 0xdb) {
			n = ((b[at + 1] & 0xFF) << 24) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 8) | (b[at + 4] & 0xFF);
			h = 5;
		}
		else {
			return null;
		}
		return new int[] { at + h, at + h + n };
	}

	/** The converted top-level map with its reserved 5-byte header in the smallest form. */
	static byte[] compactTopHeader(MsgpackWriter w) {
		byte[] buf = w.buffer();
		int n = ((buf[1] & 0xFF) << 24) | ((buf[2] & 0xFF) << 16) | ((buf[3] & 0xFF) << 8) | (buf[4] & 0xFF);
		MsgpackWriter h = new MsgpackWriter(8);
		h.mapHeader(n);
		byte[] out = new byte[h.size() + w.size() - 5];
		System.arraycopy(h.buffer(), 0, out, 0, h.size());
		System.arraycopy(buf, 5, out, h.size(), w.size() - 5);
		return out;
	}

	private static byte[] without(byte[] buf, int size, int entries, int from, int to) {
		MsgpackWriter h = new MsgpackWriter(8);
		h.mapHeader(entries - 1);
		int body = size - 5 - (to - from);
		byte[] out = new byte[h.size() + body];
		System.arraycopy(h.buffer(), 0, out, 0, h.size());
		int p = h.size();
		System.arraycopy(buf, 5, out, p, from - 5);
		p += from - 5;
		System.arraycopy(buf, to, out, p, size - to);
		return out;
	}

	private static byte[] dropEntry(byte[] map, MapSlices m, int drop) {
		MsgpackWriter w = new MsgpackWriter(map.length);
		w.mapHeader(m.size() - 1);
		for (int i = 0; i < m.size(); i++) {
			if (i != drop) {
				w.writeRaw(map, m.entryStart(i), m.entryEnd(i) - m.entryStart(i));
			}
		}
		return w.toByteArray();
	}

	// ---- time ----

	/** Parses a time value; warns and returns null when it cannot be read. */
	private EventTime lookupTime(byte[] b, int off, int len) {
		EventTime t = this.time.parse(b, off, len, this.clock.getAsLong());
		if (t == null) {
			String v = new String(b, off, Math.min(len, 254), StandardCharsets.UTF_8);
			LOG.warn("[parser:{}] invalid time format {} for '{}'", name(), this.time.format(), v);
		}
		return t;
	}

	// ---- regex ----

	private ParseResult regex(byte[] data, int off, int len) {
		Regex.Match m = this.regex.search(data, off, len);
		if (m == null || this.regex.groupCount() <= 0) {
			return null;
		}
		MsgpackWriter w = new MsgpackWriter(len + 64);
		int header = w.reserveMapHeader32();
		int[] count = { 0 };
		int[] lastPos = { -1 };
		EventTime[] time = { null };
		this.regex.forEachNamed(m, (name, s, e) -> {
			int vlen = (s < 0) ? 0 : e - s;
			if (e >= 0) {
				lastPos[0] = e;
			}
			if (vlen == 0 && this.definition.skipEmptyValues()) {
				return;
			}
			if (this.time != null && name.equals(this.timeKey)) {
				EventTime t = lookupTime(data, Math.max(s, 0), vlen);
				if (t == null) {
					return;
				}
				time[0] = t;
				if (!this.definition.timeKeep()) {
					return;
				}
			}
			byte[] k = name.getBytes(StandardCharsets.UTF_8);
			writeTyped(w, k, 0, k.length, data, Math.max(s, 0), vlen, false);
			count[0]++;
		});
		if (lastPos[0] == -1) {
			return null;
		}
		w.patchMapHeader32(header, count[0]);
		byte[] map = compactTopHeader(w);
		if (this.decoders != null) {
			map = this.decoders.apply(map);
		}
		return new ParseResult(time[0], map);
	}

	/**
	 * Writes {@code key: value} applying {@code Types} ({@code flb_parser_typecast}). For logfmt a
	 * bare key (no value) is written as {@code true} when the key has no type.
	 */
	private void writeTyped(MsgpackWriter w, byte[] key, int ko, int kl, byte[] val, int vo, int vl, boolean bareTrue) {
		for (int i = 0; i < this.typeKeys.length; i++) {
			byte[] tk = this.typeKeys[i];
			if (tk.length != kl || !java.util.Arrays.equals(tk, 0, tk.length, key, ko, ko + kl)) {
				continue;
			}
			w.str(key, ko, kl);
			String v = new String(val, vo, vl, StandardCharsets.UTF_8);
			switch (this.typeValues[i]) {
				case INTEGER -> w.integer(CNumbers.atoll(v));
				case HEX -> w.unsigned(CNumbers.strtoull16(v));
				case FLOAT -> w.float64(CNumbers.atof(v));
				case BOOL -> {
					if (vl >= 4 && v.regionMatches(true, 0, "true", 0, 4)) {
						w.bool(true);
					}
					else if (vl >= 5 && v.regionMatches(true, 0, "false", 0, 5)) {
						w.bool(false);
					}
					else {
						LOG.warn("[PARSER] key={} cast error. save as string.",
								new String(key, ko, kl, StandardCharsets.UTF_8));
						w.str(val, vo, vl);
					}
				}
				case STRING -> w.str(val, vo, vl);
			}
			return;
		}
		w.str(key, ko, kl);
		if (bareTrue) {
			w.bool(true);
		}
		else {
			w.str(val, vo, vl);
		}
	}

	// ---- logfmt ----

	private static final boolean[] IDENT = new boolean[256];

	static {
		for (int c = 0; c < 256; c++) {
			IDENT[c] = c > ' ' && c != '=' && c != '"';
		}
	}

	private ParseResult logfmt(byte[] in, int off, int len) {
		MsgpackWriter w = new MsgpackWriter(len + 64);
		int header = w.reserveMapHeader32();
		int count = 0;
		EventTime time = null;
		int c = off;
		int end = off + len;
		while (c < end) {
			while (c < end && !IDENT[in[c] & 0xFF]) {
				c++;
			}
			if (c == end) {
				break;
			}
			int key = c;
			while (c < end && IDENT[in[c] & 0xFF]) {
				c++;
			}
			int keyLen = c - key;
			int value = c;
			int valueLen = 0;
			boolean valueSet = false;
			boolean valueStr = false;
			boolean valueEscape = false;
			if (c < end && in[c] == '=') {
				valueSet = true;
				c++;
				if (c < end) {
					if (in[c] == '"') {
						c++;
						value = c;
						valueStr = true;
						while (c < end) {
							if (in[c] != '\\' && in[c] != '"') {
								c++;
							}
							else if (in[c] == '\\') {
								valueEscape = true;
								c++;
								if (c == end) {
									break;
								}
								c++;
							}
							else {
								break;
							}
						}
						valueLen = c - value;
						if (c < end && in[c] == '"') {
							c++;
						}
					}
					else {
						value = c;
						while (c < end && IDENT[in[c] & 0xFF]) {
							c++;
						}
						valueLen = c - value;
					}
				}
			}
			if (keyLen > 0) {
				if (this.definition.logfmtNoBareKeys() && valueLen == 0 && !valueSet) {
					return null;
				}
				boolean timeFound = false;
				if (this.time != null && keyLen == this.timeKeyBytes.length && valueLen > 0
						&& java.util.Arrays.equals(in, key, key + keyLen, this.timeKeyBytes, 0, keyLen)) {
					EventTime t = this.time.parse(in, value, valueLen, this.clock.getAsLong());
					if (t == null) {
						LOG.error("[parser:{}] Invalid time format {}", name(), this.time.format());
						return null;
					}
					time = t;
					timeFound = true;
				}
				if (!timeFound || this.definition.timeKeep()) {
					if (this.typeKeys.length != 0) {
						writeTyped(w, in, key, keyLen, in, value, valueLen, false);
					}
					else {
						w.str(in, key, keyLen);
						if (valueLen == 0) {
							if (valueStr) {
								w.strHeader(0);
							}
							else {
								w.bool(true);
							}
						}
						else if (valueEscape) {
							byte[] u = unescapeLogfmt(in, value, valueLen);
							w.str(u, 0, u.length);
						}
						else {
							w.str(in, value, valueLen);
						}
					}
					count++;
				}
			}
			if (c == end) {
				break;
			}
			if (in[c] == '\r') {
				break;
			}
			if (in[c] == '\n') {
				break;
			}
		}
		if (count == 0) {
			return null;
		}
		w.patchMapHeader32(header, count);
		byte[] map = compactTopHeader(w);
		if (this.decoders != null) {
			map = this.decoders.apply(map);
		}
		return new ParseResult(time, map);
	}

	/** {@code flb_unescape_string_utf8} for logfmt values: JSON-style escapes. */
	private static byte[] unescapeLogfmt(byte[] in, int off, int len) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(len);
		int end = off + len;
		int i = off;
		while (i < end) {
			byte b = in[i];
			if (b != '\\' || i + 1 >= end) {
				out.write(b);
				i++;
				continue;
			}
			byte e = in[i + 1];
			i += 2;
			switch (e) {
				case 'n' -> out.write('\n');
				case 't' -> out.write('\t');
				case 'r' -> out.write('\r');
				case 'b' -> out.write('\b');
				case 'f' -> out.write('\f');
				case '"' -> out.write('"');
				case '\\' -> out.write('\\');
				case '/' -> out.write('/');
				case 'u' -> {
					if (i + 4 <= end) {
						try {
							int cp = Integer.parseInt(new String(in, i, 4, StandardCharsets.US_ASCII), 16);
							byte[] u = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
							out.write(u, 0, u.length);
							i += 4;
						}
						catch (NumberFormatException ex) {
							out.write('u');
						}
					}
					else {
						out.write('u');
					}
				}
				default -> {
					out.write('\\');
					out.write(e);
				}
			}
		}
		return out.toByteArray();
	}

	// ---- ltsv ----

	private static final boolean[] LABEL = new boolean[256];

	private static final boolean[] FIELD = new boolean[256];

	static {
		for (int c = 0; c < 256; c++) {
			LABEL[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.'
					|| c == '-';
			FIELD[c] = c != 0 && c != '\t' && c != '\n' && c != '\r';
		}
	}

	private ParseResult ltsv(byte[] in, int off, int len, byte separator) {
		MsgpackWriter w = new MsgpackWriter(len + 64);
		int header = w.reserveMapHeader32();
		int count = 0;
		EventTime time = null;
		int c = off;
		int end = off + len;
		while (c < end) {
			int label = c;
			while (c < end && LABEL[in[c] & 0xFF]) {
				c++;
			}
			int labelLen = c - label;
			if (c == end) {
				break;
			}
			if (in[c] != separator) {
				break;
			}
			c++;
			int field = c;
			while (c < end && FIELD[in[c] & 0xFF]) {
				c++;
			}
			int fieldLen = c - field;
			if (labelLen > 0) {
				boolean timeFound = false;
				if (this.time != null && labelLen == this.timeKeyBytes.length && fieldLen > 0
						&& java.util.Arrays.equals(in, label, label + labelLen, this.timeKeyBytes, 0, labelLen)) {
					EventTime t = this.time.parse(in, field, fieldLen, this.clock.getAsLong());
					if (t == null) {
						LOG.error("[parser:{}] Invalid time format {}", name(), this.time.format());
						return null;
					}
					time = t;
					timeFound = true;
				}
				if (!timeFound || this.definition.timeKeep()) {
					writeTyped(w, in, label, labelLen, in, field, fieldLen, false);
					count++;
				}
			}
			if (c == end) {
				break;
			}
			if (in[c] == '\t') {
				c++;
			}
			if (c == end) {
				break;
			}
			if (in[c] == '\r' || in[c] == '\n') {
				break;
			}
		}
		if (count == 0) {
			return null;
		}
		w.patchMapHeader32(header, count);
		byte[] map = compactTopHeader(w);
		if (this.decoders != null) {
			map = this.decoders.apply(map);
		}
		return new ParseResult(time, map);
	}

	@Override
	public String toString() {
		return "parser " + name() + " (" + this.definition.format().name().toLowerCase(java.util.Locale.ROOT) + ")";
	}
}
