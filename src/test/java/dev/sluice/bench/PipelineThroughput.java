package dev.sluice.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;

/**
 * End-to-end engine throughput, in-process: a {@code lib} input fed pre-encoded batches of 1000
 * realistic records, through the engine (chunks, router, flush tasks) into a {@code lib} output
 * that only counts (a null sink). Prints records/s, MiB/s and the process's peak RSS.
 * Run: {@code bench/pipeline.sh [records]}. {@code BENCH_OPTS=-Dstorage=normal} (or {@code full})
 * buffers the input's chunks in files under a temporary {@code storage.path} with that
 * {@code storage.sync}.
 */
public final class PipelineThroughput {

	private PipelineThroughput() {
	}

	public static void main(String[] args) throws Exception {
		long total = (args.length > 0) ? Long.parseLong(args[0]) : 5_000_000L;
		EventEncoder enc = new EventEncoder();
		for (int i = 0; i < CodecBenchmark.BATCH; i++) {
			enc.append(new EventTime(1_795_314_726L, i), CodecBenchmark.sampleRecord(i));
		}
		EventBytes batch = EventBytes.of(enc);
		for (int round = 0; round < 2; round++) {
			run(round == 0 ? Math.min(total, 1_000_000) : total, batch, round == 0);
		}
	}

	private static void run(long total, EventBytes batch, boolean warmup) throws Exception {
		LongAdder delivered = new LongAdder();
		String storage = System.getProperty("storage", "memory");
		java.nio.file.Path storageDir = java.nio.file.Files.createTempDirectory("sluice-bench-storage");
		EmbeddedSluice.Builder builder = EmbeddedSluice.builder().service("flush", "0.2");
		if (!storage.equals("memory")) {
			// 32 chunks of up to 2 MB up in memory, then the input pauses: the same 64 MB as memory
			builder.service("storage.path", storageDir.toString()).service("storage.sync", storage)
				.service("storage.max_chunks_up", "32");
			builder.input("lib", "tag", "bench", "storage.type", "filesystem", "storage.pause_on_chunks_overlimit", "on");
		}
		else {
			builder.input("lib", "tag", "bench", "mem_buf_limit", "64M");
		}
		try (EmbeddedSluice s = builder.output("lib", "match", "*", "workers", "2").build()) {
			s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
				delivered.add(chunk.records());
				return FlushResult.OK;
			});
			s.start();
			var input = s.input("lib.0");
			String tap = System.getProperty("tap", "none");
			if (tap.equals("idle")) {
				// a tap open on another instance: the append path then checks every tap
				s.engine().openTap(new dev.sluice.engine.Tap("nobody", "*", (t) -> { }));
			}
			long batches = total / batch.records();
			long start = System.nanoTime();
			for (long b = 0; b < batches; b++) {
				input.awaitResume();
				input.append("bench", batch);
			}
			long expected = batches * batch.records();
			while (delivered.sum() < expected) {
				Thread.sleep(1);
			}
			double secs = (System.nanoTime() - start) / 1e9;
			if (!warmup) {
				double mib = batches * (double) batch.length() / (1024 * 1024);
				System.out.printf(Locale.ROOT, "lib -> null (engine only, storage=" + storage + ", tap=" + System.getProperty("tap", "none") + "): %,d records in %.2f s: %,.0f records/s, %.1f MiB/s, peak RSS %d MiB%n",
						expected, secs, expected / secs, mib / secs, peakRssMiB());
			}
		}
	}

	static long peakRssMiB() {
		try {
			for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
				}
			}
		}
		catch (Exception ex) {
			// not on Linux
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
	}
}
