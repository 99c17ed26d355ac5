package dev.sluice.plugins;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared Fluent Bit fixtures ({@code shared/fixtures}): the system property
 * {@code sluice.fixtures}, else a {@code shared/fixtures} folder in the working directory or one
 * of its parents. Tests that need them are skipped when they are absent.
 */
public final class Fixtures {

	private Fixtures() {
	}

	public static Path root() {
		String prop = System.getProperty("sluice.fixtures");
		if (prop != null && Files.isDirectory(Path.of(prop))) {
			return Path.of(prop);
		}
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			Path p = dir.resolve("shared").resolve("fixtures");
			if (Files.isDirectory(p)) {
				return p;
			}
			dir = dir.getParent();
		}
		Assumptions.abort("shared/fixtures not found");
		return null;
	}

	public static Path path(String relative) {
		Path p = root().resolve(relative);
		Assumptions.assumeTrue(Files.exists(p), "fixture missing: " + relative);
		return p;
	}
}
