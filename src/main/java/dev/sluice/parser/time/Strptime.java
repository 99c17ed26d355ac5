package dev.sluice.parser.time;

/**
 * Fluent Bit's {@code flb_strptime}: the OpenBSD strptime with Fluent Bit's additions (a table of
 * named zones for {@code %Z}, ISO and RFC 822 forms for {@code %z}, {@code %s}), in the C locale.
 * Behaviour kept from the C code: whitespace in the format matches any run of whitespace (also
 * none); conversions fail when the input ends; numbers read at most as many digits as the upper
 * bound allows; trailing input is not an error (the end position is returned).
 */
public final class Strptime {

	/** C's {@code struct tm} plus the offset Fluent Bit keeps beside it. */
	public static final class Tm {

		public int sec;

		public int min;

		public int hour;

		public int mday;

		public int mon;

		/** Years since 1900. */
		public int year;

		public int wday;

		public int yday;

		public int isdst;

		/** Seconds east of UTC. */
		public long gmtoff;

		public Tm copy() {
			Tm t = new Tm();
			t.sec = this.sec;
			t.min = this.min;
			t.hour = this.hour;
			t.mday = this.mday;
			t.mon = this.mon;
			t.year = this.year;
			t.wday = this.wday;
			t.yday = this.yday;
			t.isdst = this.isdst;
			t.gmtoff = this.gmtoff;
			return t;
		}
	}

	private static final int TM_YEAR_BASE = 1900;

	private static final int FIELD_TM_MON = 1;

	private static final int FIELD_TM_MDAY = 1 << 1;

	private static final int FIELD_TM_WDAY = 1 << 2;

	private static final int FIELD_TM_YDAY = 1 << 3;

	private static final int FIELD_TM_YEAR = 1 << 4;

