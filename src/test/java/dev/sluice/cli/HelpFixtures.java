package dev.sluice.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The captured Fluent Bit 5.1.1 help output. A few files are copied next to the tests
 * ({@code fixtures/}); the full set is read from the shared fixtures folder when it is there
 * (system property {@code sluice.fixtures.help}, default {@code /work/shared/fixtures/help}).
 */
final class HelpFixtures {

	static final Path LOCAL = Path.of("src/test/java/dev/sluice/cli/fixtures");

	static final Path SHARED = dev.sluice.testing.SharedFixtures.root().resolve("help");

	private HelpFixtures() {
	}

	/** Whether the full shared set is available. */
	static boolean sharedAvailable() {
		return Files.isRegularFile(SHARED.resolve("schema.json"));
	}

	/** A fixture file from the local copies or the shared folder, or null when neither has it. */
	static String readOrNull(String name) {
		for (Path dir : new Path[] { LOCAL, SHARED }) {
			Path p = dir.resolve(name);
			if (Files.isRegularFile(p)) {
				try {
					return Files.readString(p, StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
		return null;
	}
}
