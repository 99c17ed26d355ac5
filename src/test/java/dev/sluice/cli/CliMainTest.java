package dev.sluice.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.Origin;
import dev.sluice.plugin.PluginKind;

import static org.assertj.core.api.Assertions.assertThat;

final class CliMainTest {

	private static final SluiceVersion VERSION = new SluiceVersion("0.1.0", "5.1.1", "abc123");

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T02:24:53.002Z"), ZoneOffset.UTC);

	private static final PluginSchema SCHEMA = new PluginSchema("5.1.1", "linux", PluginSchema.NetworkOptions.NONE);

	private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();

	private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

	private final List<CliOptions> runs = new ArrayList<>();

	private Runner runner = (o) -> {
		this.runs.add(o);
		return 0;
	};

	private int run(String... args) {
		PrintStream out = new PrintStream(this.outBytes, false, StandardCharsets.UTF_8);
		PrintStream err = new PrintStream(this.errBytes, false, StandardCharsets.UTF_8);
		return CliMain.run(args, out, err, TestPlugins.registry(), SCHEMA, this.runner, "sluice", VERSION, CLOCK);
	}

	private String out() {
		return this.outBytes.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.errBytes.toString(StandardCharsets.UTF_8);
	}

	private static String banner() {
		return HelpTest.render((p) -> Help.banner(p, VERSION));
	}

	@Test
	void versionGoesToStdout() {
		assertThat(run("--version")).isZero();
		assertThat(out()).isEqualTo("Sluice v0.1.0 (Fluent Bit v5.1.1 compatible)\nGit commit: abc123\n");
		assertThat(err()).isEmpty();
		assertThat(this.runs).isEmpty();
	}

	@Test
	void helpGoesToStdout() {
		assertThat(run("-h")).isZero();
		assertThat(out()).startsWith("Usage: sluice [OPTION]\n").contains("  file                    Generate log file\n");
		assertThat(err()).isEmpty();
		assertThat(this.runs).isEmpty();
	}

	@Test
	void pluginHelpGoesToStdoutWithTheBannerOnStderr() {
		assertThat(run("-o", "file", "-h")).isZero();
		assertThat(out()).isEqualTo(
				HelpTest.render((p) -> Help.plugin(p, SCHEMA.describe(TestPlugins.descriptor(PluginKind.OUTPUT, "file")))));
		assertThat(err()).isEqualTo(banner());
	}

	@Test
	void pluginNamesAreCaseInsensitive() {
		assertThat(run("-F", "Rewrite_Tag", "-h")).isZero();
		assertThat(out()).startsWith("\033[1mHELP\033[0m\nrewrite_tag filter plugin\n");
	}

	@Test
	void pluginSchemaIsOneLineOfJson() {
		assertThat(run("-i", "tail", "-J")).isZero();
		assertThat(out()).isEqualTo(SCHEMA.pluginJson(TestPlugins.descriptor(PluginKind.INPUT, "tail")) + "\n");
		assertThat(err()).isEqualTo(banner());
	}

	@Test
	void catalogueIsOneLineOfJsonWithoutBanner() {
		assertThat(run("-J")).isZero();
		assertThat(out()).isEqualTo(SCHEMA.catalogueJson(TestPlugins.registry()) + "\n");
		assertThat(out().lines()).hasSize(1);
		assertThat(err()).isEmpty();
	}

	@Test
	void unknownPluginHelpFailsAsFluentBitDoes() {
		assertThat(run("-i", "stdin", "-h")).isEqualTo(1);
		assertThat(out()).isEmpty();
		// Same shape as the captured input-stdin.stderr.txt: banner, the message without a newline,
		// the banner again, then two error lines.
		assertThat(err()).isEqualTo(banner() + "invalid input plugin 'stdin'" + banner()
				+ "[2026/11/22 02:24:53.002] [error] [config] section 'stdin' tried to instance a plugin name that doesn't exist\n"
				+ "[2026/11/22 02:24:53.002] [error] configuration file contains errors, aborting.\n");
	}

	@Test
	void unknownPluginHelpMatchesTheCapturedStderrOnceBannersAreSwapped() {
		String captured = HelpFixtures.readOrNull("input-stdin.stderr.txt");
		String fbBanner = HelpFixtures.readOrNull("banner.stderr.txt");
		org.junit.jupiter.api.Assertions.assertTrue(captured != null && fbBanner != null);
		run("-i", "stdin", "-h");
		String normalized = err().replace(banner(), "<banner>").replaceAll("\\[\\d{4}/\\d\\d/\\d\\d [\\d:.]+\\]", "[T]");
		String expected = captured.replace(fbBanner, "<banner>").replaceAll("\\[\\d{4}/\\d\\d/\\d\\d [\\d:.]+\\]", "[T]");
		assertThat(normalized).isEqualTo(expected);
	}