	private static final String[] DAY = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };

	private static final String[] ABDAY = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

	private static final String[] MON = { "January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December" };

	private static final String[] ABMON = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
			"Nov", "Dec" };

	private static final String[] NAST = { "EST", "CST", "MST", "PST" };

	private static final String[] NADT = { "EDT", "CDT", "MDT", "PDT" };

	private static final int H = 3600;

	private static final byte[] F_T = "%H:%M:%S".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private static final byte[] F_r = "%I:%M:%S %p".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private static final byte[] F_R = "%H:%M".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private static final byte[] F_F = "%Y-%m-%d".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private static final byte[] F_D = "%m/%d/%y".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private static final byte[] F_C = "%a %b %e %H:%M:%S %Y".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	/** Fluent Bit's {@code flb_known_timezones}, in its order. */
	private static final Object[][] KNOWN_ZONES = { { "GMT", 0, 0 }, { "UTC", 0, 0 }, { "Z", 0, 0 }, { "UT", 0, 0 },
			{ "EST", -5 * H, 0 }, { "EDT", -4 * H, 1 }, { "CST", -6 * H, 0 }, { "CDT", -5 * H, 1 },
			{ "MST", -7 * H, 0 }, { "MDT", -6 * H, 1 }, { "PST", -8 * H, 0 }, { "PDT", -7 * H, 1 },
			{ "AKST", -9 * H, 0 }, { "AKDT", -8 * H, 1 }, { "HST", -10 * H, 0 }, { "HADT", -9 * H, 1 },
			{ "AST", -4 * H, 0 }, { "ADT", -3 * H, 1 }, { "NST", (int) (-3.5 * H), 0 }, { "NDT", (int) (-2.5 * H), 1 },
			{ "WET", 0, 0 }, { "WEST", H, 1 }, { "CET", H, 0 }, { "CEST", 2 * H, 1 }, { "EET", 2 * H, 0 },
			{ "EEST", 3 * H, 1 }, { "MSK", 3 * H, 0 }, { "ART", -3 * H, 0 }, { "BRT", -3 * H, 0 },
			{ "BRST", -2 * H, 1 }, { "CLT", -4 * H, 0 }, { "CLST", -3 * H, 1 }, { "AEST", 10 * H, 0 },
			{ "AEDT", 11 * H, 1 }, { "ACST", (int) (9.5 * H), 0 }, { "ACDT", (int) (10.5 * H), 1 },
			{ "AWST", 8 * H, 0 }, { "NZST", 12 * H, 0 }, { "NZDT", 13 * H, 1 }, { "JST", 9 * H, 0 },
			{ "KST", 9 * H, 0 }, { "SGT", 8 * H, 0 }, { "IST", (int) (5.5 * H), 0 }, { "GST", 4 * H, 0 },
			{ "ICT", 7 * H, 0 }, { "WIB", 7 * H, 0 }, { "WITA", 8 * H, 0 }, { "WIT", 9 * H, 0 },
			{ "MYT", 8 * H, 0 }, { "BDT", 6 * H, 0 }, { "NPT", (int) (5.75 * H), 0 }, { "WAT", H, 0 },
			{ "CAT", 2 * H, 0 }, { "EAT", 3 * H, 0 }, { "SAST", 2 * H, 0 }, { "A", H, 0 }, { "B", 2 * H, 0 },
			{ "C", 3 * H, 0 }, { "D", 4 * H, 0 }, { "E", 5 * H, 0 }, { "F", 6 * H, 0 }, { "G", 7 * H, 0 },
			{ "H", 8 * H, 0 }, { "I", 9 * H, 0 }, { "K", 10 * H, 0 }, { "L", 11 * H, 0 }, { "M", 12 * H, 0 },
			{ "N", -H, 0 }, { "O", -2 * H, 0 }, { "P", -3 * H, 0 }, { "Q", -4 * H, 0 }, { "R", -5 * H, 0 },
			{ "S", -6 * H, 0 }, { "T", -7 * H, 0 }, { "U", -8 * H, 0 }, { "V", -9 * H, 0 }, { "W", -10 * H, 0 },
			{ "X", -11 * H, 0 }, { "Y", -12 * H, 0 } };

	private static final int[][] MON_LENGTHS = { { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 },
			{ 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 } };

	private int century;

	private int relyear;

	private int fields;

	private final byte[] s;

	private final int end;

	private Strptime(byte[] s, int end) {
		this.s = s;
		this.end = end;
	}

	/**
	 * Parses {@code s[pos, end)} with {@code fmt} into {@code tm} (initialising the offset and
	 * state, as {@code flb_strptime}). Returns the position after the parsed input, or -1.
	 */
	public static int parse(byte[] s, int pos, int end, byte[] fmt, Tm tm) {
		return new Strptime(s, end).run(pos, fmt, tm, true);
	}

	private int at(int p) {
		return (p < this.end) ? (this.s[p] & 0xFF) : 0;
	}

	private static boolean isSpace(int c) {
		return c == ' ' || (c >= '\t' && c <= '\r');
	}

	private static boolean isDigit(int c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isAlnum(int c) {
		return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	private boolean startsWithIgnoreCase(int p, String word) {
		if (p + word.length() > this.end) {
			return false;
		}
		for (int i = 0; i < word.length(); i++) {
			int c = this.s[p + i] & 0xFF;
			if (Character.toLowerCase(c) != Character.toLowerCase(word.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private boolean startsWith(int p, String word) {
		if (p + word.length() > this.end) {
			return false;
		}
		for (int i = 0; i < word.length(); i++) {
			if ((this.s[p + i] & 0xFF) != word.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/** Number conversion state: value and new position. */
	private long num;

	/** {@code _conv_num}: returns the new position or -1. */
	private int convNum(int p, long llim, long ulim) {
		if (!isDigit(at(p))) {
			return -1;
		}
		long result = 0;
		long rulim = ulim;
		do {
			if (result > 922337203685477580L) {
				return -1;
			}
			result *= 10;
			result += at(p++) - '0';
			rulim /= 10;
			if (ulim == Long.MAX_VALUE && result >= 922337203685477580L) {
				return -1;
			}
		}
		while ((result * 10 <= ulim) && rulim != 0 && isDigit(at(p)));
		if (result < llim || result > ulim) {
			return -1;
		}
		this.num = result;
		return p;
	}

	private int run(int bp, byte[] fmt, Tm tm, boolean initialize) {
		if (initialize) {
			this.century = TM_YEAR_BASE;
			this.relyear = -1;
			this.fields = 0;
			tm.gmtoff = 0;
			tm.isdst = -1;
		}
		int fi = 0;
		int flen = fmt.length;
		while (fi < flen) {
			char c = (char) (fmt[fi] & 0xFF);
			if (isSpace(c)) {
				while (isSpace(at(bp))) {
					bp++;
				}
				fi++;
				continue;
			}
			if (bp >= this.end) {
				return -1;
			}
			fi++;
			if (c != '%') {
				if (c != at(bp++)) {
					return -1;
				}
				continue;
			}
			if (fi >= flen) {
				return -1;
			}
			char conv = (char) (fmt[fi++] & 0xFF);
			// alternative modifiers are accepted and ignored
			while ((conv == 'E' || conv == 'O') && fi < flen) {
				conv = (char) (fmt[fi++] & 0xFF);
			}
			switch (conv) {
				case '%' -> {
					if ('%' != at(bp++)) {
						return -1;
					}
				}
				case 'c' -> {
					bp = run(bp, F_C, tm, false);
				}
				case 'D', 'x' -> bp = run(bp, F_D, tm, false);
				case 'F' -> bp = run(bp, F_F, tm, false);
				case 'R' -> bp = run(bp, F_R, tm, false);
				case 'r' -> bp = run(bp, F_r, tm, false);
				case 'T', 'X' -> bp = run(bp, F_T, tm, false);
				case 'A', 'a' -> {
					int i;
					int len = 0;
					for (i = 0; i < 7; i++) {
						if (startsWithIgnoreCase(bp, DAY[i])) {
							len = DAY[i].length();
							break;
						}
						if (startsWithIgnoreCase(bp, ABDAY[i])) {
							len = ABDAY[i].length();
							break;
						}
					}
					if (i == 7) {
						return -1;
					}
					tm.wday = i;
					bp += len;
					this.fields |= FIELD_TM_WDAY;
				}
				case 'B', 'b', 'h' -> {
					int i;
					int len = 0;
					for (i = 0; i < 12; i++) {
						if (startsWithIgnoreCase(bp, MON[i])) {
							len = MON[i].length();
							break;
						}
						if (startsWithIgnoreCase(bp, ABMON[i])) {
							len = ABMON[i].length();
							break;
						}
					}
					if (i == 12) {
						return -1;
					}
					tm.mon = i;
					bp += len;
					this.fields |= FIELD_TM_MON;
				}
				case 'C' -> {
					bp = convNum(bp, 0, 99);
					if (bp >= 0) {
						this.century = (int) this.num * 100;
					}
				}
				case 'e', 'd' -> {
					if (conv == 'e' && isSpace(at(bp))) {
						bp++;
					}
					bp = convNum(bp, 1, 31);
					if (bp >= 0) {
						tm.mday = (int) this.num;
						this.fields |= FIELD_TM_MDAY;
					}
				}
				case 'k', 'H' -> {
					bp = convNum(bp, 0, 23);
					if (bp >= 0) {
						tm.hour = (int) this.num;
					}
				}
				case 'l', 'I' -> {
					bp = convNum(bp, 1, 12);
					if (bp >= 0) {
						tm.hour = (int) this.num;
					}
				}
				case 'j' -> {
					bp = convNum(bp, 1, 366);
					if (bp >= 0) {
						tm.yday = (int) this.num - 1;
						this.fields |= FIELD_TM_YDAY;
					}
				}
				case 'M' -> {
					bp = convNum(bp, 0, 59);
					if (bp >= 0) {
						tm.min = (int) this.num;
					}
				}
				case 'm' -> {
					bp = convNum(bp, 1, 12);
					if (bp >= 0) {
						tm.mon = (int) this.num - 1;
						this.fields |= FIELD_TM_MON;
					}
				}
				case 'p' -> {
					if (startsWithIgnoreCase(bp, "AM")) {
						if (tm.hour > 12) {
							return -1;
						}
						if (tm.hour == 12) {
							tm.hour = 0;
						}
						bp += 2;
					}
					else if (startsWithIgnoreCase(bp, "PM")) {
						if (tm.hour > 12) {
							return -1;
						}
						if (tm.hour < 12) {
							tm.hour += 12;
						}
						bp += 2;
					}
					else {
						return -1;
					}
				}
				case 'S' -> {
					bp = convNum(bp, 0, 60);
					if (bp >= 0) {
						tm.sec = (int) this.num;
					}
				}
				case 's' -> {
					bp = convNum(bp, 0, Long.MAX_VALUE);
					if (bp >= 0) {
						gmtime(this.num, tm);
						tm.gmtoff = 0;
						tm.isdst = 0;
						this.fields = 0xffff;
					}
				}
				case 'U', 'W', 'V' -> bp = convNum(bp, 0, 53);
				case 'w' -> {
					bp = convNum(bp, 0, 6);
					if (bp >= 0) {
						tm.wday = (int) this.num;
						this.fields |= FIELD_TM_WDAY;
					}
				}
				case 'u' -> {
					bp = convNum(bp, 1, 7);
					if (bp >= 0) {
						tm.wday = (int) (this.num % 7);
						this.fields |= FIELD_TM_WDAY;
					}
				}
				case 'g' -> bp = convNum(bp, 0, 99);
				case 'G' -> {
					do {
						bp++;
					}
					while (isDigit(at(bp)));
				}
				case 'Y' -> {
					bp = convNum(bp, 0, 9999);
					if (bp >= 0) {
						this.relyear = -1;
						tm.year = (int) this.num - TM_YEAR_BASE;
						this.fields |= FIELD_TM_YEAR;
					}
				}
				case 'y' -> {
					bp = convNum(bp, 0, 99);
					if (bp >= 0) {
						this.relyear = (int) this.num;
					}
				}
				case 'Z' -> bp = zoneName(bp, tm);
				case 'z' -> bp = zoneOffset(bp, tm);
				case 'n', 't' -> {
					while (isSpace(at(bp))) {
						bp++;
					}
				}
				default -> {
					return -1;
				}
			}
			if (bp < 0) {
				return -1;
			}
		}
		if (this.relyear != -1) {
			if (this.century == TM_YEAR_BASE) {
				tm.year = (this.relyear <= 68) ? this.relyear + 2000 - TM_YEAR_BASE : this.relyear + 1900 - TM_YEAR_BASE;
			}
			else {
				tm.year = this.relyear + this.century - TM_YEAR_BASE;
			}
			this.fields |= FIELD_TM_YEAR;
		}
		if ((this.fields & FIELD_TM_YEAR) != 0) {
			int year = tm.year + TM_YEAR_BASE;
			int[] monLens = MON_LENGTHS[isLeap(year) ? 1 : 0];
			if ((this.fields & FIELD_TM_YDAY) == 0 && (this.fields & FIELD_TM_MON) != 0
					&& (this.fields & FIELD_TM_MDAY) != 0) {
				tm.yday = tm.mday - 1;
				for (int i = 0; i < tm.mon && i < 12; i++) {
					tm.yday += monLens[i];
				}
				this.fields |= FIELD_TM_YDAY;
			}
			if ((this.fields & FIELD_TM_YDAY) != 0) {
				int days = tm.yday;
				if ((this.fields & FIELD_TM_WDAY) == 0) {
					long w = 4 + ((long) (year - 1970) % 7) * (365 % 7) + leapsThruEndOf(year - 1) - leapsThruEndOf(1969)
							+ tm.yday;
					w %= 7;
					if (w < 0) {
						w += 7;
					}
					tm.wday = (int) w;
				}
				if ((this.fields & FIELD_TM_MON) == 0) {
					tm.mon = 0;
					while (tm.mon < 12 && days >= monLens[tm.mon]) {
						days -= monLens[tm.mon++];
					}
				}
				if ((this.fields & FIELD_TM_MDAY) == 0) {
					tm.mday = days + 1;
				}
			}
		}
		return bp;
	}

	private int zoneName(int bp, Tm tm) {
		for (Object[] z : KNOWN_ZONES) {
			String abbr = (String) z[0];
			if (startsWithIgnoreCase(bp, abbr) && !isAlnum(at(bp + abbr.length()))) {
				tm.isdst = (Integer) z[2];
				tm.gmtoff = (Integer) z[1];
				return bp + abbr.length();
			}
		}
		if (startsWith(bp, "GMT") || startsWith(bp, "UTC")) {
			tm.isdst = 0;
			tm.gmtoff = 0;
			return bp + 3;
		}
		// the system's tzname fallback: a host in UTC knows only UTC/GMT, handled above
		return -1;
	}

	private int zoneOffset(int bp, Tm tm) {
		while (isSpace(at(bp))) {
			bp++;
		}
		boolean neg;
		int c = at(bp++);
		switch (c) {
			case 'G' -> {
				if (at(bp++) != 'M') {
					return -1;
				}
				if (at(bp++) != 'T') {
					return -1;
				}
				tm.isdst = 0;
				tm.gmtoff = 0;
				return bp;
			}
			case 'U' -> {
				if (at(bp++) != 'T') {
					return -1;
				}
				if (at(bp) == 'C') {
					bp++;
				}
				tm.isdst = 0;
				tm.gmtoff = 0;
				return bp;
			}
			case 'Z' -> {
				tm.isdst = 0;
				tm.gmtoff = 0;
				return bp;
			}
			case '+' -> neg = false;
			case '-' -> neg = true;
			default -> {
				--bp;
				for (int i = 0; i < 4; i++) {
					if (startsWithIgnoreCase(bp, NAST[i])) {
						tm.gmtoff = (long) (-5 - i) * H;
						tm.isdst = 0;
						return bp + 3;
					}
				}
				for (int i = 0; i < 4; i++) {
					if (startsWithIgnoreCase(bp, NADT[i])) {
						tm.isdst = 1;
						tm.gmtoff = (long) (-4 - i) * H;
						return bp + 3;
					}
				}
				return -1;
			}
		}
		if (!isDigit(at(bp)) || !isDigit(at(bp + 1))) {
			return -1;
		}
		long offs = (long) ((at(bp) - '0') * 10 + (at(bp + 1) - '0')) * H;
		bp += 2;
		if (at(bp) == ':') {
			bp++;
		}
		if (isDigit(at(bp))) {
			offs += (long) (at(bp++) - '0') * 10 * 60;
			if (!isDigit(at(bp))) {
				return -1;
			}
			offs += (long) (at(bp++) - '0') * 60;
		}
		if (neg) {
			offs = -offs;
		}
		tm.isdst = 0;
		tm.gmtoff = offs;
		return bp;
	}

	static boolean isLeap(int y) {
		return (y % 4) == 0 && ((y % 100) != 0 || (y % 400) == 0);
	}

	private static int leapsThruEndOf(int y) {
		return (y >= 0) ? (y / 4 - y / 100 + y / 400) : -(leapsThruEndOf(-(y + 1)) + 1);
	}

	/** C's {@code gmtime_r}. */
	static void gmtime(long epoch, Tm tm) {
		long days = Math.floorDiv(epoch, 86400);
		long secs = Math.floorMod(epoch, 86400);
		java.time.LocalDate d = java.time.LocalDate.ofEpochDay(days);
		tm.year = d.getYear() - TM_YEAR_BASE;
		tm.mon = d.getMonthValue() - 1;
		tm.mday = d.getDayOfMonth();
		tm.yday = d.getDayOfYear() - 1;
		tm.wday = d.getDayOfWeek().getValue() % 7;
		tm.hour = (int) (secs / 3600);
		tm.min = (int) (secs % 3600 / 60);
		tm.sec = (int) (secs % 60);
	}

	/** C's {@code timegm}: fields may be out of range and are normalised. */
	public static long timegm(Tm tm) {
		long year = (long) tm.year + TM_YEAR_BASE;
		long mon = tm.mon;
		year += Math.floorDiv(mon, 12);
		mon = Math.floorMod(mon, 12);
		long days = daysFromCivil(year, mon + 1, 1) + (tm.mday - 1L);
		return days * 86400L + tm.hour * 3600L + tm.min * 60L + tm.sec;
	}

	/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
	static long daysFromCivil(long y, long m, long d) {
		y -= (m <= 2) ? 1 : 0;
		long era = Math.floorDiv(y, 400);
		long yoe = y - era * 400;
		long doy = (153 * (m + ((m > 2) ? -3 : 9)) + 2) / 5 + d - 1;
		long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		return era * 146097 + doe - 719468;
	}
}
