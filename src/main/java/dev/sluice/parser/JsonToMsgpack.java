package dev.sluice.parser;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Converts JSON text straight to msgpack bytes, in one pass, with no intermediate objects: the
 * path Fluent Bit's {@code flb_pack_json} takes. Objects keep their keys in order (duplicates
 * included), strings are unescaped to UTF-8, numbers without {@code .}, {@code e} or {@code E}
 * become integers (above {@code 2^63-1}: unsigned, then floating point), others doubles.
 *
 * <p>For a top-level object the byte offsets of each entry's key and value are recorded so a
 * parser can find and drop its time key without re-reading. Not thread-safe; reusable.
 *
 * <p>The scanner keeps the input position in locals and writes straight into the writer's array
 * (handed back at the end); strings are searched eight bytes at a time for their closing quote
 * or a backslash.
 */
public final class JsonToMsgpack {

	private static final int MAX_DEPTH = 1000;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	private static final long QUOTES = 0x2222222222222222L;

	private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

	private byte[] in;

	private int end;

	/** The output array (the writer's, possibly grown) and the write position in it. */
	private byte[] ob;

	private int op;

	/** For a top-level object: entry count and offsets in the output. */
	private int entries;

	private int[] keyStart = new int[32];

	private int[] valueEnd = new int[32];

	private final StringBuilder numberText = new StringBuilder();

	/** Result of a conversion. */
	public enum Result {
		/** A single top-level object. */
		OBJECT,
		/** Valid JSON whose top-level value is not an object. */
		NOT_OBJECT,
		/** Not JSON, or more than one top-level value. */
		INVALID
	}

	/**
	 * Converts {@code in[off, off+len)} into {@code out} (appending). On {@link Result#INVALID} the
	 * writer content is undefined.
	 */
	public Result convert(byte[] in, int off, int len, MsgpackWriter out) {
		this.in = in;
		this.end = off + len;
		this.ob = out.buffer();
		this.op = out.size();
		this.entries = 0;
		try {
			int p = skipWs(off);
			if (p >= this.end) {
				return Result.INVALID;
			}
			boolean object = in[p] == '{';
			p = object ? object(p, 0, true) : value(p, 0);
			p = skipWs(p);
			if (p != this.end) {
				return Result.INVALID;
			}
			return object ? Result.OBJECT : Result.NOT_OBJECT;
		}
		catch (Invalid ex) {
			return Result.INVALID;
		}
		finally {
			out.adopt(this.ob, this.op);
			this.in = null;
			this.ob = null;
		}
	}

	/** Number of entries of the converted top-level object. */
	public int entries() {
		return this.entries;
	}

	/** Output offset where entry {@code i}'s key starts. */
	public int keyStart(int i) {
		return this.keyStart[i];
	}

	/** Output offset where entry {@code i}'s value ends. */
	public int valueEnd(int i) {
		return this.valueEnd[i];
	}

	/** Not JSON: thrown without a stack trace, caught in {@link #convert}. */
	private static final class Invalid extends RuntimeException {

		static final Invalid INSTANCE = new Invalid();

		private Invalid() {
			super(null, null, false, false);
		}
	}

	private static Invalid invalid() {
		return Invalid.INSTANCE;
	}

	// ---------------------------------------------------------------- output

	private void ensure(int n) {
		if (this.op + n > this.ob.length) {
			this.ob = Arrays.copyOf(this.ob, Math.max(this.ob.length * 2, this.op + n));
		}
	}

	private void put(int b) {
		ensure(1);
		this.ob[this.op++] = (byte) b;
	}

	private void strHeader(int n) {
		ensure(5);
		byte[] o = this.ob;
		int w = this.op;
		if (n < 32) {
			o[w++] = (byte) (0xa0 | n);
		}
		else if (n < 256) {
			o[w++] = (byte) 0xd9;
			o[w++] = (byte) n;
		}
		else if (n < 65536) {
			o[w++] = (byte) 0xda;
			o[w++] = (byte) (n >>> 8);
			o[w++] = (byte) n;
		}
		else {
			o[w++] = (byte) 0xdb;
			o[w++] = (byte) (n >>> 24);
			o[w++] = (byte) (n >>> 16);
			o[w++] = (byte) (n >>> 8);
			o[w++] = (byte) n;
		}
		this.op = w;
	}

