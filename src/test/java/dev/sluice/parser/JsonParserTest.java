package dev.sluice.parser;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;

import static org.assertj.core.api.Assertions.assertThat;

class JsonParserTest {

	private static final String PLAIN = """
			[PARSER]
			    Name   j
			    Format json
			""";

	private static final String DOCKER = """
			[PARSER]
			    Name         docker
			    Format       json
			    Time_Key     time
			    Time_Format  %Y-%m-%dT%H:%M:%S.%L
			    Time_Keep    On
			""";

	@Test
	void objectBecomesTheRecordInOrderWithTypes() {
		ParseResult r = TestParsers.parser(PLAIN)
			.parse("{\"b\":1,\"a\":\"x\",\"f\":1.5,\"n\":null,\"t\":true,\"arr\":[1,\"2\",{\"k\":-3}],\"big\":18446744073709551615}");
		assertThat(r).isNotNull();
		assertThat(r.time()).isNull();
		Map<String, Object> m = r.record();
		assertThat(m.keySet()).containsExactly("b", "a", "f", "n", "t", "arr", "big");
		assertThat(m.get("b")).isEqualTo(1L);
		assertThat(m.get("f")).isEqualTo(1.5);
		assertThat(m.get("n")).isNull();
		assertThat(m.get("t")).isEqualTo(true);
		assertThat(m.get("arr")).isEqualTo(List.of(1L, "2", Map.of("k", -3L)));
		assertThat(m.get("big")).isEqualTo(new java.math.BigInteger("18446744073709551615"));
	}

