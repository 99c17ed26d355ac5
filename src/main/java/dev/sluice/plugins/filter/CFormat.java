package dev.sluice.plugins.filter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** C's {@code printf} number formats that Java's {@code Formatter} renders differently. */
public final class CFormat {

	private CFormat() {
	}

	/** C's {@code %.<precision>g}: shortest of fixed or exponent form, trailing zeros removed. */
	public static String g(double d, int precision) {
		if (Double.isNaN(d)) {
			return "nan";
		}
		if (Double.isInfinite(d)) {
			return (d > 0) ? "inf" : "-inf";
		}
		if (d == 0) {
			return (1 / d < 0) ? "-0" : "0";
		}
		int p = Math.max(1, precision);
		BigDecimal bd = new BigDecimal(d).round(new MathContext(p, RoundingMode.HALF_EVEN));
		int exp = bd.precision() - bd.scale() - 1;
		if (exp < -4 || exp >= p) {
			BigDecimal mantissa = bd.movePointLeft(exp);
			String m = stripZeros(mantissa.toPlainString());
			String sign = (exp < 0) ? "-" : "+";
			int ae = Math.abs(exp);
			return m + "e" + sign + ((ae < 10) ? "0" : "") + ae;
		}
		return stripZeros(bd.toPlainString());
	}

	/** C's {@code %f}: six decimals; {@code inf}, {@code nan} as C prints them. */
	public static String f(double d) {
		if (Double.isNaN(d)) {
			return "nan";
		}
		if (Double.isInfinite(d)) {
			return (d > 0) ? "inf" : "-inf";
		}
		return String.format(java.util.Locale.ROOT, "%f", d);
	}

	private static String stripZeros(String s) {
		if (s.indexOf('.') < 0) {
			return s;
		}
		int end = s.length();
		while (s.charAt(end - 1) == '0') {
			end--;
		}
		if (s.charAt(end - 1) == '.') {
			end--;
		}
		return s.substring(0, end);
	}
}
