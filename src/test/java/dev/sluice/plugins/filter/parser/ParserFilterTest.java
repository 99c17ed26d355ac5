package dev.sluice.plugins.filter.parser;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runtime tests: lib input → parser filter → lib output, asserting the exact records. */
class ParserFilterTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final EventTime T0 = new EventTime(1_700_000_000L, 123);

	private static final String REGEX = "^(?<INT>[^ ]+) (?<FLOAT>[^ ]+) (?<BOOL>[^ ]+) (?<STRING>.+)$";

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private static EmbeddedSluice.Builder base() {
		return EmbeddedSluice.builder().service("flush", "0.05").input("lib", "tag", "app");
	}

	private List<LogEvent> run(EmbeddedSluice.Builder b, int expected, Map<String, Object>... records)
			throws InterruptedException {
		this.sluice = b.output("lib", "match", "*").build().start();
		LibInput in = this.sluice.plugin("lib.0", LibInput.class);
		for (Map<String, Object> r : records) {
			in.push(T0, r);
		}
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, expected + " records", () -> out.events().size() >= expected);
		return out.events();
	}

	private static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private static EmbeddedSluice.Builder regexPipeline(String... filterProps) {
		EmbeddedSluice.Builder b = base().parser("dummy_test", "format", "regex", "regex", REGEX);
		String[] kv = new String[filterProps.length + 2];
		kv[0] = "match";
		kv[1] = "*";
		System.arraycopy(filterProps, 0, kv, 2, filterProps.length);
		return b.filter("parser", kv);
	}

	@Test
	void extractsFieldsAndDropsTheRest() throws Exception {
		List<LogEvent> out = run(regexPipeline("key_name", "data", "parser", "dummy_test"), 1,
				rec("data", "100 0.5 true This is an example", "extra", "x"));
		assertThat(out.get(0).body()).isEqualTo(rec("INT", "100", "FLOAT", "0.5", "BOOL", "true", "STRING",
				"This is an example"));
		assertThat(out.get(0).time()).isEqualTo(T0);
	}

	@Test
	void reserveDataKeepsTheOtherFieldsAfterTheParsedOnes() throws Exception {
		List<LogEvent> out = run(regexPipeline("key_name", "data", "parser", "dummy_test", "reserve_data", "on"), 1,
				rec("before", 1L, "data", "100 0.5 true text", "after", "x"));
		assertThat(out.get(0).body()).isEqualTo(rec("INT", "100", "FLOAT", "0.5", "BOOL", "true", "STRING", "text",
				"before", 1L, "after", "x"));
	}

	@Test
	void preserveKeyWithAndWithoutReserveData() throws Exception {
		List<LogEvent> out = run(regexPipeline("key_name", "data", "parser", "dummy_test", "reserve_data", "on",
				"preserve_key", "on"), 1, rec("before", 1L, "data", "1 2 3 4", "after", "x"));
		assertThat(out.get(0).body()).isEqualTo(rec("INT", "1", "FLOAT", "2", "BOOL", "3", "STRING", "4", "before", 1L,
				"data", "1 2 3 4", "after", "x"));
		this.sluice.close();
		List<LogEvent> out2 = run(regexPipeline("key_name", "data", "parser", "dummy_test", "preserve_key", "on"), 1,
				rec("before", 1L, "data", "1 2 3 4", "after", "x"));
		assertThat(out2.get(0).body()).isEqualTo(rec("INT", "1", "FLOAT", "2", "BOOL", "3", "STRING", "4", "data",
				"1 2 3 4"));
	}

	@Test
	void parsedTimeReplacesTheTimestamp() throws Exception {
		EmbeddedSluice.Builder b = base()
			.parser("my_access", "format", "regex", "regex",
					"^(?<host>[^ ]+) (?<method>[A-Z]+) (?<path>[^ ]+) (?<code>\\d{3}) (?<time>[^ ]+)$", "time_key", "time",
					"time_format", "%Y-%m-%dT%H:%M:%S.%L%z", "types", "code:integer")
			.filter("parser", "match", "*", "key_name", "log", "parser", "my_access");
		List<LogEvent> out = run(b, 1, rec("log", "10.0.0.1 GET /x 200 2024-05-01T10:00:00.250+0200"));
		assertThat(out.get(0).time().toInstant()).isEqualTo(Instant.parse("2024-05-01T08:00:00.250Z"));
		assertThat(out.get(0).body()).isEqualTo(rec("host", "10.0.0.1", "method", "GET", "path", "/x", "code", 200L));
	}

	@Test
	void firstParserThatMatchesWins() throws Exception {
		EmbeddedSluice.Builder b = base().parser("json_p", "format", "json")
			.parser("kv", "format", "logfmt")
			.filter("parser", "match", "*", "key_name", "log", "parser", "json_p")
			.property("parser", "kv");
		List<LogEvent> out = run(b, 2, rec("log", "{\"a\":1}"), rec("log", "b=2 c=\"x y\""));
		assertThat(out.get(0).body()).isEqualTo(rec("a", 1L));
		assertThat(out.get(1).body()).isEqualTo(rec("b", "2", "c", "x y"));
	}

	@Test
	void unparsableAndNonStringValuesPassUnchanged() throws Exception {
		EmbeddedSluice.Builder b = base().parser("json_p", "format", "json", "time_key", "time", "time_format",
				"%Y-%m-%d")
			.filter("parser", "match", "*", "key_name", "log", "parser", "json_p");
		List<LogEvent> out = run(b, 4, rec("log", "not json", "x", 1L), rec("log", 42L), rec("other", "y"),
				rec("log", "{\"time\":\"bad\",\"v\":true}"));
		assertThat(out.get(0).body()).isEqualTo(rec("log", "not json", "x", 1L));
		assertThat(out.get(1).body()).isEqualTo(rec("log", 42L));
		assertThat(out.get(2).body()).isEqualTo(rec("other", "y"));
		// parsed, but the time could not be read: the field stays and the event keeps its time
		assertThat(out.get(3).body()).isEqualTo(rec("time", "bad", "v", true));
		assertThat(out).extracting(LogEvent::time).containsOnly(T0);
	}

	@Test
	void recordAccessorKeyReachesNestedValues() throws Exception {
		EmbeddedSluice.Builder b = base().parser("json_p", "format", "json")
			.filter("parser", "match", "*", "key_name", "$kubernetes['log']", "parser", "json_p", "reserve_data", "on");
		List<LogEvent> out = run(b, 1, rec("kubernetes", rec("log", "{\"level\":\"info\"}"), "x", 1L));
		assertThat(out.get(0).body()).isEqualTo(rec("level", "info", "kubernetes", rec("log", "{\"level\":\"info\"}"),
				"x", 1L));
	}

	@Test
	void stockParsersViaParsersFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		java.nio.file.Path f = dir.resolve("parsers.conf");
		java.nio.file.Files.writeString(f, dev.sluice.parser.StockParsers.CONTENT);
		EmbeddedSluice.Builder b = base().service("parsers_file", f.toString())
			.filter("parser", "match", "*", "key_name", "log", "parser", "apache2");
		List<LogEvent> out = run(b, 1,
				rec("log", "192.168.2.20 - - [29/Jul/2015:10:27:10 -0300] \"GET /cgi-bin/try/ HTTP/1.0\" 200 3395"));
		assertThat(out.get(0).time()).isEqualTo(new EventTime(Instant.parse("2015-07-29T13:27:10Z").getEpochSecond(), 0));
		assertThat(out.get(0).body()).isEqualTo(rec("host", "192.168.2.20", "user", "-", "method", "GET", "path",
				"/cgi-bin/try/", "code", "200", "size", "3395"));
	}

	@Test
	void yamlConfigurationWithParsersSection(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		java.nio.file.Path yaml = dir.resolve("fluent-bit.yaml");
		java.nio.file.Files.writeString(yaml, """
				service:
				  flush: 0.05
				parsers:
				  - name: my_json
				    format: json
				    time_key: ts
				    time_format: '%Y-%m-%dT%H:%M:%S.%L%z'
				    time_keep: on
				pipeline:
				  inputs:
				    - name: lib
				      tag: app
				  filters:
				    - name: parser
				      match: '*'
				      key_name: log
				      parser: my_json
				      reserve_data: on
				  outputs:
				    - name: lib
				      match: '*'
				""");
		this.sluice = EmbeddedSluice.of(new dev.sluice.config.ConfigLoader(Map.of()).load(yaml)).start();
		this.sluice.plugin("lib.0", LibInput.class).push(T0, rec("log", "{\"ts\":\"2024-05-01T10:00:00.5+0000\",\"a\":1}", "k", "v"));
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "1 record", () -> out.events().size() == 1);
		assertThat(out.events().get(0).time().toInstant()).isEqualTo(Instant.parse("2024-05-01T10:00:00.5Z"));
		assertThat(out.events().get(0).body()).isEqualTo(rec("ts", "2024-05-01T10:00:00.5+0000", "a", 1L, "k", "v"));
	}

	@Test
	void initFailsWithoutUsableParsersOrKey() {
		assertThatThrownBy(() -> base().filter("parser", "match", "*", "key_name", "log", "parser", "nope")
			.output("lib", "match", "*").build().start()).isInstanceOf(ConfigException.class)
			.hasMessageContaining("Invalid 'parser'");
		assertThatThrownBy(() -> base().parser("j", "format", "json").filter("parser", "match", "*", "parser", "j")
			.output("lib", "match", "*").build().start()).isInstanceOf(ConfigException.class)
			.hasMessageContaining("missing 'key_name'");
	}

	@Test
	void badParserDefinitionFailsTheBuild() {
		assertThatThrownBy(() -> base().parser("bad", "format", "regex", "regex", "(?<x>")
			.filter("parser", "match", "*", "key_name", "log", "parser", "bad")
			.output("lib", "match", "*").build()).isInstanceOf(ConfigException.class)
			.hasMessageContaining("Invalid regex pattern");
	}
}
