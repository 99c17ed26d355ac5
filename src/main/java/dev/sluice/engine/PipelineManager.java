package dev.sluice.engine;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.PipelineDefinition;
import dev.sluice.plugin.PluginRegistry;

/**
 * Holds the running pipeline generation and replaces it on reload. A singleton of the parent
 * (Spring) context: the monitoring and admin endpoints read the current generation from here.
 */
public final class PipelineManager {

	private final PluginRegistry registry;

	private final Supplier<ConfigDocument> configSource;

	private final AtomicInteger reloads = new AtomicInteger();

	private final Instant processStart = Instant.now();

	private static final Logger LOG = LoggerFactory.getLogger("reload");

	private static final Logger CONFIG_LOG = LoggerFactory.getLogger("config");

	private final AtomicBoolean reloading = new AtomicBoolean();

	private volatile PipelineGeneration current;

	private volatile Instant generationStart = Instant.now();

	private ApplicationContext parent;

	private final java.util.List<java.util.function.Consumer<PipelineGeneration>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	/** Called with each generation once it runs (the first, and each one a reload starts). */
	public void onGeneration(java.util.function.Consumer<PipelineGeneration> listener) {
		this.listeners.add(listener);
		PipelineGeneration g = this.current;
		if (g != null) {
			listener.accept(g);
		}
	}

	private void announce(PipelineGeneration g) {
		for (java.util.function.Consumer<PipelineGeneration> l : this.listeners) {
			l.accept(g);
		}
	}

	/**
	 * @param registry the plugin types
	 * @param configSource re-reads the configuration (files and command line) for a reload
	 */
	public PipelineManager(PluginRegistry registry, Supplier<ConfigDocument> configSource) {
		this.registry = registry;
		this.configSource = configSource;
	}

	public PluginRegistry registry() {
		return this.registry;
	}

	public void setParent(ApplicationContext parent) {
		this.parent = parent;
	}

	/** Starts the first generation. */
	public boolean isReloading() {
		return this.reloading.get();
	}

	public PipelineGeneration start(PipelineDefinition def, long unitMillis) {
		PipelineGeneration gen = new PipelineGeneration(1, def, this.parent, unitMillis);
		gen.start();
		this.current = gen;
		this.generationStart = Instant.now();
		announce(gen);
		return gen;
	}

	public PipelineGeneration current() {
		return this.current;
	}

	/** The running engine, or null before start. */
	public Engine engine() {
		PipelineGeneration g = this.current;
		return (g != null) ? g.engine() : null;
	}

	/** When the running generation started (Fluent Bit's uptime restarts on reload). */
	public Instant generationStart() {
		return this.generationStart;
	}

	public Instant processStart() {
		return this.processStart;
	}

	public int reloadCount() {
		return this.reloads.get();
	}

	Supplier<ConfigDocument> configSource() {
		return this.configSource;
	}

	/**
	 * Reloads: re-reads the configuration, validates it and initialises the new generation's
	 * filters and outputs beside the running one; on any error the running pipeline is untouched
	 * and the result says why. Then the old inputs stop, the new inputs start, chunks not yet
	 * flushed move to the new generation and old outputs finish their in-flight flushes (within
	 * {@code hot_reload.timeout}, after which those move too); the old context closes when the
	 * old engine is done. A reload while one is running is refused.
	 */
	public ReloadResult reload(String trigger) {
		if (!this.reloading.compareAndSet(false, true)) {
			LOG.warn("reload requested ({}) while one is in progress: refused", trigger);
			return new ReloadResult(ReloadResult.Outcome.IN_PROGRESS, "reload in progress");
		}
		try {
			return doReload(trigger);
		}
		finally {
			this.reloading.set(false);
		}
	}

	private ReloadResult doReload(String trigger) {
		PipelineGeneration old = this.current;
		LOG.info("reloading instance pid={} ({})", ProcessHandle.current().pid(), trigger);
		PipelineDefinition def;
		try {
			def = PipelineDefinition.build(this.configSource.get(), this.registry);
		}
		catch (ConfigException ex) {
			for (ConfigError e : ex.errors()) {
				CONFIG_LOG.error("{}", e);
			}
			LOG.error("reloaded config is invalid. Reloading is halted");
			return new ReloadResult(ReloadResult.Outcome.FAILED, ex.getMessage());
		}
		catch (RuntimeException ex) {
			LOG.error("reloaded config is invalid. Reloading is halted: {}", ex.toString());
			return new ReloadResult(ReloadResult.Outcome.FAILED, String.valueOf(ex.getMessage()));
		}
		PipelineGeneration next = new PipelineGeneration(old.number() + 1, def, this.parent, old.unitMillis());
		try {
			next.engine().initFiltersAndOutputs();
		}
		catch (ConfigException ex) {
			LOG.error("reloaded config failed to initialise. Reloading is halted");
			next.discard();
			return new ReloadResult(ReloadResult.Outcome.FAILED, ex.getMessage());
		}
		LOG.info("stop everything of the old context");
		Engine oldEngine = old.engine();
		oldEngine.stopInputsForHandover(Math.max(1, old.definition().service().grace / 2) * old.unitMillis());
		next.engine().startEngine();
		try {
			next.engine().initInputs();
		}
		catch (ConfigException ex) {
			LOG.error("new inputs failed to initialise ({}); restarting the previous inputs", ex.getMessage());
			next.engine().shutdown();
			next.discard();
			oldEngine.restartInputs();
			return new ReloadResult(ReloadResult.Outcome.FAILED, ex.getMessage());
		}
		long timeout = def.service().hotReloadTimeout * 1000;
		oldEngine.handover(next.engine(), timeout);
		LOG.info("start everything");
		next.engine().startInputs();
		this.current = next;
		this.generationStart = Instant.now();
		this.reloads.incrementAndGet();
		announce(next);
		Thread.ofVirtual().name("sluice-reload-close").start(old::close);
		LOG.info("successful reload done.");
		return ReloadResult.done();
	}
}
