package dev.sluice.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fluent Bit's value syntaxes: booleans, decimal sizes, times, comma and space lists. Each parser
 * throws {@link IllegalArgumentException} with a message naming what was expected.
 */
public final class ConfigValues {

	private ConfigValues() {
	}

	/** {@code true/on/yes} or {@code false/off/no}, any case. */
	public static boolean parseBool(String v) {
		return switch (v.strip().toLowerCase(Locale.ROOT)) {
			case "true", "on", "yes" -> true;
			case "false", "off", "no" -> false;
			default -> throw new IllegalArgumentException("expected a boolean (on/off, true/false, yes/no)");
		};
	}

	public static long parseInt(String v) {
		try {
			return Long.parseLong(v.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("expected an integer");
		}
	}

	public static double parseDouble(String v) {
		try {
			return Double.parseDouble(v.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("expected a number");
		}
	}

	/**
	 * A size in bytes: a number (may have a fraction) with an optional {@code K}, {@code KB},
	 * {@code M}, {@code MB}, {@code G}, {@code GB} suffix in any case, in decimal units (K = 1000),
	 * as Fluent Bit's {@code flb_utils_size_to_bytes}. {@code false}/{@code off} mean 0.
	 */
	public static long parseSize(String v) {
		String s = v.strip();
		String lower = s.toLowerCase(Locale.ROOT);
		if (lower.equals("false") || lower.equals("off")) {
			return 0;
		}
		int end = 0;
		while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
			end++;
		}
		if (end == 0) {
			throw new IllegalArgumentException("expected a size such as 512K, 5M or 1.5G");
		}
		BigDecimal number;
		try {
			number = new BigDecimal(s.substring(0, end));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("expected a size such as 512K, 5M or 1.5G");
		}
		long mult = switch (lower.substring(end).strip()) {
			case "" , "b" -> 1;
			case "k", "kb" -> 1_000L;
			case "m", "mb" -> 1_000_000L;
			case "g", "gb" -> 1_000_000_000L;
			default -> throw new IllegalArgumentException("unknown size unit '" + s.substring(end).strip()
					+ "' (use K, KB, M, MB, G or GB)");
		};
		return number.multiply(BigDecimal.valueOf(mult)).longValue();
	}

	/**
	 * A time: a bare number is seconds (a fraction is allowed); suffixes {@code ms}, {@code s},
	 * {@code m}, {@code h}, {@code d} in any case.
	 */
	public static Duration parseTime(String v) {
		String s = v.strip().toLowerCase(Locale.ROOT);
		int end = 0;
		while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.' || (end == 0 && s.charAt(0) == '-'))) {
			end++;
		}
		if (end == 0 || (end == 1 && s.charAt(0) == '-')) {
			throw new IllegalArgumentException("expected a time such as 10, 10s, 500ms, 5m, 1h or 1d");
		}
		double n;
		try {
			n = Double.parseDouble(s.substring(0, end));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("expected a time such as 10, 10s, 500ms, 5m, 1h or 1d");
		}
		double nanosPerUnit = switch (s.substring(end).strip()) {
			case "", "s" -> 1e9;
			case "ms" -> 1e6;
			case "m" -> 60e9;
			case "h" -> 3600e9;
			case "d" -> 86400e9;
			default -> throw new IllegalArgumentException("unknown time unit '" + s.substring(end).strip()
					+ "' (use ms, s, m, h or d)");
		};
		return Duration.ofNanos(Math.round(n * nanosPerUnit));
	}

	/** Splits on commas, trimming each item and dropping empty ones; at most {@code maxSplit} splits. */
	public static List<String> splitComma(String v, int maxSplit) {
		List<String> out = new ArrayList<>();
		String rest = v;
		while (true) {
			int i = rest.indexOf(',');
			if (i < 0 || (maxSplit >= 0 && out.size() >= maxSplit)) {
				String t = rest.strip();
				if (!t.isEmpty()) {
					out.add(t);
				}
				return out;
			}
			String t = rest.substring(0, i).strip();
			if (!t.isEmpty()) {
				out.add(t);
			}
			rest = rest.substring(i + 1);
		}
	}

	/**
	 * Splits on white space, honouring double quotes (which are removed); at most
	 * {@code maxSplit} splits, the remainder kept whole as the last item (quotes kept as written
	 * there, trimmed).
	 */
	public static List<String> splitSpace(String v, int maxSplit) {
		List<String> out = new ArrayList<>();
		int i = 0;
		int n = v.length();
		while (i < n) {
			while (i < n && Character.isWhitespace(v.charAt(i))) {
				i++;
			}
			if (i >= n) {
				break;
			}
			if (maxSplit >= 0 && out.size() >= maxSplit) {
				String rest = v.substring(i).strip();
				if (rest.length() >= 2 && rest.charAt(0) == '"' && rest.charAt(rest.length() - 1) == '"'
						&& rest.indexOf('"', 1) == rest.length() - 1) {
					rest = rest.substring(1, rest.length() - 1);
				}
				out.add(rest);
				break;
			}
			StringBuilder sb = new StringBuilder();
			if (v.charAt(i) == '"') {
				i++;
				while (i < n && v.charAt(i) != '"') {
					if (v.charAt(i) == '\\' && i + 1 < n && v.charAt(i + 1) == '"') {
						i++;
					}
					sb.append(v.charAt(i++));
				}
				i++;
			}
			else {
				while (i < n && !Character.isWhitespace(v.charAt(i))) {
					sb.append(v.charAt(i++));
				}
			}
			out.add(sb.toString());
		}
		return out;
	}

	/** Human-readable size as Fluent Bit's storage report prints it ({@code 1.2M}). */
	public static String humanSize(long bytes) {
		if (bytes < 1024) {
			return bytes + "b";
		}
		String[] units = { "K", "M", "G", "T" };
		double v = bytes;
		int u = -1;
		while (v >= 1024 && u < units.length - 1) {
			v /= 1024;
			u++;
		}
		return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
	}
}
