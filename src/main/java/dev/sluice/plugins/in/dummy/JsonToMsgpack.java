package dev.sluice.plugins.in.dummy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Reads JSON text into msgpack the way Fluent Bit's {@code flb_pack_json} does: object key order
 * and repeated keys are kept, strings are unescaped to UTF-8 bytes (other bytes copied as they
 * are), and numbers follow Fluent Bit's rules: a number with a {@code .} or an exponent with a
 * sign ({@code 1e+5}) is a double; any other is an integer read from its leading digits (so
 * {@code 1e5} is {@code 1}); an integer above {@code Long.MAX_VALUE} is an unsigned 64-bit
 * integer, and one out of 64-bit range a double.
 *
 * <p>Shared by the {@code dummy} and {@code stdin} inputs (a candidate for {@code dev.sluice.event}
 * once other plugins need it).
 */
public final class JsonToMsgpack {

	private JsonToMsgpack() {
	}

	/** The input is not JSON. */
	public static final class SyntaxException extends Exception {

		private final int position;

		SyntaxException(String message, int position) {
			super(message + " at position " + position, null, false, false);
			this.position = position;
		}

		public int position() {
			return this.position;
		}
	}

	/** The input ends inside a value. */
	public static final class IncompleteException extends Exception {

		IncompleteException() {
			super("incomplete JSON", null, false, false);
		}
	}

	/** A JSON object: keys and values alternating, in order, duplicates kept. */
	public record JsonObject(List<Object> members) {

		public int size() {
			return this.members.size() / 2;
		}
	}

	/**
	 * One parsed top-level value: the tree ({@link JsonObject}, {@code List}, {@code byte[]}
	 * string, {@link Long}, {@link BigInteger}, {@link Double}, {@link Boolean} or null) and the
	 * offset just after it.
	 */
	public record Parsed(Object value, int end) {
	}

	/** Parses every top-level value of a complete text (values may follow one another). */
	public static List<Object> parseAll(String text) throws SyntaxException {
		// a trailing space lets a last top-level number or literal end
		byte[] b = (text + " ").getBytes(StandardCharsets.UTF_8);
		List<Object> out = new ArrayList<>();
		int p = 0;
		while (true) {
			p = skipWs(b, p, b.length);
			if (p >= b.length) {
				return out;
			}
			try {
				Parsed v = parse(b, p, b.length);
				out.add(v.value());
				p = v.end();
			}
			catch (IncompleteException ex) {
				throw new SyntaxException("unexpected end of JSON", b.length);
			}
		}
	}

