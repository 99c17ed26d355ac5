package dev.sluice.plugins.in.dummy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.msgpack.core.MessagePacker;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code dummy} input: generates the configured record on a timer.
 *
 * <ul>
 * <li>Interval: {@code interval_sec}/{@code interval_nsec} when either is above 0, else
 * {@code 1e9 / rate} nanoseconds when {@code rate} is above 1, else one second. The first event
 * comes one interval after start, or at once with {@code flush_on_startup}. Missed ticks are not
 * caught up (as with Fluent Bit's timer).</li>
 * <li>Each tick appends {@code copies} times every JSON object of {@code dummy} (several objects
 * may follow one another; other top-level values are ignored), with {@code metadata} as event
 * metadata.</li>
 * <li>Time: now; with {@code start_time_sec}/{@code start_time_nsec} (either 0 or more, the other
 * counting as 0) the start time plus the time elapsed since the instance started; with
 * {@code fixed_timestamp} the start time (or the instance's start) for every event.</li>
 * <li>{@code samples} above 0: stops generating after that many ticks (collection ends).</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "dummy", description = "Generate dummy data", config = DummyConfig.class)
public final class DummyInput implements InputPlugin<DummyConfig> {

	private final Clock clock;

	private final LongSupplier nanoTime;

	private DummyConfig config;

	private final List<byte[]> bodies = new ArrayList<>();

	private byte[] metadata;

	private long intervalNanos;

	/** Start time in epoch nanoseconds, or -1 when none is configured. */
	private long startNanos = -1;

	/** The instance's start, in epoch nanoseconds. */
	private long baseNanos;

	private int samplesCount;

	private final EventEncoder encoder = new EventEncoder();

	public DummyInput() {
		this(Clock.systemUTC(), System::nanoTime);
	}

	/** With a clock for the events' timestamps and a monotonic time source for the timer (tests). */
	DummyInput(Clock clock, LongSupplier nanoTime) {
		this.clock = clock;
		this.nanoTime = nanoTime;
	}

	@Override
	public void init(DummyConfig config, InputContext context) throws Exception {
		this.config = config;
		if (config.testHangOnExit) {
			throw new IllegalArgumentException("dummy: option 'test_hang_on_exit' is not supported yet");
		}
		for (Object v : parse("dummy", config.dummy)) {
			if (v instanceof JsonToMsgpack.JsonObject) {
				this.bodies.add(JsonToMsgpack.toMsgpack(v));
			}
		}
		if (this.bodies.isEmpty()) {
			throw new IllegalArgumentException("dummy: property 'dummy' must hold a JSON object, got '"
					+ config.dummy + "'");
		}
		List<Object> meta = parse("metadata", config.metadata);
		if (meta.size() != 1 || !(meta.get(0) instanceof JsonToMsgpack.JsonObject)) {
			throw new IllegalArgumentException("dummy: property 'metadata' must hold one JSON object, got '"
					+ config.metadata + "'");
		}
		this.metadata = JsonToMsgpack.toMsgpack(meta.get(0));

		int sec = config.intervalSec;
		int nsec = config.intervalNsec;
		if (sec < 0 || nsec < 0) {
			sec = 0;
			nsec = 0;
		}
		if (sec > 0 || nsec > 0) {
			this.intervalNanos = sec * 1_000_000_000L + nsec;
		}
		else if (config.rate > 1) {
			this.intervalNanos = 1_000_000_000L / config.rate;
		}
		else {
			this.intervalNanos = 1_000_000_000L;
		}
		if (config.startTimeSec >= 0 || config.startTimeNsec >= 0) {
			this.startNanos = Math.max(0, config.startTimeSec) * 1_000_000_000L + Math.max(0, config.startTimeNsec);
		}
		this.baseNanos = nowNanos();
	}

	private static List<Object> parse(String key, String json) {
		try {
			return JsonToMsgpack.parseAll(json);
		}
		catch (JsonToMsgpack.SyntaxException ex) {
			throw new IllegalArgumentException("dummy: invalid JSON in property '" + key + "': '" + json + "' ("
					+ ex.getMessage() + ")");
		}
	}

	/** The generation interval. */
	Duration interval() {
		return Duration.ofNanos(this.intervalNanos);
	}

	@Override
	public void collect(InputContext context) throws Exception {
		long next = this.nanoTime.getAsLong() + this.intervalNanos;
		if (this.config.flushOnStartup) {
			if (!tick(context)) {
				return;
			}
		}
		while (context.isRunning()) {
			if (context.isPaused()) {
				if (!context.awaitResume()) {
					return;
				}
				next = this.nanoTime.getAsLong() + this.intervalNanos;
			}
			long wait = next - this.nanoTime.getAsLong();
			if (wait > 0 && !context.sleep(Duration.ofNanos(wait))) {
				return;
			}
			if (!tick(context)) {
				return;
			}
			next += this.intervalNanos;
			long now = this.nanoTime.getAsLong();
			if (next - now <= 0) {
				next = now + this.intervalNanos;
			}
		}
	}

	/** One timer tick; returns false once the sample limit is reached. */
	private boolean tick(InputContext context) throws IOException {
		int samples = this.config.samples;
		if (samples > 0 && this.samplesCount >= samples) {
			return false;
		}
		for (int c = 0; c < this.config.copies; c++) {
			for (byte[] body : this.bodies) {
				EventTime t = timestamp();
				MessagePacker p = this.encoder.packer();
				p.packArrayHeader(2);
				p.packArrayHeader(2);
				MsgpackValues.packEventTime(p, t);
				p.writePayload(this.metadata);
				p.writePayload(body);
				this.encoder.endEvent();
			}
		}
		if (this.encoder.records() > 0) {
			context.append(context.tag(), this.encoder);
		}
		else {
			this.encoder.reset();
		}
		if (samples > 0) {
			this.samplesCount++;
		}
		return samples <= 0 || this.samplesCount < samples;
	}

	private EventTime timestamp() {
		if (this.config.fixedTimestamp) {
			return EventTime.ofEpochNanos((this.startNanos >= 0) ? this.startNanos : this.baseNanos);
		}
		long now = nowNanos();
		if (this.startNanos >= 0) {
			return EventTime.ofEpochNanos(this.startNanos + (now - this.baseNanos));
		}
		return EventTime.ofEpochNanos(now);
	}

	private long nowNanos() {
		Instant i = this.clock.instant();
		return i.getEpochSecond() * 1_000_000_000L + i.getNano();
	}
}
