package dev.sluice.parser;

/**
 * The converter as it was before the single-pass rewrite, kept to compare outputs byte for byte
 * ({@link JsonToMsgpackTest}).
 *
 * <p>Converts JSON text straight to msgpack bytes, in one pass, with no intermediate objects: the
 * path Fluent Bit's {@code flb_pack_json} takes. Objects keep their keys in order (duplicates
 * included), strings are unescaped to UTF-8, numbers without {@code .}, {@code e} or {@code E}
 * become integers (above {@code 2^63-1}: unsigned, then floating point), others doubles.
 *
 * <p>For a top-level object the byte offsets of each entry's key and value are recorded so a
 * parser can find and drop its time key without re-reading. Not thread-safe; reusable.
 */
final class JsonToMsgpackReference {

	private static final int MAX_DEPTH = 1000;

	private byte[] in;

	private int pos;

	private int end;

	private MsgpackWriter out;

	/** For a top-level object: entry count and offsets in the output. */
	private int entries;

	private int[] keyStart = new int[32];

	private int[] valueEnd = new int[32];

	private final StringBuilder numberText = new StringBuilder();


	/**
	 * Converts {@code in[off, off+len)} into {@code out} (appending). On {@link JsonToMsgpack.Result#INVALID} the
	 * writer content is undefined.
	 */
	public JsonToMsgpack.Result convert(byte[] in, int off, int len, MsgpackWriter out) {
		this.in = in;
		this.pos = off;
		this.end = off + len;
		this.out = out;
		this.entries = 0;
		try {
			skipWs();
			if (this.pos >= this.end) {
				return JsonToMsgpack.Result.INVALID;
			}
			boolean object = peek() == '{';
			if (object) {
				topObject();
			}
			else {
				value(0);
			}
			skipWs();
			if (this.pos != this.end) {
				return JsonToMsgpack.Result.INVALID;
			}
			return object ? JsonToMsgpack.Result.OBJECT : JsonToMsgpack.Result.NOT_OBJECT;
		}
		catch (Invalid ex) {
			return JsonToMsgpack.Result.INVALID;
		}
		finally {
			this.in = null;
			this.out = null;
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

	/** Whether several top-level JSON values are not accepted. */
	private static final class Invalid extends RuntimeException {

		static final Invalid INSTANCE = new Invalid();

		private Invalid() {
			super(null, null, false, false);
		}
	}

	private static Invalid invalid() {
		return Invalid.INSTANCE;
	}

	private int peek() {
		return (this.pos < this.end) ? (this.in[this.pos] & 0xFF) : -1;
	}

	private void skipWs() {
		while (this.pos < this.end) {
			byte b = this.in[this.pos];
			if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
				this.pos++;
			}
			else {
				break;
			}
		}
	}

	private void topObject() {
		this.pos++; // '{'
		int header = this.out.reserveMapHeader32();
		int n = 0;
		skipWs();
		if (peek() == '}') {
			this.pos++;
		}
		else {
			while (true) {
				skipWs();
				if (peek() != '"') {
					throw invalid();
				}
				if (n == this.keyStart.length) {
					this.keyStart = java.util.Arrays.copyOf(this.keyStart, n * 2);
					this.valueEnd = java.util.Arrays.copyOf(this.valueEnd, n * 2);
				}
				this.keyStart[n] = this.out.size();
				string();
				skipWs();
				if (peek() != ':') {
					throw invalid();
				}
				this.pos++;
				skipWs();
				value(1);
				this.valueEnd[n] = this.out.size();
				n++;
				skipWs();
				int c = peek();
				this.pos++;
				if (c == ',') {
					continue;
				}
				if (c == '}') {
					break;
				}
				throw invalid();
			}
		}
		this.out.patchMapHeader32(header, n);
		this.entries = n;
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
			case 't' -> literal("true", () -> this.out.bool(true));
			case 'f' -> literal("false", () -> this.out.bool(false));
			case 'n' -> literal("null", this.out::nil);
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

	private void literal(String word, Runnable write) {
		if (this.pos + word.length() > this.end) {
			throw invalid();
		}
		for (int i = 0; i < word.length(); i++) {
			if (this.in[this.pos + i] != word.charAt(i)) {
				throw invalid();
			}
		}
		this.pos += word.length();
		write.run();
	}

	private void object(int depth) {
		this.pos++;
		int header = this.out.reserveMapHeader32();
		int n = 0;
		skipWs();
		if (peek() == '}') {
			this.pos++;
		}
		else {
			while (true) {
				skipWs();
				if (peek() != '"') {
					throw invalid();
				}
				string();
				skipWs();
				if (peek() != ':') {
					throw invalid();
				}
				this.pos++;
				skipWs();
				value(depth + 1);
				n++;
				skipWs();
				int c = peek();
				this.pos++;
				if (c == ',') {
					continue;
				}
				if (c == '}') {
					break;
				}
				throw invalid();
			}
		}
		compactHeader(header, n, true);
	}

	private void array(int depth) {
		this.pos++;
		int header = this.out.reserveMapHeader32();
		int n = 0;
		skipWs();
		if (peek() == ']') {
			this.pos++;
		}
		else {
			while (true) {
				skipWs();
				value(depth + 1);
				n++;
				skipWs();
				int c = peek();
				this.pos++;
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
	}

	/** Rewrites a reserved 5-byte header in its smallest form, moving the body back. */
	private void compactHeader(int at, int n, boolean map) {
		byte[] b = this.out.buffer();
		int bodyStart = at + 5;
		int bodyLen = this.out.size() - bodyStart;
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
		truncate(at + hlen + bodyLen);
	}

	private void truncate(int size) {
		this.out.setSize(size);
	}

	private void string() {
		this.pos++; // opening quote
		int start = this.pos;
		// fast path: no escapes
		while (this.pos < this.end) {
			byte b = this.in[this.pos];
			if (b == '"') {
				this.out.str(this.in, start, this.pos - start);
				this.pos++;
				return;
			}
			if (b == '\\') {
				break;
			}
			this.pos++;
		}
		if (this.pos >= this.end) {
			throw invalid();
		}
		// slow path: unescape into a scratch area after the current output
		int headerAt = this.out.reserveMapHeader32();
		int bodyStart = this.out.size();
		this.out.writeRaw(this.in, start, this.pos - start);
		while (true) {
			if (this.pos >= this.end) {
				throw invalid();
			}
			byte b = this.in[this.pos];
			if (b == '"') {
				this.pos++;
				break;
			}
			if (b != '\\') {
				this.out.writeByte(b);
				this.pos++;
				continue;
			}
			if (this.pos + 1 >= this.end) {
				throw invalid();
			}
			byte e = this.in[this.pos + 1];
			this.pos += 2;
			switch (e) {
				case '"' -> this.out.writeByte('"');
				case '\\' -> this.out.writeByte('\\');
				case '/' -> this.out.writeByte('/');
				case 'b' -> this.out.writeByte('\b');
				case 'f' -> this.out.writeByte('\f');
				case 'n' -> this.out.writeByte('\n');
				case 'r' -> this.out.writeByte('\r');
				case 't' -> this.out.writeByte('\t');
				case 'u' -> {
					int cp = hex4();
					if (cp >= 0xD800 && cp <= 0xDBFF && this.pos + 1 < this.end && this.in[this.pos] == '\\'
							&& this.in[this.pos + 1] == 'u') {
						int save = this.pos;
						this.pos += 2;
						int lo = hex4();
						if (lo >= 0xDC00 && lo <= 0xDFFF) {
							cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						}
						else {
							this.pos = save;
						}
					}
					utf8(cp);
				}
				default -> throw invalid();
			}
		}
		int len = this.out.size() - bodyStart;
		// write the real string header in place of the reserved 5 bytes
		byte[] b = this.out.buffer();
		int hlen;
		if (len < 32) {
			b[headerAt] = (byte) (0xa0 | len);
			hlen = 1;
		}
		else if (len < 256) {
			b[headerAt] = (byte) 0xd9;
			b[headerAt + 1] = (byte) len;
			hlen = 2;
		}
		else if (len < 65536) {
			b[headerAt] = (byte) 0xda;
			b[headerAt + 1] = (byte) (len >>> 8);
			b[headerAt + 2] = (byte) len;
			hlen = 3;
		}
		else {
			b[headerAt] = (byte) 0xdb;
			b[headerAt + 1] = (byte) (len >>> 24);
			b[headerAt + 2] = (byte) (len >>> 16);
			b[headerAt + 3] = (byte) (len >>> 8);
			b[headerAt + 4] = (byte) len;
			hlen = 5;
		}
		if (hlen < 5) {
			System.arraycopy(b, bodyStart, b, headerAt + hlen, len);
			this.out.setSize(headerAt + hlen + len);
		}
	}

	private int hex4() {
		if (this.pos + 4 > this.end) {
			throw invalid();
		}
		int v = 0;
		for (int i = 0; i < 4; i++) {
			int c = this.in[this.pos + i];
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
		this.pos += 4;
		return v;
	}

	private void utf8(int cp) {
		if (cp < 0x80) {
			this.out.writeByte(cp);
		}
		else if (cp < 0x800) {
			this.out.writeByte(0xC0 | (cp >> 6));
			this.out.writeByte(0x80 | (cp & 0x3F));
		}
		else if (cp < 0x10000) {
			this.out.writeByte(0xE0 | (cp >> 12));
			this.out.writeByte(0x80 | ((cp >> 6) & 0x3F));
			this.out.writeByte(0x80 | (cp & 0x3F));
		}
		else {
			this.out.writeByte(0xF0 | (cp >> 18));
			this.out.writeByte(0x80 | ((cp >> 12) & 0x3F));
			this.out.writeByte(0x80 | ((cp >> 6) & 0x3F));
			this.out.writeByte(0x80 | (cp & 0x3F));
		}
	}

	private void number() {
		int start = this.pos;
		boolean floating = false;
		if (peek() == '-') {
			this.pos++;
		}
		if (!isDigit(peek())) {
			throw invalid();
		}
		if (peek() == '0' && this.pos + 1 < this.end && isDigit(this.in[this.pos + 1])) {
			throw invalid();
		}
		while (isDigit(peek())) {
			this.pos++;
		}
		if (peek() == '.') {
			floating = true;
			this.pos++;
			if (!isDigit(peek())) {
				throw invalid();
			}
			while (isDigit(peek())) {
				this.pos++;
			}
		}
		if (peek() == 'e' || peek() == 'E') {
			floating = true;
			this.pos++;
			if (peek() == '+' || peek() == '-') {
				this.pos++;
			}
			if (!isDigit(peek())) {
				throw invalid();
			}
			while (isDigit(peek())) {
				this.pos++;
			}
		}
		int len = this.pos - start;
		if (!floating && len <= 18) {
			long v = 0;
			boolean neg = this.in[start] == '-';
			for (int i = neg ? start + 1 : start; i < this.pos; i++) {
				v = v * 10 + (this.in[i] - '0');
			}
			this.out.integer(neg ? -v : v);
			return;
		}
		if (floating && fastDecimal(start, this.pos)) {
			return;
		}
		this.numberText.setLength(0);
		for (int i = start; i < this.pos; i++) {
			this.numberText.append((char) this.in[i]);
		}
		String text = this.numberText.toString();
		if (!floating) {
			java.math.BigInteger b = new java.math.BigInteger(text);
			if (b.bitLength() < 64) {
				this.out.integer(b.longValue());
				return;
			}
			if (b.signum() > 0 && b.bitLength() == 64) {
				this.out.unsigned(b.longValue());
				return;
			}
		}
		this.out.float64(Double.parseDouble(text));
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
		int i = start;
		boolean neg = this.in[i] == '-';
		if (neg) {
			i++;
		}
		long mantissa = 0;
		int digits = 0;
		int fraction = -1;
		for (; i < end; i++) {
			int c = this.in[i];
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
		this.out.float64(neg ? -v : v);
		return true;
	}

	private static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}
}