	/** Reserves a 5-byte header (a container's or an unescaped string's), written later. */
	private int reserve5() {
		ensure(5);
		int at = this.op;
		this.op += 5;
		return at;
	}

	// ---------------------------------------------------------------- input

	private int skipWs(int p) {
		byte[] b = this.in;
		int e = this.end;
		while (p < e) {
			byte c = b[p];
			if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
				p++;
			}
			else {
				break;
			}
		}
		return p;
	}

	/** The byte at {@code p}, or -1 at the end. */
	private int at(int p) {
		return (p < this.end) ? (this.in[p] & 0xFF) : -1;
	}

	/** An object at {@code p} (its '{'); returns the position after it. */
	private int object(int p, int depth, boolean top) {
		p++; // '{'
		int header = reserve5();
		int n = 0;
		p = skipWs(p);
		if (at(p) == '}') {
			p++;
		}
		else {
			while (true) {
				p = skipWs(p);
				if (at(p) != '"') {
					throw invalid();
				}
				if (top) {
					if (n == this.keyStart.length) {
						this.keyStart = Arrays.copyOf(this.keyStart, n * 2);
						this.valueEnd = Arrays.copyOf(this.valueEnd, n * 2);
					}
					this.keyStart[n] = this.op;
				}
				p = string(p);
				if (at(p) != ':') {
					p = skipWs(p);
					if (at(p) != ':') {
						throw invalid();
					}
				}
				p = skipWs(p + 1);
				p = value(p, depth + 1);
				if (top) {
					this.valueEnd[n] = this.op;
				}
				n++;
				int c = at(p);
				if (c != ',' && c != '}') {
					p = skipWs(p);
					c = at(p);
				}
				p++;
				if (c == ',') {
					continue;
				}
				if (c == '}') {
					break;
				}
				throw invalid();
			}
		}
		if (top) {
			byte[] o = this.ob;
			o[header] = (byte) 0xdf;
			o[header + 1] = (byte) (n >>> 24);
			o[header + 2] = (byte) (n >>> 16);
			o[header + 3] = (byte) (n >>> 8);
			o[header + 4] = (byte) n;
			this.entries = n;
		}
		else {
			compactHeader(header, n, true);
		}
		return p;
	}

	private int value(int p, int depth) {
		if (depth > MAX_DEPTH) {
			throw invalid();
		}
		int c = at(p);
		switch (c) {
			case '"':
				return string(p);
			case '{':
				return object(p, depth, false);
			case '[':
				return array(p, depth);
			case 't':
				return literal(p, TRUE, 0xc3);
			case 'f':
				return literal(p, FALSE, 0xc2);
			case 'n':
				return literal(p, NULL, 0xc0);
			default:
				if (c == '-' || (c >= '0' && c <= '9')) {
					return number(p);
				}
				throw invalid();
		}
	}

	private static final byte[] TRUE = { 't', 'r', 'u', 'e' };

	private static final byte[] FALSE = { 'f', 'a', 'l', 's', 'e' };

	private static final byte[] NULL = { 'n', 'u', 'l', 'l' };

	private int literal(int p, byte[] word, int code) {
		if (p + word.length > this.end) {
			throw invalid();
		}
		for (int i = 0; i < word.length; i++) {
			if (this.in[p + i] != word[i]) {
				throw invalid();
			}
		}
		put(code);
		return p + word.length;
	}

	private int array(int p, int depth) {
		p++;
		int header = reserve5();
		int n = 0;
		p = skipWs(p);
		if (at(p) == ']') {
			p++;
		}
		else {
			while (true) {
				p = skipWs(p);
				p = value(p, depth + 1);
				n++;
				p = skipWs(p);
				int c = at(p);
				p++;
				if (c == ',') {
					continue;
				}
				if (c == ']') {
					break;
				}
				throw invalid();
			}
		}
		compactHeader(header, n, false);
		return p;
	}

	/** Rewrites a reserved 5-byte header in its smallest form, moving the body back. */
	private void compactHeader(int at, int n, boolean map) {
		byte[] b = this.ob;
		int bodyStart = at + 5;
		int bodyLen = this.op - bodyStart;
		int hlen;
		if (n < 16) {
			b[at] = (byte) ((map ? 0x80 : 0x90) | n);
			hlen = 1;
		}
		else if (n < 65536) {
			b[at] = (byte) (map ? 0xde : 0xdc);
			b[at + 1] = (byte) (n >>> 8);
			b[at + 2] = (byte) n;
			hlen = 3;
		}
		else {
			b[at] = (byte) (map ? 0xdf : 0xdd);
			b[at + 1] = (byte) (n >>> 24);
			b[at + 2] = (byte) (n >>> 16);
			b[at + 3] = (byte) (n >>> 8);
			b[at + 4] = (byte) n;
			return;
		}
		System.arraycopy(b, bodyStart, b, at + hlen, bodyLen);
		this.op = at + hlen + bodyLen;
	}

	/** A string at {@code p} (its opening quote); returns the position after the closing one. */
	private int string(int p) {
		byte[] b = this.in;
		int e = this.end;
		int start = ++p;
		// fast path: no escapes; eight bytes at a time for '"' or '\'
		while (p + 8 <= e) {
			long w = (long) LONGS.get(b, p);
			long q = w ^ QUOTES;
			long s = w ^ BACKSLASHES;
			long hit = (((q - ONES) & ~q) | ((s - ONES) & ~s)) & HIGHS;
			if (hit != 0) {
				p += Long.numberOfTrailingZeros(hit) >>> 3;
				break;
			}
			p += 8;
		}
		while (p < e) {
			byte c = b[p];
			if (c == '"') {
				int len = p - start;
				ensure(len + 5);
				byte[] o = this.ob;
				int w = this.op;
				if (len < 32) {
					o[w++] = (byte) (0xa0 | len);
				}
				else {
					strHeader(len);
					o = this.ob;
					w = this.op;
				}
				System.arraycopy(b, start, o, w, len);
				this.op = w + len;
				return p + 1;
			}
			if (c == '\\') {
				break;
			}
			p++;
		}
		if (p >= e) {
			throw invalid();
		}
		return escapedString(start, p);
	}

	/**
	 * The slow path: the string from {@code start} has an escape at {@code p}. Unescapes into
	 * the output after a reserved 5-byte header, then writes the header in its smallest form.
	 */
	private int escapedString(int start, int p) {
		byte[] b = this.in;
		int e = this.end;
		int headerAt = reserve5();
		int bodyStart = this.op;
		int plain = p - start;
		ensure(plain);
		System.arraycopy(b, start, this.ob, this.op, plain);
		this.op += plain;
		while (true) {
			if (p >= e) {
				throw invalid();
			}
			byte c = b[p];
			if (c == '"') {
				p++;
				break;
			}
			if (c != '\\') {
				put(c);
				p++;
				continue;
			}
			if (p + 1 >= e) {
				throw invalid();
			}
			byte x = b[p + 1];
			p += 2;
			switch (x) {
				case '"' -> put('"');
				case '\\' -> put('\\');
				case '/' -> put('/');
				case 'b' -> put('\b');
				case 'f' -> put('\f');
				case 'n' -> put('\n');
				case 'r' -> put('\r');
				case 't' -> put('\t');
				case 'u' -> {
					int cp = hex4(p);
					p += 4;
					if (cp >= 0xD800 && cp <= 0xDBFF && p + 1 < e && b[p] == '\\' && b[p + 1] == 'u') {
						int lo = hex4(p + 2);
						if (lo >= 0xDC00 && lo <= 0xDFFF) {
							cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
							p += 6;
						}
					}
					utf8(cp);
				}
				default -> throw invalid();
			}
		}
		int len = this.op - bodyStart;
		byte[] o = this.ob;
		int hlen;
		if (len < 32) {
			o[headerAt] = (byte) (0xa0 | len);
			hlen = 1;
		}
		else if (len < 256) {
			o[headerAt] = (byte) 0xd9;
			o[headerAt + 1] = (byte) len;
			hlen = 2;
		}
		else if (len < 65536) {
			o[headerAt] = (byte) 0xda;
			o[headerAt + 1] = (byte) (len >>> 8);
			o[headerAt + 2] = (byte) len;
			hlen = 3;
		}
		else {
			o[headerAt] = (byte) 0xdb;
			o[headerAt + 1] = (byte) (len >>> 24);
			o[headerAt + 2] = (byte) (len >>> 16);
			o[headerAt + 3] = (byte) (len >>> 8);
			o[headerAt + 4] = (byte) len;
			hlen = 5;
		}
		if (hlen < 5) {
			System.arraycopy(o, bodyStart, o, headerAt + hlen, len);
			this.op = headerAt + hlen + len;
		}
		return p;
	}

	/** Four hex digits at {@code p}. */
	private int hex4(int p) {
		if (p + 4 > this.end) {
			throw invalid();
		}
		int v = 0;
		for (int i = 0; i < 4; i++) {
			int c = this.in[p + i];
			int d;
			if (c >= '0' && c <= '9') {
				d = c - '0';
			}
			else if (c >= 'a' && c <= 'f') {
				d = c - 'a' + 10;
			}
			else if (c >= 'A' && c <= 'F') {
				d = c - 'A' + 10;
			}
			else {
				throw invalid();
			}
			v = (v << 4) | d;
		}
		return v;
	}

	private void utf8(int cp) {
		ensure(4);
		byte[] o = this.ob;
		int w = this.op;
		if (cp < 0x80) {
			o[w++] = (byte) cp;
		}
		else if (cp < 0x800) {
			o[w++] = (byte) (0xC0 | (cp >> 6));
			o[w++] = (byte) (0x80 | (cp & 0x3F));
		}
		else if (cp < 0x10000) {
			o[w++] = (byte) (0xE0 | (cp >> 12));
			o[w++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
			o[w++] = (byte) (0x80 | (cp & 0x3F));
		}
		else {
			o[w++] = (byte) (0xF0 | (cp >> 18));
			o[w++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
			o[w++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
			o[w++] = (byte) (0x80 | (cp & 0x3F));
		}
		this.op = w;
	}

	/** A number at {@code p}; returns the position after it. */
	private int number(int p) {
		byte[] b = this.in;
		int start = p;
		boolean floating = false;
		boolean neg = at(p) == '-';
		if (neg) {
			p++;
		}
		if (!isDigit(at(p))) {
			throw invalid();
		}
		if (b[p] == '0' && p + 1 < this.end && isDigit(b[p + 1])) {
			throw invalid();
		}
		long v = 0;
		while (isDigit(at(p))) {
			v = v * 10 + (b[p] - '0');
			p++;
		}
		int c = at(p);
		if (c == '.') {
			floating = true;
			p++;
			if (!isDigit(at(p))) {
				throw invalid();
			}
			while (isDigit(at(p))) {
				p++;
			}
			c = at(p);
		}
		if (c == 'e' || c == 'E') {
			floating = true;
			p++;
			c = at(p);
			if (c == '+' || c == '-') {
				p++;
			}
			if (!isDigit(at(p))) {
				throw invalid();
			}
			while (isDigit(at(p))) {
				p++;
			}
		}
		int len = p - start;
		if (!floating && len <= 18) {
			// at most 18 characters: the value fits a long (v is exact)
			integer(neg ? -v : v);
			return p;
		}
		if (floating && fastDecimal(start, p)) {
			return p;
		}
		this.numberText.setLength(0);
		for (int i = start; i < p; i++) {
			this.numberText.append((char) b[i]);
		}
		String text = this.numberText.toString();
		if (!floating) {
			java.math.BigInteger big = new java.math.BigInteger(text);
			if (big.bitLength() < 64) {
				integer(big.longValue());
				return p;
			}
			if (big.signum() > 0 && big.bitLength() == 64) {
				unsigned(big.longValue());
				return p;
			}
		}
		float64(Double.parseDouble(text));
		return p;
	}

	/** A signed integer in the smallest msgpack form (as {@link MsgpackWriter#integer}). */
	private void integer(long v) {
		if (v >= 0) {
			unsigned(v);
			return;
		}
		ensure(9);
		byte[] o = this.ob;
		int w = this.op;
		if (v >= -32) {
			o[w++] = (byte) v;
		}
		else if (v >= Byte.MIN_VALUE) {
			o[w++] = (byte) 0xd0;
			o[w++] = (byte) v;
		}
		else if (v >= Short.MIN_VALUE) {
			o[w++] = (byte) 0xd1;
			o[w++] = (byte) (v >>> 8);
			o[w++] = (byte) v;
		}
		else if (v >= Integer.MIN_VALUE) {
			o[w++] = (byte) 0xd2;
			o[w++] = (byte) (v >>> 24);
			o[w++] = (byte) (v >>> 16);
			o[w++] = (byte) (v >>> 8);
			o[w++] = (byte) v;
		}
		else {
			o[w++] = (byte) 0xd3;
			w = put64(o, w, v);
		}
		this.op = w;
	}

	/** An unsigned integer (the 64-bit pattern read as unsigned), as {@link MsgpackWriter#unsigned}. */
	private void unsigned(long v) {
		ensure(9);
		byte[] o = this.ob;
		int w = this.op;
		if (v < 0) {
			o[w++] = (byte) 0xcf;
			w = put64(o, w, v);
		}
		else if (v < 128) {
			o[w++] = (byte) v;
		}
		else if (v < 256) {
			o[w++] = (byte) 0xcc;
			o[w++] = (byte) v;
		}
		else if (v < 65536) {
			o[w++] = (byte) 0xcd;
			o[w++] = (byte) (v >>> 8);
			o[w++] = (byte) v;
		}
		else if (v < 0x100000000L) {
			o[w++] = (byte) 0xce;
			o[w++] = (byte) (v >>> 24);
			o[w++] = (byte) (v >>> 16);
			o[w++] = (byte) (v >>> 8);
			o[w++] = (byte) v;
		}
		else {
			o[w++] = (byte) 0xcf;
			w = put64(o, w, v);
		}
		this.op = w;
	}

	private void float64(double d) {
		ensure(9);
		this.ob[this.op] = (byte) 0xcb;
		this.op = put64(this.ob, this.op + 1, Double.doubleToRawLongBits(d));
	}

	private static int put64(byte[] o, int w, long v) {
		o[w] = (byte) (v >>> 56);
		o[w + 1] = (byte) (v >>> 48);
		o[w + 2] = (byte) (v >>> 40);
		o[w + 3] = (byte) (v >>> 32);
		o[w + 4] = (byte) (v >>> 24);
		o[w + 5] = (byte) (v >>> 16);
		o[w + 6] = (byte) (v >>> 8);
		o[w + 7] = (byte) v;
		return w + 8;
	}

	/** Exact powers of ten as doubles (10^22 is the largest one a double holds exactly). */
	private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
			1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

	/**
	 * A decimal without exponent of at most 15 significant digits ({@code 12.50}, {@code -0.003}),
	 * written without building a String: its digits as an integer, divided by a power of ten.
	 * Both are exact doubles, so the one IEEE division gives the correctly rounded value, the same
	 * double {@link Double#parseDouble} gives (Clinger's fast path). Anything else returns false
	 * and goes the long way.
	 */
	private boolean fastDecimal(int start, int end) {
		byte[] b = this.in;
		int i = start;
		boolean neg = b[i] == '-';
		if (neg) {
			i++;
		}
		long mantissa = 0;
		int digits = 0;
		int fraction = -1;
		for (; i < end; i++) {
			int c = b[i];
			if (c == '.') {
				fraction = 0;
				continue;
			}
			if (c < '0' || c > '9') {
				return false;
			}
			if (mantissa != 0 || c != '0') {
				digits++;
			}
			mantissa = mantissa * 10 + (c - '0');
			if (fraction >= 0) {
				fraction++;
			}
			if (digits > 15 || fraction > 22) {
				return false;
			}
		}
		double v = (fraction > 0) ? mantissa / POW10[fraction] : mantissa;
		float64(neg ? -v : v);
		return true;
	}

	private static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}
}
