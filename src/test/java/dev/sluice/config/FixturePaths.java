package dev.sluice.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the configurations captured from Fluent Bit live: {@code /work/shared/fixtures}, or
 * {@code shared/fixtures} beside the project (CI's layout), or the {@code sluice.fixtures} system
 * property. Missing fixtures fail the tests rather than skipping them.
 */
final class FixturePaths {

	private FixturePaths() {
	}

	static Path fixtures() {
		List<Path> candidates = new ArrayList<>();
		String property = System.getProperty("sluice.fixtures");
		if (property != null) {
			candidates.add(Path.of(property));
		}
		candidates.add(Path.of("/work/shared/fixtures"));
		candidates.add(Path.of("").toAbsolutePath().resolve("../shared/fixtures").normalize());
		for (Path candidate : candidates) {
			if (Files.isDirectory(candidate)) {
				return candidate;
			}
		}
		throw new AssertionError("Fluent Bit fixtures not found in any of " + candidates);
	}
}
