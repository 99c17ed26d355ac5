package dev.sluice.event;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.sluice.parser.MsgpackWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonFormatter} against its version before the SWAR plain-run scan and the key-span
 * change ({@link JsonFormatterReference}): the same JSON bytes for records with strings of every
 * kind (escapes, control bytes, DEL, valid and broken UTF-8, long runs) and repeated keys.
 */
class JsonFormatterCompareTest {

	@Test
	void sameJsonBytesAsBefore() {
		Random r = new Random(17);
		for (boolean escapeUnicode : new boolean[] { true, false }) {
			JsonFormatter now = new JsonFormatter(escapeUnicode, false);
			JsonFormatterReference old = new JsonFormatterReference(escapeUnicode, false);
			for (int i = 0; i < 20_000; i++) {
				MsgpackWriter w = new MsgpackWriter(64);
				int n = r.nextInt(12);
				w.mapHeader(n);
				for (int k = 0; k < n; k++) {
					if (r.nextInt(10) == 0) {
						w.integer(r.nextInt(3));
					}
					else {
						w.str("k" + r.nextInt(6));
					}
					byte[] v = randomBytes(r);
					switch (r.nextInt(5)) {
						case 0 -> w.integer(r.nextLong() >> r.nextInt(64));
						case 1 -> w.float64(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
						default -> w.str(v, 0, v.length);
					}
				}
				byte[] mp = w.toByteArray();
				JsonFormatter.Sink a = new JsonFormatter.Sink(16);
				JsonFormatterReference.Sink b = new JsonFormatterReference.Sink(16);
				now.writeJson(mp, 0, a);
				old.writeJson(mp, 0, b);
				assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
			}
		}
	}

	private static byte[] randomBytes(Random r) {
		String[] pieces = { "plain text ", "\"", "\\", "\n", "\t", "\u0001", "\u007f", "caf\u00e9", "\u20ac", "\ud83d\ude00",
				"abcdefghijklmnop", "/api/v1/orders/123", " ", "" };
		StringBuilder sb = new StringBuilder();
		int n = r.nextInt(8);
		for (int i = 0; i < n; i++) {
			sb.append(pieces[r.nextInt(pieces.length)]);
		}
		byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
		if (b.length > 0 && r.nextInt(4) == 0) {
			b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(128));
		}
		return b;
	}
}
