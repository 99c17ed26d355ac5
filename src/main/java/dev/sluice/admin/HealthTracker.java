package dev.sluice.admin;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import dev.sluice.engine.Engine;
import dev.sluice.engine.OutputInstance;
import dev.sluice.engine.PipelineManager;

/**
 * Fluent Bit's health check: the service is unhealthy when, within the last {@code hc_period}
 * seconds, the outputs' {@code errors} grew by more than {@code hc_errors_count} or their
 * {@code retries_failed} by more than {@code hc_retry_failure_count} (strictly greater). Samples
 * the cumulative totals once a second; the clock is injectable for tests.
 */
public final class HealthTracker {

	/** One answer. */
	public record Status(boolean healthy, long errors, long retriesFailed, int errorLimit, int retryFailureLimit,
			int period) {
	}

	private record Sample(long atMillis, long errors, long retriesFailed) {
	}

	private final java.util.function.Supplier<Engine> engine;

	private final LongSupplier clockMillis;

	private final Deque<Sample> samples = new ArrayDeque<>();

	public HealthTracker(PipelineManager manager, LongSupplier clockMillis) {
		this(manager::engine, clockMillis);
	}

	/**
	 * @param engine the running engine (it changes on reload; totals then restart from zero)
	 * @param clockMillis the clock
	 */
	public HealthTracker(java.util.function.Supplier<Engine> engine, LongSupplier clockMillis) {
		this.engine = engine;
		this.clockMillis = clockMillis;
	}

	/** Starts sampling once a second on a daemon virtual thread. */
	public HealthTracker startSampling() {
		Thread.ofVirtual().name("sluice-health").start(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				sample();
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		return this;
	}

	/** Records the current totals. */
	public synchronized void sample() {
		long[] t = totals();
		long now = this.clockMillis.getAsLong();
		this.samples.addLast(new Sample(now, t[0], t[1]));
		int period = period();
		while (this.samples.size() > 1 && this.samples.peekFirst().atMillis < now - (period + 1) * 1000L) {
			this.samples.removeFirst();
		}
	}

	private long[] totals() {
		long errors = 0;
		long failed = 0;
		Engine e = this.engine.get();
		if (e != null) {
			for (OutputInstance o : e.outputs()) {
				errors += o.metrics().errors.sum();
				failed += o.metrics().retriesFailed.sum();
			}
		}
		return new long[] { errors, failed };
	}

	private int period() {
		Engine e = this.engine.get();
		return (e != null) ? e.service().hcPeriod : 60;
	}

	public synchronized Status status() {
		Engine e = this.engine.get();
		int errLimit = (e != null) ? e.service().hcErrorsCount : 5;
		int retryLimit = (e != null) ? e.service().hcRetryFailureCount : 5;
		int period = period();
		long now = this.clockMillis.getAsLong();
		long[] t = totals();
		Sample base = null;
		for (Sample s : this.samples) {
			if (s.atMillis >= now - period * 1000L) {
				base = s;
				break;
			}
		}
		long errors = (base != null) ? Math.max(0, t[0] - base.errors) : t[0];
		long failed = (base != null) ? Math.max(0, t[1] - base.retriesFailed) : t[1];
		boolean healthy = errors <= errLimit && failed <= retryLimit;
		return new Status(healthy, errors, failed, errLimit, retryLimit, period);
	}
}
