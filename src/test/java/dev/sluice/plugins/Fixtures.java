package dev.sluice.plugins;

import java.nio.file.Files;
import java.nio.file.Path;


/**
 * Finds the shared Fluent Bit fixtures ({@code shared/fixtures}): the system property
 * {@code sluice.fixtures}, else a {@code shared/fixtures} folder in the working directory or one
 * of its parents. Tests that need them fail when they are absent.
 */
public final class Fixtures {

	private Fixtures() {
	}

	public static Path root() {
		return dev.sluice.testing.SharedFixtures.root();
	}

	public static Path path(String relative) {
		return dev.sluice.testing.SharedFixtures.path(relative);
	}
}
