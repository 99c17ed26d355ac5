package dev.sluice.plugins.out.es;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * C's {@code strftime} in the C locale on a {@code gmtime_r} broken-down time (UTC), as Fluent Bit
 * formats {@code logstash_dateformat}, {@code time_key_format} and {@code index}. Conversions it
 * does not know are copied as written.
 */
public final class Strftime {

	private Strftime() {
	}

	public static String format(String pattern, long epochSeconds) {
		StringBuilder out = new StringBuilder(pattern.length() + 16);
		format(pattern, epochSeconds, out);
		return out.toString();
	}

	public static void format(String pattern, long epochSeconds, StringBuilder out) {
		ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
		int n = pattern.length();
		for (int i = 0; i < n; i++) {
			char c = pattern.charAt(i);
			if (c != '%' || i + 1 >= n) {
				out.append(c);
				continue;
			}
			char f = pattern.charAt(++i);
			// GNU flags/modifiers E and O change nothing in the C locale
			if ((f == 'E' || f == 'O') && i + 1 < n) {
				f = pattern.charAt(++i);
			}
			switch (f) {
				case 'Y' -> out.append(t.getYear());
				case 'C' -> pad(out, t.getYear() / 100, 2);
				case 'y' -> pad(out, Math.floorMod(t.getYear(), 100), 2);
				case 'G' -> out.append(t.get(IsoFields.WEEK_BASED_YEAR));
				case 'g' -> pad(out, Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2);
				case 'm' -> pad(out, t.getMonthValue(), 2);
				case 'd' -> pad(out, t.getDayOfMonth(), 2);
				case 'e' -> padSpace(out, t.getDayOfMonth());
				case 'H' -> pad(out, t.getHour(), 2);
				case 'k' -> padSpace(out, t.getHour());
				case 'I' -> pad(out, hour12(t), 2);
				case 'l' -> padSpace(out, hour12(t));
				case 'M' -> pad(out, t.getMinute(), 2);
				case 'S' -> pad(out, t.getSecond(), 2);
				case 'j' -> pad(out, t.getDayOfYear(), 3);
				case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
				case 'P' -> out.append(t.getHour() < 12 ? "am" : "pm");
				case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
				case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
				case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
				case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
				case 'u' -> out.append(t.getDayOfWeek().getValue());
				case 'w' -> out.append(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
				case 'V' -> pad(out, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
				case 'U' -> pad(out, (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() % 7)) / 7, 2);
				case 'W' -> pad(out, (t.getDayOfYear() + 6 - ((t.getDayOfWeek().getValue() + 6) % 7)) / 7, 2);
				case 's' -> out.append(epochSeconds);
				case 'z' -> out.append("+0000");
				case 'Z' -> out.append("GMT");
				case 'F' -> format("%Y-%m-%d", epochSeconds, out);
				case 'T' -> format("%H:%M:%S", epochSeconds, out);
				case 'R' -> format("%H:%M", epochSeconds, out);
				case 'D', 'x' -> format("%m/%d/%y", epochSeconds, out);
				case 'X' -> format("%H:%M:%S", epochSeconds, out);
				case 'r' -> format("%I:%M:%S %p", epochSeconds, out);
				case 'c' -> format("%a %b %e %H:%M:%S %Y", epochSeconds, out);
				case 'n' -> out.append('\n');
				case 't' -> out.append('\t');
				case '%' -> out.append('%');
				default -> out.append('%').append(f);
			}
		}
	}

	private static int hour12(ZonedDateTime t) {
		int h = t.getHour() % 12;
		return (h == 0) ? 12 : h;
	}

	private static void pad(StringBuilder out, int v, int width) {
		String s = Integer.toString(v);
		for (int i = s.length(); i < width; i++) {
			out.append('0');
		}
		out.append(s);
	}

	private static void padSpace(StringBuilder out, int v) {
		if (v < 10) {
			out.append(' ');
		}
		out.append(v);
	}
}
