package dev.sluice.parser;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;

import static dev.sluice.parser.JsonParserTest.ordered;
import static org.assertj.core.api.Assertions.assertThat;

class RegexParserTest {

	@Test
	void referenceExample() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        my_access
				    Format      regex
				    Regex       ^(?<host>[^ ]+) (?<method>[A-Z]+) (?<path>[^ ]+) (?<code>\\d{3}) (?<time>[^ ]+)$
				    Time_Key    time
				    Time_Format %Y-%m-%dT%H:%M:%S.%L%z
				    Types       code:integer
				""");
		ParseResult r = p.parse("10.0.0.1 GET /x 200 2024-05-01T10:00:00.250+0200");
		assertThat(r.time().toInstant()).isEqualTo(Instant.parse("2024-05-01T08:00:00.250Z"));
		assertThat(r.record()).isEqualTo(ordered("host", "10.0.0.1", "method", "GET", "path", "/x", "code", 200L));
	}

	@Test
	void noMatchIsAFailure() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name   r
				    Format regex
				    Regex  ^(?<a>\\d+)$
				""");
		assertThat(p.parse("abc")).isNull();
		assertThat(p.parse("123").record()).isEqualTo(Map.of("a", "123"));
	}

	@Test
	void aRegexWithoutGroupsNeverParses() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name   r
				    Format regex
				    Regex  ^abc$
				""");
		assertThat(p.parse("abc")).isNull();
	}

	@Test
	void emptyCapturesAreSkippedByDefault() {
		String conf = """
				[PARSER]
				    Name   r
				    Format regex
				    Regex  ^(?<a>[^ ]*) (?<b>[^ ]*)(?: (?<c>.+))?$
				""";
		assertThat(TestParsers.parser(conf).parse(" x").record()).isEqualTo(ordered("b", "x"));
		Parser keep = TestParsers.parser(conf + "    Skip_Empty_Values off\n");
		assertThat(keep.parse(" x").record()).isEqualTo(ordered("a", "", "b", "x", "c", ""));
	}

	@Test
	void types() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name   r
				    Format regex
				    Regex  ^(?<i>\\S*) (?<f>\\S*) (?<b>\\S*) (?<h>\\S*) (?<s>\\S*) (?<bad>\\S*)$
				    Types  i:integer f:float b:bool h:hex s:string bad:bool
				""");
		Map<String, Object> m = p.parse("42abc -1.5e2 TRUE 0xff 007 maybe").record();
		assertThat(m).isEqualTo(ordered("i", 42L, "f", -150.0, "b", true, "h", 255L, "s", "007", "bad", "maybe"));
		Map<String, Object> m2 = p.parse("x 3. false ZZ s no").record();
		assertThat(m2).isEqualTo(ordered("i", 0L, "f", 3.0, "b", false, "h", 0L, "s", "s", "bad", "no"));
	}

	@Test
	void badTimeDropsTheFieldAndGivesNoTime() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        r
				    Format      regex
				    Regex       ^(?<time>[^ ]+) (?<msg>.*)$
				    Time_Key    time
				    Time_Format %Y-%m-%d
				    Time_Keep   On
				""");
		ParseResult r = p.parse("someday hello");
		assertThat(r.time()).isNull();
		assertThat(r.record()).isEqualTo(ordered("msg", "hello"));
		ParseResult ok = p.parse("2024-05-01 hello");
		assertThat(ok.time().toInstant()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
		assertThat(ok.record()).isEqualTo(ordered("time", "2024-05-01", "msg", "hello"));
	}

	@Test
	void fluentBitRegexTimeSample() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        no_year_NC_TZ
				    Format      regex
				    Regex       ^(?<key001>[^ ]*) (?<key002>[^ ]*) (?<time>.+)$
				    Time_Key    time
				    Time_Format %b %d %H:%M:%S,%L %z
				    Time_Keep   On
				""");
		ParseResult r = p.parse("12345 0.99 Feb 16 04:06:58,1234 -0600");
		assertThat(r.time()).isEqualTo(new EventTime(1487239618L, (int) (long) (0.1234 * 1e9)));
		assertThat(r.record()).isEqualTo(ordered("key001", "12345", "key002", "0.99", "time", "Feb 16 04:06:58,1234 -0600"));
	}

	@Test
	void stockApacheNginxAndSyslog() {
		ParserRegistry stock = ParserRegistry.stock();
		ParseResult a = stock.parser("apache2")
			.parse("192.168.2.20 - - [29/Jul/2015:10:27:10 -0300] \"GET /cgi-bin/try/ HTTP/1.0\" 200 3395");
		assertThat(a.time().toInstant()).isEqualTo(Instant.parse("2015-07-29T13:27:10Z"));
		assertThat(a.record()).isEqualTo(ordered("host", "192.168.2.20", "user", "-", "method", "GET", "path",
				"/cgi-bin/try/", "code", "200", "size", "3395"));
		ParseResult n = stock.parser("nginx")
			.parse("172.17.0.1 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.0\"");
		assertThat(n.time().toInstant()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
		assertThat(n.record()).containsEntry("remote", "172.17.0.1").containsEntry("agent", "curl/8.0")
			.containsEntry("code", "200").doesNotContainKey("time");
		ParseResult s = stock.parser("syslog-rfc5424")
			.parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"] An application event");
		assertThat(s.time().toInstant()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
		assertThat(s.record()).containsEntry("pri", "165").containsEntry("host", "mymachine.example.com")
			.containsEntry("ident", "evntslog").containsEntry("pid", "-").containsEntry("msgid", "ID47")
			.containsEntry("extradata", "[exampleSDID@32473 iut=\"3\"]").containsEntry("message", "An application event")
			.containsEntry("time", "2003-10-11T22:14:15.003Z");
		ParseResult cri = stock.parser("cri").parse("2024-05-01T10:00:00.123456789Z stdout F hello world");
		assertThat(cri.time()).isEqualTo(new EventTime(Instant.parse("2024-05-01T10:00:00Z").getEpochSecond(), 123456789));
		assertThat(cri.record()).isEqualTo(ordered("time", "2024-05-01T10:00:00.123456789Z", "stream", "stdout",
				"logtag", "F", "message", "hello world"));
	}

	@Test
	void rfc3164WithoutYearUsesTheCurrentYear() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        syslog-rfc3164
				    Format      regex
				    Regex       /^\\<(?<pri>[0-9]+)\\>(?<time>[^ ]* {1,2}[^ ]* [^ ]*) (?<host>[^ ]*) (?<ident>[a-zA-Z0-9_\\/\\.\\-]*)(?:\\[(?<pid>[0-9]+)\\])?(?:[^\\:]*\\:)? *(?<message>.*)$/
				    Time_Key    time
				    Time_Format %b %d %H:%M:%S
				    Time_Keep   On
				""");
		ParseResult r = p.parse("<34>Oct  3 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8");
		assertThat(r.time().toInstant()).isEqualTo(Instant.parse("2017-10-03T22:14:15Z"));
		assertThat(r.record()).isEqualTo(ordered("pri", "34", "time", "Oct  3 22:14:15", "host", "mymachine", "ident",
				"su", "pid", "123", "message", "'su root' failed for lonvick on /dev/pts/8"));
	}

	@Test
	void invalidUtf8IsNotAnError() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name   r
				    Format regex
				    Regex  ^(?<all>.*)$
				""");
		byte[] b = { 'a', (byte) 0xff, 'b' };
		assertThat(p.parse(b, 0, b.length)).isNotNull();
	}
}
