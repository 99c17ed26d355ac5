package dev.sluice.plugins.filter.throttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code throttle} filter: a sliding window of {@code window} panes advanced every
 * {@code interval} (a number of seconds with an optional {@code s}, {@code m}, {@code h} or
 * {@code d}); a record is dropped while the window's average per pane is at or above
 * {@code rate}. A ticker thread advances the window; tests can drive it with {@link #useClock}
 * and {@link #tick}.
 */
@Plugin(kind = PluginKind.FILTER, name = "throttle", description = "Throttle messages using sliding window algorithm", config = ThrottleConfig.class)
public final class ThrottleFilter implements FilterPlugin<ThrottleConfig> {

	private LongSupplier clock = () -> System.currentTimeMillis() / 1000;

	private boolean automaticTicks = true;

	private ThrottleWindow window;

	private double rate;

	private String interval;

	private boolean printStatus;

	private FilterContext context;

	private volatile Thread ticker;

	/**
	 * Replaces the clock (epoch seconds); with {@code automaticTicks} false no ticker thread
	 * runs and the window moves only on {@link #tick}. Call before the pipeline starts.
	 */
	public ThrottleFilter useClock(LongSupplier epochSeconds, boolean automaticTicks) {
		this.clock = epochSeconds;
		this.automaticTicks = automaticTicks;
		return this;
	}

	@Override
	public void init(ThrottleConfig config, FilterContext context) {
		this.context = context;
		if (config.window <= 0) {
			throw new IllegalArgumentException("invalid window size " + config.window);
		}
		this.rate = config.rate;
		this.printStatus = config.printStatus;
		this.interval = (config.interval != null) ? config.interval : "1";
		this.window = new ThrottleWindow(config.window);
		double seconds = parseDuration(this.interval);
		if (seconds <= 0) {
			context.log().warn("invalid time interval {} falling back to default: 1 second", this.interval);
			seconds = 1;
		}
		tick();
		if (this.automaticTicks) {
			long nanos = Math.max(1_000_000L, Math.round(seconds * 1e9));
			this.ticker = Thread.ofVirtual().name("throttle-" + context.name()).start(() -> {
				try {
					while (!Thread.currentThread().isInterrupted()) {
						Thread.sleep(java.time.Duration.ofNanos(nanos));
						tick();
					}
				}
				catch (InterruptedException ex) {
					// exit
				}
			});
		}
	}

	/** Seconds of an interval such as {@code 1}, {@code 0.5s}, {@code 2m}; 0 when invalid. */
	static double parseDuration(String s) {
		String t = s.strip();
		int end = 0;
		while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '.' || t.charAt(end) == '-'
				|| t.charAt(end) == '+')) {
			end++;
		}
		double v;
		try {
			v = Double.parseDouble(t.substring(0, end));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
		String suffix = t.substring(end).toLowerCase(Locale.ROOT);
		return switch (suffix) {
			case "", "s" -> v;
			case "m" -> v * 60;
			case "h" -> v * 3600;
			case "d" -> v * 86400;
			default -> 0;
		};
	}

	/** Advances the window to the clock's current second (the ticker's job). */
	public void tick() {
		long now = this.clock.getAsLong();
		this.window.add(now, 0);
		if (this.printStatus) {
			this.context.log().info("{}: limit is {} per {} with window size of {}, current rate is: {} per interval",
					now, String.format(Locale.ROOT, "%.2f", this.rate), this.interval, this.window.size(),
					this.window.total() / this.window.size());
		}
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		List<FilterEvents.Slice> slices;
		try {
			slices = FilterEvents.slices(events);
		}
		catch (RuntimeException ex) {
			context.log().warn("cannot decode events with tag '{}', passing them on: {}", tag, ex.getMessage());
			return null;
		}
		List<FilterEvents.Slice> kept = new ArrayList<>(slices.size());
		for (FilterEvents.Slice s : slices) {
			if (this.window.admit(this.rate)) {
				kept.add(s);
			}
		}
		return (kept.size() == slices.size()) ? null : FilterEvents.keep(events, kept);
	}

	@Override
	public void exit() {
		Thread t = this.ticker;
		if (t != null) {
			t.interrupt();
		}
	}
}