	/** Skips JSON whitespace from {@code p}. */
	public static int skipWs(byte[] b, int p, int end) {
		while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r')) {
			p++;
		}
		return p;
	}

	/** Parses the value starting at {@code p} (no leading whitespace). */
	public static Parsed parse(byte[] b, int p, int end) throws SyntaxException, IncompleteException {
		Reader r = new Reader(b, p, end);
		Object v = r.value(0);
		return new Parsed(v, r.pos);
	}

	/** Packs a parsed value as msgpack. */
	public static void pack(MessagePacker p, Object v) throws IOException {
		switch (v) {
			case null -> p.packNil();
			case JsonObject o -> {
				p.packMapHeader(o.size());
				for (Object m : o.members()) {
					pack(p, m);
				}
			}
			case List<?> l -> {
				p.packArrayHeader(l.size());
				for (Object e : l) {
					pack(p, e);
				}
			}
			case byte[] s -> {
				p.packRawStringHeader(s.length);
				p.writePayload(s);
			}
			case Long l -> p.packLong(l);
			case BigInteger bi -> p.packBigInteger(bi);
			case Double d -> p.packDouble(d);
			case Boolean bo -> p.packBoolean(bo);
			default -> throw new IllegalArgumentException("not a parsed JSON value: " + v.getClass());
		}
	}

	/** Packs a parsed value into its own byte array. */
	public static byte[] toMsgpack(Object v) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			pack(p, v);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static final int MAX_DEPTH = 1000;

	private static final class Reader {

		final byte[] b;

		final int end;

		int pos;

		Reader(byte[] b, int pos, int end) {
			this.b = b;
			this.pos = pos;
			this.end = end;
		}

		private int peek() throws IncompleteException {
			if (this.pos >= this.end) {
				throw new IncompleteException();
			}
			return this.b[this.pos] & 0xff;
		}

		private void ws() {
			this.pos = skipWs(this.b, this.pos, this.end);
		}

		Object value(int depth) throws SyntaxException, IncompleteException {
			if (depth > MAX_DEPTH) {
				throw new SyntaxException("JSON nested too deeply", this.pos);
			}
			int c = peek();
			return switch (c) {
				case '{' -> object(depth);
				case '[' -> array(depth);
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> {
					if (c == '-' || (c >= '0' && c <= '9')) {
						yield number();
					}
					throw new SyntaxException("unexpected character '" + (char) c + "'", this.pos);
				}
			};
		}

		private Object literal(String word, Object v) throws SyntaxException, IncompleteException {
			for (int i = 0; i < word.length(); i++) {
				if (this.pos + i >= this.end) {
					throw new IncompleteException();
				}
				if (this.b[this.pos + i] != word.charAt(i)) {
					throw new SyntaxException("invalid literal", this.pos);
				}
			}
			this.pos += word.length();
			checkDelimiter();
			return v;
		}

		/** A primitive must be followed by a delimiter; at the end of input it may go on. */
		private void checkDelimiter() throws SyntaxException, IncompleteException {
			if (this.pos >= this.end) {
				throw new IncompleteException();
			}
			int c = this.b[this.pos];
			if (!(c == ',' || c == ']' || c == '}' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
					|| c == '{' || c == '[' || c == '"')) {
				throw new SyntaxException("unexpected character after value", this.pos);
			}
		}

		private Object object(int depth) throws SyntaxException, IncompleteException {
			int start = this.pos;
			this.pos++;
			List<Object> members = new ArrayList<>();
			ws();
			if (peek() == '}') {
				this.pos++;
				return new JsonObject(members);
			}
			while (true) {
				ws();
				if (peek() != '"') {
					throw new SyntaxException("expected a string key in object starting", start);
				}
				members.add(string());
				ws();
				if (peek() != ':') {
					throw new SyntaxException("expected ':'", this.pos);
				}
				this.pos++;
				ws();
				members.add(value(depth + 1));
				ws();
				int c = peek();
				this.pos++;
				if (c == '}') {
					return new JsonObject(members);
				}
				if (c != ',') {
					throw new SyntaxException("expected ',' or '}'", this.pos - 1);
				}
			}
		}

		private Object array(int depth) throws SyntaxException, IncompleteException {
			this.pos++;
			List<Object> items = new ArrayList<>();
			ws();
			if (peek() == ']') {
				this.pos++;
				return items;
			}
			while (true) {
				ws();
				items.add(value(depth + 1));
				ws();
				int c = peek();
				this.pos++;
				if (c == ']') {
					return items;
				}
				if (c != ',') {
					throw new SyntaxException("expected ',' or ']'", this.pos - 1);
				}
			}
		}

		private byte[] string() throws SyntaxException, IncompleteException {
			int start = ++this.pos;
			// fast path: no escapes
			int p = start;
			while (p < this.end && this.b[p] != '"' && this.b[p] != '\\') {
				p++;
			}
			if (p >= this.end) {
				throw new IncompleteException();
			}
			if (this.b[p] == '"') {
				this.pos = p + 1;
				return java.util.Arrays.copyOfRange(this.b, start, p);
			}
			java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(p - start + 16);
			out.write(this.b, start, p - start);
			while (true) {
				if (p >= this.end) {
					throw new IncompleteException();
				}
				int c = this.b[p] & 0xff;
				if (c == '"') {
					this.pos = p + 1;
					return out.toByteArray();
				}
				if (c != '\\') {
					out.write(c);
					p++;
					continue;
				}
				if (p + 1 >= this.end) {
					throw new IncompleteException();
				}
				int e = this.b[p + 1] & 0xff;
				p += 2;
				switch (e) {
					case '"' -> out.write('"');
					case '\\' -> out.write('\\');
					case '/' -> out.write('/');
					case 'b' -> out.write('\b');
					case 'f' -> out.write('\f');
					case 'n' -> out.write('\n');
					case 'r' -> out.write('\r');
					case 't' -> out.write('\t');
					case 'u' -> {
						int cp = hex4(p);
						p += 4;
						if (cp >= 0xd800 && cp <= 0xdbff && p + 6 <= this.end && this.b[p] == '\\'
								&& this.b[p + 1] == 'u') {
							int lo = hex4(p + 2);
							if (lo >= 0xdc00 && lo <= 0xdfff) {
								cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
								p += 6;
							}
						}
						utf8(out, cp);
					}
					default -> throw new SyntaxException("invalid escape '\\" + (char) e + "'", p - 2);
				}
			}
		}

		private int hex4(int p) throws SyntaxException, IncompleteException {
			if (p + 4 > this.end) {
				throw new IncompleteException();
			}
			int v = 0;
			for (int i = 0; i < 4; i++) {
				int d = Character.digit(this.b[p + i], 16);
				if (d < 0) {
					throw new SyntaxException("invalid \\u escape", p - 2);
				}
				v = (v << 4) | d;
			}
			return v;
		}

		private static void utf8(java.io.ByteArrayOutputStream out, int cp) {
			if (cp < 0x80) {
				out.write(cp);
			}
			else if (cp < 0x800) {
				out.write(0xc0 | (cp >> 6));
				out.write(0x80 | (cp & 0x3f));
			}
			else if (cp < 0x10000) {
				out.write(0xe0 | (cp >> 12));
				out.write(0x80 | ((cp >> 6) & 0x3f));
				out.write(0x80 | (cp & 0x3f));
			}
			else {
				out.write(0xf0 | (cp >> 18));
				out.write(0x80 | ((cp >> 12) & 0x3f));
				out.write(0x80 | ((cp >> 6) & 0x3f));
				out.write(0x80 | (cp & 0x3f));
			}
		}

		private Object number() throws SyntaxException, IncompleteException {
			int start = this.pos;
			int p = start;
			if (p < this.end && this.b[p] == '-') {
				p++;
			}
			int digits = p;
			while (p < this.end && isDigit(this.b[p])) {
				p++;
			}
			if (p == digits && p < this.end) {
				throw new SyntaxException("invalid number", start);
			}
			if (p < this.end && this.b[p] == '.') {
				p++;
				int f = p;
				while (p < this.end && isDigit(this.b[p])) {
					p++;
				}
				if (p == f && p < this.end) {
					throw new SyntaxException("invalid number", start);
				}
			}
			if (p < this.end && (this.b[p] == 'e' || this.b[p] == 'E')) {
				p++;
				if (p < this.end && (this.b[p] == '+' || this.b[p] == '-')) {
					p++;
				}
				int x = p;
				while (p < this.end && isDigit(this.b[p])) {
					p++;
				}
				if (p == x && p < this.end) {
					throw new SyntaxException("invalid number", start);
				}
			}
			this.pos = p;
			checkDelimiter();
			String tok = new String(this.b, start, p - start, StandardCharsets.US_ASCII);
			return numberValue(tok);
		}

		private static boolean isDigit(byte c) {
			return c >= '0' && c <= '9';
		}
	}

	/** Fluent Bit's {@code pack_numeric_token} for a syntactically valid JSON number. */
	static Object numberValue(String tok) {
		boolean isFloat = tok.indexOf('.') >= 0;
		for (int i = 0; !isFloat && i + 1 < tok.length(); i++) {
			char c = tok.charAt(i);
			char n = tok.charAt(i + 1);
			isFloat = (c == 'e' || c == 'E') && (n == '+' || n == '-');
		}
		if (isFloat) {
			return Double.parseDouble(tok);
		}
		// integer from the leading digits (strtoll / strtoull stop at the first non-digit)
		int i = (tok.charAt(0) == '-') ? 1 : 0;
		int j = i;
		while (j < tok.length() && Character.isDigit(tok.charAt(j))) {
			j++;
		}
		String digits = tok.substring(0, j);
		BigInteger v = new BigInteger(digits);
		if (v.bitLength() <= 63) {
			return v.longValue();
		}
		if (v.signum() > 0 && v.bitLength() <= 64) {
			return v;
		}
		return Double.parseDouble(digits);
	}
}
