package dev.sluice.cli;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;

import static org.assertj.core.api.Assertions.assertThat;

final class CliOptionsTest {

	private static final Origin FILE = new Origin("fluent-bit.conf", 1);

	private static List<String> props(ConfigSection s) {
		return s.properties().stream().map((p) -> p.key() + "=" + p.value()).toList();
	}

	private static ConfigDocument fileDocument() {
		ConfigDocument doc = new ConfigDocument(Path.of("fluent-bit.conf"));
		doc.variables().put("OUT", "stdout");
		doc.files().add(Path.of("fluent-bit.conf"));
		doc.files().add(Path.of("inputs.conf"));
		doc.sections().add(new ConfigSection("service", FILE).add("Flush", "5", FILE)
			.add("Log_Level", "info", FILE)
			.add("parsers_file", "parsers.conf", FILE));
		ConfigSection input = new ConfigSection("input", new Origin("inputs.conf", 1)).add("name", "tail", FILE)
			.add("path", "/var/log/*.log", FILE);
		input.addChild("processors.logs", new ConfigSection("processor", FILE).add("name", "content_modifier", FILE));
		doc.sections().add(input);
		doc.sections().add(new ConfigSection("output", FILE).add("name", "null", FILE).add("match", "*", FILE));
		return doc;
	}

	@Test
	void withoutAFileTheCommandLineIsTheWholeConfiguration() {
		CliOptions o = CommandLine.parse("-f", "2", "-i", "dummy", "-t", "d", "-o", "stdout", "-m", "*");
		ConfigDocument doc = o.applyTo(null);
		assertThat(doc.mainFile()).isNull();
		assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("service", "input", "output");
		assertThat(props(doc.service())).containsExactly("flush=2");
		assertThat(props(doc.sections("input").get(0))).containsExactly("name=dummy", "tag=d");
		assertThat(doc.sections("output").get(0).origin()).isEqualTo(Origin.COMMAND_LINE);
	}

	@Test
	void withoutAFileOrServiceFlagsThereIsNoServiceSection() {
		ConfigDocument doc = CommandLine.parse("-i", "dummy").applyTo(null);
		assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("input");
	}

	@Test
	void commandLineServiceKeysOverrideTheFilesAndRepeatableOnesAdd() {
		CliOptions o = CommandLine.parse("-f", "1", "-vv", "-H", "-f", "3");
		ConfigDocument doc = o.applyTo(fileDocument());
		List<ConfigSection> services = doc.sections("service");
		assertThat(services).hasSize(1);
		ConfigSection service = doc.service();
		assertThat(service.get("flush")).isEqualTo("3");
		assertThat(service.getAll("flush")).containsExactly("3");
		assertThat(service.get("log_level")).isEqualTo("trace");
		assertThat(service.get("http_server")).isEqualTo("on");
		assertThat(service.property("flush").origin()).isEqualTo(Origin.COMMAND_LINE);
		assertThat(service.origin()).isEqualTo(FILE);
	}

	@Test
	void parsersFilesFromBothAreKept() throws Exception {
		java.nio.file.Path p = java.nio.file.Files.createTempFile("parsers", ".conf");
		try {
			ConfigDocument doc = CommandLine.parse("-R", p.toString()).applyTo(fileDocument());
			assertThat(doc.service().getAll("parsers_file")).containsExactly("parsers.conf", p.toString());
		}
		finally {
			java.nio.file.Files.delete(p);
		}
	}

	@Test
	void commandLineSectionsComeAfterTheFiles() {
		CliOptions o = CommandLine.parse("-i", "dummy", "-o", "stdout", "-m", "*");
		ConfigDocument doc = o.applyTo(fileDocument());
		assertThat(doc.sections()).extracting((s) -> s.type() + ":" + s.get("name"))
			.containsExactly("service:null", "input:tail", "output:null", "input:dummy", "output:stdout");
		assertThat(doc.mainFile()).isEqualTo(Path.of("fluent-bit.conf"));
		assertThat(doc.variables()).containsEntry("OUT", "stdout");
		assertThat(doc.files()).containsExactly(Path.of("fluent-bit.conf"), Path.of("inputs.conf"));
		assertThat(doc.sections("input").get(0).children()).containsKey("processors.logs");
	}

	@Test
	void severalServiceSectionsBecomeOneAtTheFirstsPlace() {
		ConfigDocument file = new ConfigDocument(null);
		file.sections().add(new ConfigSection("input", FILE).add("name", "dummy", FILE));
		file.sections().add(new ConfigSection("service", FILE).add("flush", "1", FILE));
		file.sections().add(new ConfigSection("output", FILE).add("name", "null", FILE));
		file.sections().add(new ConfigSection("service", FILE).add("grace", "2", FILE));
		ConfigDocument doc = CommandLine.parse("-l", "x.log").applyTo(file);
		assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("input", "service", "output");
		assertThat(props(doc.service())).containsExactly("flush=1", "grace=2", "log_file=x.log");
	}

	@Test
	void theFilesDocumentIsNotChanged() {
		ConfigDocument file = fileDocument();
		ConfigDocument doc = CommandLine.parse("-f", "9", "-i", "dummy").applyTo(file);
		doc.sections("input").get(0).add("extra", "1", Origin.COMMAND_LINE);
		assertThat(file.sections()).hasSize(3);
		assertThat(file.service().get("flush")).isEqualTo("5");
		assertThat(file.sections("input").get(0).get("extra")).isNull();
	}

	@Test
	void applyingTwiceGivesEqualResults() {
		// A hot reload re-reads the file and applies the same command line again.
		CliOptions o = CommandLine.parse("-f", "9", "-i", "dummy");
		ConfigDocument a = o.applyTo(fileDocument());
		ConfigDocument b = o.applyTo(fileDocument());
		assertThat(a.sections()).map(ConfigSection::toString).isEqualTo(b.sections().stream().map(ConfigSection::toString).toList());
	}

	@Test
	void toStringSummarises() {
		assertThat(CommandLine.parse("-c", "a.conf", "-i", "dummy", "-f", "1").toString())
			.contains("RUN").contains("config=a.conf").contains("input").contains("flush");
	}
}
