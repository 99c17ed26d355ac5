package dev.sluice.parser.time;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sluice.event.EventTime;

/**
 * A fast path for the common time formats ({@code %Y-%m-%dT%H:%M:%S.%L%z} and its relatives):
 * formats made only of literal characters, whitespace and the conversions {@code %Y %m %d %H %M
 * %S %z} (with {@code %L} splitting the format, as {@link TimeFormat} does). It reads text in
 * its canonical shape only (every field with all its digits) and does exactly what
 * {@link Strptime} and {@link TimeFormat} would do for such text, without objects; any other
 * text answers null and goes the general way, which decides. Immutable and thread-safe.
 */
final class FastTime {

	private static final int LIT = 0;

	private static final int SPACE = 1;

	private static final int NUM = 2;

	private static final int ZONE = 3;

	private static final int F_YEAR = 0;

	private static final int F_MON = 1;

	private static final int F_MDAY = 2;

	private static final int F_HOUR = 3;

	private static final int F_MIN = 4;

	private static final int F_SEC = 5;

	/** Tokens of the part before {@code %L} (or the whole format) and after it (or null). */
	private final int[] main;

	private final int[] rest;

	/**
	 * For {@code %Y-%m-%dT%H:%M:%S} followed by nothing, {@code %z} or {@code Z}, or by a separator,
	 * {@code %L} and one of those: straight-line code. {@code isoFraction}: the separator before
	 * {@code %L}, or -1 without; {@code isoZone}: 0 none, 1 {@code %z}, 2 a literal {@code Z}.
	 */
	private final boolean iso;

	private final int isoFraction;

	private final int isoZone;

	private FastTime(int[] main, int[] rest) {
		this.main = main;
		this.rest = rest;
		int[] iso = tokens("%Y-%m-%dT%H:%M:%S".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		boolean isIso = main.length >= iso.length && Arrays.equals(main, 0, iso.length, iso, 0, iso.length);
		int fraction = -1;
		int[] zonePart;
		if (rest != null) {
			// the main part must be exactly the ISO layout plus the separator before %L
			isIso &= main.length == iso.length + 1 && (main[iso.length] >>> 24) == LIT;
			fraction = isIso ? (main[iso.length] & 0xFF) : -1;
			zonePart = rest;
		}
		else {
			zonePart = isIso ? Arrays.copyOfRange(main, iso.length, main.length) : new int[0];
		}
		int zone = -1;
		if (zonePart.length == 0) {
			zone = 0;
		}
		else if (zonePart.length == 1 && zonePart[0] == (ZONE << 24)) {
			zone = 1;
		}
		else if (zonePart.length == 1 && zonePart[0] == ((LIT << 24) | 'Z')) {
			zone = 2;
		}
		this.iso = isIso && zone >= 0;
		this.isoFraction = fraction;
		this.isoZone = zone;
	}

	/** Compiles the format parts (as {@link TimeFormat} splits them); null when not supported. */
	static FastTime compile(byte[] main, byte[] fracRest) {
		int[] m = tokens(main);
		if (m == null) {
			return null;
		}
		int[] r = null;
		if (fracRest != null) {
			r = tokens(fracRest);
			if (r == null) {
				return null;
			}
		}
		return new FastTime(m, r);
	}

	/**
	 * Tokens, each an int: kind in bits 24-31; a literal's byte, or a number's field (bits 16-23),
	 * width (bits 8-15); limits are looked up by field.
	 */
	private static int[] tokens(byte[] fmt) {
		List<Integer> t = new ArrayList<>();
		for (int i = 0; i < fmt.length; i++) {
			int c = fmt[i] & 0xFF;
			if (isSpace(c)) {
				t.add(SPACE << 24);
				continue;
			}
			if (c != '%') {
				if (c == 0 || c >= 0x80) {
					return null;
				}
				t.add((LIT << 24) | c);
				continue;
			}
			if (i + 1 >= fmt.length) {
				return null;
			}
			int conv = fmt[++i];
			switch (conv) {
				case 'Y' -> t.add((NUM << 24) | (F_YEAR << 16) | (4 << 8));
				case 'm' -> t.add((NUM << 24) | (F_MON << 16) | (2 << 8));
				case 'd' -> t.add((NUM << 24) | (F_MDAY << 16) | (2 << 8));
				case 'H' -> t.add((NUM << 24) | (F_HOUR << 16) | (2 << 8));
				case 'M' -> t.add((NUM << 24) | (F_MIN << 16) | (2 << 8));
				case 'S' -> t.add((NUM << 24) | (F_SEC << 16) | (2 << 8));
				case 'z' -> t.add(ZONE << 24);
				default -> {
					return null;
				}
			}
		}
		int[] a = new int[t.size()];
		for (int i = 0; i < a.length; i++) {
			a[i] = t.get(i);
		}
		return a;
	}

	/** Lower and upper bounds of each field as {@code _conv_num} checks them. */
	private static final int[] LOW = { 0, 1, 1, 0, 0, 0 };

	private static final int[] HIGH = { 9999, 12, 31, 23, 59, 60 };

	private static boolean isSpace(int c) {
		return c == ' ' || (c >= '\t' && c <= '\r');
	}

	private static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}

