package dev.sluice.plugins.filter.type_converter;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.sluice.plugins.filter.CFormat;

/**
 * Fluent Bit's {@code flb_typecast}: converts a value between {@code int}, {@code uint},
 * {@code float}, {@code hex}, {@code string} and {@code bool}. A type name matches when it is a
 * case-insensitive prefix of one of those names (first match in that order). Conversions Fluent
 * Bit refuses (string to string, int to int, a string that parses to 0 as an integer, ...) fail.
 */
final class Typecast {

	enum Type {
		INT, UINT, FLOAT, HEX, STRING, BOOL
	}

	/** Fails a conversion. */
	static final class Failed extends Exception {

		Failed(String message) {
			super(message, null, false, false);
		}
	}

	private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

	private Typecast() {
	}

	static Type type(String s) {
		String l = s.toLowerCase(Locale.ROOT);
		for (Type t : Type.values()) {
			String name = (t == Type.STRING) ? "string" : t.name().toLowerCase(Locale.ROOT);
			if (name.startsWith(l)) {
				return t;
			}
		}
		return null;
	}

	/** Converts a record value from {@code from} (the rule's source type) to {@code to}. */
	static Object convert(Object v, Type from, Type to) throws Failed {
		switch (from) {
			case STRING -> {
				String s;
				if (v instanceof String str) {
					s = str;
				}
				else {
					throw new Failed("src type is not str");
				}
				return fromString(s, to);
			}
			case INT, UINT -> {
				long i;
				if (v instanceof Long l) {
					i = l;
				}
				else if (v instanceof BigInteger b) {
					i = b.longValue();
				}
				else {
					throw new Failed("src type is not " + ((from == Type.INT) ? "int" : "uint"));
				}
				return (from == Type.INT) ? fromInt(i, to) : fromUint(i, to);
			}
			case FLOAT -> {
				if (!(v instanceof Double d)) {
					throw new Failed("src type is not float");
				}
				return fromFloat(d, to);
			}
			default -> throw new Failed("unknown type");
		}
	}

	private static Object unsigned(long bits) {
		return (bits >= 0) ? (Object) bits : BigInteger.valueOf(bits).add(TWO_64);
	}

	private static Object fromString(String s, Type to) throws Failed {
		switch (to) {
			case INT -> {
				long v = strtol(s, 10, true);
				if (v == 0) {
					throw new Failed("convert error. input=" + s);
				}
				return v;
			}
			case UINT, HEX -> {
				long v = strtol(s, (to == Type.HEX) ? 16 : 10, false);
				if (v == 0) {
					throw new Failed("convert error. input=" + s);
				}
				return unsigned(v);
			}
			case FLOAT -> {
				return atof(s);
			}
			case BOOL -> {
				if (s.length() >= 4 && s.regionMatches(true, 0, "true", 0, 4)) {
					return true;
				}
				if (s.length() >= 5 && s.regionMatches(true, 0, "false", 0, 5)) {
					return false;
				}
				throw new Failed("convert error. input=" + s);
			}
			default -> throw new Failed("str to str. nothing to do.");
		}
	}

	private static Object fromInt(long v, Type to) throws Failed {
		return switch (to) {
			case STRING -> Long.toString(v);
			case FLOAT -> (double) v;
			case UINT -> unsigned(v);
			default -> throw new Failed("type " + to.name().toLowerCase(Locale.ROOT) + " is not supported");
		};
	}

	private static Object fromUint(long bits, Type to) throws Failed {
		return switch (to) {
			case STRING -> Long.toUnsignedString(bits);
			case FLOAT -> (bits >= 0) ? (double) bits : new BigInteger(Long.toUnsignedString(bits)).doubleValue();
			case INT -> bits;
			default -> throw new Failed("type " + to.name().toLowerCase(Locale.ROOT) + " is not supported");
		};
	}

	private static Object fromFloat(double d, Type to) throws Failed {
		return switch (to) {
			case STRING -> (d == (double) (long) d) ? String.format(Locale.ROOT, "%.1f", d) : CFormat.g(d, 16);
			case INT -> (long) d;
			case UINT -> unsigned((d < 0) ? (long) d : (d >= 9.223372036854775807E18)
					? new java.math.BigDecimal(d).toBigInteger().longValue() : (long) d);
			default -> throw new Failed("type " + to.name().toLowerCase(Locale.ROOT) + " is not supported");
		};
	}

	/** C's strtoimax/strtoumax: leading space, sign, digits (0x allowed in base 16), saturating. */
	static long strtol(String s, int base, boolean signed) {
		int i = 0;
		int n = s.length();
		while (i < n && Character.isWhitespace(s.charAt(i))) {
			i++;
		}
		boolean neg = false;
		if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
			neg = s.charAt(i) == '-';
			i++;
		}
		if (base == 16 && i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
			i += 2;
		}
		BigInteger acc = BigInteger.ZERO;
		BigInteger b = BigInteger.valueOf(base);
		int start = i;
		while (i < n && Character.digit(s.charAt(i), base) >= 0) {
			acc = acc.multiply(b).add(BigInteger.valueOf(Character.digit(s.charAt(i), base)));
			i++;
			if (acc.bitLength() > 70) {
				break;
			}
		}
		if (i == start) {
			return 0;
		}
		if (signed) {
			BigInteger v = neg ? acc.negate() : acc;
			if (v.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
				return Long.MAX_VALUE;
			}
			if (v.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0) {
				return Long.MIN_VALUE;
			}
			return v.longValue();
		}
		if (acc.compareTo(TWO_64.subtract(BigInteger.ONE)) > 0) {
			return -1L; // ULLONG_MAX
		}
		long bits = acc.longValue();
		return neg ? -bits : bits;
	}

	/** C's atof: the longest leading decimal number, 0.0 when there is none. */
	static double atof(String s) {
		String t = s.stripLeading();
		java.util.regex.Matcher m = java.util.regex.Pattern
			.compile("^[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|(?i:inf(inity)?|nan))")
			.matcher(t);
		if (!m.find()) {
			return 0.0;
		}
		String num = m.group().toLowerCase(Locale.ROOT);
		if (num.contains("inf")) {
			return num.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		if (num.contains("nan")) {
			return Double.NaN;
		}
		return Double.parseDouble(num);
	}

	static String describe(Object v) {
		return (v instanceof byte[] b) ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
	}
}
