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
 * {@code java -cp "$(bench/classpath.sh)" dev.sluice.plugins.in.tail.TailBenchmark [lines]}.
 */
public final class TailBenchmark {

	private TailBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int lines = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		Path dir = Files.createTempDirectory("tail-bench");
		Path file = dir.resolve("bench.log");
		long bytes = write(file, lines);
		try {
			for (int round = 0; round < 3; round++) {
				run(file, lines, bytes, round);
			}
		}
		finally {
			Files.deleteIfExists(file);
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

	private static void run(Path file, int lines, long bytes, int round) throws Exception {
		LongAdder delivered = new LongAdder();
		try (EmbeddedSluice s = EmbeddedSluice.builder()
			.service("flush", "0.2")
			.input("tail", "path", file.toString(), "read_from_head", "on", "mem_buf_limit", "64M")
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
					"round %d: tail -> lib (count): %,d lines (avg %d B) in %.2f s: %,.0f lines/s, %.1f MiB/s%n", round,
					lines, bytes / lines, secs, lines / secs, bytes / secs / (1024 * 1024));
		}
	}
}