	/**
	 * Parses {@code s[from, to)}; null when the text is not in the canonical shape (the general
	 * path then decides). {@code offset}: the seconds east of UTC when the format has no zone.
	 */
	EventTime parse(byte[] s, int from, int to, long offset, boolean withTz) {
		return this.iso ? iso(s, from, to, offset, withTz) : general(s, from, to, offset, withTz);
	}

	/** Two digits as {@code _conv_num} reads them with bounds {@code [low, high]}; -1 otherwise. */
	private static int two(byte[] s, int p, int low, int high) {
		int a = s[p] - '0';
		int b = s[p + 1] - '0';
		if (a < 0 || a > 9 || b < 0 || b > 9 || a * 10 > high) {
			return -1;
		}
		int v = a * 10 + b;
		return (v < low || v > high) ? -1 : v;
	}

	private EventTime iso(byte[] s, int p, int end, long offset, boolean withTz) {
		if (end - p < 19 || s[p + 4] != '-' || s[p + 7] != '-' || s[p + 10] != 'T' || s[p + 13] != ':'
				|| s[p + 16] != ':') {
			return null;
		}
		int y0 = s[p] - '0';
		int y1 = s[p + 1] - '0';
		int y2 = s[p + 2] - '0';
		int y3 = s[p + 3] - '0';
		if ((y0 | y1 | y2 | y3) < 0 || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9) {
			return null;
		}
		int year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
		int mon = two(s, p + 5, 1, 12);
		int mday = two(s, p + 8, 1, 31);
		int hour = two(s, p + 11, 0, 23);
		int min = two(s, p + 14, 0, 59);
		int sec = two(s, p + 17, 0, 60);
		if ((mon | mday | hour | min | sec) < 0) {
			return null;
		}
		p += 19;
		int nanos = 0;
		if (this.isoFraction >= 0) {
			if (p >= end || (s[p] & 0xFF) != this.isoFraction) {
				return null;
			}
			p++;
			int n = Math.min(9, end - p);
			int d = 0;
			long digits = 0;
			while (d < n && isDigit(s[p + d])) {
				digits = digits * 10 + (s[p + d] - '0');
				d++;
			}
			if (d == 0 || (d < n && (s[p + d] == 'e' || s[p + d] == 'E'))) {
				return null;
			}
			double frac = digits / POW10[d];
			long ns = (long) (frac * 1_000_000_000d);
			nanos = (int) Math.max(0, Math.min(ns, 999_999_999L));
			p += d;
		}
		long gmtoff = 0;
		if (this.isoZone == 1) {
			long z = zone(s, p, end);
			if (z == NO_ZONE) {
				return null;
			}
			gmtoff = z >> 32;
		}
		else if (this.isoZone == 2 && (p >= end || s[p] != 'Z')) {
			return null;
		}
		if (!withTz) {
			gmtoff = offset;
		}
		long days = Strptime.daysFromCivil(year, mon, 1) + (mday - 1L);
		return new EventTime(days * 86400L + hour * 3600L + min * 60L + sec - gmtoff, nanos);
	}

	private static final long NO_ZONE = Long.MIN_VALUE;