	@Test
	void decimalsAreTheSameDoublesAsDoubleParseDouble() {
		Parser p = TestParsers.parser(PLAIN);
		java.util.SplittableRandom r = new java.util.SplittableRandom(7);
		List<String> samples = new java.util.ArrayList<>(List.of("0.0", "-0.0", "12.50", "0.1", "0.3", "-9.87654321",
				"123456789012345.6", "1234567890123456.7", "0.0000000000000000000001", "0.00000000000000000000001",
				"99999999999999.99", "4.35", "1.7976931348623157", "2.2250738585072014", "100.000000000000001"));
		for (int i = 0; i < 20_000; i++) {
			int intDigits = r.nextInt(1, 17);
			int fracDigits = r.nextInt(1, 24);
			StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
			sb.append(r.nextInt(1, 10));
			for (int d = 1; d < intDigits; d++) {
				sb.append(r.nextInt(10));
			}
			sb.append('.');
			for (int d = 0; d < fracDigits; d++) {
				sb.append(r.nextInt(10));
			}
			samples.add(r.nextInt(4) == 0 ? "0." + sb.substring(sb.indexOf(".") + 1) : sb.toString());
		}
		for (String n : samples) {
			Object v = p.parse("{\"v\":" + n + "}").record().get("v");
			assertThat(v).as(n).isInstanceOf(Double.class);
			assertThat(Double.doubleToRawLongBits((Double) v)).as(n).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(n)));
		}
	}

	@Test
	void numbers() {
		Map<String, Object> m = TestParsers.parser(PLAIN)
			.parse("{\"a\":-0,\"b\":1e3,\"c\":-9223372036854775808,\"d\":-9223372036854775809,\"e\":0.1,"
					+ "\"f\":123456789012345678901234567890,\"g\":9223372036854775807}")
			.record();
		assertThat(m).containsEntry("a", 0L).containsEntry("b", 1000.0).containsEntry("c", Long.MIN_VALUE)
			.containsEntry("d", -9.223372036854775809E18).containsEntry("e", 0.1)
			.containsEntry("f", 1.2345678901234568E29).containsEntry("g", Long.MAX_VALUE);
		Parser p = TestParsers.parser(PLAIN);
		assertThat(p.parse("{\"a\":01}")).isNull();
		assertThat(p.parse("{\"a\":1.}")).isNull();
		assertThat(p.parse("{\"a\":+1}")).isNull();
		assertThat(p.parse("{\"a\":\"\\x\"}")).isNull();
	}

	@Test
	void escapesAreDecoded() {
		Map<String, Object> m = TestParsers.parser(PLAIN)
			.parse("{\"log\":\"a\\n\\t\\\"q\\\" \\u00e9 \\ud83d\\ude00 \\/\"}")
			.record();
		assertThat(m).containsEntry("log", "a\n\t\"q\" é 😀 /");
	}

	@Test
	void onlyASingleTopLevelObjectIsAccepted() {
		Parser p = TestParsers.parser(PLAIN);
		assertThat(p.parse("[1,2]")).isNull();
		assertThat(p.parse("\"text\"")).isNull();
		assertThat(p.parse("42")).isNull();
		assertThat(p.parse("{\"a\":1}{\"b\":2}")).isNull();
		assertThat(p.parse("{\"a\":1")).isNull();
		assertThat(p.parse("not json")).isNull();
		assertThat(p.parse("")).isNull();
		assertThat(p.parse("  {\"a\":1}  \n")).isNotNull();
		assertThat(p.parse("{}").record()).isEmpty();
	}

	@Test
	void duplicateKeysAreKeptInTheBytes() {
		ParseResult r = TestParsers.parser(PLAIN).parse("{\"a\":1,\"a\":2}");
		MapSlices s = MapSlices.scan(r.map(), 0, r.map().length);
		assertThat(s.size()).isEqualTo(2);
	}

	@Test
	void largeObjectsUseLongHeaders() {
		StringBuilder sb = new StringBuilder("{");
		for (int i = 0; i < 70000; i++) {
			sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
		}
		sb.append("}");
		Map<String, Object> m = TestParsers.parser(PLAIN).parse(sb.toString()).record();
		assertThat(m).hasSize(70000).containsEntry("k69999", 69999L);
		String longText = "x".repeat(70000);
		assertThat(TestParsers.parser(PLAIN).parse("{\"s\":\"" + longText + "\\n\"}").record().get("s"))
			.isEqualTo(longText + "\n");
	}

	@Test
	void timeKeyIsParsedAndKept() {
		ParseResult r = TestParsers.parser(DOCKER)
			.parse("{\"log\":\"hey!\\n\",\"stream\":\"stdout\",\"time\":\"2021-02-01T01:40:03.53412Z\"}");
		assertThat(r.time().toInstant()).isEqualTo(Instant.parse("2021-02-01T01:40:03.534120Z"));
		assertThat(r.record()).containsEntry("time", "2021-02-01T01:40:03.53412Z").containsKey("log");
	}

	@Test
	void timeKeyIsRemovedUnlessKept() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        j
				    Format      json
				    Time_Key    ts
				    Time_Format %Y-%m-%dT%H:%M:%S.%L%z
				""");
		ParseResult r = p.parse("{\"a\":1,\"ts\":\"2024-05-01T10:00:00.250+0200\",\"b\":2}");
		assertThat(r.time().toInstant()).isEqualTo(Instant.parse("2024-05-01T08:00:00.250Z"));
		assertThat(r.record()).isEqualTo(ordered("a", 1L, "b", 2L));
		assertThat(r.map()[0] & 0xFF).isEqualTo(0x82);
	}

	@Test
	void unparsableTimeKeepsTheFieldAndGivesNoTime() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        j
				    Format      json
				    Time_Key    time
				    Time_Format %Y-%m-%d
				""");
		ParseResult r = p.parse("{\"time\":\"yesterday\",\"a\":1}");
		assertThat(r.time()).isNull();
		assertThat(r.record()).containsEntry("time", "yesterday");
		ParseResult numeric = p.parse("{\"time\":1700000000,\"a\":1}");
		assertThat(numeric.time()).isNull();
		assertThat(numeric.record()).containsEntry("time", 1700000000L);
		// no time key at all
		assertThat(p.parse("{\"a\":1}").time()).isNull();
	}

	@Test
	void withoutTimeFormatTheTimeFieldIsData() {
		ParseResult r = TestParsers.parser(PLAIN).parse("{\"time\":\"2024-05-01\"}");
		assertThat(r.time()).isNull();
		assertThat(r.record()).containsEntry("time", "2024-05-01");
	}

	@Test
	void fluentBitJsonTimeSamples() {
		// tests/internal/parser.c JSON_FMT_01 with the generic_N_TZ parser
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        generic_N_TZ
				    Format      json
				    Time_Key    time
				    Time_Format %m/%d/%Y %H:%M:%S.%L %z
				    Time_Keep   On
				""");
		ParseResult r = p.parse("{\"key001\": 12345, \"key002\": 0.99, \"time\": \"07/17/2017 22:17:03.1 +0200\"}");
		assertThat(r.time()).isEqualTo(new EventTime(1500322623L, 100_000_000));
		assertThat(r.record()).containsEntry("key001", 12345L).containsEntry("key002", 0.99);
	}

	static Map<String, Object> ordered(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}
}
