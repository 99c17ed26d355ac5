package dev.sluice.plugins.filter.throttle;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrottleFilterTest {

	private final AtomicLong now = new AtomicLong(1_000);

	private Run start(String... props) {
		String[] kv = new String[props.length + 2];
		kv[0] = "match";
		kv[1] = "*";
		System.arraycopy(props, 0, kv, 2, props.length);
		EmbeddedSluice s = FilterTestSupport.builder().filter("throttle", kv).output("lib", "match", "*").build();
		s.plugin("throttle.0", ThrottleFilter.class).useClock(this.now::get, false);
		s.start();
		return new Run(s);
	}

	private void push(Run r, int from, int to) {
		for (int i = from; i < to; i++) {
			r.push(rec("n", (long) i));
		}
	}

	@Test
	void slowStartThenDropsUntilPanesSlideOut() {
		try (Run r = start("rate", "1", "window", "5")) {
			ThrottleFilter f = r.sluice().plugin("throttle.0", ThrottleFilter.class);
			push(r, 0, 7);
			// the first window lets rate × window records through
			assertThat(r.await(5)).extracting((e) -> e.body().get("n")).containsExactly(0L, 1L, 2L, 3L, 4L);
			assertThat(r.filter("throttle.0").metrics().dropRecords.sum()).isEqualTo(2);
			// one tick later the average is still 5/5
			this.now.incrementAndGet();
			f.tick();
			push(r, 7, 8);
			assertThat(r.filter("throttle.0").metrics().dropRecords.sum()).isEqualTo(3);
			// after the window slid past the busy second, records pass again
			for (int i = 0; i < 4; i++) {
				this.now.incrementAndGet();
				f.tick();
			}
			push(r, 8, 9);
			assertThat(r.await(6)).extracting((e) -> e.body().get("n")).endsWith(8L);
		}
	}

	@Test
	void rateIsAnAveragePerPane() {
		try (Run r = start("rate", "2", "window", "2")) {
			push(r, 0, 10);
			assertThat(r.await(4)).hasSize(4);
			assertThat(r.filter("throttle.0").metrics().dropRecords.sum()).isEqualTo(6);
		}
	}

	@Test
	void intervals() {
		assertThat(ThrottleFilter.parseDuration("1")).isEqualTo(1);
		assertThat(ThrottleFilter.parseDuration("2s")).isEqualTo(2);
		assertThat(ThrottleFilter.parseDuration("1.5m")).isEqualTo(90);
		assertThat(ThrottleFilter.parseDuration("1h")).isEqualTo(3600);
		assertThat(ThrottleFilter.parseDuration("1d")).isEqualTo(86400);
		assertThat(ThrottleFilter.parseDuration("x")).isEqualTo(0);
		assertThat(ThrottleFilter.parseDuration("5 parsecs")).isEqualTo(0);
	}

	@Test
	void realTickerRuns() {
		try (Run r = FilterTestSupport.run("throttle", "rate", "100", "window", "2", "interval", "1", "print_status",
				"on")) {
			r.push(rec("a", 1L));
			assertThat(r.await(1)).hasSize(1);
		}
	}

	@Test
	void badWindowIsAnInitError() {
		assertThatThrownBy(() -> FilterTestSupport.run("throttle", "window", "0"))
			.hasMessageContaining("invalid window size");
	}
}
