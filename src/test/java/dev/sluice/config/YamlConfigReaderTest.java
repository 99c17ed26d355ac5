package dev.sluice.config;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class YamlConfigReaderTest {

	@TempDir
	Path dir;

	private final YamlConfigReader reader = new YamlConfigReader(Map.of("OUT_HOST", "from-env", "HOME", "/home/flb"));

	private Path write(String name, String content) throws IOException {
		Path file = this.dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	private ConfigDocument read(String yaml) {
		return this.reader.read(yaml, "/etc/flb/test.yaml");
	}

	private List<ConfigError> errors(String yaml) {
		try {
			read(yaml);
		}
		catch (ConfigException ex) {
			return ex.errors();
		}
		throw new AssertionError("expected a ConfigException");
	}

	private static Path resource(String name) throws URISyntaxException {
		return Path.of(YamlConfigReaderTest.class.getResource("/config/" + name).toURI());
	}

	/** A comparable picture of a document: type, then lower-case key and value of each property. */
	private static List<String> flat(ConfigDocument doc) {
		return doc.sections()
			.stream()
			.map((s) -> s.type() + " " + s.properties().stream().map((p) -> p.name() + "=" + p.value()).toList())
			.toList();
	}

	@Test
	void referenceExampleGivesTheSameModelAsTheClassicOne() throws URISyntaxException {
		ConfigDocument classic = new ClassicConfigReader(Map.of()).read(resource("reference/fluent-bit.conf"));
		ConfigDocument yaml = new YamlConfigReader(Map.of()).read(resource("reference/fluent-bit.yaml"));

		assertThat(flat(yaml)).isEqualTo(flat(classic));
		assertThat(flat(yaml)).containsExactly(
				"service [flush=1, log_level=info, http_server=on, storage.path=/var/lib/flb, parsers_file=parsers.conf]",
				"input [name=tail, path=/var/log/containers/*.log, tag=kube.*, multiline.parser=docker, cri, "
						+ "db=/var/lib/flb/tail.db, storage.type=filesystem]",
				"filter [name=kubernetes, match=kube.*, merge_log=on]",
				"output [name=forward, match=*, host=10.0.0.5, retry_limit=no_limits]");
		assertThat(yaml.variables()).containsExactly(Map.entry("OUT_HOST", "10.0.0.5"));
		assertThat(classic.variables()).isEqualTo(yaml.variables());
		assertThat(yaml.files()).extracting((p) -> p.getFileName().toString()).containsExactly("fluent-bit.yaml", "tail.yaml");
	}

	@Test
	void everyPropertyHasTheLineOfItsKey() {
		ConfigDocument doc = read("""
				service:
				  flush: 1
				pipeline:
				  inputs:
				    - name: dummy
				      tag: app
				""");
		assertThat(doc.service().origin()).isEqualTo(new Origin("/etc/flb/test.yaml", 1));
		assertThat(doc.service().property("flush").origin()).isEqualTo(new Origin("/etc/flb/test.yaml", 2));
		ConfigSection input = doc.sections("input").get(0);
		assertThat(input.origin().line()).isEqualTo(5);
		assertThat(input.properties()).extracting((p) -> p.origin().line()).containsExactly(5, 6);
		assertThat(doc.files()).containsExactly(Path.of("/etc/flb/test.yaml"));
	}

	@Test
	void scalarsAreKeptAsWritten() {
		ConfigDocument doc = read("""
				pipeline:
				  inputs:
				    - name: dummy
				      threaded: on
				      rate: 1.50
				      samples: 010
				      flag: TRUE
				      empty:
				      quoted: 'off'
				      tilde: ~
				      dummy: '{"a": 1}'
				""");
		ConfigSection in = doc.sections("input").get(0);
		assertThat(in.properties()).extracting(ConfigProperty::key, ConfigProperty::value)
			.containsExactly(tuple("name", "dummy"), tuple("threaded", "on"), tuple("rate", "1.50"), tuple("samples", "010"),
					tuple("flag", "TRUE"), tuple("empty", ""), tuple("quoted", "off"), tuple("tilde", "~"),
					tuple("dummy", "{\"a\": 1}"));
	}

	@Test
	void listsAreRepeatedProperties() {
		ConfigDocument doc = read("""
				pipeline:
				  filters:
				    - name: grep
				      match: '*'
				      regex:
				        - log aa
				        - log bb
				      exclude: [x 1, y 2]
				""");
		ConfigSection grep = doc.sections("filter").get(0);
		assertThat(grep.getAll("regex")).containsExactly("log aa", "log bb");
		assertThat(grep.getAll("exclude")).containsExactly("x 1", "y 2");
		assertThat(grep.properties().get(2).origin().line()).isEqualTo(5);
	}

	@Test
	void quotedStarAndBareStar() {
		ConfigDocument doc = read("pipeline:\n  outputs:\n    - name: stdout\n      match: '*'\n");
		assertThat(doc.sections("output").get(0).get("match")).isEqualTo("*");

		List<ConfigError> errors = errors("pipeline:\n  outputs:\n    - name: stdout\n      match: *\n");
		assertThat(errors).singleElement().satisfies((e) -> {
			assertThat(e.origin()).isEqualTo(new Origin("/etc/flb/test.yaml", 4));
			assertThat(e.message()).startsWith("invalid YAML: while scanning an alias")
				.endsWith("(a bare * starts a YAML alias: quote it, as in match: '*')")
				.doesNotContain("\n");
		});
	}

	@Test
	void syntaxErrorWithItsLine() {
		List<ConfigError> errors = errors("""
				service:
				  flush: 1
				pipeline:
				  inputs:
				    - name: dummy
				     tag: bad-indent
				""");
		assertThat(errors).singleElement().satisfies((e) -> {
			assertThat(e.origin()).isEqualTo(new Origin("/etc/flb/test.yaml", 6));
			assertThat(e.message()).startsWith("invalid YAML: ");
			assertThat(e.toString()).startsWith("error in /etc/flb/test.yaml:6: invalid YAML: ");
		});
	}

	@Test
	void camelCaseKeysBecomeSnakeCase() {
		ConfigDocument doc = read("""
				service:
				  logLevel: debug
				  httpServer: on
				  HTTP_Listen: 0.0.0.0
				  log_File: /tmp/x
				  storage.maxChunksUp: 10
				  Flush: 1
				""");
		assertThat(doc.service().properties()).extracting(ConfigProperty::key)
			.containsExactly("log_level", "http_server", "HTTP_Listen", "log_file", "storage.max_chunks_up", "Flush");
		assertThat(YamlConfigReader.normalizeKey("storage.type")).isEqualTo("storage.type");
		assertThat(YamlConfigReader.normalizeKey("bufferChunkSize")).isEqualTo("buffer_chunk_size");
		assertThat(YamlConfigReader.normalizeKey("Name")).isEqualTo("Name");
	}

	@Test
	void envMapAndListForms() throws IOException {
		Path secret = write("secret.txt", "s3cr3t\n");
		ConfigDocument doc = this.reader.read("""
				env:
				  OUT_HOST: yaml-host
				  EMPTY: ''
				env:
				  - name: PORT
				    value: 24224
				  - name: TOKEN
				    uri: file://%s
				    refresh_interval: 60
				pipeline:
				  outputs:
				    - name: forward
				      match: '*'
				      host: ${OUT_HOST}
				      port: ${PORT}
				      shared_key: ${TOKEN}
				      tag: ${EMPTY:-fallback}
				      path: ${HOME}/${MISSING}
				""".formatted(secret), this.dir.resolve("main.yaml").toString());
		ConfigSection out = doc.sections("output").get(0);
		assertThat(out.get("host")).isEqualTo("yaml-host");
		assertThat(out.get("port")).isEqualTo("24224");
		assertThat(out.get("shared_key")).isEqualTo("s3cr3t");
		assertThat(out.get("tag")).isEqualTo("fallback");
		assertThat(out.get("path")).isEqualTo("/home/flb/");
		assertThat(doc.variables()).containsOnlyKeys("OUT_HOST", "EMPTY", "PORT", "TOKEN");
		assertThat(this.reader.warnings())
			.containsExactly(this.dir.resolve("main.yaml") + ":18: [env] variable ${MISSING} is used but not set");
	}

	@Test
	void envEntryErrors() {
		List<ConfigError> errors = errors("""
				env:
				  - value: x
				  - name: NO_VALUE
				  - name: WEB
				    uri: http://x
				""");
		assertThat(errors).extracting((e) -> e.origin().line(), ConfigError::message)
			.containsExactly(tuple(2, "env entry without 'name'"), tuple(3, "env variable 'NO_VALUE' needs a 'value' or a 'uri'"),
					tuple(5, "unsupported env uri 'http://x': only file:// is supported"));
	}

	@Test
	void includesAreRelativeToTheIncludingFileAndNotExpanded() throws IOException {
		Path main = write("main.yaml", """
				service:
				  flush: 1
				includes:
				  - conf.d/pipeline.yaml
				pipeline:
				  outputs:
				    - name: stdout
				      match: '*'
				""");
		Path pipeline = write("conf.d/pipeline.yaml", """
				includes:
				  - more/*.yaml
				pipeline:
				  inputs:
				    - name: cpu
				""");
		Path b = write("conf.d/more/b.yaml", "pipeline:\n  inputs:\n    - name: b\n");
		Path a = write("conf.d/more/a.yaml", "parsers:\n  - name: a\n    format: json\n");

		ConfigDocument doc = this.reader.read(main);

		assertThat(doc.sections()).extracting(ConfigSection::type, (s) -> s.get("name"))
			.containsExactly(tuple("service", null), tuple("parser", "a"), tuple("input", "b"), tuple("input", "cpu"),
					tuple("output", "stdout"));
		assertThat(doc.files()).containsExactly(main, pipeline, a, b);
		assertThat(doc.sections("input").get(1).origin()).isEqualTo(new Origin(pipeline.toString(), 5));
	}

	@Test
	void includeErrors() throws IOException {
		Path main = write("main.yaml", """
				includes:
				  - other.yaml
				  - ./other.yaml
				  - missing.yaml
				  - ${DIR}/x.yaml
				  - none/*.yaml
				""");
		write("other.yaml", "service:\n  flush: 1\n");
		ConfigException ex = catchConfig(main);
		assertThat(ex.errors()).extracting(ConfigError::origin, ConfigError::message)
			.containsExactly(tuple(new Origin(main.toString(), 3), "file already included: " + this.dir.resolve("./other.yaml")),
					tuple(new Origin(main.toString(), 4),
							"cannot open file '" + this.dir.resolve("missing.yaml") + "': no such file"),
					tuple(new Origin(main.toString(), 5),
							"cannot open file '" + this.dir.resolve("${DIR}/x.yaml") + "': no such file"),
					tuple(new Origin(main.toString(), 6), "no file matches the include pattern 'none/*.yaml'"));
	}

	@Test
	void errorsInAnIncludedFileNameThatFile() throws IOException {
		Path main = write("main.yaml", "includes: [bad.yaml]\n");
		Path bad = write("bad.yaml", "pipeline:\n  inputs:\n    - tag: x\n");
		ConfigException ex = catchConfig(main);
		assertThat(ex.errors()).extracting(ConfigError::origin).containsExactly(new Origin(bad.toString(), 3));
	}

	@Test
	void processorsBecomeChildSections() {
		ConfigDocument doc = read("""
				pipeline:
				  inputs:
				    - name: dummy
				      processors:
				        logs:
				          - name: content_modifier
				            action: insert
				            key: added
				            value: 'yes'
				            condition:
				              op: and
				              rules:
				                - field: $level
				                  op: eq
				                  value: error
				                - field: $code
				                  op: in
				                  value: [500, 503]
				          - name: sql
				            query: "SELECT * FROM STREAM;"
				        metrics:
				          - name: labels
				            insert: [a b, c d]
				""");
		ConfigSection input = doc.sections("input").get(0);
		assertThat(input.properties()).extracting(ConfigProperty::key).containsExactly("name");
		assertThat(input.children()).containsOnlyKeys("processors.logs", "processors.metrics");
		List<ConfigSection> logs = input.children().get("processors.logs");
		assertThat(logs).extracting(ConfigSection::type).containsExactly("processor", "processor");
		ConfigSection modifier = logs.get(0);
		assertThat(modifier.origin().line()).isEqualTo(6);
		assertThat(modifier.properties()).extracting(ConfigProperty::key, ConfigProperty::value)
			.containsExactly(tuple("name", "content_modifier"), tuple("action", "insert"), tuple("key", "added"),
					tuple("value", "yes"), tuple("condition.op", "and"));
		List<ConfigSection> rules = modifier.children().get("condition.rules");
		assertThat(rules).extracting(ConfigSection::type).containsExactly("rule", "rule");
		assertThat(rules.get(0).properties()).extracting(ConfigProperty::key, ConfigProperty::value)
			.containsExactly(tuple("field", "$level"), tuple("op", "eq"), tuple("value", "error"));
		assertThat(rules.get(1).getAll("value")).containsExactly("500", "503");
		assertThat(logs.get(1).get("query")).isEqualTo("SELECT * FROM STREAM;");
		assertThat(input.children().get("processors.metrics").get(0).getAll("insert")).containsExactly("a b", "c d");
	}

	@Test
	void processorErrors() {
		List<ConfigError> errors = errors("""
				pipeline:
				  outputs:
				    - name: stdout
				      match: '*'
				      processors:
				        events:
				          - name: x
				        logs:
				          - action: insert
				""");
		assertThat(errors).extracting((e) -> e.origin().line(), ConfigError::message)
			.containsExactly(tuple(6, "unknown processor type 'events': use logs, metrics or traces"),
					tuple(9, "missing 'name' in an entry of 'processors.logs'"));
	}

	@Test
	void routesAreChildSections() {
		ConfigDocument doc = read("""
				pipeline:
				  inputs:
				    - name: dummy
				      routes:
				        logs:
				          - name: errors
				            condition:
				              op: and
				              rules:
				                - field: $level
				                  op: eq
				                  value: error
				            to:
				              outputs: [err_out]
				          - name: rest
				            condition:
				              default: true
				            to:
				              outputs:
				                - a
				                - b
				""");
		ConfigSection input = doc.sections("input").get(0);
		List<ConfigSection> routes = input.children().get("routes.logs");
		assertThat(routes).extracting(ConfigSection::type).containsExactly("route", "route");
		assertThat(routes.get(0).properties()).extracting(ConfigProperty::key, ConfigProperty::value)
			.containsExactly(tuple("name", "errors"), tuple("condition.op", "and"), tuple("to.outputs", "err_out"));
		assertThat(routes.get(0).children().get("condition.rules").get(0).get("field")).isEqualTo("$level");
		assertThat(routes.get(1).get("condition.default")).isEqualTo("true");
		assertThat(routes.get(1).getAll("to.outputs")).containsExactly("a", "b");
	}

	@Test
	void nestedMapsElsewhereAreErrors() {
		List<ConfigError> errors = errors("""
				service:
				  flush: 1
				  http:
				    port: 2020
				pipeline:
				  inputs:
				    - name: dummy
				      nested:
				        a: 1
				      list_of_maps:
				        - a: 1
				extensions:
				  opamp:
				    endpoint: 127.0.0.1:4318
				    nested: {deeper: [1, 2]}
				""");
		assertThat(errors).extracting(ConfigError::origin, ConfigError::message)
			.containsExactly(
					tuple(new Origin("/etc/flb/test.yaml", 3),
							"variant values are only valid in the extensions section (key 'http')"),
					tuple(new Origin("/etc/flb/test.yaml", 8),
							"variant values are only valid in the extensions section (key 'nested')"),
					tuple(new Origin("/etc/flb/test.yaml", 10),
							"variant values are only valid in the extensions section (key 'list_of_maps')"));
	}

	@Test
	void missingNameAndWrongShapes() {
		List<ConfigError> errors = errors("""
				pipeline:
				  inputs:
				    - tag: no-name
				    - just a string
				  outputs:
				    name: stdout
				  sources:
				    - name: x
				parsers:
				  - format: json
				""");
		assertThat(errors).extracting((e) -> e.origin().line(), ConfigError::message)
			.containsExactly(tuple(3, "missing 'name' in an entry of 'inputs'"), tuple(4, "each entry of 'inputs' must be a map"),
					tuple(6, "'outputs' must be a list"),
					tuple(7, "the pipeline component 'sources' is not valid. Try one of these values: customs, inputs, filters or outputs."),
					tuple(10, "missing 'name' in an entry of 'parsers'"));
	}

	@Test
	void severalPipelineSectionsMergeButServiceIsUnique() {
		ConfigDocument doc = read("""
				pipeline:
				  inputs:
				    - name: a
				pipeline:
				  inputs:
				    - name: b
				  outputs:
				    - name: stdout
				""");
		assertThat(doc.sections()).extracting((s) -> s.type() + ":" + s.get("name")).containsExactly("input:a", "input:b",
				"output:stdout");

		List<ConfigError> errors = errors("service:\n  flush: 1\nservice:\n  flush: 2\n");
		assertThat(errors).extracting((e) -> e.origin().line(), ConfigError::message)
			.containsExactly(tuple(3, "duplicated definition of 'service'"));
	}

	@Test
	void parsersAndMultilineParsers() {
		ConfigDocument doc = read("""
				parsers:
				  - name: my_json
				    format: json
				    time_key: ts
				    time_format: '%Y-%m-%dT%H:%M:%S.%L%z'
				multiline_parsers:
				  - name: java_ml
				    type: regex
				    flush_timeout: 1000
				    rules:
				      - state: start_state
				        regex: '/^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}/'
				        next_state: cont
				      - state: cont
				        regex: '/^(\\s+at |Caused by:)/'
				        next_state: cont
				""");
		assertThat(doc.sections("parser").get(0).get("time_format")).isEqualTo("%Y-%m-%dT%H:%M:%S.%L%z");
		ConfigSection ml = doc.sections("multiline_parser").get(0);
		assertThat(ml.getAll("rule")).containsExactly("\"start_state\" \"/^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}/\" \"cont\"",
				"\"cont\" \"/^(\\s+at |Caused by:)/\" \"cont\"");
		assertThat(ml.property("rule").origin().line()).isEqualTo(14);
		assertThat(ml.children().get("rules")).extracting((r) -> r.get("state")).containsExactly("start_state", "cont");
		assertThat(ml.children().get("rules").get(0).type()).isEqualTo("rule");

		List<ConfigError> errors = errors("multiline_parsers:\n  - name: m\n    rules:\n      - state: s\n        regex: x\n");
		assertThat(errors).extracting((e) -> e.origin().line(), ConfigError::message)
			.containsExactly(tuple(4, "a multiline parser rule needs 'state', 'regex' and 'next_state'"));
	}

	@Test
	void customsPluginsUpstreamsAndStreamProcessor() {
		ConfigDocument doc = read("""
				customs:
				  - name: calyptia
				    api_key: k
				plugins:
				  - /opt/a.so
				  - /opt/b.so
				upstream_servers:
				  - name: forward-balancing
				    nodes:
				      - name: node-1
				        host: 127.0.0.1
				        port: 43000
				      - name: node-2
				        host: 127.0.0.1
				        port: 44000
				stream_processor:
				  - name: t1
				    exec: CREATE STREAM x AS SELECT * FROM TAG:'a';
				extensions:
				  anything:
				    goes: {here: [1, 2]}
				""");
		assertThat(doc.sections()).extracting(ConfigSection::type)
			.containsExactly("custom", "plugins", "upstream", "node", "node", "stream_task");
		assertThat(doc.sections("plugins").get(0).getAll("path")).containsExactly("/opt/a.so", "/opt/b.so");
		assertThat(doc.sections("upstream").get(0).properties()).extracting(ConfigProperty::key).containsExactly("name");
		assertThat(doc.sections("node")).extracting((s) -> s.get("port")).containsExactly("43000", "44000");
	}

	@Test
	void unknownTopLevelSectionIsAWarning() {
		ConfigDocument doc = read("pipeline:\n  inputs:\n    - name: cpu\nsomething_else:\n  a: 1\n");
		assertThat(doc.sections()).hasSize(1);
		assertThat(this.reader.warnings()).containsExactly("/etc/flb/test.yaml:4: unknown section 'something_else' is ignored");
	}

	@Test
	void emptyFileAndEmptySections() {
		assertThat(read("").sections()).isEmpty();
		assertThat(read("# only a comment\n").sections()).isEmpty();
		ConfigDocument doc = read("service:\npipeline:\n  inputs:\n");
		assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("service");
	}

	@Test
	void topLevelMustBeAMap() {
		List<ConfigError> errors = errors("- a\n- b\n");
		assertThat(errors).extracting((e) -> e.origin().line()).containsExactly(1);
	}

	@Test
	void fixtureYamlConfiguration() {
		Path file = FixturePaths.fixtures().resolve("logs/unknown_key_yaml/fluent-bit.yaml");
		ConfigDocument doc = new YamlConfigReader(Map.of()).read(file);
		assertThat(flat(doc)).containsExactly("service [flush=1, log_level=info]",
				"input [name=dummy, tag=app.log, bogus_key=123]", "output [name=stdout, match=*]");
	}

	private ConfigException catchConfig(Path main) {
		try {
			this.reader.read(main);
		}
		catch (ConfigException ex) {
			return ex;
		}
		throw new AssertionError("expected a ConfigException");
	}

}
