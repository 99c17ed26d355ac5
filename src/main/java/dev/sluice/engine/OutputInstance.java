package dev.sluice.engine;

import java.util.ArrayDeque;

import dev.sluice.config.InstanceDefinition;
import dev.sluice.config.OutputCommonConfig;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;

/**
 * A running output instance. Its queue and in-flight count belong to the engine thread; its
 * plugin's {@code flush} runs on virtual threads.
 */
public final class OutputInstance extends InstanceBase implements OutputContext {

	private final TagMatcher matcher;

	private final Metrics.Output metrics = new Metrics.Output();

	private final int workers;

	private final int retryLimit;

	private final int id;

	private final java.util.Map<String, Metrics.Route> routeMetrics = new java.util.concurrent.ConcurrentHashMap<>();

	/** Routing counters from each input (by display name) to this output. */
	public java.util.Map<String, Metrics.Route> routeMetrics() {
		return this.routeMetrics;
	}

	Metrics.Route routeMetrics(String input) {
		return this.routeMetrics.computeIfAbsent(input, (k) -> new Metrics.Route());
	}

	/** The output's log processors (YAML {@code processors.logs}), run before each flush. */
	private final java.util.List<ProcessorInstance> processors;

	/** The output's log processors, in order. */
	public java.util.List<ProcessorInstance> processors() {
		return this.processors;
	}

	/** A chunk as this output's processors leave it (the chunk itself when there are none). */
	SealedChunk process(SealedChunk chunk) {
		if (this.processors.isEmpty() || chunk.eventType() != 0) {
			return chunk;
		}
		dev.sluice.event.EventBytes out = ProcessorInstance.applyAll(this.processors, chunk.events(), chunk.tag());
		return (out == chunk.events()) ? chunk : chunk.withEvents(out);
	}

	/** Routes waiting for a free worker (engine thread only). */
	final ArrayDeque<Task.Route> pending = new ArrayDeque<>();

	/** Flushes running now (engine thread only). */
	int inFlight;

	/** Routes of filesystem chunks queued for this output, oldest first (storage.total_limit_size). */
	final java.util.LinkedHashSet<Task.Route> diskQueue = new java.util.LinkedHashSet<>();

	/** Bytes of the chunks in {@link #diskQueue}. */
	long diskQueueBytes;

	private final long totalLimitSize;

	/** storage.total_limit_size (0: no limit). */
	public long totalLimitSize() {
		return this.totalLimitSize;
	}

	/** Bytes of filesystem chunks queued for this output (engine thread's view). */
	public long diskQueueBytes() {
		return this.diskQueueBytes;
	}

	OutputInstance(InstanceDefinition def, Engine engine, Object plugin, int id) {
		super(def, engine, plugin, def.properties().containsKey("log_level") ? def.commonAs(OutputCommonConfig.class).logLevel : null);
		OutputCommonConfig c = def.commonAs(OutputCommonConfig.class);
		this.matcher = new TagMatcher(c.match, c.matchRegex);
		this.workers = (c.workers != null) ? c.workers : def.descriptor().workers();
		Integer limit = RetryPolicy.parseLimit(c.retryLimit);
		if (limit == null) {
			log().warn("invalid retry_limit '{}'. set default.", c.retryLimit);
			limit = 1;
		}
		this.retryLimit = limit;
		this.totalLimitSize = Math.max(0, c.storageTotalLimitSize);
		this.id = id;
		this.processors = ProcessorInstance.of(def.processors(), engine);
		dev.sluice.plugin.Plugin p = def.descriptor().implementation().getAnnotation(dev.sluice.plugin.Plugin.class);
		this.eventTypes = (p != null) ? p.eventTypes() : dev.sluice.plugin.Plugin.LOGS;
	}

	/** The chunk types this output takes ({@link dev.sluice.plugin.Plugin#eventTypes()} bits). */
	private final int eventTypes;

	/** Whether this output takes chunks of the type (0 logs, 1 metrics, 2 traces). */
	public boolean accepts(int eventType) {
		return (this.eventTypes & (1 << eventType)) != 0;
	}

	public TagMatcher matcher() {
		return this.matcher;
	}

	public Metrics.Output metrics() {
		return this.metrics;
	}

	@Override
	public int workers() {
		return this.workers;
	}

	/** Flushes allowed at once: {@code workers}, at least one. */
	int concurrency() {
		return Math.max(1, this.workers);
	}

	public int retryLimit() {
		return this.retryLimit;
	}

	/** The output's index among all outputs ({@code out_id} in Fluent Bit's log lines). */
	public int id() {
		return this.id;
	}

	@SuppressWarnings("unchecked")
	OutputPlugin<Object> outputPlugin() {
		return (OutputPlugin<Object>) this.plugin;
	}

	void init() throws Exception {
		for (ProcessorInstance p : this.processors) {
			p.init();
		}
		outputPlugin().init(this.definition.config(), this);
		for (int i = 0; i < concurrency(); i++) {
			log().info("worker #{} started", i);
		}
	}

	void exit() {
		for (int i = 0; i < concurrency(); i++) {
			log().info("thread worker #{} stopping...", i);
		}
		try {
			outputPlugin().exit();
		}
		catch (Exception ex) {
			log().warn("exit failed: {}", ex.toString());
		}
		for (ProcessorInstance p : this.processors) {
			p.exit();
		}
		for (int i = 0; i < concurrency(); i++) {
			log().info("thread worker #{} stopped", i);
		}
	}
}
