package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

/** Runs a real pipeline {@code tail -> lib} and reads what was delivered. */
final class TailHarness implements AutoCloseable {

	static final Duration DEADLINE = Duration.ofSeconds(30);

	final EmbeddedSluice sluice;

	TailHarness(String... tailOptions) {
		this(null, tailOptions, 0);
	}

	/** Only events whose tag matches reach the output. */
	static TailHarness matching(String match, String... tailOptions) {
		return new TailHarness(match, tailOptions, 0);
	}

	private TailHarness(String match, String[] tailOptions, int unused) {
		List<String> opts = new ArrayList<>(Arrays.asList(tailOptions));
		if (!opts.contains("refresh_interval")) {
			opts.add("refresh_interval");
			opts.add("0.1");
		}
		this.sluice = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.service("grace", "1")
			.input("tail", opts.toArray(String[]::new))
			.output("lib", "match", (match != null) ? match : "*")
			.build()
			.start();
	}

	List<LogEvent> events() {
		return this.sluice.plugin("lib.0", LibOutput.class).events();
	}

	List<String> lines() {
		List<String> out = new ArrayList<>();
		for (LogEvent e : events()) {
			out.add(String.valueOf(e.body().get("log")));
		}
		return out;
	}

	/** Waits until at least n events arrived, then returns all of them. */
	List<String> awaitLines(int n) {
		try {
			Await.until(DEADLINE, n + " lines", () -> events().size() >= n);
		}
		catch (AssertionError ex) {
			throw new AssertionError(ex.getMessage() + " (have " + events().size() + ")", ex);
		}
		return lines();
	}

	/** Waits for n lines, then a little longer for any extra (duplicate) ones to show up. */
	List<String> awaitExactly(int n) throws InterruptedException {
		awaitLines(n);
		settle();
		return lines();
	}

	/** Lets at least two poll periods and two flushes pass, so that stray events would be seen. */
	static void settle() throws InterruptedException {
		Thread.sleep(400); // not a wait for an outcome: a window in which duplicates would show
	}

	@Override
	public void close() {
		this.sluice.close();
	}

	static List<String> numbered(String prefix, int from, int to) {
		List<String> out = new ArrayList<>();
		for (int i = from; i < to; i++) {
			out.add(prefix + i);
		}
		return out;
	}

	static void append(Path file, List<String> lines) throws IOException {
		StringBuilder sb = new StringBuilder();
		for (String l : lines) {
			sb.append(l).append('\n');
		}
		Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
				StandardOpenOption.WRITE);
	}
}
