package dev.sluice.event;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The eight-bytes-at-a-time scan for bytes a JSON string can carry as they are
 * ({@link JsonFormatter#plainRun}) against the byte-by-byte definition: 0x20 to 0x7e but
 * {@code "} and {@code \}.
 */
class JsonFormatterPlainRunTest {

	private static boolean plain(int c) {
		return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
	}

	@Test
	void eachByteValueStopsTheRunExactlyWhenNotPlain() {
		for (int c = 0; c < 256; c++) {
			for (int at = 0; at < 20; at++) {
				byte[] b = new byte[24];
				java.util.Arrays.fill(b, (byte) 'a');
				b[at] = (byte) c;
				int expected = plain(c) ? 24 : at;
				assertThat(JsonFormatter.plainRun(b, 0, 24)).as("byte %02x at %d", c, at).isEqualTo(expected);
				assertThat(JsonFormatter.plainRun(b, 1, 23)).isEqualTo(plain(c) || at < 1 || at >= 23 ? 23 : at);
			}
		}
	}

	@Test
	void randomBuffers() {
		Random r = new Random(9);
		for (int i = 0; i < 100_000; i++) {
			byte[] b = new byte[r.nextInt(40)];
			for (int j = 0; j < b.length; j++) {
				b[j] = (byte) ((r.nextInt(8) == 0) ? r.nextInt(256) : 0x20 + r.nextInt(0x5f));
			}
			int from = (b.length == 0) ? 0 : r.nextInt(b.length + 1);
			int to = from + ((b.length == from) ? 0 : r.nextInt(b.length - from + 1));
			int expected = from;
			while (expected < to && plain(b[expected] & 0xff)) {
				expected++;
			}
			assertThat(JsonFormatter.plainRun(b, from, to)).isEqualTo(expected);
		}
	}
}
