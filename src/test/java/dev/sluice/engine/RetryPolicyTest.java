package dev.sluice.engine;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

	@Test
	void parsesRetryLimits() {
		assertThat(RetryPolicy.parseLimit("5")).isEqualTo(5);
		assertThat(RetryPolicy.parseLimit(" 1 ")).isEqualTo(1);
		assertThat(RetryPolicy.parseLimit("no_limits")).isEqualTo(RetryPolicy.UNLIMITED);
		assertThat(RetryPolicy.parseLimit("False")).isEqualTo(RetryPolicy.UNLIMITED);
		assertThat(RetryPolicy.parseLimit("OFF")).isEqualTo(RetryPolicy.UNLIMITED);
		assertThat(RetryPolicy.parseLimit("no_retries")).isEqualTo(RetryPolicy.NO_RETRIES);
		assertThat(RetryPolicy.parseLimit("0")).isNull();
		assertThat(RetryPolicy.parseLimit("-3")).isNull();
		assertThat(RetryPolicy.parseLimit("lots")).isNull();
		assertThat(RetryPolicy.parseLimit(null)).isEqualTo(1);
	}

	@Test
	void backoffStaysWithinFluentBitBoundsWithDefaults() {
		// FLUENT-BIT.md §3.3: retry1 6–11 s, retry2 6–21 s, retry3 6–41 s, retry9+ 6–2001 s
		SplittableRandom random = new SplittableRandom(42);
		int[][] bounds = { { 1, 6, 11 }, { 2, 6, 21 }, { 3, 6, 41 }, { 9, 6, 2001 }, { 30, 6, 2001 }, { 200, 6, 2001 } };
		for (int[] b : bounds) {
			int min = Integer.MAX_VALUE;
			int max = Integer.MIN_VALUE;
			for (int i = 0; i < 20_000; i++) {
				int w = RetryPolicy.backoffSeconds(b[0], 5, 2000, random);
				min = Math.min(min, w);
				max = Math.max(max, w);
			}
			assertThat(min).as("min of retry %d", b[0]).isEqualTo(b[1]);
			assertThat(max).as("max of retry %d", b[0]).isBetween(b[2] - (b[2] > 1000 ? 30 : 0), b[2]);
		}
	}

	@Test
	void backoffWithSmallSchedulerSettings() {
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 1000; i++) {
			assertThat(RetryPolicy.backoffSeconds(1, 1, 3, random)).isBetween(2, 3);
			assertThat(RetryPolicy.backoffSeconds(5, 1, 3, random)).isBetween(2, 4);
		}
		assertThat(RetryPolicy.backoffSeconds(3, 0, 0, random)).isEqualTo(1);
	}
}
