package dev.sluice.parser.time;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;

import dev.sluice.event.EventTime;

/**
 * A parser's {@code Time_Format} with its companions ({@code Time_Offset}, {@code Time_Zone},
 * {@code Time_System_Timezone}, {@code Time_Strict}), applied as Fluent Bit's
 * {@code flb_parser_time_lookup} and {@code flb_parser_tm2time} do:
 * <ul>
 * <li>a format without {@code %Y}, {@code %y} or {@code %s} gets the current (UTC) year prefixed,
 * and month and day default to today;</li>
 * <li>{@code %L} splits the format: what precedes is parsed, then up to 9 characters of fraction
 * (read as C's {@code strtod("0.<chars>")}), then the rest of the format (with a fresh offset);</li>
 * <li>a format with {@code %z}, {@code %Z}, {@code %SZ} or {@code %S.%LZ} has a zone; otherwise
 * {@code Time_Offset} (or {@code Time_Zone}, or the system zone) gives it;</li>
 * <li>with {@code Time_Strict off} a format that does not match yields whatever was parsed.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class TimeFormat {

	/** Longest time text accepted (Fluent Bit rejects lengths that do not fit an int). */
	static final int MAX_LENGTH = 1 << 20;

	private final String format;

	private final boolean withYear;

	private final boolean withTz;

	private final byte[] main;

	private final byte[] fracRest;

	private final boolean strict;

	private final long offsetSeconds;

	private final ZoneRules zone;

	private final boolean systemTimezone;

	/** The compiled fast path for formats made only of fixed-width fields, or null. */
	private final FastTime fast;

	private TimeFormat(String format, boolean strict, long offsetSeconds, ZoneRules zone, boolean systemTimezone) {
		this.format = format;
		this.strict = strict;
		this.offsetSeconds = offsetSeconds;
		this.zone = zone;
		this.systemTimezone = systemTimezone;
		boolean epoch = false;
		if (format.contains("%Y") || format.contains("%y")) {
			this.withYear = true;
		}
		else if (format.contains("%s")) {
			epoch = true;
			this.withYear = true;
		}
		else {
			this.withYear = false;
		}
		this.withTz = format.contains("%z") || format.contains("%Z") || format.contains("%SZ")
				|| format.contains("%S.%LZ");
		String f = (epoch || this.withYear) ? format : "%Y " + format;
		int l = f.indexOf("%L");
		if (l >= 0) {
			this.main = f.substring(0, l).getBytes(StandardCharsets.UTF_8);
			this.fracRest = f.substring(l + 2).getBytes(StandardCharsets.UTF_8);
		}
		else {
			this.main = f.getBytes(StandardCharsets.UTF_8);
			this.fracRest = null;
		}
		this.fast = (!epoch && this.withYear && !systemTimezone && (zone == null || this.withTz))
				? FastTime.compile(this.main, this.fracRest) : null;
	}

	/**
	 * Compiles a time format.
	 * @param format the {@code Time_Format}
	 * @param timeOffset {@code Time_Offset} or null
	 * @param timeZone {@code Time_Zone} (IANA name) or null
	 * @param systemTimezone {@code Time_System_Timezone}
	 * @param strict {@code Time_Strict}
	 * @throws IllegalArgumentException naming what is wrong
	 */
	public static TimeFormat compile(String format, String timeOffset, String timeZone, boolean systemTimezone,
			boolean strict) {
		ZoneRules rules = null;
		if (timeZone != null && !timeZone.isEmpty()) {
			if (systemTimezone) {
				throw new IllegalArgumentException("time_zone cannot be combined with time_system_timezone");
			}
			if (timeOffset != null && !timeOffset.isEmpty()) {
				throw new IllegalArgumentException("time_zone cannot be combined with time_offset");
			}
			try {
				rules = ZoneId.of(timeZone).getRules();
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("invalid or unavailable time_zone '" + timeZone + "'");
			}
		}
		long offset = 0;
		if (!systemTimezone && rules == null && timeOffset != null) {
			Long o = parseOffset(timeOffset);
			if (o == null) {
				throw new IllegalArgumentException("invalid time_offset '" + timeOffset + "'");
			}
			offset = o;
		}
		return new TimeFormat(format, strict, offset, rules, systemTimezone);
	}

	/** {@code flb_parser_tzone_offset}: {@code Z}, {@code ±HHMM} or {@code ±HH:MM}; null when invalid. */
	public static Long parseOffset(String s) {
		if (s.isEmpty()) {
			return null;
		}
		if (s.charAt(0) == 'Z') {
			return 0L;
		}
		if (s.charAt(0) != '+' && s.charAt(0) != '-') {
			return null;
		}
		if (s.length() < 4) {
			return null;
		}
		boolean neg = s.charAt(0) == '-';
		String p = s.substring(1);
		long hour = (p.charAt(0) - '0') * 10L + (p.charAt(1) - '0');
		long min;
		if (p.length() == 5 && p.charAt(2) == ':') {
			min = (p.charAt(3) - '0') * 10L + (p.charAt(4) - '0');
		}
		else {
			min = (p.charAt(2) - '0') * 10L + (p.charAt(3) - '0');
		}
		if (hour < 0 || hour > 59 || min < 0 || min > 59) {
			return null;
		}
		long d = hour * 3600 + min * 60;
		return neg ? -d : d;
	}

	public String format() {
		return this.format;
	}

	/**
	 * Parses a time value; returns null when it cannot be parsed (strict mode). {@code now} is the
	 * current time in epoch seconds, for formats without a year.
	 */
	public EventTime parse(byte[] data, int off, int len, long nowEpochSeconds) {
		if (len < 0 || len > MAX_LENGTH) {
			return null;
		}
		if (this.fast != null) {
			EventTime t = this.fast.parse(data, off, off + len, this.offsetSeconds, this.withTz);
			if (t != null) {
				return t;
			}
		}
		return parseGeneral(data, off, len, nowEpochSeconds);
	}

	/** Whether the fast path applies to this format (tests). */
	boolean hasFastPath() {
		return this.fast != null;
	}

	/** The fast path alone: null when it does not take the text (tests). */
	EventTime parseFast(byte[] data, int off, int len) {
		return (this.fast != null) ? this.fast.parse(data, off, off + len, this.offsetSeconds, this.withTz) : null;
	}

	/** The general path ({@link Strptime}), without the fast path. */
	EventTime parseGeneral(byte[] data, int off, int len, long nowEpochSeconds) {
		if (len < 0 || len > MAX_LENGTH) {
			return null;
		}
		try {
			return parseOrThrow(data, off, len, nowEpochSeconds);
		}
		catch (RuntimeException ex) {
			// dates beyond what the calendar can represent (%s with a huge number, say)
			return null;
		}
	}

	private EventTime parseOrThrow(byte[] data, int off, int len, long nowEpochSeconds) {
		Strptime.Tm tm = new Strptime.Tm();
		byte[] s;
		int start;
		int stop;
		if (!this.withYear) {
			Strptime.Tm today = new Strptime.Tm();
			Strptime.gmtime(nowEpochSeconds, today);
			tm.mon = today.mon;
			tm.mday = today.mday;
			byte[] year = Integer.toString(today.year + 1900).getBytes(StandardCharsets.US_ASCII);
			s = new byte[year.length + 1 + len];
			System.arraycopy(year, 0, s, 0, year.length);
			s[year.length] = ' ';
			System.arraycopy(data, off, s, year.length + 1, len);
			start = 0;
			stop = s.length;
		}
		else {
			s = data;
			start = off;
			stop = off + len;
		}
		// C strings end at the first NUL
		int end = stop;
		for (int i = start; i < stop; i++) {
			if (s[i] == 0) {
				end = i;
				break;
			}
		}
		double[] frac = new double[1];
		int p = Strptime.parse(s, start, end, this.main, tm);
		boolean complete = true;
		if (p < 0) {
			if (this.strict) {
				return null;
			}
			complete = false;
		}
		if (complete && this.fracRest != null) {
			int consumed = subseconds(s, p, Math.min(9, end - p), frac);
			if (consumed <= 0) {
				if (this.strict) {
					return null;
				}
				complete = false;
			}
			else {
				p = Strptime.parse(s, p + consumed, end, this.fracRest, tm);
				if (p < 0) {
					if (this.strict) {
						return null;
					}
					complete = false;
				}
			}
		}
		if (complete && !this.withTz) {
			tm.gmtoff = this.offsetSeconds;
		}
		long seconds = toEpoch(tm);
		long nanos = (long) (frac[0] * 1_000_000_000d);
		if (nanos >= 1_000_000_000L) {
			nanos = 999_999_999L;
		}
		return new EventTime(seconds, (int) Math.max(0, nanos));
	}

	/** {@code parse_subseconds}: {@code strtod("0." + up to 9 chars)}; returns characters consumed. */
	private static int subseconds(byte[] s, int p, int n, double[] out) {
		int d = 0;
		long digits = 0;
		while (d < n && s[p + d] >= '0' && s[p + d] <= '9') {
			digits = digits * 10 + (s[p + d] - '0');
			d++;
		}
		if (d == 0) {
			return -1;
		}
		if (d < n && (s[p + d] == 'e' || s[p + d] == 'E')) {
			// strtod also reads an exponent
			int q = d + 1;
			if (q < n && (s[p + q] == '+' || s[p + q] == '-')) {
				q++;
			}
			int ds = q;
			while (q < n && s[p + q] >= '0' && s[p + q] <= '9') {
				q++;
			}
			if (q > ds) {
				StringBuilder sb = new StringBuilder("0.");
				for (int i = 0; i < q; i++) {
					sb.append((char) s[p + i]);
				}
				out[0] = Double.parseDouble(sb.toString());
				return q;
			}
		}
		// exact operands, one correctly rounded division: the same double as strtod("0.<digits>")
		out[0] = digits / POW10[d];
		return d;
	}

	private static final double[] POW10 = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

	private long toEpoch(Strptime.Tm tm) {
		if (this.zone != null && !this.withTz) {
			Strptime.Tm t = tm.copy();
			t.gmtoff = 0;
			long localEpoch = Strptime.timegm(t);
			LocalDateTime ldt = LocalDateTime.ofEpochSecond(localEpoch, 0, ZoneOffset.UTC);
			List<ZoneOffset> valid = this.zone.getValidOffsets(ldt);
			ZoneOffset o = valid.isEmpty() ? this.zone.getOffset(Instant.ofEpochSecond(localEpoch)) : valid.get(0);
			return localEpoch - o.getTotalSeconds();
		}
		if (this.systemTimezone) {
			Strptime.Tm t = tm.copy();
			long localEpoch = Strptime.timegm(t);
			LocalDateTime ldt = LocalDateTime.ofEpochSecond(localEpoch, 0, ZoneOffset.UTC);
			return ldt.atZone(ZoneId.systemDefault()).toEpochSecond();
		}
		return Strptime.timegm(tm) - tm.gmtoff;
	}
}
