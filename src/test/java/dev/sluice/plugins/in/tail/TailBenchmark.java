package dev.sluice.plugins.in.tail;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.out.lib.LibOutput;

/**
 * Tail throughput, in-process: a file of N (default 1,000,000) JSON lines of about 214 bytes is
 * read from its head by {@code tail} (no parser: {@code {"log": line}}) through the engine into a
 * {@code lib} output that only counts. Prints lines/s and MiB/s of file read. Run:
 * {@code java -cp "$(bench/classpath.sh)" dev.sluice.plugins.in.tail.TailBenchmark [lines [key=value...]]},
 * e.g. {@code 1000000 db=@DIR@/bench.db path_key=file} ({@code @DIR@}: the benchmark's temporary
 * directory).
 */
public final class TailBenchmark {

	private TailBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int lines = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		Path dir = Files.createTempDirectory("tail-bench");
		Path file = dir.resolve("bench.log");
		long bytes = write(file, lines);
		java.util.List<String> extra = new java.util.ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			int eq = args[i].indexOf('=');
			extra.add(args[i].substring(0, eq));
			extra.add(args[i].substring(eq + 1).replace("@DIR@", dir.toString()));
		}
		try {
			for (int round = 0; round < 3; round++) {
				Path db = dir.resolve("bench.db");
				Files.deleteIfExists(db);
				run(file, lines, bytes, round, extra);
			}
		}
		finally {
			try (var s = Files.list(dir)) {
				for (Path p : s.toList()) {
					Files.deleteIfExists(p);
				}
			}
			Files.deleteIfExists(dir);
		}
	}

	static long write(Path file, int lines) throws Exception {
		long total = 0;
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
			for (int i = 0; i < lines; i++) {
				String l = String.format(Locale.ROOT,
						"{\"time\":\"2026-11-22T04:%02d:%02d.%06dZ\",\"level\":\"info\",\"logger\":\"http.srv\","
								+ "\"msg\":\"request done\",\"method\":\"GET\",\"path\":\"/api/v1/items/%08d\","
								+ "\"status\":200,\"bytes\":%6d,\"duration_ms\":%5.1f,\"req\":\"%016x\"}\n",
						(i / 60) % 60, i % 60, i % 1_000_000, i, (i * 37) % 999_999, (i % 1000) / 10.0, i * 2654435761L);
				byte[] b = l.getBytes(StandardCharsets.UTF_8);
				out.write(b);
				total += b.length;
			}
		}
		return total;
	}

	private static void run(Path file, int lines, long bytes, int round, java.util.List<String> extra) throws Exception {
		java.util.List<String> opts = new java.util.ArrayList<>(
				java.util.List.of("path", file.toString(), "read_from_head", "on", "mem_buf_limit", "64M"));
		opts.addAll(extra);
		LongAdder delivered = new LongAdder();
		try (EmbeddedSluice s = EmbeddedSluice.builder()
			.service("flush", "0.2")
			.input("tail", opts.toArray(String[]::new))
			.output("lib", "match", "*", "workers", "2")
			.build()) {
			s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
				delivered.add(chunk.records());
				return FlushResult.OK;
			});
			long start = System.nanoTime();
			s.start();
			while (delivered.sum() < lines) {
				Thread.sleep(1);
			}
			double secs = (System.nanoTime() - start) / 1e9;
			System.out.printf(Locale.ROOT,
					"round %d: tail %s -> lib (count): %,d lines (avg %d B) in %.2f s: %,.0f lines/s, %.1f MiB/s%n", round,
					extra, lines, bytes / lines, secs, lines / secs, bytes / secs / (1024 * 1024));
		}
	}
}