	/**
	 * {@code %z} at {@code p} in the shapes the fast path takes: its offset in seconds (high 32
	 * bits) and the position after it (low 32), or {@link #NO_ZONE}.
	 */
	private static long zone(byte[] s, int p, int end) {
		if (p >= end) {
			return NO_ZONE;
		}
		while (p < end && isSpace(s[p] & 0xFF)) {
			p++;
		}
		int c = (p < end) ? s[p] : 0;
		p++;
		if (c == 'Z') {
			return p;
		}
		if (c != '+' && c != '-') {
			return NO_ZONE;
		}
		if (p + 1 >= end || !isDigit(s[p]) || !isDigit(s[p + 1])) {
			return NO_ZONE;
		}
		long offs = ((s[p] - '0') * 10 + (s[p + 1] - '0')) * 3600L;
		p += 2;
		if (p < end && s[p] == ':') {
			p++;
		}
		if (p < end && isDigit(s[p])) {
			offs += (s[p++] - '0') * 600L;
			if (p >= end || !isDigit(s[p])) {
				return NO_ZONE;
			}
			offs += (s[p++] - '0') * 60L;
		}
		return (((c == '-') ? -offs : offs) << 32) | p;
	}

	private EventTime general(byte[] s, int from, int to, long offset, boolean withTz) {
		// C strings end at the first NUL; no need to look for it: a NUL matches no token (not a
		// digit, space, sign or literal), so the text is never read past one
		int end = to;
		// struct tm starts zeroed
		int year = 1900;
		int mon = 0;
		int mday = 0;
		int hour = 0;
		int min = 0;
		int sec = 0;
		long gmtoff = 0;
		int nanos = 0;
		int[] parts = this.main;
		int p = from;
		for (int part = 0; part < 2; part++) {
			if (part == 1) {
				if (this.rest == null) {
					break;
				}
				// %L: up to 9 characters of fraction, as strtod("0.<chars>")
				int n = Math.min(9, end - p);
				int d = 0;
				long digits = 0;
				while (d < n && isDigit(s[p + d])) {
					digits = digits * 10 + (s[p + d] - '0');
					d++;
				}
				if (d == 0 || (d < n && (s[p + d] == 'e' || s[p + d] == 'E'))) {
					return null;
				}
				double frac = digits / POW10[d];
				long ns = (long) (frac * 1_000_000_000d);
				nanos = (int) Math.max(0, Math.min(ns, 999_999_999L));
				p += d;
				parts = this.rest;
				gmtoff = 0; // the second strptime call starts afresh
			}
			for (int tok : parts) {
				switch (tok >>> 24) {
					case SPACE -> {
						while (p < end && isSpace(s[p] & 0xFF)) {
							p++;
						}
					}
					case LIT -> {
						if (p >= end || (s[p] & 0xFF) != (tok & 0xFF)) {
							return null;
						}
						p++;
					}
					case NUM -> {
						int field = (tok >>> 16) & 0xFF;
						int width = (tok >>> 8) & 0xFF;
						int high = HIGH[field];
						if (p + width > end) {
							return null;
						}
						int v = 0;
						for (int i = 0; i < width; i++) {
							int c = s[p + i];
							if (!isDigit(c)) {
								return null;
							}
							// _conv_num goes on to the next digit only while value * 10 <= bound
							if (i > 0 && v * 10 > high) {
								return null;
							}
							v = v * 10 + (c - '0');
						}
						if (v < LOW[field] || v > high) {
							return null;
						}
						p += width;
						switch (field) {
							case F_YEAR -> year = v;
							case F_MON -> mon = v - 1;
							case F_MDAY -> mday = v;
							case F_HOUR -> hour = v;
							case F_MIN -> min = v;
							default -> sec = v;
						}
					}
					default -> {
						// %z: 'Z', or +hh, +hhmm, +hh:mm (after optional whitespace)
						long z = zone(s, p, end);
						if (z == NO_ZONE) {
							return null;
						}
						gmtoff = z >> 32;
						p = (int) z;
					}
				}
			}
		}
		if (!withTz) {
			gmtoff = offset;
		}
		long days = Strptime.daysFromCivil(year, mon + 1, 1) + (mday - 1L);
		long seconds = days * 86400L + hour * 3600L + min * 60L + sec - gmtoff;
		return new EventTime(seconds, nanos);
	}

	private static final double[] POW10 = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
}
