package dev.sluice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

	@TempDir
	Path dir;

	private final ConfigLoader loader = new ConfigLoader(Map.of("PORT", "2020"));

	@Test
	void picksTheReaderByExtension() throws IOException {
		Path yaml = Files.writeString(this.dir.resolve("a.YAML"), "service:\n  httpPort: ${PORT}\n");
		Path yml = Files.writeString(this.dir.resolve("b.yml"), "service:\n  httpPort: 1\n");
		Path conf = Files.writeString(this.dir.resolve("c.conf"), "[SERVICE]\n    HTTP_Port ${PORT}\n");
		Path other = Files.writeString(this.dir.resolve("fluent-bit.cfg"), "[SERVICE]\n    HTTP_Port 3\n");

		assertThat(this.loader.load(yaml).service().get("http_port")).isEqualTo("2020");
		assertThat(this.loader.load(yml).service().properties().get(0).key()).isEqualTo("http_port");
		assertThat(this.loader.load(conf).service().get("http_port")).isEqualTo("2020");
		assertThat(this.loader.load(other).service().get("http_port")).isEqualTo("3");
		assertThat(ConfigLoader.isYaml(Path.of("x.yaml"))).isTrue();
		assertThat(ConfigLoader.isYaml(Path.of("x.conf"))).isFalse();
		assertThat(ConfigLoader.isYaml(Path.of("yaml"))).isFalse();
	}

	@Test
	void yamlSyntaxIsNotAcceptedInAClassicFile() throws IOException {
		Path file = Files.writeString(this.dir.resolve("fluent-bit.conf"), "service:\n  flush: 1\n");
		assertThatThrownBy(() -> this.loader.load(file)).isInstanceOf(ConfigException.class)
			.hasMessageContaining(file + ":1: entry outside of a section");
	}

	@Test
	void missingFile() {
		Path missing = this.dir.resolve("missing.conf");
		assertThatThrownBy(() -> this.loader.load(missing)).isInstanceOfSatisfying(ConfigException.class, (ex) -> {
			assertThat(ex.errors()).singleElement()
				.satisfies((e) -> assertThat(e.origin()).isEqualTo(new Origin(missing.toString(), 0)));
			assertThat(ex.getMessage()).contains(missing.toString()).contains("no such file");
		});
		assertThatThrownBy(() -> this.loader.loadParsersFile(this.dir.resolve("p.yaml")))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("p.yaml");
	}

	@Test
	void parsersFilesInBothFormats() throws IOException {
		Path classic = Files.writeString(this.dir.resolve("parsers.conf"),
				"[PARSER]\n    Name ${P}\n    Format json\n[MULTILINE_PARSER]\n    Name ml\n    Type regex\n");
		Path yaml = Files.writeString(this.dir.resolve("parsers.yaml"),
				"parsers:\n  - name: ${P}\n    format: json\nmultiline_parsers:\n  - name: ml\n    type: regex\n");
		for (Path file : new Path[] { classic, yaml }) {
			ConfigDocument doc = this.loader.loadParsersFile(file, Map.of("P", "p1"));
			assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("parser", "multiline_parser");
			assertThat(doc.sections("parser").get(0).get("name")).isEqualTo("p1");
		}
	}

	@Test
	void warningsOfTheLastLoad() throws IOException {
		Path conf = Files.writeString(this.dir.resolve("c.conf"), "[INPUT]\n    Name ${NOT_SET}x\n");
		assertThat(this.loader.load(conf).sections("input").get(0).get("name")).isEqualTo("x");
		assertThat(this.loader.warnings()).containsExactly(conf + ":2: [env] variable ${NOT_SET} is used but not set");
	}
}
