package dev.sluice.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkBuffersTest {

	@Test
	void sizesArePowersOfTwoFromTheSmallestClassUpToTheLargest() {
		ChunkBuffers pool = new ChunkBuffers(64L << 20);
		assertThat(pool.take(1)).hasSize(ChunkBuffers.MIN_SIZE);
		assertThat(pool.take(ChunkBuffers.MIN_SIZE)).hasSize(ChunkBuffers.MIN_SIZE);
		assertThat(pool.take(ChunkBuffers.MIN_SIZE + 1)).hasSize(2 * ChunkBuffers.MIN_SIZE);
		assertThat(pool.take(2_048_000)).hasSize(1 << 21);
		assertThat(pool.take(ChunkBuffers.MAX_SIZE)).hasSize(ChunkBuffers.MAX_SIZE);
		assertThat(pool.take(ChunkBuffers.MAX_SIZE + 1)).hasSize(ChunkBuffers.MAX_SIZE + 1);
	}

	@Test
	void aGivenArrayIsTakenAgainAndForeignOrOversizeArraysAreNotKept() {
		ChunkBuffers pool = new ChunkBuffers(64L << 20);
		byte[] a = pool.take(100_000);
		pool.give(a);
		assertThat(pool.freeBytes()).isEqualTo(a.length);
		assertThat(pool.take(70_000)).isSameAs(a);
		assertThat(pool.freeBytes()).isZero();
		pool.give(new byte[1000]); // not a pool size
		pool.give(new byte[ChunkBuffers.MAX_SIZE + 1]);
		assertThat(pool.freeBytes()).isZero();
	}

	@Test
	void freeArraysAreKeptUpToTheLimit() {
		ChunkBuffers pool = new ChunkBuffers(3L * ChunkBuffers.MIN_SIZE);
		for (int i = 0; i < 5; i++) {
			pool.give(new byte[ChunkBuffers.MIN_SIZE]);
		}
		assertThat(pool.freeBytes()).isEqualTo(3L * ChunkBuffers.MIN_SIZE);
	}

	@Test
	void trimDropsHalfOfWhatWasNotAskedForSinceTheLastTrim() {
		ChunkBuffers pool = new ChunkBuffers(64L << 20);
		for (int i = 0; i < 8; i++) {
			pool.give(new byte[ChunkBuffers.MIN_SIZE]);
			pool.give(new byte[2 * ChunkBuffers.MIN_SIZE]);
		}
		pool.trim(); // nothing taken since the start: both classes halve
		assertThat(pool.freeBytes()).isEqualTo(4L * ChunkBuffers.MIN_SIZE + 4L * 2 * ChunkBuffers.MIN_SIZE);
		pool.take(ChunkBuffers.MIN_SIZE); // the small class is in use, the other is not
		pool.trim();
		assertThat(pool.freeBytes()).isEqualTo(3L * ChunkBuffers.MIN_SIZE + 2L * 2 * ChunkBuffers.MIN_SIZE);
	}
}
