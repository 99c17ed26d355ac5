package dev.sluice.parser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.parser.multiline.MultilineParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParserRegistryTest {

	@TempDir
	Path dir;

	@Test
	void builtinsAreAlwaysThere() {
		ParserRegistry r = ParserRegistry.builtin();
		assertThat(r.multilineParsers()).extracting(MultilineParser::name)
			.containsExactly("docker", "cri", "go", "python", "java", "ruby");
		assertThat(r.parsers()).isEmpty();
	}

	@Test
	void stockParsersConfLoads() {
		ParserRegistry r = ParserRegistry.stock();
		assertThat(r.parsers()).extracting(Parser::name)
			.contains("apache", "apache2", "apache_error", "nginx", "k8s-nginx-ingress", "json", "logfmt", "docker",
					"docker-daemon", "syslog-rfc5424", "syslog-rfc3164-local", "syslog-rfc3164", "mongodb", "envoy",
					"istio-envoy-proxy", "cri", "kube-custom", "kmsg-netfilter-log");
		ParseResult d = r.parser("docker")
			.parse("{\"log\":\"hi\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00.5Z\"}");
		assertThat(d.time().toInstant()).isEqualTo(Instant.parse("2024-05-01T10:00:00.5Z"));
		assertThat(d.record()).containsEntry("time", "2024-05-01T10:00:00.5Z");
	}

	@Test
	void classicParsersFileWithRelativePathAgainstTheMainFile() throws Exception {
		Files.writeString(this.dir.resolve("fluent-bit.conf"), """
				[SERVICE]
				    parsers_file my_parsers.conf
				""");
		Files.writeString(this.dir.resolve("my_parsers.conf"), """
				[PARSER]
				    Name        p1
				    Format      regex
				    Regex       ^(?<a>\\w+) (?<b>\\w+)$

				[MULTILINE_PARSER]
				    name          multiline-regex-test
				    type          regex
				    flush_timeout 1000
				    rule      "start_state"   "/([a-zA-Z]+ \\d+ \\d+\\:\\d+\\:\\d+)(.*)/"  "cont"
				    rule      "cont"          "/^\\s+at.*/"                     "cont"
				""");
		ConfigLoader loader = new ConfigLoader(Map.of());
		ConfigDocument main = loader.load(this.dir.resolve("fluent-bit.conf"));
		ParserRegistry r = ParserRegistry.load(main, List.of("my_parsers.conf"), loader);
		assertThat(r.parser("p1").parse("x y").record()).containsEntry("a", "x").containsEntry("b", "y");
		MultilineParser ml = r.multilineParser("multiline-regex-test");
		assertThat(ml.flushTimeoutMillis()).isEqualTo(1000);
		assertThat(ml.rules()).hasSize(2);
		assertThat(ml.rules().get(0).isStartState()).isTrue();
	}

	@Test
	void yamlParsersAndMultilineParsersInTheMainFile() throws Exception {
		Path yaml = this.dir.resolve("fluent-bit.yaml");
		Files.writeString(yaml, """
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
				        regex: '/^(\\s+at |Caused by:|\\s+\\.\\.\\. \\d+ more)/'
				        next_state: cont
				pipeline:
				  inputs:
				    - name: dummy
				""");
		ConfigLoader loader = new ConfigLoader(Map.of());
		ParserRegistry r = ParserRegistry.load(loader.load(yaml), List.of(), loader);
		ParseResult p = r.parser("my_json").parse("{\"ts\":\"2024-05-01T10:00:00.250+0200\",\"a\":1}");
		assertThat(p.time().toInstant()).isEqualTo(Instant.parse("2024-05-01T08:00:00.250Z"));
		assertThat(p.record()).isEqualTo(Map.of("a", 1L));
		assertThat(r.multilineParser("java_ml").rules()).hasSize(2);
	}

	@Test
	void errorsNameFileAndLine() throws Exception {
		Path f = this.dir.resolve("bad.conf");
		Files.writeString(f, """
				[PARSER]
				    Name    p1
				    Format  regex
				    Regex   ^(?<a>x
				[PARSER]
				    Name    p2
				    Format  xml
				[PARSER]
				    Name    p3
				    Format  json
				    Time_Keep maybe
				    Tiem_Key typo
				[PARSER]
				    Name    p4
				    Format  json
				[PARSER]
				    Name    p4
				    Format  json
				[MULTILINE_PARSER]
				    name  m1
				    type  regex
				    rule  "start_state" "/a/" "nowhere"
				[MULTILINE_PARSER]
				    name   m2
				    type   endswith
				    parser missing
				""");
		ConfigLoader loader = new ConfigLoader(Map.of());
		ConfigDocument main = new ConfigDocument(null);
		assertThatThrownBy(() -> ParserRegistry.load(main, List.of(f.toString()), loader))
			.isInstanceOfSatisfying(ConfigException.class, (ex) -> {
				List<String> all = ex.errors().stream().map(ConfigError::toString).toList();
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("bad.conf:1").contains("Invalid regex pattern"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("bad.conf:7").contains("Invalid format xml"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("bad.conf:11").contains("time_keep=maybe"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("bad.conf:12")
					.contains("unknown configuration property 'Tiem_Key'"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("bad.conf:17").contains("'p4' already exists"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("to_state='nowhere' is not registered"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("bad.conf:26")
					.contains("points to an undefined parser 'missing'"));
				assertThat(all).anySatisfy((e) -> assertThat(e).contains("'match_string' is required"));
			});
	}

	@Test
	void missingParsersFileIsAnError() {
		ConfigLoader loader = new ConfigLoader(Map.of());
		assertThatThrownBy(() -> ParserRegistry.load(new ConfigDocument(null), List.of("/nonexistent/p.conf"), loader))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("cannot open parsers file");
	}
}
