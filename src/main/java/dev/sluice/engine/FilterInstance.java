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
