package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of the end-to-end benchmark harness ({@code bench/run}) with a few thousand records,
 * so that a change that breaks the harness is caught by {@code ./mvnw verify}. It checks that
 * every pipeline ran to its count and that the table was written; the figures themselves mean
 * nothing at this size and are not looked at (no timing assertion).
 */
class BenchHarnessIT {

	@Test
	void everyPipelineRunsToItsCountAndTheTableIsWritten(@TempDir Path dir) throws Exception {
		Path results = dir.resolve("RESULTS.md");
		System.setProperty("sluice.bench.work", dir.resolve("work").toString());
		System.setProperty("sluice.bench.results", results.toString());
		try {
			List<String[]> rows = Harness.run(Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath(), 5000);
			assertThat(rows).extracting((r) -> r[0])
				.containsExactly("tail, no parser -> null", "tail + json parser (time) -> null", "tail + json parser -> file",
						"forward in (PackedForward, 1000-record messages) -> null", "http in (JSON arrays of 1000, keep-alive) -> null",
						"tail -> forward out -> Sluice forward in (Sluice to Sluice)", "tail -> http out (json) -> Sluice http in",
						"idle (dummy -> null), RSS after 10 s");
			for (String[] r : rows.subList(0, 7)) {
				assertThat(r[1]).as(r[0] + " records/s").matches("[0-9,]+");
				assertThat(r[4]).as(r[0] + " peak RSS").matches("[0-9]+ MiB");
			}
			String table = Files.readString(results);
			assertThat(table).startsWith("# Benchmark results").contains("| pipeline | records/s | MiB/s | CPU s | peak RSS | ready |");
		}
		finally {
			System.clearProperty("sluice.bench.work");
			System.clearProperty("sluice.bench.results");
		}
	}
}
