package dev.sluice.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteArrayPoolTest {

	@Test
	void sizesArePowersOfTwoFromTheSmallestClassUpToTheLargest() {
		ByteArrayPool pool = new ByteArrayPool(64L << 20);
		assertThat(pool.take(1)).hasSize(ByteArrayPool.MIN_SIZE);
		assertThat(pool.take(ByteArrayPool.MIN_SIZE)).hasSize(ByteArrayPool.MIN_SIZE);
		assertThat(pool.take(ByteArrayPool.MIN_SIZE + 1)).hasSize(2 * ByteArrayPool.MIN_SIZE);
		assertThat(pool.take(2_048_000)).hasSize(1 << 21);
		assertThat(pool.take(ByteArrayPool.MAX_SIZE)).hasSize(ByteArrayPool.MAX_SIZE);
		assertThat(pool.take(ByteArrayPool.MAX_SIZE + 1)).hasSize(ByteArrayPool.MAX_SIZE + 1);
	}

	@Test
	void aGivenArrayIsTakenAgainAndForeignOrOversizeArraysAreNotKept() {
		ByteArrayPool pool = new ByteArrayPool(64L << 20);
		byte[] a = pool.take(100_000);
		pool.give(a);
		assertThat(pool.freeBytes()).isEqualTo(a.length);
		assertThat(pool.take(70_000)).isSameAs(a);
		assertThat(pool.reuses()).isEqualTo(1);
		assertThat(pool.freeBytes()).isZero();
		pool.give(new byte[1000]); // not a pool size
		pool.give(new byte[ByteArrayPool.MAX_SIZE + 1]);
		assertThat(pool.freeBytes()).isZero();
	}

	@Test
	void freeArraysAreKeptUpToTheLimit() {
		ByteArrayPool pool = new ByteArrayPool(3L * ByteArrayPool.MIN_SIZE);
		for (int i = 0; i < 5; i++) {
			pool.give(new byte[ByteArrayPool.MIN_SIZE]);
		}
		assertThat(pool.freeBytes()).isEqualTo(3L * ByteArrayPool.MIN_SIZE);
	}

	@Test
	void trimDropsHalfOfWhatWasNotAskedForSinceTheLastTrim() {
		ByteArrayPool pool = new ByteArrayPool(64L << 20);
		for (int i = 0; i < 8; i++) {
			pool.give(new byte[ByteArrayPool.MIN_SIZE]);
			pool.give(new byte[2 * ByteArrayPool.MIN_SIZE]);
		}
		pool.trim(); // nothing taken since the start: both classes halve
		assertThat(pool.freeBytes()).isEqualTo(4L * ByteArrayPool.MIN_SIZE + 4L * 2 * ByteArrayPool.MIN_SIZE);
		pool.take(ByteArrayPool.MIN_SIZE); // the small class is in use, the other is not
		pool.trim();
		assertThat(pool.freeBytes()).isEqualTo(3L * ByteArrayPool.MIN_SIZE + 2L * 2 * ByteArrayPool.MIN_SIZE);
	}
}
