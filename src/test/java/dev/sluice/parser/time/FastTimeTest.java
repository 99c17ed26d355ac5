package dev.sluice.parser.time;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ISO-8601 fast path of {@link TimeFormat} ({@link FastTime}) against the general
 * {@link Strptime} path: whatever text the fast path takes, it must give the very same time.
 */
class FastTimeTest {

	private static final long NOW = 1_700_000_000L;

	private static final String[] FORMATS = { "%Y-%m-%dT%H:%M:%S.%L%z", "%Y-%m-%dT%H:%M:%S.%LZ", "%Y-%m-%dT%H:%M:%S%z",
			"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%L", "%Y-%m-%dT%H:%M:%S,%L%z",
			"%Y-%m-%d %H:%M:%S %z", "%d/%m/%Y:%H:%M:%S %z", "%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%S.%L", "%Y-%m", "%Y",
			"%H:%M:%S %Y", "%Y-%m-%dT%H:%M:%S%z.%L", "%Y-%m-%dT%H:%M:%S.%L %z x" };

	private static final String[] TEXTS = { "2026-11-22T03:47:12.123456Z", "2026-11-22T03:47:12.123456+0000",
			"2026-11-22T03:47:12.123456-05:30", "2026-11-22T03:47:12.123456+05", "2026-11-22T03:47:12.123456+05:",
			"2026-11-22T03:47:12.123456+053", "2026-11-22T03:47:12.1Z", "2026-11-22T03:47:12.123456789Z",
			"2026-11-22T03:47:12.1234567891Z", "2026-11-22T03:47:12.Z", "2026-11-22T03:47:12Z", "2026-11-22T03:47:12",
			"2026-11-22T03:47:12+01:00", "2026-11-22 03:47:12", "2026-11-22  03:47:12", "2026-11-2203:47:12",
			"2026-11-22\t03:47:12.5", "2026-02-31T03:47:12Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
			"2026-1-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z", "2026-11-22T23:59:60Z",
			"2026-11-22T23:59:61Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00Z",
			"2026-11-22T03:47:12.5e3Z", "2026-11-22T03:47:12.5E-1Z", "2026-11-22T03:47:12.123\u0000456Z",
			"2026-11-22T03:47:12\u0000", "\u00002026", "2026-11-22T03:47:12.123Z trailing", "2026-11-22T03:47:12.123 +0200",
			"2026-11-22T03:47:12.123 +0200 x", "22/11/2026:03:47:12 +0000", "20261122034712", "2026", "2026-11",
			"03:47:12 2026", "", " 2026-11-22T03:47:12Z", "2026-11-22T03:47:12.123456GMT", "2026-11-22T03:47:12.123456UTC",
			"2026-11-22T03:47:12.123456 Z", "2026-11-22T03:47:12.123456EST", "2026-11-22T03:47:12+0200.25",
			"2026-11-22T03:47:12.000000001Z", "2026-11-22T03:47:12.999999999+14:00", "2026-11-22T03:47:12.5-",
			"2026-11-22T03:47:12.5+1", "2026-11-22T03:47:12.5+1x", "1969-12-31T23:59:59.9Z", "0001-01-01T00:00:00Z" };

	@Test
	void fastPathGivesTheGeneralPathsTimeForEveryFormatAndText() {
		int taken = 0;
		for (String format : FORMATS) {
			for (String offset : new String[] { null, "+0530", "-0800" }) {
				for (boolean strict : new boolean[] { true, false }) {
					TimeFormat f = TimeFormat.compile(format, offset, null, false, strict);
					assertThat(f.hasFastPath()).as(format).isTrue();
					for (String text : TEXTS) {
						taken += compare(f, text) ? 1 : 0;
					}
				}
			}
		}
		assertThat(taken).isGreaterThan(100);
	}

	@Test
	void fastPathAgreesOnRandomMutations() {
		Random r = new Random(42);
		String alphabet = "0123456789-+:.TZ eE\t/x\u0000";
		List<TimeFormat> formats = new ArrayList<>();
		for (String format : FORMATS) {
			formats.add(TimeFormat.compile(format, null, null, false, true));
			formats.add(TimeFormat.compile(format, "-0130", null, false, false));
		}
		for (int i = 0; i < 200_000; i++) {
			StringBuilder sb = new StringBuilder(TEXTS[r.nextInt(TEXTS.length)]);
			int edits = 1 + r.nextInt(3);
			for (int e = 0; e < edits && sb.length() > 0; e++) {
				int at = r.nextInt(sb.length());
				char c = alphabet.charAt(r.nextInt(alphabet.length()));
				switch (r.nextInt(3)) {
					case 0 -> sb.setCharAt(at, c);
					case 1 -> sb.insert(at, c);
					default -> sb.deleteCharAt(at);
				}
			}
			compare(formats.get(r.nextInt(formats.size())), sb.toString());
		}
	}

	@Test
	void formatsOutsideTheFastPathHaveNone() {
		for (String format : new String[] { "%b %d %H:%M:%S", "%s", "%Y-%m-%dT%H:%M:%S %Z", "%y-%m-%d", "%Y-%j",
				"%Y-%m-%e", "%FT%T", "%Y-%m-%dT%H:%M:%S.%L%Ez" }) {
			assertThat(TimeFormat.compile(format, null, null, false, true).hasFastPath()).as(format).isFalse();
		}
		assertThat(TimeFormat.compile("%Y-%m-%dT%H:%M:%S", null, null, true, true).hasFastPath()).isFalse();
		assertThat(TimeFormat.compile("%Y-%m-%dT%H:%M:%S", null, "Europe/Paris", false, true).hasFastPath()).isFalse();
		assertThat(TimeFormat.compile("%Y-%m-%dT%H:%M:%S%z", null, "Europe/Paris", false, true).hasFastPath()).isTrue();
	}

	/** Returns whether the fast path took the text; asserts it then agrees with the general path. */
	private static boolean compare(TimeFormat f, String text) {
		byte[] b = ("<<" + text + ">>").getBytes(StandardCharsets.ISO_8859_1);
		int len = b.length - 4;
		EventTime fast = f.parseFast(b, 2, len);
		EventTime general = f.parseGeneral(b, 2, len, NOW);
		if (fast == null) {
			assertThat(f.parse(b, 2, len, NOW)).as("%s / %s", f.format(), text).isEqualTo(general);
			return false;
		}
		assertThat(fast).as("%s / %s", f.format(), text).isEqualTo(general);
		return true;
	}
}
