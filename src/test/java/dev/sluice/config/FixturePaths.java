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
		return dev.sluice.testing.SharedFixtures.root();
	}
}
