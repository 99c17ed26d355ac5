package dev.sluice.plugins.out.es;

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's public-domain algorithm), as Fluent Bit uses it with
 * seed 42 over a record's msgpack bytes to make {@code generate_id} document ids, and the id text
 * it prints from the hash (eight 16-bit words in little-endian memory order).
 */
final class Murmur3 {

	private static final long C1 = 0x87c37b91114253d5L;

	private static final long C2 = 0x4cf5ad432745937fL;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Murmur3() {
	}

	static long[] hash128(byte[] data, int off, int len, int seed) {
		long h1 = seed & 0xFFFFFFFFL;
		long h2 = seed & 0xFFFFFFFFL;
		int blocks = len / 16;
		for (int i = 0; i < blocks; i++) {
			int p = off + i * 16;
			long k1 = le64(data, p);
			long k2 = le64(data, p + 8);
			k1 *= C1;
			k1 = Long.rotateLeft(k1, 31);
			k1 *= C2;
			h1 ^= k1;
			h1 = Long.rotateLeft(h1, 27);
			h1 += h2;
			h1 = h1 * 5 + 0x52dce729;
			k2 *= C2;
			k2 = Long.rotateLeft(k2, 33);
			k2 *= C1;
			h2 ^= k2;
			h2 = Long.rotateLeft(h2, 31);
			h2 += h1;
			h2 = h2 * 5 + 0x38495ab5;
		}
		int tail = off + blocks * 16;
		long k1 = 0;
		long k2 = 0;
		int rem = len & 15;
		for (int i = rem - 1; i >= 8; i--) {
			k2 ^= (data[tail + i] & 0xFFL) << ((i - 8) * 8);
		}
		if (rem > 8) {
			k2 *= C2;
			k2 = Long.rotateLeft(k2, 33);
			k2 *= C1;
			h2 ^= k2;
		}
		for (int i = Math.min(rem, 8) - 1; i >= 0; i--) {
			k1 ^= (data[tail + i] & 0xFFL) << (i * 8);
		}
		if (rem > 0) {
			k1 *= C1;
			k1 = Long.rotateLeft(k1, 31);
			k1 *= C2;
			h1 ^= k1;
		}
		h1 ^= len;
		h2 ^= len;
		h1 += h2;
		h2 += h1;
		h1 = fmix(h1);
		h2 = fmix(h2);
		h1 += h2;
		h2 += h1;
		return new long[] { h1, h2 };
	}

	/** Fluent Bit's {@code generate_id} text: {@code %04x%04x-%04x-%04x-%04x-%04x%04x%04x}. */
	static String documentId(byte[] data, int off, int len) {
		long[] h = hash128(data, off, len, 42);
		int[] w = new int[8];
		for (int i = 0; i < 4; i++) {
			w[i] = (int) ((h[0] >>> (16 * i)) & 0xFFFF);
			w[i + 4] = (int) ((h[1] >>> (16 * i)) & 0xFFFF);
		}
		char[] out = new char[36];
		int p = 0;
		for (int i = 0; i < 8; i++) {
			if (i == 2 || i == 3 || i == 4 || i == 5) {
				out[p++] = '-';
			}
			for (int shift = 12; shift >= 0; shift -= 4) {
				out[p++] = HEX[(w[i] >>> shift) & 0xF];
			}
		}
		return new String(out);
	}

	private static long le64(byte[] b, int p) {
		return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
				| (b[p + 4] & 0xFFL) << 32 | (b[p + 5] & 0xFFL) << 40 | (b[p + 6] & 0xFFL) << 48
				| (b[p + 7] & 0xFFL) << 56;
	}

	private static long fmix(long k) {
		k ^= k >>> 33;
		k *= 0xff51afd7ed558ccdL;
		k ^= k >>> 33;
		k *= 0xc4ceb9fe1a85ec53L;
		k ^= k >>> 33;
		return k;
	}
}
