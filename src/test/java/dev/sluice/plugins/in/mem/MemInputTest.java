package dev.sluice.plugins.in.mem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

/** The mem input reading this machine's /proc. */
class MemInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final List<EmbeddedSluice> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(EmbeddedSluice::close);
	}

	private EmbeddedSluice start(String... props) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("mem", props).output("lib", "match", "*").build();
		this.started.add(s);
		s.start();
		return s;
	}

	private static Map<String, Object> first(EmbeddedSluice s) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, "a record", lib::events, (l) -> !l.isEmpty()).get(0).body();
	}

	@Test
	void memoryAndSwapInKilobytes() {
		Map<String, Object> r = first(start("interval_nsec", "100000000", "interval_sec", "0"));
		assertThat(r.keySet()).containsExactly("Mem.total", "Mem.used", "Mem.free", "Swap.total", "Swap.used",
				"Swap.free");
		long total = (Long) r.get("Mem.total");
		// the machine's memory holds at least this JVM's largest heap
		assertThat(total * 1024).isGreaterThanOrEqualTo(Runtime.getRuntime().maxMemory());
		assertThat((Long) r.get("Mem.used") + (Long) r.get("Mem.free")).isEqualTo(total);
		assertThat((Long) r.get("Mem.free")).isPositive().isLessThan(total);
		assertThat((Long) r.get("Swap.used") + (Long) r.get("Swap.free")).isEqualTo(r.get("Swap.total"));
	}

	@Test
	void pidAddsTheProcessResidentMemory() {
		long pid = ProcessHandle.current().pid();
		Map<String, Object> r = first(start("pid", String.valueOf(pid), "interval_nsec", "100000000", "interval_sec", "0"));
		long rss = (Long) r.get("proc_bytes");
		// a running JVM holds at least its heap in use
		assertThat(rss).isGreaterThan(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
		assertThat((String) r.get("proc_hr")).matches("[0-9]+\\.[0-9][KMG]");
	}

	@Test
	void humanReadableSizes() {
		assertThat(MemInput.humanReadable(512)).isEqualTo("512b");
		assertThat(MemInput.humanReadable(1536)).isEqualTo("1.5K");
		assertThat(MemInput.humanReadable(12_900_000)).isEqualTo("12.3M");
	}
}
