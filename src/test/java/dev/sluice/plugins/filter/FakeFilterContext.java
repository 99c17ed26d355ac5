package dev.sluice.plugins.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Emitter;
import dev.sluice.plugin.FilterContext;

/** A filter context for unit tests without an engine. */
public final class FakeFilterContext implements FilterContext {

	private final List<Map.Entry<String, String>> props = new ArrayList<>();

	private Object context;

	public int errors;

	public boolean shutdownRequested;

	/** Emitted events, by tag, when {@link #createEmitter} was called. */
	public final List<Map.Entry<String, EventBytes>> emitted = new ArrayList<>();

	public boolean emitterAccepts = true;

	public FakeFilterContext(String... keyValues) {
		for (int i = 0; i < keyValues.length; i += 2) {
			this.props.add(Map.entry(keyValues[i].toLowerCase(java.util.Locale.ROOT), keyValues[i + 1]));
		}
	}

	@Override
	public String name() {
		return "test.0";
	}

	@Override
	public String displayName() {
		return "test.0";
	}

	@Override
	public String pluginName() {
		return "test";
	}

	@Override
	public Logger log() {
		return LoggerFactory.getLogger("filter:test:test.0");
	}

	@Override
	public Map<String, String> properties() {
		Map<String, String> m = new LinkedHashMap<>();
		for (Map.Entry<String, String> e : this.props) {
			m.put(e.getKey(), e.getValue());
		}
		return m;
	}

	@Override
	public List<Map.Entry<String, String>> orderedProperties() {
		return List.copyOf(this.props);
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
		return 1;
	}

	@Override
	public void requestShutdown() {
		this.shutdownRequested = true;
	}

	@Override
	public void reportError() {
		this.errors++;
	}

	@Override
	public Emitter createEmitter(String name, long memBufLimit, String storageType) {
		return new Emitter() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public boolean emit(String tag, EventBytes events) {
				if (!FakeFilterContext.this.emitterAccepts) {
					return false;
				}
				FakeFilterContext.this.emitted.add(Map.entry(tag, events));
				return true;
			}
		};
	}
}
