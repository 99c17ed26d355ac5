package dev.sluice.engine;

import org.springframework.context.ApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import dev.sluice.config.InstanceDefinition;
import dev.sluice.config.PipelineDefinition;

/**
 * One generation of the pipeline: a child application context holding one bean per configured
 * plugin instance (named after the instance, e.g. {@code input:dummy.0}), created from its bound
 * properties, and the engine that runs them. A reload builds the next generation beside the
 * running one and swaps only when it started.
 */
public final class PipelineGeneration implements AutoCloseable {

	private final int number;

	private final PipelineDefinition definition;

	private final GenericApplicationContext context;

	private final Engine engine;

	private final long unitMillis;

	public PipelineGeneration(int number, PipelineDefinition definition, ApplicationContext parent, long unitMillis) {
		this.number = number;
		this.unitMillis = unitMillis;
		this.definition = definition;
		this.context = new GenericApplicationContext();
		this.context.setParent(parent);
		this.context.setDisplayName("sluice-generation-" + number);
		this.context.registerBean("pipelineDefinition", PipelineDefinition.class, () -> definition);
		for (InstanceDefinition d : definition.inputs()) {
			register(d);
		}
		for (InstanceDefinition d : definition.filters()) {
			register(d);
		}
		for (InstanceDefinition d : definition.outputs()) {
			register(d);
		}
		this.context.refresh();
		this.engine = new Engine(definition, unitMillis, (d) -> this.context.getBean(beanName(d)));
		this.engine.reloads = Math.max(0, number - 1);
	}

	@SuppressWarnings("unchecked")
	private void register(InstanceDefinition d) {
		Class<Object> type = (Class<Object>) d.descriptor().implementation();
		this.context.registerBean(beanName(d), type, () -> d.descriptor().newPlugin());
	}

	static String beanName(InstanceDefinition d) {
		return d.descriptor().kind().label() + ":" + d.name();
	}

	public long unitMillis() {
		return this.unitMillis;
	}

	/** Closes a generation that never started (its outputs exit). */
	void discard() {
		for (OutputInstance o : this.engine.outputs()) {
			o.exit();
		}
		this.context.close();
	}

	public int number() {
		return this.number;
	}

	public PipelineDefinition definition() {
		return this.definition;
	}

	public ApplicationContext context() {
		return this.context;
	}

	public Engine engine() {
		return this.engine;
	}

	/** Initialises and starts the engine (throws ConfigException when an instance refuses). */
	public void start() {
		this.engine.start();
	}

	/** Stops the engine gracefully, then closes the context. */
	@Override
	public void close() {
		this.engine.shutdown();
		this.context.close();
	}
}