	@Test
	void unknownPluginWithQuietPrintsOneBanner() {
		assertThat(run("-q", "-o", "nope", "-J")).isEqualTo(1);
		assertThat(err()).startsWith(banner() + "invalid output plugin 'nope'[2026/11/22");
	}

	@Test
	void customPluginHelpNamesAMissingPlugin() {
		assertThat(run("-C", "calyptia", "-h")).isEqualTo(1);
		assertThat(err()).contains("invalid custom plugin 'calyptia'")
			.contains("[error] [config] section 'calyptia' tried to instance a plugin name that doesn't exist\n");
	}

	@Test
	void unknownOptionPrintsGetoptsMessageThenTheHelp() {
		assertThat(run("-x")).isEqualTo(1);
		assertThat(err()).isEqualTo("sluice: invalid option -- 'x'\n");
		assertThat(out()).startsWith("Usage: sluice [OPTION]\n");
		assertThat(this.runs).isEmpty();
	}

	@Test
	void otherErrorsAreErrorLogLines() {
		assertThat(run("-p", "a=b")).isEqualTo(1);
		assertThat(err()).isEqualTo(
				"[2026/11/22 02:24:53.002] [error] [cli] -p must follow the -i, -F or -o it applies to\n");
		assertThat(out()).isEmpty();
		assertThat(this.runs).isEmpty();
	}

	@Test
	void runHandsTheOptionsToTheRunnerAfterTheBanner() {
		this.runner = (o) -> {
			this.runs.add(o);
			return 7;
		};
		assertThat(run("-i", "dummy", "-o", "stdout", "-m", "*")).isEqualTo(7);
		assertThat(this.runs).singleElement().satisfies((o) -> {
			assertThat(o.action()).isEqualTo(CliAction.RUN);
			assertThat(o.sections()).hasSize(2);
		});
		assertThat(err()).isEqualTo(banner());
		assertThat(out()).isEmpty();
	}

	@Test
	void dryRunIsTheRunnersJob() {
		assertThat(run("-D", "-c", "x.conf")).isZero();
		assertThat(this.runs).singleElement().satisfies((o) -> assertThat(o.dryRun()).isTrue());
	}

	@Test
	void quietRunHasNoBanner() {
		assertThat(run("-q", "-i", "dummy")).isZero();
		assertThat(err()).isEmpty();
	}

	@Test
	void warningsAreLoggedBeforeRunning() {
		assertThat(run("-Z", "-i", "dummy")).isZero();
		assertThat(err()).isEqualTo(banner()
				+ "[2026/11/22 02:24:53.002] [ warn] [cli] ignoring -Z: chunk tracing is not supported by Sluice\n");
	}

	@Test
	void configErrorsFromTheRunnerAreReported() {
		this.runner = (o) -> {
			throw new ConfigException(new Origin("a.conf", 3), "stdout: unknown configuration property 'foo'.");
		};
		assertThat(run("-q", "-c", "a.conf")).isEqualTo(1);
		assertThat(err()).isEqualTo(
				"[2026/11/22 02:24:53.002] [error] [config] stdout: unknown configuration property 'foo'. (a.conf:3)\n"
						+ "[2026/11/22 02:24:53.002] [error] configuration file contains errors, aborting.\n");
		assertThat(new ConfigError(Origin.COMMAND_LINE, "x").origin()).isEqualTo(Origin.COMMAND_LINE);
	}

	@Test
	void programNameComesFromTheLaunchersProperty() {
		String before = System.getProperty(CliMain.PROGRAM_PROPERTY);
		try {
			System.setProperty(CliMain.PROGRAM_PROPERTY, "/usr/local/bin/fluent-bit");
			assertThat(CliMain.programName()).isEqualTo("/usr/local/bin/fluent-bit");
			System.clearProperty(CliMain.PROGRAM_PROPERTY);
			assertThat(CliMain.programName()).isEqualTo("sluice");
		}
		finally {
			if (before != null) {
				System.setProperty(CliMain.PROGRAM_PROPERTY, before);
			}
		}
	}

	@Test
	void publicEntryPointUsesTheDefaults() {
		PrintStream out = new PrintStream(this.outBytes, false, StandardCharsets.UTF_8);
		PrintStream err = new PrintStream(this.errBytes, false, StandardCharsets.UTF_8);
		assertThat(CliMain.run(new String[] { "-V" }, out, err, TestPlugins.registry(), this.runner)).isZero();
		assertThat(out()).startsWith("Sluice v");
	}
}
