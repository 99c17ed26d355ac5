package dev.sluice.engine;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.config.InstanceDefinition;
import dev.sluice.log.SluiceLogging;
import dev.sluice.plugin.PluginContext;

/** What every running plugin instance shares: identity, properties, context, logger. */
abstract class InstanceBase implements PluginContext {

	protected final InstanceDefinition definition;

	protected final Engine engine;

	protected final Object plugin;

	private final Logger log;

	private volatile Object context;

	InstanceBase(InstanceDefinition definition, Engine engine, Object plugin, String logLevel) {
		this.definition = definition;
		this.engine = engine;
		this.plugin = plugin;
		String loggerName = definition.descriptor().kind().label() + ":" + definition.descriptor().name() + ":"
				+ definition.displayName();
		this.log = LoggerFactory.getLogger(loggerName);
		if (logLevel != null) {
			SluiceLogging.setLevel(loggerName, logLevel);
		}
	}

	public InstanceDefinition definition() {
		return this.definition;
	}

	public Object plugin() {
		return this.plugin;
	}

	@Override
	public String name() {
		return this.definition.name();
	}

	@Override
	public String displayName() {
		return this.definition.displayName();
	}

	@Override
	public String pluginName() {
		return this.definition.descriptor().name();
	}

	@Override
	public Logger log() {
		return this.log;
	}

	@Override
	public Map<String, String> properties() {
		return this.definition.properties();
	}

	@Override
	public java.util.List<Map.Entry<String, String>> orderedProperties() {
		java.util.List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
		for (dev.sluice.config.ConfigProperty p : this.definition.section().properties()) {
			out.add(Map.entry(p.name(), p.value()));
		}
		return java.util.List.copyOf(out);
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
		return this.engine.flushSeconds();
	}

	@Override
	public dev.sluice.parser.ParserRegistry parsers() {
		return this.engine.parsers();
	}

	@Override
	public void requestShutdown() {
		this.engine.requestShutdown("requested by " + displayName());
	}

	@Override
	public void requestShutdown(int exitStatus) {
		this.engine.requestExitStatus(exitStatus);
		requestShutdown();
	}

	@Override
	public String toString() {
		return displayName();
	}
}
