package dev.sluice.net.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.msgpack.core.MessagePacker;
import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.Parser;
import dev.sluice.parser.JsonToMsgpack;
import dev.sluice.parser.MsgpackWriter;

/**
 * Turns received bytes into records the way Fluent Bit's {@code in_tcp} and {@code in_udp} do.
 *
 * <ul>
 * <li>{@code json}: JSON values one after the other (back to back, or separated by whitespace or
 * newlines). An object is a record; an array becomes {@code {"msg": [...]}}; any other value, or
 * text that is not JSON, is logged ({@code invalid JSON message, skipping}) and skipped up to the
 * next newline.</li>
 * <li>{@code none}: the bytes are split on the separator; each non-empty piece becomes
 * {@code {"log": piece}}, or, with a parser, the parsed record (a piece the parser does not match
 * is kept as {@code {"log": piece}}).</li>
 * </ul>
 * With {@code source_address_key} the sender's address ({@code tcp://127.0.0.1:40000}) is added
 * as the record's last key. Not thread-safe: one per connection or datagram reader.
 */
public final class TextRecords {

	/** The payload format. */
	public enum Format {
		JSON, NONE;

		/** {@code json} (default when null) or {@code none}; anything else is an error. */
		public static Format of(String value) {
			if (value == null || value.equalsIgnoreCase("json")) {
				return JSON;
			}
			if (value.equalsIgnoreCase("none")) {
				return NONE;
			}
			throw new IllegalArgumentException("unrecognized format value '" + value + "'");
		}
	}

	private final Format format;

	private final byte[] separator;

	private final Parser parser;

	private final byte[] sourceKey;

	private final Logger log;

	private long skipped;

	private final JsonToMsgpack json = new JsonToMsgpack();

	private final MsgpackWriter writer = new MsgpackWriter(1024);

	public TextRecords(Format format, byte[] separator, Parser parser, String sourceAddressKey, Logger log) {
		this.format = format;
		this.separator = separator;
		this.parser = parser;
		this.sourceKey = (sourceAddressKey != null && !sourceAddressKey.isEmpty())
				? sourceAddressKey.getBytes(StandardCharsets.UTF_8) : null;
		this.log = log;
	}

	/** Invalid pieces skipped so far. */
	public long skipped() {
		return this.skipped;
	}

	/**
	 * Decodes the complete records in {@code b[start, end)} into {@code out} and returns where the
	 * unconsumed rest starts (an incomplete last record, to be completed by more bytes). With
	 * {@code complete} (a datagram) everything is consumed: a trailing piece without separator is
	 * a record, an incomplete JSON value is invalid.
	 */
	public int decode(byte[] b, int start, int end, boolean complete, String source, EventEncoder out) {
		return (this.format == Format.JSON) ? json(b, start, end, complete, source, out)
				: lines(b, start, end, complete, source, out);
	}

	private int json(byte[] b, int start, int end, boolean complete, String source, EventEncoder out) {
		int p = start;
		EventTime now = null;
		while (true) {
			p = skipWs(b, p, end);
			if (p >= end) {
				return end;
			}
			byte c = b[p];
			if (c != '{' && c != '[') {
				p = skipInvalid(b, p, end, source, "invalid JSON message, skipping");
				continue;
			}
			int e = valueEnd(b, p, end);
			if (e < 0) {
				if (!complete) {
					return p;
				}
				p = skipInvalid(b, p, end, source, "incomplete JSON message, skipping");
				continue;
			}
			this.writer.reset();
			JsonToMsgpack.Result r = this.json.convert(b, p, e - p, this.writer);
			if (r == JsonToMsgpack.Result.INVALID) {
				p = skipInvalid(b, p, end, source, "invalid JSON message, skipping");
				continue;
			}
			if (now == null) {
				now = EventTime.now();
			}
			boolean src = this.sourceKey != null && source != null;
			try {
				MessagePacker pk = out.beginEvent(now, Map.of());
				if (r == JsonToMsgpack.Result.OBJECT && !src) {
					pk.writePayload(this.writer.buffer(), 0, this.writer.size());
				}
				else if (r == JsonToMsgpack.Result.OBJECT) {
					Records.appendToMap(pk, this.writer.toByteArray(), this.sourceKey, source);
				}
				else {
					// an array: {"msg": [...]}
					pk.packMapHeader(src ? 2 : 1);
					pk.packString("msg");
					pk.writePayload(this.writer.buffer(), 0, this.writer.size());
					if (src) {
						packStr(pk, this.sourceKey);
						pk.packString(source);
					}
				}
				out.endEvent();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			p = e;
		}
	}

	private static int skipWs(byte[] b, int p, int end) {
		while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r')) {
			p++;
		}
		return p;
	}

