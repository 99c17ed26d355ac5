package dev.sluice.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;

/** Fluent Bit's health rule over a sliding window, on a real engine and a manual clock. */
class HealthTrackerTest {

	private EmbeddedSluice sluice;

	@AfterEach
	void stop() {
		if (this.sluice != null) {
			this.sluice.close();
		}
	}

	@Test
	void unhealthyExactlyWhenErrorsInThePeriodExceedTheLimitAndBackAfterwards() throws Exception {
		this.sluice = EmbeddedSluice.builder().registry(TestPlugins.registry()).unitMillis(20)
			.service("flush", "0.05").service("hc_errors_count", "2").service("hc_period", "10")
			.input("lib", "tag", "t").output("failing", "match", "*").build().start();
		AtomicLong clock = new AtomicLong(1_000_000);
		HealthTracker h = new HealthTracker(this.sluice::engine, clock::get);
		LibInput lib = this.sluice.plugin("lib.0", LibInput.class);
		List<Boolean> seen = new ArrayList<>();
		h.sample();
		assertThat(h.status().healthy()).isTrue();
		for (int i = 1; i <= 3; i++) {
			lib.push(new EventTime(i, 0), Map.of("n", (long) i));
			int expected = i;
			Await.until(Duration.ofSeconds(10), "error " + i,
					() -> this.sluice.output("failing.0").metrics().errors.sum() == expected);
			clock.addAndGet(1000);
			h.sample();
			seen.add(h.status().healthy());
		}
		// 2 errors is not more than hc_errors_count 2; the third makes it unhealthy (strictly greater)
		assertThat(seen).containsExactly(true, true, false);
		HealthTracker.Status s = h.status();
		assertThat(s.errors()).isEqualTo(3);
		assertThat(s.errorLimit()).isEqualTo(2);
		assertThat(s.period()).isEqualTo(10);
		// no new errors: the window (10 s) still holds all three until the first sample leaves it
		for (int i = 0; i < 7; i++) {
			clock.addAndGet(1000);
			h.sample();
		}
		assertThat(h.status().healthy()).isFalse();
		assertThat(h.status().errors()).isEqualTo(3);
		clock.addAndGet(1000);
		h.sample();
		assertThat(h.status().errors()).isEqualTo(2);
		assertThat(h.status().healthy()).isTrue();
		clock.addAndGet(2000);
		h.sample();
		assertThat(h.status().errors()).isZero();
	}
}
