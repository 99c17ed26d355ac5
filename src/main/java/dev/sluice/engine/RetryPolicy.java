package dev.sluice.engine;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * An output's {@code Retry_Limit} and the scheduler's backoff.
 *
 * <p>Limit: a number N ≥ 1 allows N retries after the first attempt; {@code no_limits},
 * {@code false} or {@code off} retry forever; {@code no_retries} never retries. Anything else is
 * invalid and means 1, as in Fluent Bit.
 *
 * <p>Backoff (full jitter, as Fluent Bit's {@code backoff_full_jitter}): the wait before retry
 * {@code n} (1 for the first) is a uniform random integer in
 * {@code [base, min(cap, base·2ⁿ)]}, plus one second.
 */
public final class RetryPolicy {

	/** Retry forever. */
	public static final int UNLIMITED = -1;

	/** Never retry. */
	public static final int NO_RETRIES = 0;

	private RetryPolicy() {
	}

	/**
	 * Parses a retry limit.
	 * @return the limit, {@link #UNLIMITED}, {@link #NO_RETRIES}, or null when the text is invalid
	 * (the caller warns and uses 1)
	 */
	public static Integer parseLimit(String value) {
		if (value == null) {
			return 1;
		}
		String v = value.strip().toLowerCase(Locale.ROOT);
		switch (v) {
			case "no_limits", "false", "off" -> {
				return UNLIMITED;
			}
			case "no_retries" -> {
				return NO_RETRIES;
			}
			default -> {
				try {
					int n = Integer.parseInt(v);
					return (n >= 1) ? n : null;
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
	}

	/** Seconds to wait before retry number {@code attempt} (1-based). */
	public static int backoffSeconds(int attempt, int base, int cap, RandomGenerator random) {
		long b = Math.max(0, base);
		long c = Math.max(b, cap);
		long exp = (attempt >= 62) ? Long.MAX_VALUE : b << Math.min(attempt, 62);
		if (exp < 0 || (b != 0 && exp / b != (1L << Math.min(attempt, 62)))) {
			exp = Long.MAX_VALUE;
		}
		long upper = Math.min(c, exp);
		long wait = (upper <= b) ? b : b + random.nextLong(upper - b + 1);
		return (int) Math.min(Integer.MAX_VALUE - 1, wait) + 1;
	}
}
