package dev.sluice.plugins.in.cpu;

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

/** The cpu input reading this machine's /proc. */
class CpuInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final List<EmbeddedSluice> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(EmbeddedSluice::close);
	}

	private EmbeddedSluice start(String... props) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("cpu", props).output("lib", "match", "*").build();
		this.started.add(s);
		s.start();
		return s;
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	@Test
	void systemRecordHasTotalsAndEveryCpu() {
		EmbeddedSluice s = start("interval_sec", "0", "interval_nsec", "200000000");
		Map<String, Object> r = events(s, 2).get(1).body();
		int cpus = Runtime.getRuntime().availableProcessors();
		assertThat(r).containsKeys("cpu_p", "user_p", "system_p", "cpu0.p_cpu", "cpu0.p_user", "cpu0.p_system");
		assertThat(List.copyOf(r.keySet()).subList(0, 3)).containsExactly("cpu_p", "user_p", "system_p");
		assertThat(r.keySet().stream().filter((k) -> k.endsWith(".p_cpu")).count()).isGreaterThanOrEqualTo(cpus);
		for (Map.Entry<String, Object> e : r.entrySet()) {
			assertThat(e.getValue()).as(e.getKey()).isInstanceOf(Double.class);
			// a little slack for counters sampled a few microseconds apart from the clock
			assertThat((Double) e.getValue()).as(e.getKey()).isBetween(0.0, 110.0);
		}
		double cpu = (Double) r.get("cpu_p");
		double sum = (Double) r.get("user_p") + (Double) r.get("system_p");
		assertThat(cpu).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6));
	}

	@Test
	void pidRecordMeasuresOneBusyProcess() throws Exception {
		// this JVM, kept busy on one thread while sampled
		long pid = ProcessHandle.current().pid();
		Thread busy = Thread.ofPlatform().daemon().start(() -> {
			long x = 0;
			while (!Thread.currentThread().isInterrupted()) {
				x += System.nanoTime() % 7;
			}
			if (x == 42) {
				System.out.print("");
			}
		});
		try {
			EmbeddedSluice s = start("pid", String.valueOf(pid), "interval_sec", "0", "interval_nsec", "300000000");
			List<LogEvent> ev = events(s, 3);
			Map<String, Object> r = ev.get(2).body();
			assertThat(r.keySet()).containsExactly("cpu_p", "user_p", "system_p");
			// one spinning thread is up to one CPU (100), less on a loaded machine; never idle, and
			// never more than all the cores
			int cores = Runtime.getRuntime().availableProcessors();
			assertThat((Double) r.get("cpu_p")).isGreaterThan(0.0).isLessThanOrEqualTo(100.0 * cores + 10);
			assertThat((Double) r.get("cpu_p")).isCloseTo((Double) r.get("user_p") + (Double) r.get("system_p"),
					org.assertj.core.data.Offset.offset(1e-6));
		}
		finally {
			busy.interrupt();
		}
	}
}
