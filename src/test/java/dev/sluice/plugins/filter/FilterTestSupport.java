package dev.sluice.plugins.filter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.FilterInstance;
import dev.sluice.engine.InputInstance;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

/** Runs real pipelines for filter tests: lib input (tag {@code t}) → filters → lib output. */
public final class FilterTestSupport {

	public static final Duration DEADLINE = Duration.ofSeconds(20);

	public static final EventTime T0 = new EventTime(1_700_000_000L, 123_456_789);

	private FilterTestSupport() {
	}

	/** A builder with quick flushes and an input {@code lib} tagged {@code t}. */
	public static EmbeddedSluice.Builder builder() {
		return EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "2")
			.input("lib", "tag", "t");
	}

	/** lib → one filter (matching {@code *}) with the given properties → lib. */
	public static Run run(String filter, String... keyValues) {
		EmbeddedSluice.Builder b = builder();
		String[] kv = new String[keyValues.length + 2];
		kv[0] = "match";
		kv[1] = "*";
		System.arraycopy(keyValues, 0, kv, 2, keyValues.length);
		b.filter(filter, kv);
		return start(b.output("lib", "match", "*"));
	}

	public static Run start(EmbeddedSluice.Builder b) {
		EmbeddedSluice s = b.build();
		s.start();
		return new Run(s);
	}

	/** A record map keeping insertion order, from alternating keys and values. */
	public static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	/** The keys of each record of a run of events, as written (repeated keys kept). */
	public static List<List<String>> rawKeys(dev.sluice.event.EventBytes events) {
		List<List<String>> out = new ArrayList<>();
		try (org.msgpack.core.MessageUnpacker u = org.msgpack.core.MessagePack.newDefaultUnpacker(events.data(),
				events.offset(), events.length())) {
			while (u.hasNext()) {
				u.unpackArrayHeader();
				u.skipValue();
				int n = u.unpackMapHeader();
				List<String> keys = new ArrayList<>();
				for (int i = 0; i < n; i++) {
					keys.add(u.unpackString());
					u.skipValue();
				}
				out.add(keys);
			}
		}
		catch (java.io.IOException ex) {
			throw new AssertionError(ex);
		}
		return out;
	}

	/** Encodes records with time {@link #T0}. */
	@SafeVarargs
	public static dev.sluice.event.EventBytes events(Map<String, ?>... records) {
		dev.sluice.event.EventEncoder enc = new dev.sluice.event.EventEncoder();
		for (Map<String, ?> r : records) {
			enc.append(T0, r);
		}
		return dev.sluice.event.EventBytes.of(enc);
	}

	/** A started pipeline. */
	public static final class Run implements AutoCloseable {

		private final EmbeddedSluice sluice;

		public Run(EmbeddedSluice sluice) {
			this.sluice = sluice;
		}

		public EmbeddedSluice sluice() {
			return this.sluice;
		}

		public LibInput in() {
			return this.sluice.plugin("lib.0", LibInput.class);
		}

		public LibOutput out() {
			return this.sluice.plugin("lib.0", LibOutput.class);
		}

		/** Another lib output, by instance name ({@code lib.1}) or alias. */
		public LibOutput out(String name) {
			return this.sluice.plugin(name, LibOutput.class);
		}

		public FilterInstance filter(String name) {
			return this.sluice.filter(name);
		}

		public Run push(Map<String, ?> record) {
			return push(T0, record);
		}

		public Run push(EventTime time, Map<String, ?> record) {
			try {
				in().push(time, record);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			return this;
		}

		public Run push(List<LogEvent> events) {
			try {
				in().push(events);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			return this;
		}

		/**
		 * Waits until at least {@code n} events arrived and nothing is left buffered in any input,
		 * then returns every event the output received.
		 */
		public List<LogEvent> await(int n) {
			Await.until(DEADLINE, n + " event(s) at the output", () -> out().events().size() >= n);
			return drained();
		}

		/** Waits until no input holds undelivered bytes, then returns every event received. */
		public List<LogEvent> drained() {
			Await.until(DEADLINE, "inputs drained", () -> {
				for (InputInstance i : this.sluice.engine().inputs()) {
					if (i.bufferedBytes() > 0) {
						return false;
					}
				}
				return true;
			});
			return out().events();
		}

		/** The record bodies of {@link #await}. */
		public List<Map<String, Object>> bodies(int n) {
			List<Map<String, Object>> out = new ArrayList<>();
			for (LogEvent e : await(n)) {
				out.add(e.body());
			}
			return out;
		}

		@Override
		public void close() {
			this.sluice.close();
		}
	}
}
