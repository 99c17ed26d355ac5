package dev.sluice.plugins.in.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sluice.cli.Help;
import dev.sluice.cli.PluginSchema;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.testing.SharedFixtures;

/**
 * The OPTIONS section of {@code sluice -i forward -h} and {@code -o forward -h} against what
 * Fluent Bit 5.1.1 printed (the global and networking sections are rendered by shared code).
 */
class ForwardHelpTest {

	/** The lines from the OPTIONS header up to the next section header. */
	static List<String> options(List<String> lines) {
		int start = -1;
		int end = lines.size();
		for (int i = 0; i < lines.size(); i++) {
			String l = lines.get(i);
			if (start < 0 && l.contains("OPTIONS") && !l.contains("GLOBAL_OPTIONS")) {
				start = i;
			}
			else if (start >= 0 && (l.contains("NETWORKING") || l.contains("NETWORK_TLS"))) {
				end = i;
				break;
			}
		}
		assertThat(start).isNotNegative();
		while (end > start && lines.get(end - 1).replaceAll("\u001b\\[[0-9;]*m", "").isBlank()) {
			end--;
		}
		return lines.subList(start, end);
	}

	@ParameterizedTest
	@CsvSource({ "INPUT, input-forward.txt", "OUTPUT, output-forward.txt" })
	void helpMatchesFluentBitLineByLine(PluginKind kind, String fixture) throws Exception {
		PluginSchema.Entry entry = new PluginSchema().describe(PluginRegistry.builtin().find(kind, "forward"));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Help.plugin(new PrintStream(bytes, true, StandardCharsets.UTF_8), entry);
		List<String> actual = options(bytes.toString(StandardCharsets.UTF_8).lines().toList());
		List<String> expected = options(Files.readString(SharedFixtures.path("help/" + fixture)).lines().toList());
		assertThat(expected).hasSizeGreaterThan(10);
		for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
			assertThat(actual.get(i)).as("%s line %d", fixture, i + 1).isEqualTo(expected.get(i));
		}
		assertThat(actual).hasSameSizeAs(expected);
	}
}
