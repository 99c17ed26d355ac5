package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

/**
 * {@link InputInstance#appendCopy}: the caller writes its array again once the call returns (as
 * the forward input does with its pending buffer), so nothing the engine keeps (the open chunk,
 * what filters and taps hold) may still point into it.
 */
class AppendCopyTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	private static EmbeddedSluice.Builder base() {
		return EmbeddedSluice.builder().registry(EngineRuntimeTest.registry()).unitMillis(20).service("flush", "0.05")
			.service("grace", "5");
	}

	/** Appends batches of 10 records from one reused array, scribbling over it after each call. */
	private static void appendReusing(InputInstance in) {
		byte[] shared = new byte[64 * 1024];
		EventEncoder enc = new EventEncoder();
		for (int batch = 0; batch < 20; batch++) {
			enc.reset();
			for (int i = 0; i < 10; i++) {
				long n = batch * 10L + i;
				enc.append(new EventTime(1_700_000_000L + n, 0), Map.of("n", n, "pad", "x".repeat((int) (n % 7))));
			}
			byte[] b = enc.toByteArray();
			System.arraycopy(b, 0, shared, 100, b.length);
			in.appendCopy("app.log", new EventBytes(shared, 100, b.length, 10));
			java.util.Arrays.fill(shared, (byte) 0xc1);
		}
	}

	private static List<Long> numbers(List<LogEvent> events) {
		List<Long> out = new ArrayList<>();
		for (LogEvent e : events) {
			out.add((Long) e.body().get("n"));
		}
		return out;
	}

	private static List<Long> range(int n) {
		List<Long> l = new ArrayList<>();
		for (long i = 0; i < n; i++) {
			l.add(i);
		}
		return l;
	}

	@Test
	void withoutFiltersTheChunkHoldsItsOwnCopy() throws Exception {
		this.sluice = base().input("lib", "tag", "app.log", "alias", "src").output("lib", "match", "*").build().start();
		InputInstance in = this.sluice.input("src");
		List<EventBytes> tapped = new CopyOnWriteArrayList<>();
		try (AutoCloseable tap = this.sluice.engine().openTap(new Tap("src", "*", (t) -> tapped.add(t.events())))) {
			appendReusing(in);
		}
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "200 records", () -> out.events().size() == 200);
		assertThat(numbers(out.events())).containsExactlyElementsOf(range(200));
		assertThat(in.metrics().records.sum()).isEqualTo(200);
		// the tap kept copies of its own
		List<LogEvent> seen = new ArrayList<>();
		for (EventBytes e : tapped) {
			seen.addAll(e.decode());
		}
		assertThat(numbers(seen)).containsExactlyElementsOf(range(200));
	}

	@Test
	void withAFilterTheEventsAreCopiedFirst() throws Exception {
		this.sluice = base().input("lib", "tag", "app.log")
			.filter("modify", "match", "*", "add", "seen yes")
			.output("lib", "match", "*")
			.build()
			.start();
		appendReusing(this.sluice.input("lib.0"));
		LibOutput out = this.sluice.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "200 records", () -> out.events().size() == 200);
		assertThat(numbers(out.events())).containsExactlyElementsOf(range(200));
		assertThat(out.events().get(7).body()).containsEntry("seen", "yes");
	}
}
