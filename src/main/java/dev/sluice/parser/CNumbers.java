package dev.sluice.parser;

/** C's lenient number conversions ({@code atoll}, {@code strtoull(…, 16)}, {@code atof}) as glibc does them. */
final class CNumbers {

	private CNumbers() {
	}

	private static int skipSpace(String s) {
		int i = 0;
		while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
			i++;
		}
		return i;
	}

	/** {@code atoll}: leading blanks, a sign, digits; stops at the first other character; saturates. */
	static long atoll(String s) {
		int i = skipSpace(s);
		boolean neg = false;
		if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
			neg = s.charAt(i) == '-';
			i++;
		}
		long v = 0;
		boolean overflow = false;
		while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
			int d = s.charAt(i) - '0';
			if (!overflow) {
				if (v > (Long.MAX_VALUE - d) / 10) {
					overflow = true;
				}
				else {
					v = v * 10 + d;
				}
			}
			i++;
		}
		if (overflow) {
			return neg ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
		return neg ? -v : v;
	}

	/** {@code strtoull(s, NULL, 16)}: optional {@code 0x}; a minus negates (mod 2^64); saturates. */
	static long strtoull16(String s) {
		int i = skipSpace(s);
		boolean neg = false;
		if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
			neg = s.charAt(i) == '-';
			i++;
		}
		if (i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
				&& i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
			i += 2;
		}
		long v = 0;
		boolean overflow = false;
		while (i < s.length() && s.charAt(i) < 128 && Character.digit(s.charAt(i), 16) >= 0) {
			if (Long.compareUnsigned(v, 0x0FFFFFFFFFFFFFFFL) > 0) {
				overflow = true;
			}
			v = (v << 4) | Character.digit(s.charAt(i), 16);
			i++;
		}
		if (overflow) {
			return -1L; // ULLONG_MAX
		}
		return neg ? -v : v;
	}

	/** {@code atof}: the longest prefix that is a decimal number (inf/nan included), else 0. */
	static double atof(String s) {
		int i = skipSpace(s);
		int start = i;
		if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
			i++;
		}
		String rest = s.substring(i).toLowerCase(java.util.Locale.ROOT);
		boolean neg = start < s.length() && s.charAt(start) == '-';
		if (rest.startsWith("inf")) {
			return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		if (rest.startsWith("nan")) {
			return Double.NaN;
		}
		int digits = 0;
		while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
			i++;
			digits++;
		}
		if (i < s.length() && s.charAt(i) == '.') {
			i++;
			while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
				i++;
				digits++;
			}
		}
		if (digits == 0) {
			return 0;
		}
		int mantissaEnd = i;
		if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
			int j = i + 1;
			if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
				j++;
			}
			int ds = j;
			while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
				j++;
			}
			if (j > ds) {
				mantissaEnd = j;
			}
		}
		String num = s.substring(start, mantissaEnd);
		if (num.endsWith(".")) {
			num = num + "0";
		}
		if (num.startsWith(".") || num.startsWith("-.") || num.startsWith("+.")) {
			num = num.replaceFirst("\\.", "0.");
		}
		return Double.parseDouble(num);
	}
}
