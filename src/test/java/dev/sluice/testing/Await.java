package dev.sluice.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for an outcome with a deadline (never for a fixed time). */
public final class Await {

	private Await() {
	}

	/** Polls until the condition holds; fails with the description after the deadline. */
	public static void until(Duration deadline, String what, BooleanSupplier condition) {
		long end = System.nanoTime() + deadline.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("timed out after " + deadline + " waiting for " + what);
			}
			Thread.onSpinWait();
			try {
				Thread.sleep(5); // poll interval, not a wait for an outcome
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted waiting for " + what);
			}
		}
	}

	public static <T> T value(Duration deadline, String what, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
		Object[] last = new Object[1];
		until(deadline, what, () -> {
			T v = supplier.get();
			last[0] = v;
			return ok.test(v);
		});
		@SuppressWarnings("unchecked")
		T v = (T) last[0];
		return v;
	}
}