	/**
	 * The end (exclusive) of the JSON object or array starting at {@code p}: where its brackets
	 * balance, strings and escapes skipped; -1 when it is not complete yet. Validity is checked
	 * afterwards, by the conversion.
	 */
	static int valueEnd(byte[] b, int p, int end) {
		int depth = 0;
		boolean string = false;
		for (int i = p; i < end; i++) {
			byte c = b[i];
			if (string) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					string = false;
				}
				continue;
			}
			switch (c) {
				case '"' -> string = true;
				case '{', '[' -> depth++;
				case '}', ']' -> {
					if (--depth == 0) {
						return i + 1;
					}
				}
				default -> {
				}
			}
		}
		return -1;
	}

	/** Logs and skips an invalid piece: up to and including the next newline, else everything. */
	private int skipInvalid(byte[] b, int p, int end, String source, String what) {
		int nl = indexOf(b, p, end, NL);
		int next = (nl < 0) ? end : nl + 1;
		this.skipped++;
		this.log.warn("{} ({} bytes from {}): {}", what, next - p, (source != null) ? source : "?",
				preview(b, p, next));
		return next;
	}

	private static final byte[] NL = { '\n' };

	static String preview(byte[] b, int p, int end) {
		int n = Math.min(end - p, 64);
		String s = new String(b, p, n, StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r");
		return (end - p > n) ? s + "..." : s;
	}

	private int lines(byte[] b, int start, int end, boolean complete, String source, EventEncoder out) {
		int p = start;
		EventTime now = null;
		while (p < end) {
			int s = indexOf(b, p, end, this.separator);
			int lineEnd;
			int next;
			if (s < 0) {
				if (!complete) {
					return p;
				}
				lineEnd = end;
				next = end;
			}
			else {
				lineEnd = s;
				next = s + this.separator.length;
			}
			if (lineEnd > p) {
				if (now == null) {
					now = EventTime.now();
				}
				line(b, p, lineEnd - p, now, source, out);
			}
			p = next;
		}
		return end;
	}

	private void line(byte[] b, int off, int len, EventTime now, String source, EventEncoder out) {
		try {
			boolean src = this.sourceKey != null && source != null;
			if (this.parser != null) {
				ParseResult r = this.parser.parse(b, off, len);
				if (r != null) {
					MessagePacker pk = out.beginEvent((r.time() != null) ? r.time() : now, Map.of());
					Records.appendToMap(pk, r.map(), src ? this.sourceKey : null, src ? source : null);
					out.endEvent();
					return;
				}
				this.log.debug("parser '{}' does not match, keeping the line as 'log': {}", this.parser.name(),
						preview(b, off, off + len));
			}
			MessagePacker pk = out.beginEvent(now, Map.of());
			pk.packMapHeader(src ? 2 : 1);
			pk.packString("log");
			pk.packRawStringHeader(len);
			pk.writePayload(b, off, len);
			if (src) {
				packStr(pk, this.sourceKey);
				pk.packString(source);
			}
			out.endEvent();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void packStr(MessagePacker pk, byte[] s) throws IOException {
		pk.packRawStringHeader(s.length);
		pk.writePayload(s);
	}

	/** The first index of {@code needle} in {@code b[from, end)}, or -1. */
	public static int indexOf(byte[] b, int from, int end, byte[] needle) {
		byte first = needle[0];
		int last = end - needle.length;
		outer: for (int i = from; i <= last; i++) {
			if (b[i] != first) {
				continue;
			}
			for (int j = 1; j < needle.length; j++) {
				if (b[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static int hex(byte a, byte b) {
		int x = Character.digit(a, 16);
		int y = Character.digit(b, 16);
		return (x < 0 || y < 0) ? -1 : x * 16 + y;
	}

	/**
	 * Unescapes a separator as Fluent Bit's {@code flb_unescape_string} does: {@code \n},
	 * {@code \r}, {@code \t}, {@code \\}, {@code \"}, {@code \0} and {@code \xHH}; other characters
	 * are kept. Default (null): a newline.
	 */
	public static byte[] separator(String raw) {
		if (raw == null) {
			return NL.clone();
		}
		java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
		byte[] in = raw.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < in.length; i++) {
			byte c = in[i];
			if (c == '\\' && i + 1 < in.length) {
				byte n = in[++i];
				switch (n) {
					case 'n' -> o.write('\n');
					case 'r' -> o.write('\r');
					case 't' -> o.write('\t');
					case '0' -> o.write(0);
					case '\\' -> o.write('\\');
					case '"' -> o.write('"');
					case 'x' -> {
						int h = (i + 2 < in.length) ? hex(in[i + 1], in[i + 2]) : -1;
						if (h >= 0) {
							o.write(h);
							i += 2;
						}
						else {
							o.write('\\');
							o.write('x');
						}
					}
					default -> {
						o.write('\\');
						o.write(n);
					}
				}
			}
			else {
				o.write(c);
			}
		}
		if (o.size() == 0) {
			throw new IllegalArgumentException("invalid separator");
		}
		return o.toByteArray();
	}
}
