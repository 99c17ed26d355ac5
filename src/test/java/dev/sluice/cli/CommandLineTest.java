package dev.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CommandLineTest {

	@TempDir
	Path tmp;

	private static List<String> props(ConfigSection s) {
		return s.properties().stream().map((p) -> p.key() + "=" + p.value()).toList();
	}

	private static CliException failure(String... args) {
		try {
			CommandLine.parse(args);
		}
		catch (CliException ex) {
			return ex;
		}
		throw new AssertionError("expected a CliException");
	}

	@Test
	void noArgumentsRunsWithNothingSet() {
		CliOptions o = CommandLine.parse();
		assertThat(o.action()).isEqualTo(CliAction.RUN);
		assertThat(o.configFile()).isNull();
		assertThat(o.sections()).isEmpty();
		assertThat(o.service().type()).isEqualTo("service");
		assertThat(o.service().properties()).isEmpty();
		assertThat(o.verbosity()).isEqualTo(Verbosity.INFO);
		assertThat(o.dryRun()).isFalse();
		assertThat(o.helpTarget()).isNull();
		assertThat(o.warnings()).isEmpty();
		assertThat(o.programName()).isEqualTo("sluice");
	}

	@Test
	void configFileInEveryForm() {
		assertThat(CommandLine.parse("-c", "a.conf").configFile()).isEqualTo(Path.of("a.conf"));
		assertThat(CommandLine.parse("-ca.conf").configFile()).isEqualTo(Path.of("a.conf"));
		assertThat(CommandLine.parse("--config=a.conf").configFile()).isEqualTo(Path.of("a.conf"));
		assertThat(CommandLine.parse("--config", "a.conf").configFile()).isEqualTo(Path.of("a.conf"));
		assertThat(CommandLine.parse("--conf", "a.yaml").configFile()).isEqualTo(Path.of("a.yaml"));
		assertThat(CommandLine.parse("-c", "a.conf", "-c", "b.conf").configFile()).isEqualTo(Path.of("b.conf"));
	}

	@Test
	void aSeparateValueMayStartWithADash() {
		assertThat(CommandLine.parse("-c", "-odd.conf").configFile()).isEqualTo(Path.of("-odd.conf"));
		assertThat(CommandLine.parse("--config", "-odd.conf").configFile()).isEqualTo(Path.of("-odd.conf"));
	}

	@Test
	void inputFilterOutputStartSectionsWithNameFirst() {
		CliOptions o = CommandLine.parse("-i", "dummy", "-p", "rate=5", "-t", "app", "-F", "grep", "-m", "app",
				"-p", "regex=log x", "-o", "stdout", "-m", "*", "-p", "format=json_lines");
		List<ConfigSection> s = o.sections();
		assertThat(s).extracting(ConfigSection::type).containsExactly("input", "filter", "output");
		assertThat(props(s.get(0))).containsExactly("name=dummy", "rate=5", "tag=app");
		assertThat(props(s.get(1))).containsExactly("name=grep", "match=app", "regex=log x");
		assertThat(props(s.get(2))).containsExactly("name=stdout", "match=*", "format=json_lines");
		assertThat(s).allMatch((x) -> x.origin().equals(Origin.COMMAND_LINE));
		assertThat(s.get(0).properties()).extracting(ConfigProperty::origin).containsOnly(Origin.COMMAND_LINE);
	}

	@Test
	void sectionFlagsInLongAndAttachedForms() {
		CliOptions o = CommandLine.parse("--input=dummy", "--tag", "t1", "--prop=dummy={\"a\":1}", "-Fgrep",
				"--match=t*", "--filter", "modify", "-ostdout", "--output", "null", "--prop", "k=v=w");
		List<ConfigSection> s = o.sections();
		assertThat(props(s.get(0))).containsExactly("name=dummy", "tag=t1", "dummy={\"a\":1}");
		assertThat(props(s.get(1))).containsExactly("name=grep", "match=t*");
		assertThat(props(s.get(2))).containsExactly("name=modify");
		assertThat(props(s.get(3))).containsExactly("name=stdout");
		// -p splits at the first '='.
		assertThat(props(s.get(4))).containsExactly("name=null", "k=v=w");
	}

	@Test
	void outputUrlFormSetsNameHostAndPort() {
		ConfigSection s = CommandLine.parse("-o", "tcp://127.0.0.1:5170", "-p", "format=json").sections().get(0);
		assertThat(props(s)).containsExactly("name=tcp", "host=127.0.0.1", "port=5170", "format=json");
	}

	@Test
	void outputUrlFormVariants() {
		assertThat(props(CommandLine.parse("-o", "forward://fluentd").sections().get(0)))
			.containsExactly("name=forward", "host=fluentd");
		assertThat(props(CommandLine.parse("-o", "tcp://[::1]:24224").sections().get(0)))
			.containsExactly("name=tcp", "host=::1", "port=24224");
		assertThat(props(CommandLine.parse("-o", "http://logs.example:8080/ingest?x=1").sections().get(0)))
			.containsExactly("name=http", "host=logs.example", "port=8080", "uri=/ingest?x=1");
		assertThat(props(CommandLine.parse("-o", "http://logs.example:8080/").sections().get(0)))
			.containsExactly("name=http", "host=logs.example", "port=8080");
		// C atoi: leading digits only.
		assertThat(props(CommandLine.parse("-o", "tcp://h:12x").sections().get(0)))
			.containsExactly("name=tcp", "host=h", "port=12");
	}

	@Test
	void inputUrlFormSetsListenAndPort() {
		assertThat(props(CommandLine.parse("-i", "tcp://0.0.0.0:5170", "-t", "in").sections().get(0)))
			.containsExactly("name=tcp", "listen=0.0.0.0", "port=5170", "tag=in");
	}

	@Test
	void urlWithoutHostIsAnError() {
		assertThat(failure("-o", "tcp://").lines().get(0)).contains("invalid plugin address 'tcp://'");
		assertThat(failure("-o", "tcp://:5170").usage()).isFalse();
	}

	@Test
	void propertyBeforeAnySectionIsAnError() {
		CliException ex = failure("-p", "k=v", "-i", "dummy");
		assertThat(ex.usage()).isFalse();
		assertThat(ex.lines()).containsExactly("[cli] -p must follow the -i, -F or -o it applies to");
		assertThat(ex.exitCode()).isEqualTo(1);
	}

	@Test
	void propertyWithoutEqualsIsAnError() {
		assertThat(failure("-i", "dummy", "-p", "novalue").lines().get(0))
			.contains("invalid property 'novalue'").contains("KEY=VALUE");
		assertThat(failure("-i", "dummy", "-p", "=v").lines().get(0)).contains("invalid property '=v'");
	}

	@Test
	void propertyWithEmptyValueIsKept() {
		assertThat(props(CommandLine.parse("-i", "dummy", "-p", "k=").sections().get(0)))
			.containsExactly("name=dummy", "k=");
	}

	@Test
	void tagNeedsASectionAndAppliesToTheLastOne() {
		assertThat(failure("-t", "x").lines().get(0)).contains("-t must follow");
		// Like Fluent Bit, -t applies to the last section whatever it is; binding rejects it later.
		assertThat(props(CommandLine.parse("-i", "dummy", "-o", "stdout", "-t", "x").sections().get(1)))
			.containsExactly("name=stdout", "tag=x");
	}

	@Test
	void matchNeedsAFilterOrOutput() {
		assertThat(failure("-m", "*").lines().get(0)).contains("-m must follow the -F or -o");
		assertThat(failure("-i", "dummy", "-m", "*").lines().get(0)).contains("-m must follow the -F or -o");
	}

	@Test
	void serviceFlags() {
		CliOptions o = CommandLine.parse("-f", "5", "-l", "/var/log/s.log", "-b", "/var/lib/s", "-H", "-P", "2021",
				"-L", "127.0.0.1", "-Y", "-W", "-d");
		assertThat(props(o.service())).containsExactly("flush=5", "log_file=/var/log/s.log", "storage.path=/var/lib/s",
				"http_server=on", "http_port=2021", "http_listen=127.0.0.1", "hot_reload=on",
				"hot_reload.ensure_thread_safety=off", "daemon=on");
		assertThat(o.service().origin()).isEqualTo(Origin.COMMAND_LINE);
	}

	@Test
	void serviceFlagsInLongForms() {
		CliOptions o = CommandLine.parse("--flush=2", "--log_file", "f.log", "--storage_path=/s", "--http",
				"--port=9", "--http_server", "--http_port", "10", "--http_listen=::", "--enable-hot-reload",
				"--daemon", "--disable-thread-safety-on-hot-reload", "--disable-thread-safety-on-hot-reloading");
		assertThat(props(o.service())).containsExactly("flush=2", "log_file=f.log", "storage.path=/s",
				"http_server=on", "http_port=9", "http_server=on", "http_port=10", "http_listen=::",
				"hot_reload=on", "daemon=on", "hot_reload.ensure_thread_safety=off",
				"hot_reload.ensure_thread_safety=off");
	}

	@Test
	void flushAttached() {
		assertThat(props(CommandLine.parse("-f0.5").service())).containsExactly("flush=0.5");
	}

	@Test
	void parserFileMustExistAndIsAlsoAServiceKey() throws IOException {
		Path parsers = Files.writeString(this.tmp.resolve("parsers.conf"), "[PARSER]\n");
		CliOptions o = CommandLine.parse("-R", parsers.toString(), "--parser=" + parsers);
		assertThat(o.parserFiles()).containsExactly(parsers, parsers);
		assertThat(props(o.service())).containsExactly("parsers_file=" + parsers, "parsers_file=" + parsers);

		CliException ex = failure("-R", this.tmp.resolve("missing.conf").toString());
		assertThat(ex.usage()).isFalse();
		assertThat(ex.lines().get(0)).contains("could not open parser configuration file").contains("missing.conf");
	}

	@Test
	void pluginFileMustExist() throws IOException {
		Path jar = Files.writeString(this.tmp.resolve("out_x.jar"), "");
		assertThat(CommandLine.parse("-e", jar.toString(), "--plugin", jar.toString()).pluginFiles())
			.containsExactly(jar, jar);
		assertThat(failure("-e", this.tmp.resolve("nope.so").toString()).lines().get(0)).contains("nope.so");
	}

	@Test
	void verbosityCountsLikeFluentBit() {
		assertThat(CommandLine.parse("-v").verbosity()).isEqualTo(Verbosity.DEBUG);
		assertThat(CommandLine.parse("-vv").verbosity()).isEqualTo(Verbosity.TRACE);
		assertThat(CommandLine.parse("-v", "-v").verbosity()).isEqualTo(Verbosity.TRACE);
		assertThat(CommandLine.parse("--verbose", "--verbose").verbosity()).isEqualTo(Verbosity.TRACE);
		assertThat(CommandLine.parse("-vvvv").verbosity()).isEqualTo(Verbosity.TRACE);
		assertThat(CommandLine.parse("-q").verbosity()).isEqualTo(Verbosity.OFF);
		assertThat(CommandLine.parse("--quiet").quiet()).isTrue();
		assertThat(CommandLine.parse("-vq").verbosity()).isEqualTo(Verbosity.OFF);
		assertThat(CommandLine.parse("-qv").verbosity()).isEqualTo(Verbosity.ERROR);
	}

	@Test
	void verbosityBecomesTheServiceLogLevel() {
		assertThat(props(CommandLine.parse("-vv").service())).containsExactly("log_level=trace");
		assertThat(props(CommandLine.parse("-v").service())).containsExactly("log_level=debug");
		assertThat(props(CommandLine.parse("-q").service())).containsExactly("log_level=off");
		assertThat(CommandLine.parse("-f", "1").service().get("log_level")).isNull();
	}

	@Test
	void clusteredFlagsAndAValueAtTheEnd() {
		CliOptions o = CommandLine.parse("-DHvc", "x.conf");
		assertThat(o.dryRun()).isTrue();
		assertThat(o.verbosity()).isEqualTo(Verbosity.DEBUG);
		assertThat(o.configFile()).isEqualTo(Path.of("x.conf"));
		assertThat(props(o.service())).containsExactly("http_server=on", "log_level=debug");
	}

	@Test
	void dryRunWorkdirAndIgnoredFlags() {
		CliOptions o = CommandLine.parse("--dry-run", "-w", "/srv", "-s", "65536", "--coro_stack_size=1");
		assertThat(o.dryRun()).isTrue();
		assertThat(o.workdir()).isEqualTo(Path.of("/srv"));
		assertThat(o.warnings()).isEmpty();
		assertThat(o.service().properties()).isEmpty();
		assertThat(CommandLine.parse("--workdir=/w").workdir()).isEqualTo(Path.of("/w"));
	}

	@Test
	void relativeConfigFileResolvesAgainstTheWorkdir() {
		CliOptions o = CommandLine.parse("-w", "/srv", "-c", "conf/a.conf");
		assertThat(o.resolvedConfigFile()).isEqualTo(Path.of("/srv/conf/a.conf"));
		assertThat(CommandLine.parse("-w", "/srv", "-c", "/etc/a.conf").resolvedConfigFile())
			.isEqualTo(Path.of("/etc/a.conf"));
		assertThat(CommandLine.parse("-c", "a.conf").resolvedConfigFile()).isEqualTo(Path.of("a.conf"));
	}

	@Test
	void unsupportedButHarmlessFlagsWarn() {
		CliOptions o = CommandLine.parse("-Z", "-S", "--supervisor", "--trace-input=dummy.0", "--trace",
				"input=dummy.0 output=stdout", "--trace-output", "stdout", "--trace-output-property", "a=b");
		assertThat(o.action()).isEqualTo(CliAction.RUN);
		assertThat(o.warnings()).hasSize(7).allMatch((w) -> w.startsWith("ignoring "));
	}

	@Test
	void unsupportedFeaturesAreErrors() {
		assertThat(failure("-T", "SELECT * FROM STREAM:x;").lines().get(0)).contains("not supported");
		assertThat(failure("--enable-fips").lines().get(0)).contains("FIPS");
	}

	@Test
	void customAndProcessorSectionsNameMissingPlugins() {
		CliException ex = failure("-C", "calyptia", "-p", "a=b", "-i", "dummy");
		assertThat(ex.lines()).containsExactly(
				"[config] section 'calyptia' tried to instance a plugin name that doesn't exist",
				"configuration file contains errors, aborting.");
		assertThat(failure("-r", "content_modifier").lines().get(0)).contains("'content_modifier'");
	}

	@Test
	void operandsAreIgnoredWithAWarning() {
		CliOptions o = CommandLine.parse("extra", "-i", "dummy", "more", "--", "-o", "stdout");
		assertThat(o.sections()).hasSize(1);
		assertThat(o.warnings()).containsExactly("ignoring argument 'extra': it is not an option",
				"ignoring argument 'more': it is not an option", "ignoring argument '-o': it is not an option",
				"ignoring argument 'stdout': it is not an option");
		assertThat(CommandLine.parse("-").warnings()).hasSize(1);
	}

	@Test
	void helpAloneIsTheGeneralHelp() {
		assertThat(CommandLine.parse("-h").action()).isEqualTo(CliAction.HELP);
		assertThat(CommandLine.parse("--help").action()).isEqualTo(CliAction.HELP);
		CliOptions o = CommandLine.parse("-h", "-i", "tail");
		assertThat(o.action()).isEqualTo(CliAction.HELP);
		assertThat(o.helpTarget()).isNull();
	}

	@Test
	void helpAfterASectionIsThatPluginsHelp() {
		CliOptions o = CommandLine.parse("-i", "tail", "-h");
		assertThat(o.action()).isEqualTo(CliAction.PLUGIN_HELP);
		assertThat(o.helpTarget()).isEqualTo(new HelpTarget("input", "tail"));
		assertThat(CommandLine.parse("-F", "grep", "--help").helpTarget()).isEqualTo(new HelpTarget("filter", "grep"));
		assertThat(CommandLine.parse("-i", "dummy", "-o", "http", "-h").helpTarget())
			.isEqualTo(new HelpTarget("output", "http"));
		assertThat(CommandLine.parse("-o", "tcp://h:1", "-h").helpTarget()).isEqualTo(new HelpTarget("output", "tcp"));
		assertThat(CommandLine.parse("-C", "x", "-h").helpTarget()).isEqualTo(new HelpTarget("custom", "x"));
		assertThat(CommandLine.parse("-r", "y", "-h").helpTarget().pluginKind()).isNull();
	}

	@Test
	void helpJsonAloneOrAfterASection() {
		CliOptions all = CommandLine.parse("-J");
		assertThat(all.action()).isEqualTo(CliAction.SCHEMA_JSON);
		assertThat(all.helpTarget()).isNull();
		CliOptions one = CommandLine.parse("-o", "stdout", "--help-json");
		assertThat(one.action()).isEqualTo(CliAction.SCHEMA_JSON);
		assertThat(one.helpTarget()).isEqualTo(new HelpTarget("output", "stdout"));
	}

	@Test
	void versionInBothForms() {
		assertThat(CommandLine.parse("-V").action()).isEqualTo(CliAction.VERSION);
		assertThat(CommandLine.parse("--version").action()).isEqualTo(CliAction.VERSION);
	}

	@Test
	void parsingStopsAtHelpJsonOrVersionAsFluentBitExitsThere() {
		assertThat(CommandLine.parse("-V", "--no-such-option").action()).isEqualTo(CliAction.VERSION);
		assertThat(CommandLine.parse("-hV").action()).isEqualTo(CliAction.HELP);
		assertThat(CommandLine.parse("-i", "tail", "-h", "-p", "x").action()).isEqualTo(CliAction.PLUGIN_HELP);
		assertThat(CommandLine.parse("-C", "nope", "-J").action()).isEqualTo(CliAction.SCHEMA_JSON);
		// ...but what comes before is still checked.
		assertThat(failure("--no-such-option", "-V").usage()).isTrue();
	}

	@Test
	void unknownOptionsAreUsageErrorsInGetoptsWords() {
		CliException shortOpt = failure("-x");
		assertThat(shortOpt.usage()).isTrue();
		assertThat(shortOpt.lines()).containsExactly("invalid option -- 'x'");
		assertThat(failure("-vk").lines()).containsExactly("invalid option -- 'k'");
		assertThat(failure("--nope").lines()).containsExactly("unrecognized option '--nope'");
		assertThat(failure("--nope=1").lines()).containsExactly("unrecognized option '--nope=1'");
		assertThat(failure("-M", "512").lines()).containsExactly("invalid option -- 'M'");
	}

	@Test
	void missingAndUnexpectedValuesAreUsageErrors() {
		assertThat(failure("-c").lines()).containsExactly("option requires an argument -- 'c'");
		assertThat(failure("-i", "dummy", "-p").lines()).containsExactly("option requires an argument -- 'p'");
		assertThat(failure("--config").lines()).containsExactly("option '--config' requires an argument");
		assertThat(failure("--help=yes").lines()).containsExactly("option '--help' doesn't allow an argument");
	}

	@Test
	void longOptionsMayBeAbbreviatedUnambiguously() {
		assertThat(CommandLine.parse("--dry").dryRun()).isTrue();
		assertThat(CommandLine.parse("--help-j").action()).isEqualTo(CliAction.SCHEMA_JSON);
		assertThat(CommandLine.parse("--vers").action()).isEqualTo(CliAction.VERSION);
		assertThat(CommandLine.parse("--verb").verbosity()).isEqualTo(Verbosity.DEBUG);
		// Both spellings of -W's long name stand for the same option: not ambiguous.
		assertThat(props(CommandLine.parse("--disable-thread").service()))
			.containsExactly("hot_reload.ensure_thread_safety=off");
		CliException ambiguous = failure("--h");
		assertThat(ambiguous.usage()).isTrue();
		assertThat(ambiguous.lines().get(0)).startsWith("option '--h' is ambiguous; possibilities: '--http'")
			.contains("'--help'").contains("'--help-json'");
		assertThat(failure("--ver").lines().get(0)).contains("ambiguous");
	}

	@Test
	void optionsAreImmutable() {
		CliOptions o = CommandLine.parse("-i", "dummy", "-f", "1");
		o.sections().get(0).add("extra", "1", Origin.COMMAND_LINE);
		o.service().add("extra", "1", Origin.COMMAND_LINE);
		assertThat(props(o.sections().get(0))).containsExactly("name=dummy");
		assertThat(props(o.service())).containsExactly("flush=1");
	}

	@Test
	void programNameIsKept() {
		assertThat(CommandLine.parse("/opt/bin/fluent-bit", new String[] { "-V" }).programName())
			.isEqualTo("/opt/bin/fluent-bit");
	}
}
