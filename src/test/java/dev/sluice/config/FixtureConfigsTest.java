package dev.sluice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every classic configuration captured from Fluent Bit 5.1 reads without error. */
class FixtureConfigsTest {

	static List<Path> classicConfigs() throws IOException {
		try (Stream<Path> walk = Files.walk(FixturePaths.fixtures())) {
			return walk.filter((p) -> p.getFileName().toString().equals("fluent-bit.conf")).sorted().toList();
		}
	}

	@Test
	void thereAreFixtures() throws IOException {
		assertThat(classicConfigs()).hasSizeGreaterThanOrEqualTo(40);
	}

	@ParameterizedTest
	@MethodSource("classicConfigs")
	void readsWithoutError(Path file) throws IOException {
		ClassicConfigReader reader = new ClassicConfigReader(Map.of());
		ConfigDocument doc = reader.read(file);

		assertThat(doc.files()).containsExactly(file);
		// (chunks/restart-after-sigkill-* has no input: it only replays the storage backlog)
		assertThat(doc.sections("output")).isNotEmpty();
		assertThat(doc.sections()).allSatisfy((s) -> assertThat(s.properties()).isNotEmpty());
		// every section and key line of the file is accounted for
		long headers = Files.readAllLines(file).stream().filter((l) -> l.startsWith("[")).count();
		assertThat(doc.sections()).hasSize((int) headers);
		for (ConfigSection section : doc.sections()) {
			if (!section.type().equals("service")) {
				assertThat(section.get("name")).as("%s at %s", section.type(), section.origin()).isNotBlank();
			}
			assertThat(section.origin().file()).isEqualTo(file.toString());
		}
		assertThat(reader.warnings()).isEmpty();
	}

	@Test
	void kubernetesParsersFile() {
		Path file = FixturePaths.fixtures().resolve("kubernetes/data/parsers.conf");
		ConfigDocument doc = new ClassicConfigReader(Map.of()).readParsersFile(file);
		assertThat(doc.sections()).isNotEmpty().allSatisfy((s) -> assertThat(s.type()).isEqualTo("parser"));
		ConfigSection docker = doc.sections("parser").get(0);
		assertThat(docker.get("name")).isEqualTo("docker");
		assertThat(docker.get("time_format")).isEqualTo("%Y-%m-%dT%H:%M:%S.%L%z");
		assertThat(doc.sections("parser")).extracting((s) -> s.get("name")).contains("kubernetes-tag", "default-parser");
	}

	@Test
	void parsersFileIsRejectedAsAMainFile() {
		Path file = FixturePaths.fixtures().resolve("kubernetes/data/parsers.conf");
		try {
			new ClassicConfigReader(Map.of()).read(file);
		}
		catch (ConfigException ex) {
			assertThat(ex.errors()).isNotEmpty()
				.allSatisfy((e) -> assertThat(e.message()).startsWith("Sections 'multiline_parser' and 'parser'"));
			assertThat(ex.errors().get(0).origin()).isEqualTo(new Origin(file.toString(), 1));
			return;
		}
		throw new AssertionError("expected a ConfigException");
	}
}
