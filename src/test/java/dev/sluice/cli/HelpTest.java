package dev.sluice.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

import static org.assertj.core.api.Assertions.assertThat;

final class HelpTest {

	/** Fixtures copied from the captured Fluent Bit 5.1.1 output ({@code /work/shared/fixtures/help}). */
	static final Path FIXTURES = HelpFixtures.LOCAL;

	private static final SluiceVersion VERSION = new SluiceVersion("0.1.0", "5.1.1", "abc123");

	static String render(java.util.function.Consumer<PrintStream> body) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		body.accept(ps);
		return bytes.toString(StandardCharsets.UTF_8);
	}

	static String fixture(String name) throws IOException {
		return Files.readString(FIXTURES.resolve(name), StandardCharsets.UTF_8);
	}

	@Test
	void pluginHelpOfFileOutputMatchesFluentBitByteForByte() throws IOException {
		PluginSchema.Entry entry = new PluginSchema().describe(TestPlugins.descriptor(PluginKind.OUTPUT, "file"));
		String text = render((out) -> Help.plugin(out, entry));
		assertThat(text).isEqualTo(fixture("output-file.txt"));
	}

	@Test
	void pluginHelpOfFileOutputMatchesLineByLine() throws IOException {
		// The same comparison, line by line, so a failure names the first differing line.
		PluginSchema.Entry entry = new PluginSchema().describe(TestPlugins.descriptor(PluginKind.OUTPUT, "file"));
		List<String> actual = render((out) -> Help.plugin(out, entry)).lines().toList();
		List<String> expected = fixture("output-file.txt").lines().toList();
		for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
			assertThat(actual.get(i)).as("line %d", i + 1).isEqualTo(expected.get(i));
		}
		assertThat(actual).hasSameSizeAs(expected);
	}

	@Test
	void pluginHelpOfRewriteTagFilterMatchesFluentBitByteForByte() throws IOException {
		// Empty descriptions, a SLIST_4 ("space delimited strings (minimum 4)") and a size option.
		PluginSchema.Entry entry = new PluginSchema()
			.describe(TestPlugins.descriptor(PluginKind.FILTER, "rewrite_tag"));
		String text = render((out) -> Help.plugin(out, entry));
		assertThat(text).isEqualTo(fixture("filter-rewrite_tag.txt"));
	}

	@Test
	void pluginHelpPadsToLongestNameOfAllGroupsAndShowsPrefixAsDeclared() {
		PluginSchema.Entry entry = new PluginSchema().describe(TestPlugins.descriptor(PluginKind.INPUT, "tail"));
		String text = render((out) -> Help.plugin(out, entry));
		// Longest name is the common option storage.pause_on_chunks_overlimit (33) + 2.
		String pad = " ".repeat(35);
		assertThat(text).startsWith("\033[1mHELP\033[0m\ntail input plugin\n\033[1m\nDESCRIPTION\n\033[0mTail files\n");
		assertThat(text).contains("\033[1m\nOPTIONS\n\033[0mpath" + " ".repeat(31)
				+ "pattern specifying log files or multiple ones through\n" + pad
				+ "the use of common wildcards. Allows multiple patterns\n" + pad + "separated by commas.\n" + pad
				+ "> default: default, type: multiple comma delimited strings\n\n");
		// Fluent Bit 5.1.1 prints a prefixed key without the N its help code means to add.
		assertThat(text).contains("\nparser_" + " ".repeat(28) + "optional extra parser");
		assertThat(text).contains(pad + "> default: default, type: prefixed string\n\n");
		assertThat(text).endsWith(pad + "> default: false, type: boolean\n\n");
	}

	@Test
	void pluginHelpLeavesOutUnlistedOptions() {
		PluginSchema.Entry entry = new PluginSchema().describe(TestPlugins.descriptor(PluginKind.OUTPUT, "file"));
		String text = render((out) -> Help.plugin(out, entry));
		assertThat(text).doesNotContain("buffer_hint").doesNotContain("\nworkers").doesNotContain("\nname ");
	}

	@Test
	void pluginWithoutConfigurationShowsOnlyGlobalOptions() {
		PluginSchema.Entry entry = new PluginSchema().describe(TestPlugins.descriptor(PluginKind.OUTPUT, "null"));
		String text = render((out) -> Help.plugin(out, entry));
		assertThat(text).contains("GLOBAL_OPTIONS").doesNotContain("\nOPTIONS\n");
	}

	@Test
	void wrapBreaksAtLastSpaceWithinNinetyColumns() {
		StringBuilder sb = new StringBuilder();
		// 10 columns: the break is the space at index 9, and the space itself is dropped.
		Help.wrap(sb, 80, "aaaa bbbb cccc dddd");
		assertThat(sb).hasToString("aaaa bbbb\n" + " ".repeat(80) + "cccc dddd\n");
	}

	@Test
	void wrapKeepsTextThatFits() {
		StringBuilder sb = new StringBuilder();
		Help.wrap(sb, 80, "0123456789");
		assertThat(sb).hasToString("0123456789\n");
	}

	@Test
	void wrapPrintsTheWholeRestWhenNoSpaceFitsOnTheLine() {
		StringBuilder sb = new StringBuilder();
		// 5 columns and no space within them: Fluent Bit prints all the rest on one line.
		Help.wrap(sb, 85, "abcdefghij klm");
		assertThat(sb).hasToString("abcdefghij klm\n");
		sb.setLength(0);
		Help.wrap(sb, 85, "ab cdefghij klm");
		assertThat(sb).hasToString("ab\n" + " ".repeat(85) + "cdefghij klm\n");
	}

	@Test
	void wrapBreaksARemainderOfExactlyTheLineWidthAsFluentBitDoes() {
		StringBuilder sb = new StringBuilder();
		// 10 columns. After "aaaa bbbbb", the rest "cc ddddddd" is exactly 10 characters, yet it
		// is broken again: Fluent Bit only takes the rest whole when it is shorter than a line.
		Help.wrap(sb, 80, "aaaa bbbbb cc ddddddd");
		assertThat(sb).hasToString("aaaa bbbbb\n" + " ".repeat(80) + "cc\n" + " ".repeat(80) + "ddddddd\n");
	}

	@Test
	void wrapWithoutDescription() {
		StringBuilder sb = new StringBuilder();
		Help.wrap(sb, 10, null);
		assertThat(sb).hasToString("no description available\n");
	}

	@Test
	void usageListsOptionsAndNonInternalPluginsWithBoldHeadings() {
		String text = render((out) -> Help.usage(out, "/opt/sluice/bin/sluice", TestPlugins.registry()));
		assertThat(text).startsWith("Usage: /opt/sluice/bin/sluice [OPTION]\n\n\033[1mAvailable Options\033[0m\n"
				+ "  -b  --storage_path=PATH specify a storage buffering path\n"
				+ "  -c  --config=FILE       specify an optional configuration file\n");
		assertThat(text).contains("  -f, --flush=SECONDS     flush timeout in seconds (default: 1)\n")
			.contains("  -p, --prop=\"A=B\"        set plugin configuration property\n")
			.contains("  -P, --port              set HTTP server TCP port (default: 2020)\n")
			.contains("  -h, --help              print this help\n");
		assertThat(text).contains("\n\033[1mInputs\033[0m\n  tail                    Tail files\n\n")
			.contains("\n\033[1mProcessors\033[0m\n\n")
			.contains("\n\033[1mFilters\033[0m\n  rewrite_tag             Rewrite records tags\n\n")
			.contains("\n\033[1mOutputs\033[0m\n  file                    Generate log file\n"
					+ "  null                    Throws away events\n\n\033[1mInternal\033[0m\n");
		assertThat(text).doesNotContain("Library mode");
	}

	@Test
	void usageKeepsFluentBitsWordingForSharedFlags() throws IOException {
		String text = render((out) -> Help.usage(out, "sluice", new PluginRegistry()));
		// Every flag line Sluice shares with Fluent Bit is worded exactly as in the captured help.
		List<String> shared = List.of("-b  --storage_path", "-c  --config", "-D, --dry-run", "-f, --flush",
				"-i, --input", "-F  --filter", "-m, --match", "-o, --output", "-p, --prop", "-R, --parser",
				"-l, --log_file", "-t, --tag", "-v, --verbose", "-w, --workdir", "-H, --http", "-P, --port",
				"-q, --quiet", "-Y, --enable-hot-reload", "-W, --disable", "-V, --version", "-h, --help");
		String fluentBit = HelpFixtures.readOrNull("help.txt");
		for (String flag : shared) {
			String line = text.lines().filter((l) -> l.startsWith("  " + flag)).findFirst().orElseThrow();
			if (fluentBit != null) {
				assertThat(fluentBit.lines().toList()).as(flag).contains(line);
			}
		}
	}

	@Test
	void versionHasFluentBitsShape() {
		String text = render((out) -> Help.version(out, VERSION));
		assertThat(text).isEqualTo("Sluice v0.1.0 (Fluent Bit v5.1.1 compatible)\nGit commit: abc123\n");
	}

	@Test
	void versionReadsTheResourceAndFallsBackToUnknown() {
		SluiceVersion v = SluiceVersion.load(new ByteArrayInputStream(
				"version=1.2.3\nfluentbit.version=5.1.1\n".getBytes(StandardCharsets.ISO_8859_1)));
		assertThat(v).isEqualTo(new SluiceVersion("1.2.3", "5.1.1", "unknown"));
		assertThat(SluiceVersion.load(null)).isEqualTo(new SluiceVersion("unknown", "unknown", "unknown"));
		SluiceVersion unfiltered = SluiceVersion.load(new ByteArrayInputStream(
				"version=${project.version}\nfluentbit.version=@x@\n".getBytes(StandardCharsets.ISO_8859_1)));
		assertThat(unfiltered.version()).isEqualTo("unknown");
		assertThat(unfiltered.fluentBitVersion()).isEqualTo("unknown");
		assertThat(SluiceVersion.current()).isNotNull();
	}

	@Test
	void bannerHasFluentBitsShape() {
		String text = render((err) -> Help.banner(err, VERSION));
		List<String> lines = text.lines().toList();
		assertThat(lines.get(0)).isEqualTo("Sluice v0.1.0 (Fluent Bit v5.1.1 compatible)");
		assertThat(lines.subList(1, 4)).allMatch((l) -> l.startsWith("* "));
		assertThat(lines.get(4)).isEmpty();
		assertThat(text).endsWith("\n\n\n");
	}
}
