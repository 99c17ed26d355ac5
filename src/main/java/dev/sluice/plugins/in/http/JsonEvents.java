package dev.sluice.plugins.in.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.plugins.in.dummy.JsonToMsgpack;

/**
 * The {@code http} input's fast path for a JSON body: reads the body once and writes the v2
 * events ({@code [[time, {}], record]} each) straight into one byte array, with no tree of
 * objects in between. It accepts exactly the bodies {@link HttpPayload#json} accepts (an object,
 * an array of objects, objects one after the other; after a top-level array the rest must still
 * be JSON and is ignored) and writes byte for byte what {@link HttpPayload#records} writes for
 * them (the {@code dummy} input's {@link JsonToMsgpack} rules: keys in order with duplicates,
 * strings unescaped to UTF-8 and other bytes copied, Fluent Bit's number rules, msgpack's
 * smallest headers). Any error is a {@link HttpPayload.BadRequest} and nothing is kept: a request
 * stays all-or-nothing.
 *
 * <p>Not for {@code tag_key} or {@code add_remote_addr}: those go through the tree.
 */
final class JsonEvents {

	private static final int MAX_DEPTH = 1000;

	/** Exact powers of ten (all below 2^53): the fast decimal path divides by one. */
	private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
			1e14, 1e15 };

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	private static final long QUOTES = 0x2222222222222222L;

	private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;

	/** Any syntax error or unexpected end: the request is a 400. */
	private static final class Invalid extends RuntimeException {

		static final Invalid INSTANCE = new Invalid();

		private Invalid() {
			super("invalid JSON", null, false, false);
		}
	}

	private final byte[] in;

	private int pos;

	private final int end;

	private final byte[] header;

	private byte[] out;

	private int size;

	private int records;

	private JsonEvents(byte[] in, int off, int end, byte[] header, byte[] out) {
		this.in = in;
		this.pos = off;
		this.end = end;
		this.header = header;
		this.out = out;
	}

	/**
	 * The events of the JSON body {@code in[off, end)}, each starting with {@code header} (the
	 * encoded {@code [[time, metadata],} of the request). They are written into an array from
	 * {@code pool} and handed on in an array of their own, of their exact size.
	 */
	static EventBytes encode(byte[] in, int off, int end, byte[] header, dev.sluice.event.ByteArrayPool pool) throws HttpPayload.BadRequest {
		int len = end - off;
		JsonEvents e = new JsonEvents(in, off, end, header, pool.take(len + (len >>> 3) + 256));
		try {
			e.body();
			return new EventBytes(Arrays.copyOf(e.out, e.size), 0, e.size, e.records);
		}
		catch (Invalid ex) {
			throw new HttpPayload.BadRequest(HttpPayload.UNABLE);
		}
		finally {
			pool.give(e.out);
		}
	}

	/**
	 * What {@code EventEncoder.beginEvent(time, Map.of())} writes: {@code [[time, {}],} as
	 * {@code 0x92 0x92}, the EventTime extension ({@code fixext 8}, type 0) and an empty map.
	 */
	static byte[] header(EventTime time) {
		byte[] h = new byte[13];
		h[0] = (byte) 0x92;
		h[1] = (byte) 0x92;
		h[2] = (byte) 0xd7;
		h[3] = 0;
		long s = time.seconds();
		int ns = time.nanos();
		h[4] = (byte) (s >>> 24);
		h[5] = (byte) (s >>> 16);
		h[6] = (byte) (s >>> 8);
		h[7] = (byte) s;
		h[8] = (byte) (ns >>> 24);
		h[9] = (byte) (ns >>> 16);
		h[10] = (byte) (ns >>> 8);
		h[11] = (byte) ns;
		h[12] = (byte) 0x80;
		return h;
	}

	// ---- structure

	private void body() throws HttpPayload.BadRequest {
		int p = JsonToMsgpack.skipWs(this.in, this.pos, this.end);
		if (p >= this.end) {
			throw invalid();
		}
		while (p < this.end) {
			this.pos = p;
			int c = this.in[p];
			if (c == '{') {
				record(0);
			}
			else if (c == '[') {
				topArray();
				// Fluent Bit stops after a top-level array, but the rest must still be JSON
				int q = JsonToMsgpack.skipWs(this.in, this.pos, this.end);
				if (q < this.end) {
					HttpPayload.checkRest(this.in, q, this.end);
				}
				return;
			}
			else {
				// a top-level string, number or literal (valid or not) is refused
				throw invalid();
			}
			p = JsonToMsgpack.skipWs(this.in, this.pos, this.end);
		}
	}

	/** A top-level array: every element must be an object (a record). */
	private void topArray() {
		this.pos++;
		ws();
		if (peek() == ']') {
			this.pos++;
			return;
		}
		while (true) {
			ws();
			if (peek() != '{') {
				throw invalid();
			}
			record(1);
			ws();
			int c = peek();
			this.pos++;
			if (c == ']') {
				return;
			}
			if (c != ',') {
				throw invalid();
			}
		}
	}

	private void record(int depth) {
		int n = this.header.length;
		ensure(n + 1);
		System.arraycopy(this.header, 0, this.out, this.size, n);
		this.size += n;
		object(depth);
		this.records++;
	}

	private void value(int depth) {
		if (depth > MAX_DEPTH) {
			throw invalid();
		}
		int c = peek();
		switch (c) {
			case '{' -> object(depth);
			case '[' -> array(depth);
			case '"' -> string();
			case 't' -> literal('t', 'r', 'u', 'e', 0xc3);
			case 'f' -> falseLiteral();
			case 'n' -> literal('n', 'u', 'l', 'l', 0xc0);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					number();
				}
				else {
					throw invalid();
				}
			}
		}
	}

	private void object(int depth) {
		if (depth > MAX_DEPTH) {
			throw invalid();
		}
		this.pos++;
		ensure(1);
		int h = this.size++;
		int n = 0;
		ws();
		if (peek() == '}') {
			this.pos++;
			this.out[h] = (byte) 0x80;
			return;
		}
		while (true) {
			ws();
			if (peek() != '"') {
				throw invalid();
			}
			string();
			ws();
			if (peek() != ':') {
				throw invalid();
			}
			this.pos++;
			ws();
			value(depth + 1);
			n++;
			ws();
			int c = peek();
			this.pos++;
			if (c == '}') {
				break;
			}
			if (c != ',') {
				throw invalid();
			}
		}
		containerHeader(h, n, 0x80, 0xde);
	}

	private void array(int depth) {
		this.pos++;
		ensure(1);
		int h = this.size++;
		int n = 0;
		ws();
		if (peek() == ']') {
			this.pos++;
			this.out[h] = (byte) 0x90;
			return;
		}
		while (true) {
			ws();
			value(depth + 1);
			n++;
			ws();
			int c = peek();
			this.pos++;
			if (c == ']') {
				break;
			}
			if (c != ',') {
				throw invalid();
			}
		}
		containerHeader(h, n, 0x90, 0xdc);
	}

	/**
	 * Fills the one byte reserved at {@code h} for a map or array of {@code n} entries, moving the
	 * entries up when msgpack needs a longer header ({@code x16} and {@code x16 + 1} are the 16- and
	 * 32-bit forms).
	 */
	private void containerHeader(int h, int n, int fix, int x16) {
		if (n < 16) {
			this.out[h] = (byte) (fix | n);
		}
		else if (n < 65536) {
			shiftUp(h + 1, 2);
			this.out[h] = (byte) x16;
			this.out[h + 1] = (byte) (n >>> 8);
			this.out[h + 2] = (byte) n;
		}
		else {
			shiftUp(h + 1, 4);
			this.out[h] = (byte) (x16 + 1);
			putInt(h + 1, n);
		}
	}

	/** Moves {@code out[from, size)} up by {@code by} bytes. */
	private void shiftUp(int from, int by) {
		ensure(by);
		System.arraycopy(this.out, from, this.out, from + by, this.size - from);
		this.size += by;
	}

	private void literal(char c0, char c1, char c2, char c3, int code) {
		byte[] b = this.in;
		int p = this.pos;
		if (p + 4 > this.end || b[p] != c0 || b[p + 1] != c1 || b[p + 2] != c2 || b[p + 3] != c3) {
			throw invalid();
		}
		this.pos = p + 4;
		ensure(1);
		this.out[this.size++] = (byte) code;
	}

	private void falseLiteral() {
		byte[] b = this.in;
		int p = this.pos;
		if (p + 5 > this.end || b[p + 1] != 'a' || b[p + 2] != 'l' || b[p + 3] != 's' || b[p + 4] != 'e') {
			throw invalid();
		}
		this.pos = p + 5;
		ensure(1);
		this.out[this.size++] = (byte) 0xc2;
	}

	// ---- strings

	private void string() {
		byte[] b = this.in;
		int start = this.pos + 1;
		int p = start;
		int e = this.end;
		// eight bytes at a time: the first '"' or '\\' of a word is its lowest flagged byte
		while (p + 8 <= e) {
			long w = (long) LONG.get(b, p);
			long q = w ^ QUOTES;
			long s = w ^ BACKSLASHES;
			long hit = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS;
			if (hit != 0) {
				p += Long.numberOfTrailingZeros(hit) >>> 3;
				break;
			}
			p += 8;
		}
		while (p < e) {
			byte c = b[p];
			if (c == '"' || c == '\\') {
				break;
			}
			p++;
		}
		if (p >= e) {
			throw invalid();
		}
		if (b[p] == '"') {
			int len = p - start;
			ensure(len + 5);
			strHeader(len);
			System.arraycopy(b, start, this.out, this.size, len);
			this.size += len;
			this.pos = p + 1;
			return;
		}
		escapedString(start, p);
	}

	private void strHeader(int len) {
		byte[] o = this.out;
		int s = this.size;
		if (len < 32) {
			o[s] = (byte) (0xa0 | len);
			this.size = s + 1;
		}
		else if (len < 256) {
			o[s] = (byte) 0xd9;
			o[s + 1] = (byte) len;
			this.size = s + 2;
		}
		else if (len < 65536) {
			o[s] = (byte) 0xda;
			o[s + 1] = (byte) (len >>> 8);
			o[s + 2] = (byte) len;
			this.size = s + 3;
		}
		else {
			o[s] = (byte) 0xdb;
			putInt(s + 1, len);
			this.size = s + 5;
		}
	}

	/** A string with escapes: unescaped after a one-byte header, which grows once the length is known. */
	private void escapedString(int start, int p) {
		byte[] b = this.in;
		ensure(1 + (p - start));
		int h = this.size++;
		System.arraycopy(b, start, this.out, this.size, p - start);
		this.size += p - start;
		while (true) {
			if (p >= this.end) {
				throw invalid();
			}
			int c = b[p] & 0xff;
			if (c == '"') {
				this.pos = p + 1;
				break;
			}
			if (c != '\\') {
				put(c);
				p++;
				continue;
			}
			if (p + 1 >= this.end) {
				throw invalid();
			}
			int x = b[p + 1] & 0xff;
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
					if (cp >= 0xd800 && cp <= 0xdbff && p + 6 <= this.end && b[p] == '\\' && b[p + 1] == 'u') {
						int lo = hex4(p + 2);
						if (lo >= 0xdc00 && lo <= 0xdfff) {
							cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
							p += 6;
						}
					}
					utf8(cp);
				}
				default -> throw invalid();
			}
		}
		int len = this.size - h - 1;
		if (len < 32) {
			this.out[h] = (byte) (0xa0 | len);
		}
		else if (len < 256) {
			shiftUp(h + 1, 1);
			this.out[h] = (byte) 0xd9;
			this.out[h + 1] = (byte) len;
		}
		else if (len < 65536) {
			shiftUp(h + 1, 2);
			this.out[h] = (byte) 0xda;
			this.out[h + 1] = (byte) (len >>> 8);
			this.out[h + 2] = (byte) len;
		}
		else {
			shiftUp(h + 1, 4);
			this.out[h] = (byte) 0xdb;
			putInt(h + 1, len);
		}
	}

	private int hex4(int p) {
		if (p + 4 > this.end) {
			throw invalid();
		}
		int v = 0;
		for (int i = 0; i < 4; i++) {
			int d = Character.digit(this.in[p + i], 16);
			if (d < 0) {
				throw invalid();
			}
			v = (v << 4) | d;
		}
		return v;
	}

	private void utf8(int cp) {
		if (cp < 0x80) {
			put(cp);
		}
		else if (cp < 0x800) {
			put(0xc0 | (cp >> 6));
			put(0x80 | (cp & 0x3f));
		}
		else if (cp < 0x10000) {
			put(0xe0 | (cp >> 12));
			put(0x80 | ((cp >> 6) & 0x3f));
			put(0x80 | (cp & 0x3f));
		}
		else {
			put(0xf0 | (cp >> 18));
			put(0x80 | ((cp >> 12) & 0x3f));
			put(0x80 | ((cp >> 6) & 0x3f));
			put(0x80 | (cp & 0x3f));
		}
	}

	// ---- numbers

	/**
	 * A number, with {@link JsonToMsgpack}'s rules: a {@code .} or an exponent with a sign makes
	 * a double; anything else is the integer of the leading digits (64-bit, then unsigned 64-bit,
	 * then a double).
	 */
	private void number() {
		byte[] b = this.in;
		int e = this.end;
		int start = this.pos;
		int p = start;
		boolean neg = false;
		if (b[p] == '-') {
			neg = true;
			p++;
		}
		int ds = p;
		long v = 0;
		while (p < e) {
			int d = b[p] - '0';
			if (d < 0 || d > 9) {
				break;
			}
			v = v * 10 + d;
			p++;
		}
		int nd = p - ds;
		if (nd == 0) {
			throw invalid();
		}
		int nf = 0;
		boolean dot = false;
		if (p < e && b[p] == '.') {
			dot = true;
			p++;
			int f = p;
			while (p < e) {
				int d = b[p] - '0';
				if (d < 0 || d > 9) {
					break;
				}
				v = v * 10 + d;
				p++;
			}
			nf = p - f;
			if (nf == 0) {
				throw invalid();
			}
		}
		boolean exp = false;
		boolean expSign = false;
		if (p < e && (b[p] == 'e' || b[p] == 'E')) {
			exp = true;
			p++;
			if (p < e && (b[p] == '+' || b[p] == '-')) {
				expSign = true;
				p++;
			}
			int x = p;
			while (p < e && b[p] >= '0' && b[p] <= '9') {
				p++;
			}
			if (p == x) {
				throw invalid();
			}
		}
		// a number must be followed by something (its container's delimiter, checked there)
		if (p >= e) {
			throw invalid();
		}
		this.pos = p;
		ensure(9);
		if (dot || expSign) {
			double d;
			if (!exp && nd + nf <= 15) {
				// both exactly representable: one correctly rounded division is Double.parseDouble's result
				d = v / POW10[nf];
				if (neg) {
					d = -d;
				}
			}
			else {
				d = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
			}
			putDouble(d);
			return;
		}
		if (nd <= 18) {
			putLong(neg ? -v : v);
			return;
		}
		// the leading digits, as strtoll / strtoull would read them
		String digits = new String(b, start, ds + nd - start, StandardCharsets.ISO_8859_1);
		BigInteger big = new BigInteger(digits);
		if (big.bitLength() <= 63) {
			putLong(big.longValue());
		}
		else if (big.signum() > 0 && big.bitLength() <= 64) {
			this.out[this.size++] = (byte) 0xcf;
			putLongBits(big.longValue());
		}
		else {
			putDouble(Double.parseDouble(digits));
		}
	}

	/** msgpack-java's {@code packLong}: the smallest encoding. Room for 9 bytes is ensured. */
	private void putLong(long v) {
		byte[] o = this.out;
		int s = this.size;
		if (v < -(1L << 5)) {
			if (v < -(1L << 15)) {
				if (v < -(1L << 31)) {
					o[s] = (byte) 0xd3;
					this.size = s + 1;
					putLongBits(v);
				}
				else {
					o[s] = (byte) 0xd2;
					putInt(s + 1, (int) v);
					this.size = s + 5;
				}
			}
			else if (v < -(1 << 7)) {
				o[s] = (byte) 0xd1;
				o[s + 1] = (byte) (v >>> 8);
				o[s + 2] = (byte) v;
				this.size = s + 3;
			}
			else {
				o[s] = (byte) 0xd0;
				o[s + 1] = (byte) v;
				this.size = s + 2;
			}
		}
		else if (v < (1 << 7)) {
			o[s] = (byte) v;
			this.size = s + 1;
		}
		else if (v < (1L << 16)) {
			if (v < (1 << 8)) {
				o[s] = (byte) 0xcc;
				o[s + 1] = (byte) v;
				this.size = s + 2;
			}
			else {
				o[s] = (byte) 0xcd;
				o[s + 1] = (byte) (v >>> 8);
				o[s + 2] = (byte) v;
				this.size = s + 3;
			}
		}
		else if (v < (1L << 32)) {
			o[s] = (byte) 0xce;
			putInt(s + 1, (int) v);
			this.size = s + 5;
		}
		else {
			o[s] = (byte) 0xcf;
			this.size = s + 1;
			putLongBits(v);
		}
	}

	private void putDouble(double d) {
		this.out[this.size++] = (byte) 0xcb;
		putLongBits(Double.doubleToRawLongBits(d));
	}

	private void putLongBits(long v) {
		putInt(this.size, (int) (v >>> 32));
		putInt(this.size + 4, (int) v);
		this.size += 8;
	}

	private void putInt(int at, int v) {
		byte[] o = this.out;
		o[at] = (byte) (v >>> 24);
		o[at + 1] = (byte) (v >>> 16);
		o[at + 2] = (byte) (v >>> 8);
		o[at + 3] = (byte) v;
	}

	// ---- bytes

	private void put(int c) {
		ensure(1);
		this.out[this.size++] = (byte) c;
	}

	private void ensure(int n) {
		if (this.size + n > this.out.length) {
			this.out = Arrays.copyOf(this.out, Math.max(this.out.length * 2, this.size + n));
		}
	}

	private int peek() {
		if (this.pos >= this.end) {
			throw invalid();
		}
		return this.in[this.pos] & 0xff;
	}

	private void ws() {
		byte[] b = this.in;
		int p = this.pos;
		int e = this.end;
		while (p < e) {
			byte c = b[p];
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				break;
			}
			p++;
		}
		this.pos = p;
	}

	private static Invalid invalid() {
		return Invalid.INSTANCE;
	}
}
