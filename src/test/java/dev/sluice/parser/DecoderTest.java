package dev.sluice.parser;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.sluice.parser.JsonParserTest.ordered;
import static org.assertj.core.api.Assertions.assertThat;

class DecoderTest {

	@Test
	void mysqlQuoted() {
		// tests/internal/parser.c test_mysql_unquoted
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name            mysql_quoted_stuff
				    Format          regex
				    Regex           ^(?<time>[^,]+),(?<key001>.*)$
				    Decode_Field_As mysql_quoted key001
				""");
		String[][] cases = { { "2010-01-01 02:10:22,plain", "plain" }, { "2010-01-01 02:10:22,''", "" },
				{ "2010-01-01 02:10:22,'333'", "333" }, { "2010-01-01 02:10:22,'\\n'", "\n" },
				{ "2010-01-01 02:10:22,'\\r'", "\r" }, { "2010-01-01 02:10:22,'\\''", "'" },
				{ "2010-01-01 02:10:22,'\\\"'", "\"" }, { "2010-01-01 02:10:22,'\\\\'", "\\" },
				{ "2010-01-01 02:10:22,'abc\\nE\\\\'", "abc\nE\\" } };
		for (String[] c : cases) {
			assertThat(p.parse(c[0]).record().get("key001")).as(c[0]).isEqualTo(c[1]);
		}
	}

	@Test
	void decodeFieldJsonMergesKeysAtTheEnd() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name         d
				    Format       regex
				    Regex        ^(?<level>\\w+) (?<log>.*)$
				    Decode_Field json log
				""");
		Map<String, Object> m = p.parse("info {\"a\":1,\"b\":\"x\"}").record();
		assertThat(m).isEqualTo(ordered("level", "info", "log", "{\"a\":1,\"b\":\"x\"}", "a", 1L, "b", "x"));
		// not JSON: the record is left as parsed
		assertThat(p.parse("info plain text").record()).isEqualTo(ordered("level", "info", "log", "plain text"));
	}

	@Test
	void decodeFieldAsJsonReplacesTheValue() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name            d
				    Format          regex
				    Regex           ^(?<log>.*)$
				    Decode_Field_As json log
				""");
		assertThat(p.parse("{\"a\":{\"b\":2}}").record()).isEqualTo(Map.of("log", Map.of("a", Map.of("b", 2L))));
	}

	@Test
	void escapedChainsWithDoNext() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name            docker
				    Format          json
				    Decode_Field_As escaped_utf8 log do_next
				    Decode_Field_As json         log
				""");
		Map<String, Object> m = p.parse("{\"log\":\"{\\\\\\\"k\\\\\\\":\\\\\\\"v\\\\\\\"}\",\"stream\":\"stdout\"}").record();
		assertThat(m.get("stream")).isEqualTo("stdout");
		// escaped_utf8 keeps \" as it is, json then unescapes it and decodes the object
		assertThat(m.get("log")).isEqualTo(Map.of("k", "v"));
	}

	@Test
	void escapedDecodesCEscapes() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name            e
				    Format          regex
				    Regex           ^(?<log>.*)$
				    Decode_Field_As escaped log
				""");
		assertThat(p.parse("a\\tb\\nc\\\\d\\qe").record().get("log")).isEqualTo("a\tb\nc\\dqe");
	}

	@Test
	void escapedUtf8DecodesUnicodeEscapes() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name            e
				    Format          regex
				    Regex           ^(?<log>.*)$
				    Decode_Field_As escaped_utf8 log
				""");
		assertThat(p.parse("caf\\u00e9 \\x41\\101 \\\"q\\\"").record().get("log")).isEqualTo("café AA \\\"q\\\"");
	}

	@Test
	void tryNextFallsThroughOnFailure() {
		Parser p = TestParsers.parser("""
				[PARSER]
				    Name            e
				    Format          regex
				    Regex           ^(?<log>.*)$
				    Decode_Field_As json    log try_next
				    Decode_Field_As escaped log
				""");
		assertThat(p.parse("a\\tb").record().get("log")).isEqualTo("a\tb");
		assertThat(p.parse("{\"x\":1}").record().get("log")).isEqualTo(Map.of("x", 1L));
	}
}
