package dev.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ClassicConfigReaderTest {

	@TempDir
	Path dir;

	private final ClassicConfigReader reader = new ClassicConfigReader(Map.of("HOME", "/home/flb", "EMPTY", ""));

	private Path write(String name, String content) throws IOException {
		Path file = this.dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	/** The single error of a read that must fail. */
	private ConfigError onlyError(String content) {
		List<ConfigError> errors = errors(content);
		assertThat(errors).hasSize(1);
		return errors.get(0);
	}

	private List<ConfigError> errors(String content) {
		try {
			this.reader.read(content, "/etc/flb/test.conf");
		}
		catch (ConfigException ex) {
			return ex.errors();
		}
		throw new AssertionError("expected a ConfigException");
	}

	@Nested
	class Normal {

		@Test
		void sectionsInOrderWithCaseInsensitiveNames() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[SERVICE]
					    Flush     1
					    Log_Level info
					[input]
					    Name  dummy
					    Tag   app.log
					[Filter]
					    Name  grep
					    Match app.*
					[OUTPUTS]
					    Name  stdout
					    Match *
					[CUSTOM]
					    Name  calyptia
					""", "/etc/flb/main.conf");

			assertThat(doc.sections()).extracting(ConfigSection::type)
				.containsExactly("service", "input", "filter", "output", "custom");
			assertThat(doc.mainFile()).isEqualTo(Path.of("/etc/flb/main.conf"));
			assertThat(doc.files()).containsExactly(Path.of("/etc/flb/main.conf"));
			ConfigSection input = doc.sections("input").get(0);
			assertThat(input.origin()).isEqualTo(new Origin("/etc/flb/main.conf", 4));
			assertThat(input.properties()).extracting(ConfigProperty::key, ConfigProperty::value, ConfigProperty::origin)
				.containsExactly(tuple("Name", "dummy", new Origin("/etc/flb/main.conf", 5)),
						tuple("Tag", "app.log", new Origin("/etc/flb/main.conf", 6)));
			assertThat(doc.service().get("log_level")).isEqualTo("info");
		}

		@Test
		void keysAreKeptAsWrittenAndMatchedCaseInsensitively() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[INPUT]
					    NAME dummy
					    sToRaGe.TyPe filesystem
					""", "t.conf");
			ConfigSection input = doc.sections("input").get(0);
			assertThat(input.properties()).extracting(ConfigProperty::key).containsExactly("NAME", "sToRaGe.TyPe");
			assertThat(input.get("storage.type")).isEqualTo("filesystem");
			assertThat(input.properties().get(1).name()).isEqualTo("storage.type");
		}

		@Test
		void repeatedKeysAreRepeatedProperties() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[FILTER]
					    Name  modify
					    Match *
					    Add   a 1
					    Add   b 2
					    add   c 3
					""", "t.conf");
			ConfigSection filter = doc.sections("filter").get(0);
			assertThat(filter.getAll("add")).containsExactly("a 1", "b 2", "c 3");
			assertThat(filter.properties()).hasSize(5);
		}

		@Test
		void commentsBlankLinesAndNoEndOfLineComments() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					# a comment at column 0
					[INPUT]
					    # a comment after the indent

					    Name   dummy
					    Dummy  {"a":1} # not a comment
					        \s
					#[OUTPUT]
					""", "t.conf");
			assertThat(doc.sections()).hasSize(1);
			ConfigSection input = doc.sections().get(0);
			assertThat(input.properties()).extracting(ConfigProperty::key, ConfigProperty::value)
				.containsExactly(tuple("Name", "dummy"), tuple("Dummy", "{\"a\":1} # not a comment"));
		}

		@Test
		void crlfLineEndingsAndValueTrimming() {
			String content = "[SERVICE]\r\n    Flush    5   \r\n    Log_Level\t \tdebug\r\n[INPUT]\r\n    Name cpu\r\n";
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read(content, "crlf.conf");
			assertThat(doc.service().properties()).extracting(ConfigProperty::key, ConfigProperty::value)
				.containsExactly(tuple("Flush", "5"), tuple("Log_Level", "debug"));
			assertThat(doc.sections("input").get(0).get("name")).isEqualTo("cpu");
			assertThat(doc.sections("input").get(0).origin().line()).isEqualTo(4);
		}

		@Test
		void lastLineWithoutNewlineAndByteOrderMark() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("\uFEFF[INPUT]\n    Name cpu", "t.conf");
			assertThat(doc.sections("input").get(0).get("name")).isEqualTo("cpu");
		}

		@Test
		void tabIndentIsFine() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("[INPUT]\n\tName cpu\n\tTag  x\n", "t.conf");
			assertThat(doc.sections("input").get(0).get("tag")).isEqualTo("x");
		}

		@Test
		void theFirstIndentedLineFixesTheIndentForTheFile() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[INPUT]
					  Name cpu
					[OUTPUT]
					  Name stdout
					""", "t.conf");
			assertThat(doc.sections()).hasSize(2);
			List<ConfigError> errors = errors("""
					[INPUT]
					  Name cpu
					[OUTPUT]
					   Name stdout
					""");
			assertThat(errors).extracting(ConfigError::origin, ConfigError::message)
				.containsExactly(tuple(new Origin("/etc/flb/test.conf", 4), "invalid indentation level"));
		}

		@Test
		void entryAtTwiceTheIndentWithoutAGroupBelongsToTheSection() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[INPUT]
					    Name cpu
					        Tag  deep
					""", "t.conf");
			assertThat(doc.sections("input").get(0).get("tag")).isEqualTo("deep");
		}

		@Test
		void indentedGroupsBecomeChildSections() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[INPUT]
					    Name dummy
					    [Processors.Logs]
					        Name   content_modifier
					        Action insert
					    Tag  after.group
					""", "t.conf");
			ConfigSection input = doc.sections("input").get(0);
			assertThat(input.properties()).extracting(ConfigProperty::key).containsExactly("Name", "Tag");
			assertThat(input.children()).containsOnlyKeys("processors.logs");
			ConfigSection group = input.children().get("processors.logs").get(0);
			assertThat(group.origin().line()).isEqualTo(3);
			assertThat(group.properties()).extracting(ConfigProperty::key, ConfigProperty::value)
				.containsExactly(tuple("Name", "content_modifier"), tuple("Action", "insert"));
		}

		@Test
		void emptySectionGivesAWarning() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("[SERVICE]\n[INPUT]\n    Name cpu\n", "t.conf");
			assertThat(doc.sections()).hasSize(2);
			assertThat(ClassicConfigReaderTest.this.reader.warnings()).containsExactly("t.conf:1: section [SERVICE] has no keys");
		}

		@Test
		void readsFromAFile() throws IOException {
			Path file = write("fluent-bit.conf", "[INPUT]\n    Name cpu\n");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read(file);
			assertThat(doc.mainFile()).isEqualTo(file);
			assertThat(doc.files()).containsExactly(file);
			assertThat(doc.sections("input").get(0).origin()).isEqualTo(new Origin(file.toString(), 1));
		}

	}

	@Nested
	class Errors {

		@Test
		void emptyValue() {
			ConfigError e = onlyError("[INPUT]\n    Name cpu\n    Tag \n");
			assertThat(e.origin()).isEqualTo(new Origin("/etc/flb/test.conf", 3));
			assertThat(e.message()).isEqualTo("key has an empty value");
			assertThat(e.toString()).isEqualTo("error in /etc/flb/test.conf:3: key has an empty value");
		}

		@Test
		void keyWithoutValue() {
			ConfigError e = onlyError("[INPUT]\n    Name cpu\n    Tag\n");
			assertThat(e.origin().line()).isEqualTo(3);
			assertThat(e.message()).isEqualTo("undefined value - check config is in valid classic format");
		}

		@Test
		void tabIsNotAKeyValueSeparator() {
			ConfigError e = onlyError("[INPUT]\n    Name\tcpu\n");
			assertThat(e.origin().line()).isEqualTo(2);
			assertThat(e.message()).startsWith("undefined value");
		}

		@Test
		void indentationTooLow() {
			ConfigError e = onlyError("[INPUT]\n    Name cpu\n  Tag x\n");
			assertThat(e.origin().line()).isEqualTo(3);
			assertThat(e.message()).isEqualTo("invalid indentation level");
		}

		@Test
		void extraIndentationThatIsNotAGroupLevel() {
			ConfigError e = onlyError("[INPUT]\n    Name cpu\n      Tag x\n");
			assertThat(e.origin().line()).isEqualTo(3);
			assertThat(e.message()).isEqualTo("invalid indentation level");
		}

		@Test
		void inconsistentTabsAndSpaces() {
			ConfigError e = onlyError("[INPUT]\n    Name cpu\n\tTag x\n");
			assertThat(e.origin()).isEqualTo(new Origin("/etc/flb/test.conf", 3));
			assertThat(e.message()).isEqualTo("inconsistent use of tab and space");
		}

		@Test
		void unindentedEntry() {
			ConfigError e = onlyError("[INPUT]\nName cpu\n");
			assertThat(e.origin().line()).isEqualTo(2);
			assertThat(e.message()).isEqualTo("invalid indentation level");
		}

		@Test
		void badHeader() {
			List<ConfigError> errors = errors("[INPUT\n    Name cpu\n[]\n");
			assertThat(errors).extracting(ConfigError::origin, ConfigError::message)
				.containsExactly(tuple(new Origin("/etc/flb/test.conf", 1), "bad header definition"),
						tuple(new Origin("/etc/flb/test.conf", 3), "bad header definition"));
		}

		@Test
		void unknownSection() {
			ConfigError e = onlyError("[SERVICE]\n    Flush 1\n[INPOT]\n    Name cpu\n");
			assertThat(e.origin().line()).isEqualTo(3);
			assertThat(e.message()).isEqualTo("unknown section '[INPOT]'");
		}

		@Test
		void entryOutsideOfASection() {
			List<ConfigError> errors = errors("    Name cpu\nFlush 1\n[INPUT]\n    Name cpu\n");
			assertThat(errors).extracting(ConfigError::origin, ConfigError::message)
				.containsExactly(tuple(new Origin("/etc/flb/test.conf", 1), "entry outside of a section"),
						tuple(new Origin("/etc/flb/test.conf", 2), "entry outside of a section"));
		}

		@Test
		void parserSectionsInTheMainFile() {
			List<ConfigError> errors = errors("""
					[INPUT]
					    Name cpu
					[PARSER]
					    Name json
					    Format json
					[MULTILINE_PARSER]
					    Name ml
					""");
			assertThat(errors).extracting((e) -> e.origin().line()).containsExactly(3, 6);
			assertThat(errors).extracting(ConfigError::message)
				.allMatch((m) -> m.startsWith("Sections 'multiline_parser' and 'parser' are not valid in the main configuration file"));
		}

		@Test
		void badCommands() {
			List<ConfigError> errors = errors("@SET novalue\n@SET =x\n@FOO bar\n@INCLUDE\n");
			assertThat(errors).extracting((e) -> e.origin().line(), ConfigError::message)
				.containsExactly(tuple(1, "invalid @SET command, expected @SET KEY=VALUE"),
						tuple(2, "invalid @SET command, expected @SET KEY=VALUE"), tuple(3, "unknown command '@FOO'"),
						tuple(4, "@INCLUDE needs a file path"));
		}

		@Test
		void emptyGroupBeforeAnotherGroup() {
			ConfigError e = onlyError("[INPUT]\n    Name dummy\n    [a]\n    [b]\n        k v\n");
			assertThat(e.origin().line()).isEqualTo(3);
			assertThat(e.message()).isEqualTo("previous group did not have keys");
		}

		@Test
		void badGroupHeader() {
			ConfigError e = onlyError("[INPUT]\n    Name dummy\n    [group\n");
			assertThat(e.origin().line()).isEqualTo(3);
			assertThat(e.message()).isEqualTo("expected a valid group name: [..]");
		}

		@Test
		void everyErrorOfTheFileIsReportedAtOnceInTheMessage() {
			ConfigException ex = null;
			try {
				ClassicConfigReaderTest.this.reader.read("""
						[INPUT]
						    Name cpu
						    Tag
						[BOGUS]
						    Name x
						[OUTPUT]
						    Name stdout
						  Match *
						""", "/etc/flb/many.conf");
			}
			catch (ConfigException caught) {
				ex = caught;
			}
			assertThat(ex).isNotNull();
			assertThat(ex.errors()).extracting((e) -> e.origin().line()).containsExactly(3, 4, 8);
			assertThat(ex.getMessage()).isEqualTo(String.join("\n",
					"error in /etc/flb/many.conf:3: undefined value - check config is in valid classic format",
					"error in /etc/flb/many.conf:4: unknown section '[BOGUS]'",
					"error in /etc/flb/many.conf:8: invalid indentation level"));
		}

	}

	@Nested
	class Includes {

		@Test
		void relativePathsResolveAgainstTheMainFileDirectory() throws IOException {
			Path main = write("main.conf", """
					[SERVICE]
					    Flush 1
					@INCLUDE conf.d/inputs.conf
					[OUTPUT]
					    Name stdout
					    Match *
					""");
			// included from conf.d/, but 'outputs.conf' is relative to main.conf's directory
			Path inputs = write("conf.d/inputs.conf", "[INPUT]\n    Name cpu\n@INCLUDE outputs.conf\n");
			Path outputs = write("outputs.conf", "[OUTPUT]\n    Name null\n    Match x\n");

			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read(main);

			assertThat(doc.sections()).extracting(ConfigSection::type, (s) -> s.get("name"))
				.containsExactly(tuple("service", null), tuple("input", "cpu"), tuple("output", "null"),
						tuple("output", "stdout"));
			assertThat(doc.sections().get(1).origin()).isEqualTo(new Origin(inputs.toString(), 1));
			assertThat(doc.sections().get(2).properties().get(0).origin()).isEqualTo(new Origin(outputs.toString(), 2));
			assertThat(doc.sections().get(3).origin()).isEqualTo(new Origin(main.toString(), 4));
			assertThat(doc.files()).containsExactly(main, inputs, outputs);
		}

		@Test
		void theIncludingSectionContinuesAfterTheInclude() throws IOException {
			Path main = write("main.conf", "[INPUT]\n    Name cpu\n@INCLUDE x.conf\n    Tag after\n");
			write("x.conf", "[OUTPUT]\n    Name stdout\n");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read(main);
			assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("input", "output");
			assertThat(doc.sections("input").get(0).get("tag")).isEqualTo("after");
		}

		@Test
		void globsAreSortedAndOnlyMatchFiles() throws IOException {
			Path main = write("main.conf", "@include inputs/*.conf\n[OUTPUT]\n    Name stdout\n");
			write("inputs/b.conf", "[INPUT]\n    Name b\n");
			write("inputs/a.conf", "[INPUT]\n    Name a\n");
			write("inputs/c.conf", "[INPUT]\n    Name c\n");
			write("inputs/readme.txt", "not a config");
			write("inputs/.hidden.conf", "[INPUT]\n    Name hidden\n");
			Files.createDirectories(ClassicConfigReaderTest.this.dir.resolve("inputs/dir.conf"));

			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read(main);

			assertThat(doc.sections("input")).extracting((s) -> s.get("name")).containsExactly("a", "b", "c");
			assertThat(doc.files()).hasSize(4);
		}

		@Test
		void globInADirectoryComponent() throws IOException {
			Path main = write("main.conf", "@INCLUDE */in.conf\n");
			write("one/in.conf", "[INPUT]\n    Name one\n");
			write("two/in.conf", "[INPUT]\n    Name two\n");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read(main);
			assertThat(doc.sections("input")).extracting((s) -> s.get("name")).containsExactly("one", "two");
		}

		@Test
		void absoluteIncludePath() throws IOException {
			Path other = write("elsewhere/abs.conf", "[INPUT]\n    Name abs\n");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("@INCLUDE " + other + "\n", "/nowhere/main.conf");
			assertThat(doc.sections("input").get(0).get("name")).isEqualTo("abs");
		}

		@Test
		void includingTheSameFileTwice() throws IOException {
			Path main = write("main.conf", "@INCLUDE a.conf\n@INCLUDE ./a.conf\n");
			Path a = write("a.conf", "[INPUT]\n    Name a\n");
			ConfigException ex = catchConfig(main);
			assertThat(ex.errors()).extracting(ConfigError::origin, ConfigError::message)
				.containsExactly(tuple(new Origin(main.toString(), 2),
						"file already included: " + ClassicConfigReaderTest.this.dir.resolve("./a.conf")));
			assertThat(a).exists();
		}

		@Test
		void includingItself() throws IOException {
			Path main = write("main.conf", "[INPUT]\n    Name a\n@INCLUDE main.conf\n");
			ConfigException ex = catchConfig(main);
			assertThat(ex.errors()).singleElement().satisfies((e) -> {
				assertThat(e.origin()).isEqualTo(new Origin(main.toString(), 3));
				assertThat(e.message()).startsWith("file already included: ");
			});
		}

		@Test
		void missingIncludedFile() throws IOException {
			Path main = write("main.conf", "[INPUT]\n    Name a\n@INCLUDE missing.conf\n");
			ConfigException ex = catchConfig(main);
			assertThat(ex.errors()).singleElement().satisfies((e) -> {
				assertThat(e.origin()).isEqualTo(new Origin(main.toString(), 3));
				assertThat(e.message()).isEqualTo("cannot open file '" + ClassicConfigReaderTest.this.dir.resolve("missing.conf")
						+ "': no such file");
			});
			assertThat(ex.getMessage()).contains(main + ":3");
		}

		@Test
		void globMatchingNothing() throws IOException {
			Path main = write("main.conf", "@INCLUDE nothing/*.conf\n");
			ConfigException ex = catchConfig(main);
			assertThat(ex.errors()).singleElement().satisfies((e) -> {
				assertThat(e.origin()).isEqualTo(new Origin(main.toString(), 1));
				assertThat(e.message()).isEqualTo("no file matches the include pattern 'nothing/*.conf'");
			});
		}

		@Test
		void errorsInIncludedFilesNameThatFile() throws IOException {
			Path main = write("main.conf", "@INCLUDE bad.conf\n[INPUT]\n    Name a\n    Tag\n");
			Path bad = write("bad.conf", "[INPUT]\n    Name x\n    Tag \n");
			ConfigException ex = catchConfig(main);
			assertThat(ex.errors()).extracting(ConfigError::origin)
				.containsExactly(new Origin(bad.toString(), 3), new Origin(main.toString(), 4));
		}

		@Test
		void missingMainFile() {
			Path missing = ClassicConfigReaderTest.this.dir.resolve("nope.conf");
			ConfigException ex = catchConfig(missing);
			assertThat(ex.errors()).singleElement().satisfies((e) -> {
				assertThat(e.origin()).isEqualTo(new Origin(missing.toString(), 0));
				assertThat(e.message()).contains("no such file");
			});
		}

		private ConfigException catchConfig(Path main) {
			try {
				ClassicConfigReaderTest.this.reader.read(main);
			}
			catch (ConfigException ex) {
				return ex;
			}
			throw new AssertionError("expected a ConfigException");
		}

	}

	@Nested
	class VariablesInValues {

		@Test
		void setVariablesAndEnvironment() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					@SET OUT_HOST=10.0.0.5
					@SET  HOME = /set/wins
					[OUTPUT]
					    Name  forward
					    Host  ${OUT_HOST}
					    Path  ${HOME}/x
					    Port  ${LATE}
					    Label ${OUT_HOST}:${LATE}
					@SET LATE=24224
					""", "t.conf");
			ConfigSection out = doc.sections("output").get(0);
			assertThat(out.get("host")).isEqualTo("10.0.0.5");
			assertThat(out.get("path")).isEqualTo("/set/wins/x");
			assertThat(out.get("port")).isEqualTo("24224");
			assertThat(out.get("label")).isEqualTo("10.0.0.5:24224");
			assertThat(out.property("host").origin().line()).isEqualTo(5);
			assertThat(doc.variables()).containsExactly(Map.entry("OUT_HOST", "10.0.0.5"), Map.entry("HOME", "/set/wins"),
					Map.entry("LATE", "24224"));
		}

		@Test
		void environmentAndDefaults() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					@SET SET_EMPTY=
					[INPUT]
					    Name   ${UNSET:-dummy}
					    Tag    ${HOME:-unused}
					    Path   ${EMPTY:-from-default}
					    Alias  ${SET_EMPTY:-also-default}
					    Dummy  x${UNSET}y
					    Db     ${SET_EMPTY}z
					""", "t.conf");
			ConfigSection in = doc.sections("input").get(0);
			assertThat(in.get("name")).isEqualTo("dummy");
			assertThat(in.get("tag")).isEqualTo("/home/flb");
			assertThat(in.get("path")).isEqualTo("from-default");
			assertThat(in.get("alias")).isEqualTo("also-default");
			assertThat(in.get("dummy")).isEqualTo("xy");
			assertThat(in.get("db")).isEqualTo("z");
			assertThat(ClassicConfigReaderTest.this.reader.warnings())
				.containsExactly("t.conf:7: [env] variable ${UNSET} is used but not set");
		}

		@Test
		void hostnameIsPredefined() {
			ClassicConfigReader withHost = new ClassicConfigReader(Map.of("HOSTNAME", "node-7"));
			ConfigDocument doc = withHost.read("[INPUT]\n    Name dummy\n    Tag ${HOSTNAME}.log\n", "t.conf");
			assertThat(doc.sections("input").get(0).get("tag")).isEqualTo("node-7.log");

			ConfigDocument real = new ClassicConfigReader(Map.of()).read("[INPUT]\n    Tag ${HOSTNAME}\n", "t.conf");
			assertThat(real.sections("input").get(0).get("tag")).isNotEmpty();
		}

		@Test
		void includePathsAreNotExpanded() throws IOException {
			Path main = write("main.conf", "@SET DIR=sub\n@INCLUDE ${DIR}/x.conf\n");
			write("sub/x.conf", "[INPUT]\n    Name x\n");
			assertThatThrownBy(() -> ClassicConfigReaderTest.this.reader.read(main)).isInstanceOf(ConfigException.class)
				.hasMessageContaining("${DIR}/x.conf");
		}

	}

	@Nested
	class ParsersAndPluginsFiles {

		@Test
		void parsersFileAllowsParserSections() throws IOException {
			Path file = write("parsers.conf", """
					[PARSER]
					    Name        my_access
					    Format      regex
					    Regex       ^(?<host>[^ ]+) (?<code>\\d{3})$
					    Time_Format %Y-%m-%dT%H:%M:%S.%L%z
					    Decode_Field_As json log
					    Decode_Field_As escaped msg

					[MULTILINE_PARSER]
					    name          java_ml
					    type          regex
					    flush_timeout 1000
					    rule      "start_state"   "/^\\d{4}-\\d{2}-\\d{2}/"   "cont"
					    rule      "cont"          "/^\\s+at /"                "cont"
					""");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.readParsersFile(file);
			assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("parser", "multiline_parser");
			assertThat(doc.sections("parser").get(0).get("regex")).isEqualTo("^(?<host>[^ ]+) (?<code>\\d{3})$");
			assertThat(doc.sections("parser").get(0).getAll("decode_field_as")).containsExactly("json log", "escaped msg");
			assertThat(doc.sections("multiline_parser").get(0).getAll("rule"))
				.containsExactly("\"start_state\"   \"/^\\d{4}-\\d{2}-\\d{2}/\"   \"cont\"", "\"cont\"          \"/^\\s+at /\"                \"cont\"");
		}

		@Test
		void parsersFileUsesGivenVariables() throws IOException {
			Path file = write("parsers.conf", "[PARSER]\n    Name ${P}\n    Format json\n");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.readParsersFile(file, Map.of("P", "from_main"));
			assertThat(doc.sections("parser").get(0).get("name")).isEqualTo("from_main");
		}

		@Test
		void pluginsFile() throws IOException {
			Path file = write("plugins.conf", "[PLUGINS]\n    Path /opt/a.so\n    Path /opt/b.so\n");
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.readPluginsFile(file);
			assertThat(doc.sections("plugins").get(0).getAll("path")).containsExactly("/opt/a.so", "/opt/b.so");
		}

		@Test
		void upstreamFile() {
			ConfigDocument doc = ClassicConfigReaderTest.this.reader.read("""
					[UPSTREAM]
					    name       forward-balancing
					[NODE]
					    name       node-1
					    host       127.0.0.1
					    port       43000
					[NODE]
					    name       node-2
					    host       127.0.0.1
					    port       44000
					""", "upstream.conf");
			assertThat(doc.sections()).extracting(ConfigSection::type).containsExactly("upstream", "node", "node");
		}

	}

}
