package dev.sluice.parser.time;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.event.EventTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Fluent Bit's time lookup cases ({@code tests/internal/parser.c}: samples of 2017-07-17 20:17:03
 * UTC = 1500322623 in several zones and layouts, and the old-syslog year-less dates) plus the
 * conversions of {@code flb_strptime}.
 */
class TimeFormatTest {

	/** "now" in 2017, so year-less formats get the year the samples were written in. */
	private static final long NOW_2017 = Instant.parse("2017-06-01T00:00:00Z").getEpochSecond();

	static EventTime parse(String format, String offset, String text) {
		return parse(TimeFormat.compile(format, offset, null, false, true), text);
	}

	static EventTime parse(TimeFormat f, String text) {
		byte[] b = text.getBytes(StandardCharsets.UTF_8);
		return f.parse(b, 0, b.length, NOW_2017);
	}

	static Stream<Arguments> fluentBitTimeEntries() {
		return Stream.of(
				// no year (old syslog), fixed offset -0600
				arguments("%b %d %H:%M:%S", "-0600", "Feb 16 04:06:58", 1487239618L, 0.0),
				arguments("%b %d %H:%M:%S.%L", "-0600", "Feb 16 04:06:58.1234", 1487239618L, 0.1234),
				arguments("%b %d %H:%M:%S,%L", "-0600", "Feb 16 04:06:58,1234", 1487239618L, 0.1234),
				// no year, zone in the text
				arguments("%b %d %H:%M:%S %z", null, "Feb 16 04:06:58 -0600", 1487239618L, 0.0),
				arguments("%b %d %H:%M:%S.%L %z", null, "Feb 16 04:06:58.1234 -0600", 1487239618L, 0.1234),
				arguments("%b %d %H:%M:%S,%L %z", null, "Feb 16 04:06:58,1234 -0600", 1487239618L, 0.1234),
				// one instant written in several zones
				arguments("%m/%d/%Y %H:%M:%S %z", null, "07/17/2017 20:17:03 +0000", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S %z", null, "07/18/2017 01:47:03 +0530", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S %z", null, "07/18/2017 05:17:03 +0900", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S %z", null, "07/17/2017 22:17:03 +0200", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S.%L %z", null, "07/17/2017 22:17:03.1 +0200", 1500322623L, 0.1),
				arguments("%m/%d/%Y %H:%M:%S,%L %z", null, "07/17/2017 22:17:03,1 +0200", 1500322623L, 0.1),
				arguments("%m/%d/%Y %H:%M:%S %z", null, "07/18/2017 01:47:03 +05:30", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S.%L %z", null, "07/17/2017 22:17:03.1 +02:00", 1500322623L, 0.1),
				arguments("%m/%d/%Y %H:%M:%S,%L %z", null, "07/17/2017 22:17:03,1 +02:00", 1500322623L, 0.1),
				arguments("%m/%d/%Y %H:%M:%S:%L %z", null, "07/17/2017 22:17:03:1 +02:00", 1500322623L, 0.1),
				// zone-less text with Time_Offset
				arguments("%m/%d/%Y %H:%M:%S", "+0530", "07/18/2017 01:47:03", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S", "+0900", "07/18/2017 05:17:03", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S", "+0200", "07/17/2017 22:17:03", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S.%L", "+0200", "07/17/2017 22:17:03.1", 1500322623L, 0.1),
				arguments("%m/%d/%Y %H:%M:%S,%L", "+0200", "07/17/2017 22:17:03,1", 1500322623L, 0.1),
				// UTC by default
				arguments("%m/%d/%Y %H:%M:%S", null, "07/17/2017 20:17:03", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%SZ", null, "07/17/2017 20:17:03Z", 1500322623L, 0.0),
				arguments("%m/%d/%Y %H:%M:%S.%LZ", null, "07/17/2017 20:17:03.1234Z", 1500322623L, 0.1234),
				arguments("%m/%d/%Y %H:%M:%S,%LZ", null, "07/17/2017 20:17:03,1234Z", 1500322623L, 0.1234),
				arguments("%a %b %d %H:%M:%S.%L %Y", null, "Fri Jul 17 20:17:03.1234 2017", 1500322623L, 0.1234));
	}

	@ParameterizedTest(name = "{0} {2}")
	@MethodSource("fluentBitTimeEntries")
	void fluentBitTimeLookup(String format, String offset, String text, long epoch, double frac) {
		EventTime t = parse(format, offset, text);
		assertThat(t).isNotNull();
		assertThat(t.seconds()).isEqualTo(epoch);
		assertThat(t.nanos()).isEqualTo((int) (long) (frac * 1_000_000_000d));
	}

	@Test
	void referenceExampleWithMillisAndOffset() {
		EventTime t = parse("%Y-%m-%dT%H:%M:%S.%L%z", null, "2024-05-01T10:00:00.250+0200");
		assertThat(t.toInstant()).isEqualTo(Instant.parse("2024-05-01T08:00:00.250Z"));
	}

	@Test
	void fractionTakesUpToNineDigits() {
		EventTime t = parse("%m/%d/%Y %H:%M:%S.%L", null,
				"10/03/2016 12:21:08.123456789123456789123456789123456789123456789123456789");
		assertThat(t.seconds()).isEqualTo(1475497268L);
		assertThat(t.nanos()).isEqualTo(123456789);
		EventTime micros = parse("%Y-%m-%dT%H:%M:%S.%L", null, "2021-02-01T01:40:03.53412Z");
		assertThat(micros.toInstant()).isEqualTo(Instant.parse("2021-02-01T01:40:03.534120Z"));
	}

	@Test
	void missingFractionFailsInStrictMode() {
		assertThat(parse("%Y-%m-%dT%H:%M:%S.%L", null, "2021-02-01T01:40:03.")).isNull();
		TimeFormat lenient = TimeFormat.compile("%Y-%m-%dT%H:%M:%S.%L", null, null, false, false);
		assertThat(parse(lenient, "2021-02-01T01:40:03.").toInstant()).isEqualTo(Instant.parse("2021-02-01T01:40:03Z"));
	}

	@Test
	void mismatchFailsStrictAndYieldsPartialTimeWhenLenient() {
		assertThat(parse("%Y-%m-%d %H:%M:%S", null, "2024-05-01 garbage")).isNull();
		TimeFormat lenient = TimeFormat.compile("%Y-%m-%d %H:%M:%S", null, null, false, false);
		assertThat(parse(lenient, "2024-05-01 garbage").toInstant()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
	}

	@Test
	void namedZones() {
		assertThat(parse("%Y-%m-%d %H:%M:%S %Z", null, "2020-10-23 12:00:31 JST").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T03:00:31Z"));
		assertThat(parse("%Y-%m-%d %H:%M:%S %Z", null, "2020-10-23 12:00:31 CEST").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T10:00:31Z"));
		assertThat(parse("%Y-%m-%d %H:%M:%S %Z", null, "2020-10-23 12:00:31 utc").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T12:00:31Z"));
		// military letter
		assertThat(parse("%Y-%m-%d %H:%M:%S %Z", null, "2020-10-23 12:00:31 N").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T13:00:31Z"));
		// a zone name must not run into letters or digits
		assertThat(parse("%Y-%m-%d %H:%M:%S %Z", null, "2020-10-23 12:00:31 XYZ")).isNull();
		// %z accepts RFC 822 names and bare hours
		assertThat(parse("%Y-%m-%d %H:%M:%S %z", null, "2020-10-23 12:00:31 EDT").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T16:00:31Z"));
		assertThat(parse("%Y-%m-%d %H:%M:%S %z", null, "2020-10-23 12:00:31 -03").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T15:00:31Z"));
		assertThat(parse("%Y-%m-%d %H:%M:%S%z", null, "2020-10-23 12:00:31Z").toInstant())
			.isEqualTo(Instant.parse("2020-10-23T12:00:31Z"));
	}

	@Test
	void conversions() {
		assertThat(parse("%s", null, "1500322623").seconds()).isEqualTo(1500322623L);
		EventTime s = parse("%s.%L", null, "1500322623.5");
		assertThat(s.seconds()).isEqualTo(1500322623L);
		assertThat(s.nanos()).isEqualTo(500_000_000);
		assertThat(parse("%Y %j %T", null, "2017 198 20:17:03").seconds()).isEqualTo(1500322623L);
		assertThat(parse("%F %I:%M:%S %p", null, "2017-07-17 08:17:03 PM").seconds()).isEqualTo(1500322623L);
		assertThat(parse("%F %I:%M:%S %p", null, "2017-07-17 12:17:03 am").toInstant())
			.isEqualTo(Instant.parse("2017-07-17T00:17:03Z"));
		assertThat(parse("%D %T", null, "07/17/17 20:17:03").seconds()).isEqualTo(1500322623L);
		assertThat(parse("%D %T", null, "07/17/69 20:17:03").toInstant())
			.isEqualTo(Instant.parse("1969-07-17T20:17:03Z"));
		assertThat(parse("%B %e %Y %R", null, "July  7 2017 20:17").toInstant())
			.isEqualTo(Instant.parse("2017-07-07T20:17:00Z"));
		assertThat(parse("%A, %d-%b-%Y %H:%M:%S", null, "Monday, 17-Jul-2017 20:17:03").seconds())
			.isEqualTo(1500322623L);
		assertThat(parse("%Y-%m-%d%%%H", null, "2017-07-17%20").toInstant())
			.isEqualTo(Instant.parse("2017-07-17T20:00:00Z"));
		assertThat(parse("%c", null, "Mon Jul 17 20:17:03 2017").seconds()).isEqualTo(1500322623L);
	}

	@Test
	void outOfRangeEpochIsAFailureNotAnException() {
		assertThat(parse("%s", null, "922337203685477579")).isNull();
	}

	@Test
	void whitespaceInTheFormatMatchesAnyRun() {
		assertThat(parse("%Y-%m-%d %H:%M", null, "2017-07-17     20:17").toInstant())
			.isEqualTo(Instant.parse("2017-07-17T20:17:00Z"));
		assertThat(parse("%Y-%m-%d %H:%M", null, "2017-07-1720:17").toInstant())
			.isEqualTo(Instant.parse("2017-07-17T20:17:00Z"));
		// input ending before the format does fails
		assertThat(parse("%Y-%m-%d %H:%M", null, "2017-07-17")).isNull();
		// trailing input is ignored
		assertThat(parse("%Y-%m-%d", null, "2017-07-17 and more").toInstant())
			.isEqualTo(Instant.parse("2017-07-17T00:00:00Z"));
	}

	@Test
	void numbersAreBoundedByTheirRange() {
		assertThat(parse("%Y%m%d%H%M%S", null, "20170717201703").seconds()).isEqualTo(1500322623L);
		assertThat(parse("%m/%d/%Y", null, "13/01/2017")).isNull();
		assertThat(parse("%H:%M", null, "24:00")).isNull();
	}

	@Test
	void yearLessFormatsTakeTodaysYear() {
		EventTime t = parse("%H:%M:%S", null, "10:11:12");
		assertThat(t.toInstant()).isEqualTo(Instant.parse("2017-06-01T10:11:12Z"));
	}

	@Test
	void timeOffsets() {
		assertThat(TimeFormat.parseOffset("+0000")).isZero();
		assertThat(TimeFormat.parseOffset("+00:00")).isZero();
		assertThat(TimeFormat.parseOffset("+00:59")).isEqualTo(3540L);
		assertThat(TimeFormat.parseOffset("-0600")).isEqualTo(-21600L);
		assertThat(TimeFormat.parseOffset("-06:00")).isEqualTo(-21600L);
		assertThat(TimeFormat.parseOffset("Z")).isZero();
		assertThat(TimeFormat.parseOffset("0000")).isNull();
		assertThat(TimeFormat.parseOffset("+00:90")).isNull();
		assertThat(TimeFormat.parseOffset("--600")).isNull();
		assertThatThrownBy(() -> TimeFormat.compile("%H", "bogus", null, false, true))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void ianaZones() {
		TimeFormat ny = TimeFormat.compile("%m/%d/%Y %H:%M:%S", null, "America/New_York", false, true);
		assertThat(parse(ny, "07/17/2017 16:17:03").seconds()).isEqualTo(1500322623L);
		assertThat(parse(ny, "01/15/2017 15:00:00").seconds()).isEqualTo(1484510400L);
		TimeFormat syd = TimeFormat.compile("%m/%d/%Y %H:%M:%S", null, "Australia/Sydney", false, true);
		assertThat(parse(syd, "01/15/2017 15:00:00").seconds()).isEqualTo(1484452800L);
		assertThat(parse(syd, "07/17/2017 16:17:03").seconds()).isEqualTo(1500272223L);
		// a zone in the text wins
		assertThat(parse(ny, "07/17/2017 16:17:03").seconds()).isEqualTo(1500322623L);
		TimeFormat nyz = TimeFormat.compile("%m/%d/%Y %H:%M:%S %z", null, "America/New_York", false, true);
		assertThat(parse(nyz, "07/17/2017 20:17:03 +0000").seconds()).isEqualTo(1500322623L);
	}

	@Test
	void ianaZoneConflicts() {
		assertThatThrownBy(() -> TimeFormat.compile("%H", null, "America/New_York", true, true))
			.hasMessageContaining("time_system_timezone");
		assertThatThrownBy(() -> TimeFormat.compile("%H", "+0000", "America/New_York", false, true))
			.hasMessageContaining("time_offset");
		assertThatThrownBy(() -> TimeFormat.compile("%H", null, "America/Not_A_City", false, true))
			.hasMessageContaining("invalid or unavailable time_zone");
	}
}
