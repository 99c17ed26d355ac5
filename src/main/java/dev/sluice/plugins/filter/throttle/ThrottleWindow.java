package dev.sluice.plugins.filter.throttle;

/**
 * Fluent Bit's throttle window: {@code size} panes, each a wall-clock second and a count, used
 * round-robin. A tick opens a pane for the current second (evicting the oldest once all are in
 * use); kept records count in the current pane; the rate is the total over all panes divided by
 * the number of panes (so the first window lets up to {@code rate × size} records through).
 * Thread-safe.
 */
final class ThrottleWindow {

	private final int size;

	private final long[] timestamps;

	private final long[] counters;

	private int maxIndex = -1;

	private long total;

	private long current;

	ThrottleWindow(int size) {
		this.size = size;
		this.timestamps = new long[size];
		this.counters = new long[size];
	}

	synchronized void add(long timestamp, int value) {
		this.current = timestamp;
		int index = -1;
		for (int i = 0; i < this.size; i++) {
			if (this.timestamps[i] == timestamp) {
				index = i;
				break;
			}
		}
		if (index < 0) {
			if (this.maxIndex == this.size - 1) {
				this.maxIndex = -1;
			}
			this.maxIndex++;
			this.timestamps[this.maxIndex] = timestamp;
			this.counters[this.maxIndex] = value;
		}
		else {
			this.counters[index] += value;
		}
		long sum = 0;
		for (long c : this.counters) {
			sum += c;
		}
		this.total = sum;
	}

	/** Counts a record and returns true, or returns false (the record is to be dropped). */
	synchronized boolean admit(double rate) {
		if (this.total / (double) this.size >= rate) {
			return false;
		}
		add(this.current, 1);
		return true;
	}

	synchronized long total() {
		return this.total;
	}

	int size() {
		return this.size;
	}
}
