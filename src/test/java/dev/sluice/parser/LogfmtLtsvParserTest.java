package dev.sluice.parser;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;

import static dev.sluice.parser.JsonParserTest.ordered;
import static org.assertj.core.api.Assertions.assertThat;

class LogfmtLtsvParserTest {

	private static final String LOGFMT = """
			[PARSER]
			    Name   logfmt
			    Format logfmt
			""";

	@Test
	void logfmtBasic() {
		ParseResult r = TestParsers.parser(LOGFMT).parse("str=\"text\" int=100 double=1.23 bool=true");
		assertThat(r.record()).isEqualTo(ordered("str", "text", "int", "100", "double", "1.23", "bool", "true"));
		assertThat(r.time()).isNull();
	}

	@Test
	void logfmtTimeKeyAndKeep() {
		String input = "str=\"text\" int=100 double=1.23 bool=true time=2022-10-31T12:00:01.123";
		Parser p = TestParsers.parser(LOGFMT + "    Time_Key time\n    Time_Format %Y-%m-%dT%H:%M:%S.%L\n");
		ParseResult r = p.parse(input);
		assertThat(r.time()).isEqualTo(new EventTime(1667217601L, 123000000));
		assertThat(r.record()).isEqualTo(ordered("str", "text", "int", "100", "double", "1.23", "bool", "true"));
		Parser keep = TestParsers.parser(LOGFMT + "    Time_Key time\n    Time_Format %Y-%m-%dT%H:%M:%S.%L\n    Time_Keep on\n");
		assertThat(keep.parse(input).record()).containsEntry("time", "2022-10-31T12:00:01.123");
		// an unreadable time fails the whole line
		assertThat(p.parse("a=1 time=yesterday")).isNull();
	}

	@Test
	void logfmtTypes() {
		Parser p = TestParsers.parser(LOGFMT + "    Types int:hex\n");
		assertThat(p.parse("str=\"text\" int=100 double=1.23 bool=true").record())
			.isEqualTo(ordered("str", "text", "int", 256L, "double", "1.23", "bool", "true"));
	}

	@Test
	void logfmtBareKeysEscapesAndGarbage() {
		Parser p = TestParsers.parser(LOGFMT);
		assertThat(p.parse("flag a= b=\"\" c=\"x \\\"y\\\" \\n z\" =skip d").record())
			.isEqualTo(ordered("flag", true, "a", true, "b", "", "c", "x \"y\" \n z", "skip", true, "d", true));
		// the line ends at a newline right after a value
		assertThat(p.parse("a=1\nb=2").record()).isEqualTo(ordered("a", "1"));
		assertThat(p.parse("   ")).isNull();
		Parser strict = TestParsers.parser(LOGFMT + "    logfmt_no_bare_keys on\n");
		assertThat(strict.parse("a=1 flag")).isNull();
		assertThat(strict.parse("a=1 b=").record()).isEqualTo(ordered("a", "1", "b", true));
	}

	@Test
	void ltsv() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name   ltsv
				    Format ltsv
				""");
		assertThat(p.parse("a:b\tc:d").record()).isEqualTo(ordered("a", "b", "c", "d"));
		assertThat(p.parse("a:very long string with whitespace\tc:d").record())
			.isEqualTo(ordered("a", "very long string with whitespace", "c", "d"));
		assertThat(p.parse("a:b:c\tc:d").record()).isEqualTo(ordered("a", "b:c", "c", "d"));
		assertThat(p.parse("bad label:x")).isNull();
		assertThat(p.parse("a:1\r\nb:2").record()).isEqualTo(ordered("a", "1"));
	}

	@Test
	void ltsvTimeAndTypes() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name        ltsv
				    Format      ltsv
				    Time_Key    time
				    Time_Format [%d/%b/%Y:%H:%M:%S %z]
				    Types       status:integer
				""");
		ParseResult r = p.parse("time:[28/Feb/2013:12:00:00 +0900]\thost:192.168.0.1\tstatus:200");
		assertThat(r.time()).isEqualTo(new EventTime(1362020400L, 0));
		assertThat(r.record()).isEqualTo(ordered("host", "192.168.0.1", "status", 200L));
	}

	@Test
	void tskv() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name   tskv
				    Format tskv
				""");
		assertThat(p.parse("a=b\tc=d").record()).isEqualTo(ordered("a", "b", "c", "d"));
		assertThat(p.parse("tskv\ta=b\tc=d").record()).isEqualTo(ordered("a", "b", "c", "d"));
		assertThat(p.parse("a=b=c\tc=d").record()).isEqualTo(ordered("a", "b=c", "c", "d"));
	}
}
