package dev.sluice.plugins;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.event.EventBytes;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.OutputContext;

/**
 * A unit-test double for {@link InputContext} and {@link OutputContext}: no engine behind it.
 * Appends are recorded; {@link #sleep} records the duration, advances a virtual clock
 * ({@link #nanoTime()}, {@link #clock()}) and returns at once, so timer-driven inputs run back to
 * back on virtual time; the instance keeps running until {@link #stopWhen} says otherwise or
 * {@link #stop()} is called; {@link #requestShutdown()} is recorded and also stops the instance.
 */
public class TestContext implements InputContext, OutputContext {

	/** One recorded append. */
	public record Append(String tag, EventBytes events) {
	}

	private final String name;

	private final String tag;

	private final Map<String, String> properties = new HashMap<>();

	private final List<Append> appends = new CopyOnWriteArrayList<>();

	private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

	private volatile boolean running = true;

	private volatile boolean shutdownRequested;

	private volatile Predicate<TestContext> stopWhen = (c) -> false;

	private Object context;

	private static final Instant EPOCH = Instant.parse("2026-11-22T02:30:00.123456789Z");

	/** Virtual monotonic time, advanced by {@link #sleep}. */
	private final AtomicLong nanos = new AtomicLong();

	public TestContext(String name, String tag) {
		this.name = name;
		this.tag = tag;
	}

	public TestContext(String name) {
		this(name, name);
	}

	/** Stops the instance as soon as the condition holds (checked on each append and sleep). */
	public TestContext stopWhen(Predicate<TestContext> condition) {
		this.stopWhen = condition;
		return this;
	}

	public void stop() {
		this.running = false;
	}

	public List<Append> appends() {
		return this.appends;
	}

	/** Every appended event, decoded, in order. */
	public List<LogEvent> events() {
		List<LogEvent> out = new ArrayList<>();
		for (Append a : this.appends) {
			out.addAll(a.events().decode());
		}
		return out;
	}

	public int recordCount() {
		int n = 0;
		for (Append a : this.appends) {
			n += a.events().records();
		}
		return n;
	}

	public List<Duration> sleeps() {
		return this.sleeps;
	}

	public boolean shutdownRequested() {
		return this.shutdownRequested;
	}

	private void check() {
		if (this.stopWhen.test(this)) {
			this.running = false;
		}
	}

	@Override
	public String tag() {
		return this.tag;
	}

	@Override
	public void append(String tag, EventBytes events) {
		this.appends.add(new Append(tag, events));
		check();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPaused() {
		return false;
	}

	@Override
	public boolean awaitResume() {
		return this.running;
	}

	/** Virtual monotonic nanoseconds: advanced only by {@link #sleep}. */
	public long nanoTime() {
		return this.nanos.get();
	}

	/** A wall clock on the virtual time, starting at {@link #start()}. */
	public Clock clock() {
		return new Clock() {
			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return EPOCH.plusNanos(TestContext.this.nanos.get());
			}
		};
	}

	/** The wall-clock time the virtual clock starts at. */
	public static Instant start() {
		return EPOCH;
	}

	@Override
	public boolean sleep(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
		this.sleeps.add(duration);
		check();
		return this.running;
	}

	@Override
	public int workers() {
		return 1;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String displayName() {
		return this.name;
	}

	@Override
	public String pluginName() {
		return this.name.substring(0, this.name.indexOf('.'));
	}

	@Override
	public Logger log() {
		return LoggerFactory.getLogger("test:" + this.name);
	}

	@Override
	public Map<String, String> properties() {
		return this.properties;
	}

	@Override
	public void setContext(Object context) {
		this.context = context;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T context() {
		return (T) this.context;
	}

	@Override
	public double flushIntervalSeconds() {
		return 1.0;
	}

	@Override
	public void requestShutdown() {
		this.shutdownRequested = true;
		this.running = false;
	}
}
