package dev.sluice.engine;

import dev.sluice.config.FilterCommonConfig;
import dev.sluice.config.InstanceDefinition;
import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Emitter;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;

/** A running filter instance. {@link #apply} runs on input threads. */
public final class FilterInstance extends InstanceBase implements FilterContext {

	private final TagMatcher matcher;

	private final Metrics.Filter metrics = new Metrics.Filter();

	/** The input that last sent each tag through this filter (where emitted events go). */
	private final java.util.concurrent.ConcurrentHashMap<String, InputInstance> sources = new java.util.concurrent.ConcurrentHashMap<>();

	FilterInstance(InstanceDefinition def, Engine engine, Object plugin) {
		super(def, engine, plugin, def.properties().containsKey("log_level") ? def.commonAs(FilterCommonConfig.class).logLevel : null);
		FilterCommonConfig c = def.commonAs(FilterCommonConfig.class);
		this.matcher = new TagMatcher(c.match, c.matchRegex);
	}

	public TagMatcher matcher() {
		return this.matcher;
	}

	public Metrics.Filter metrics() {
		return this.metrics;
	}

	@SuppressWarnings("unchecked")
	FilterPlugin<Object> filterPlugin() {
		return (FilterPlugin<Object>) this.plugin;
	}

	void init() throws Exception {
		filterPlugin().init(this.definition.config(), this);
	}

	/** Runs the filter for events appended by {@code source}. */
	EventBytes apply(EventBytes in, String tag, InputInstance source) {
		if (source != null && this.sources.get(tag) != source && this.sources.size() < 10_000) {
			this.sources.put(tag, source);
		}
		return apply(in, tag);
	}

	@Override
	public boolean emit(String tag, EventBytes events) {
		InputInstance source = this.sources.get(tag);
		if (source == null || !source.isRunning()) {
			return false;
		}
		this.metrics.addRecords.add(events.records());
		source.appendFrom(this, tag, events);
		return true;
	}

	/** Runs the filter; a filter that throws passes its input on unchanged, counted as an error. */
	EventBytes apply(EventBytes in, String tag) {
		this.metrics.records.add(in.records());
		this.metrics.bytes.add(in.length());
		EventBytes out;
		try {
			out = filterPlugin().filter(in, tag, this);
		}
		catch (RuntimeException ex) {
			this.metrics.errors.increment();
			log().error("filter failed on {} record(s) with tag '{}', passing them on unchanged: {}", in.records(), tag,
					ex.toString());
			return in;
		}
		if (out == null) {
			return in;
		}
		if (out.records() < in.records()) {
			this.metrics.dropRecords.add(in.records() - out.records());
			this.metrics.dropBytes.add(Math.max(0, in.length() - out.length()));
		}
		else if (out.records() > in.records()) {
			this.metrics.addRecords.add(out.records() - in.records());
		}
		return out;
	}

	@Override
	public Emitter createEmitter(String name, long memBufLimit, String storageType) {
		return this.engine.createEmitter(this, name, memBufLimit, storageType);
	}

	@Override
	public void reportError() {
		this.metrics.errors.increment();
	}

	void exit() {
		try {
			filterPlugin().exit();
		}
		catch (Exception ex) {
			log().warn("exit failed: {}", ex.toString());
		}
	}
}
