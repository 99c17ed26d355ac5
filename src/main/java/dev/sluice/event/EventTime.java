package dev.sluice.event;

import java.time.Instant;

/**
 * A Fluent Bit event timestamp: seconds and nanoseconds since the epoch. On the wire it is the
 * msgpack EventTime extension (type 0, fixext 8: uint32 seconds, uint32 nanoseconds, big-endian).
 */
public record EventTime(long seconds, int nanos) implements Comparable<EventTime> {

	public static final EventTime ZERO = new EventTime(0, 0);

	public EventTime {
		if (nanos < 0 || nanos >= 1_000_000_000) {
			throw new IllegalArgumentException("nanoseconds out of range: " + nanos);
		}
	}

	public static EventTime now() {
		Instant now = Instant.now();
		return new EventTime(now.getEpochSecond(), now.getNano());
	}

	public static EventTime ofEpochNanos(long epochNanos) {
		return new EventTime(Math.floorDiv(epochNanos, 1_000_000_000L), (int) Math.floorMod(epochNanos, 1_000_000_000L));
	}

	/** Time given as floating-point seconds (the legacy float encoding). */
	public static EventTime ofDouble(double seconds) {
		long s = (long) Math.floor(seconds);
		int ns = (int) Math.round((seconds - s) * 1e9);
		if (ns >= 1_000_000_000) {
			s++;
			ns -= 1_000_000_000;
		}
		return new EventTime(s, ns);
	}

	public double toDouble() {
		return this.seconds + this.nanos / 1e9;
	}

	public long toEpochNanos() {
		return this.seconds * 1_000_000_000L + this.nanos;
	}

	public Instant toInstant() {
		return Instant.ofEpochSecond(this.seconds, this.nanos);
	}

	@Override
	public int compareTo(EventTime o) {
		int c = Long.compare(this.seconds, o.seconds);
		return (c != 0) ? c : Integer.compare(this.nanos, o.nanos);
	}

	@Override
	public String toString() {
		return this.seconds + "." + String.format("%09d", this.nanos);
	}
}
