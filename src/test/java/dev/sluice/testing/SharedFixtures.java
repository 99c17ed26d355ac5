package dev.sluice.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The captured Fluent Bit 5.1.1 fixtures ({@code shared/fixtures}, beside the checkout): the
 * system property {@code sluice.fixtures} (set by the build to {@code ../shared/fixtures}), else
 * a {@code shared/fixtures} folder in the working directory or a parent of it. Tests that need
 * them fail when they are missing: a skipped fixture test would pass for nothing.
 */
public final class SharedFixtures {

	private SharedFixtures() {
	}

	public static Path root() {
		List<Path> tried = new ArrayList<>();
		String prop = System.getProperty("sluice.fixtures");
		if (prop != null) {
			Path p = Path.of(prop).toAbsolutePath().normalize();
			if (Files.isDirectory(p)) {
				return p;
			}
			tried.add(p);
		}
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			Path p = dir.resolve("shared").resolve("fixtures");
			if (Files.isDirectory(p)) {
				return p;
			}
			tried.add(p);
			dir = dir.getParent();
		}
		throw new AssertionError("Fluent Bit fixtures (shared/fixtures) not found; tried " + tried);
	}

	/** A file or folder under the fixtures; fails when it is missing. */
	public static Path path(String relative) {
		Path p = root().resolve(relative);
		if (!Files.exists(p)) {
			throw new AssertionError("fixture missing: " + p);
		}
		return p;
	}
}
