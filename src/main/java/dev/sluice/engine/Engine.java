package dev.sluice.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.InstanceDefinition;
import dev.sluice.config.PipelineDefinition;
import dev.sluice.config.ServiceConfig;
import dev.sluice.event.EventBytes;
import dev.sluice.plugin.FlushResult;

/**
 * The engine: one platform thread that owns every piece of delivery state (tasks, output queues,
 * retry timers) and is driven by messages — closures posted with {@link #post}. Inputs append on
 * their own threads; chunks reach the engine sealed; flushes run as virtual-thread tasks, at most
 * {@code workers} at once per output, and report back as messages. No lock guards engine state.
 *
 * <p>Design notes. A chunk is sealed when it reaches {@link #CHUNK_TARGET_SIZE} (on the input's
 * thread) or at each flush tick (on the engine thread). Sealing makes a task with one route per
 * matching output; a route ends with OK, ERROR, or RETRY past the output's retry limit; the chunk
 * is released (its bytes leave the input's buffer, which may resume a paused input) when every
 * route has ended. Retry waits follow {@link RetryPolicy}. Shutdown stops inputs, seals what is
 * open, brings pending retries forward and waits for the tasks up to {@code grace} seconds.
 */
public final class Engine {

	/** Seal a chunk at this many bytes (Fluent Bit's {@code FLB_INPUT_CHUNK_FS_MAX_SIZE}). */
	public static final int CHUNK_TARGET_SIZE = 2_048_000;

	static final Logger LOG = LoggerFactory.getLogger("engine");

	private static final Logger TASK_LOG = LoggerFactory.getLogger("task");

	private static final Logger STORAGE_LOG = LoggerFactory.getLogger("storage");

	private final ServiceConfig service;

	private final List<InputInstance> inputs = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final List<FilterInstance> filters = new ArrayList<>();

	private final List<OutputInstance> outputs = new ArrayList<>();

	private final LinkedBlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();

	private final PriorityQueue<Timer> timers = new PriorityQueue<>();

	private final BitSet taskIds = new BitSet();

	private final List<Task> tasks = new ArrayList<>();

	private final AtomicBoolean shutdownRequested = new AtomicBoolean();

	private final java.util.concurrent.atomic.AtomicInteger exitStatus = new java.util.concurrent.atomic.AtomicInteger();

	private final CountDownLatch stopped = new CountDownLatch(1);

	private final AtomicLong lastChunkNanos = new AtomicLong();

	private final java.util.concurrent.atomic.AtomicInteger taskCount = new java.util.concurrent.atomic.AtomicInteger();

	private final long pid = ProcessHandle.current().pid();

	private final long unitMillis;

	private final dev.sluice.parser.ParserRegistry parsers;

	private Thread thread;

	/** Chunk files under storage.path; null without it. */
	private final dev.sluice.storage.FilesystemStorage storage;

	/** Filesystem chunks whose events are in memory (open and sealed) / only on disk. */
	final java.util.concurrent.atomic.AtomicInteger fsChunksUp = new java.util.concurrent.atomic.AtomicInteger();

	final java.util.concurrent.atomic.AtomicInteger fsChunksDown = new java.util.concurrent.atomic.AtomicInteger();

	/** Chunks evicted to stay under an output's storage.total_limit_size. */
	private final AtomicLong evictedChunks = new AtomicLong();

	/** Bytes in memory chunks of the inputs without {@code mem_buf_limit}, not yet delivered. */
	private final AtomicLong memoryBuffered = new AtomicLong();

	/**
	 * At most this many bytes of memory chunks, the inputs without {@code mem_buf_limit} together
	 * (those with one are bounded by it): a third of the maximum heap, at most 64 MiB, or
	 * {@code -Dsluice.buffer.max=<size>}. Inputs over it pause (as over {@code mem_buf_limit}) until
	 * deliveries bring it under three quarters of it. Full chunks go to the outputs at once, so
	 * this bounds memory without slowing a pipeline whose outputs keep up.
	 */
	private final long memoryBudget = memoryBudgetDefault();

	private static long memoryBudgetDefault() {
		String set = System.getProperty("sluice.buffer.max");
		if (set != null && !set.isBlank()) {
			return dev.sluice.config.ConfigValues.parseSize(set.strip());
		}
		return Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 3);
	}

	/** Counts appended memory-chunk bytes; true when the buffer budget is now exceeded. */
	boolean memoryBuffered(long bytes) {
		return this.memoryBuffered.addAndGet(bytes) >= this.memoryBudget;
	}

	long memoryBufferedBytes() {
		return this.memoryBuffered.get();
	}

	long memoryBudget() {
		return this.memoryBudget;
	}

	/** Delivered memory-chunk bytes leave the budget; under three quarters of it, paused inputs resume. */
	void memoryReleased(long bytes) {
		long now = this.memoryBuffered.addAndGet(-bytes);
		if (now < this.memoryBudget - this.memoryBudget / 4) {
			for (InputInstance in : this.inputs) {
				if (in.pauseReasons().contains(InputInstance.PauseReason.BUFFER_BUDGET)) {
					in.resume(InputInstance.PauseReason.BUFFER_BUDGET, "buffer budget: " + now + "B buffered");
				}
			}
		}
	}

	/** Memory chunks written to storage.path at the end of the grace period. */
	private final AtomicLong spilledChunks = new AtomicLong();

	/** The hidden input that owns backlog chunks ({@code storage_backlog.N}); null without storage. */
	private InputInstance backlogInput;

	/** Backlog chunks not yet queued (engine thread only). */
	private final java.util.ArrayDeque<dev.sluice.storage.BacklogChunk> backlog = new java.util.ArrayDeque<>();

	/** Bytes of backlog chunks queued and not yet finished (engine thread only). */
	private long backlogUpBytes;

	private static final Tap[] NO_TAPS = new Tap[0];

	/** Open taps; replaced whole (copy on write). */
	private volatile Tap[] taps = NO_TAPS;

	/** Set when a reload hands this engine's work to the next generation (engine thread only). */
	private Engine handoverTarget;

	/** A reload is draining this engine: no new flushes start (engine thread only). */
	private boolean draining;

	private CountDownLatch drainedLatch;

	private volatile boolean stopping;

	private long graceDeadline;

	private long timerSeq;

	/**
	 * @param definition the pipeline
	 * @param unitMillis the length of one "second" of retry and grace timing: 1000 in service;
	 * tests pass less so retries and grace run quickly (time is injected, never slept on)
	 */
	public Engine(PipelineDefinition definition, long unitMillis) {
		this(definition, unitMillis, (d) -> d.descriptor().newPlugin());
	}

	/**
	 * @param definition the pipeline
	 * @param unitMillis as above
	 * @param plugins makes (or looks up) the plugin object of each instance: a bean of the
	 * generation's application context when Sluice runs as a service
	 */
	public Engine(PipelineDefinition definition, long unitMillis, Function<InstanceDefinition, Object> plugins) {
		this.service = definition.service();
		dev.sluice.event.JsonFormatter.configure(this.service.jsonEscapeUnicode, this.service.jsonConvertNanToNull);
		this.unitMillis = unitMillis;
		try {
			this.storage = dev.sluice.storage.FilesystemStorage.of(this.service);
		}
		catch (java.io.IOException | IllegalArgumentException ex) {
			throw new ConfigException(List.of(new ConfigError(definition.document().service().origin(),
					"cannot use storage.path '" + this.service.storagePath + "': " + ex.getMessage())));
		}
		this.parsers = dev.sluice.parser.ParserRegistry.load(definition.document(), this.service.parsersFile,
				new dev.sluice.config.ConfigLoader());
		for (InstanceDefinition d : definition.inputs()) {
			this.inputs.add(new InputInstance(d, this, plugins.apply(d)));
		}
		for (InstanceDefinition d : definition.filters()) {
			this.filters.add(new FilterInstance(d, this, plugins.apply(d)));
		}
		int id = 0;
		for (InstanceDefinition d : definition.outputs()) {
			this.outputs.add(new OutputInstance(d, this, plugins.apply(d), id++));
		}
	}

	public Engine(PipelineDefinition definition) {
		this(definition, 1000);
	}

	/** When this engine (its pipeline generation) was made: Fluent Bit's uptime restarts on reload. */
	private final java.time.Instant createdAt = java.time.Instant.now();

	/** Reloads before this generation (set by the pipeline manager). */
	volatile int reloads;

	/** The service's own metrics, read now ({@link ServiceMetrics}). */
	public List<dev.sluice.plugin.MetricFamily> serviceMetrics() {
		long uptime = java.time.Duration.between(this.createdAt, java.time.Instant.now()).toSeconds();
		long processStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;
		return ServiceMetrics.families(this, uptime, processStart, this.reloads,
				dev.sluice.SluiceVersionInfo.fluentBitVersion());
	}

	public ServiceConfig service() {
		return this.service;
	}

	/** The filesystem storage ({@code storage.path}), or null. */
	public dev.sluice.storage.FilesystemStorage storage() {
		return this.storage;
	}

	/** Filesystem chunks now in memory (open or sealed). */
	public int fsChunksUp() {
		return this.fsChunksUp.get();
	}

	/** Filesystem chunks now only on disk, backlog chunks not yet queued included. */
	public int fsChunksDown() {
		return this.fsChunksDown.get();
	}

	/** Chunks evicted by storage.total_limit_size. */
	public long evictedChunks() {
		return this.evictedChunks.get();
	}

	/** Memory chunks written to storage.path when the grace period ran out. */
	public long spilledChunks() {
		return this.spilledChunks.get();
	}

	/** The pipeline's parsers (parsers files, YAML parsers, built-in multiline parsers). */
	public dev.sluice.parser.ParserRegistry parsers() {
		return this.parsers;
	}

	public List<InputInstance> inputs() {
		return this.inputs;
	}

	public List<FilterInstance> filters() {
		return this.filters;
	}

	public List<OutputInstance> outputs() {
		return this.outputs;
	}

	double flushSeconds() {
		return this.service.flush;
	}

	/**
	 * Initialises every instance (inputs, filters, outputs, in that order, as Fluent Bit does),
	 * then starts the engine thread and the inputs.
	 * @throws ConfigException naming every instance that refused to start
	 */
	public void start() {
		List<ConfigError> errors = new ArrayList<>();
		for (InputInstance i : this.inputs) {
			initOne(i, i::init, errors);
		}
		initFiltersAndOutputs(errors);
		List<dev.sluice.storage.BacklogChunk> found = openBacklog();
		startEngine();
		startInputs();
		if (!found.isEmpty()) {
			post(() -> {
				this.backlog.addAll(found);
				pumpBacklog();
			});
		}
	}

	/**
	 * With storage.path: creates the hidden {@code storage_backlog} input and scans the chunk
	 * files left by an earlier run (first generation only; a reload hands its chunks over).
	 */
	private List<dev.sluice.storage.BacklogChunk> openBacklog() {
		if (this.storage == null) {
			return List.of();
		}
		STORAGE_LOG.info("ver=sluice, type=memory+filesystem, sync={}, checksum={}, max_chunks_up={}",
				this.storage.syncFull() ? "full" : "normal", this.storage.checksum() ? "on" : "off",
				this.service.storageMaxChunksUp);
		String name = "storage_backlog." + this.inputs.size();
		STORAGE_LOG.info("backlog input plugin: {}", name);
		dev.sluice.plugin.PluginDescriptor d = dev.sluice.plugin.PluginDescriptor.of(StorageBacklogInput.class);
		dev.sluice.config.Origin origin = dev.sluice.config.Origin.DEFAULT;
		dev.sluice.config.ConfigSection section = new dev.sluice.config.ConfigSection("input", origin);
		section.add("name", "storage_backlog", origin);
		List<ConfigError> errors = new ArrayList<>();
		dev.sluice.config.ConfigBinder.Bound b = dev.sluice.config.ConfigBinder.bind(d,
				new dev.sluice.config.InputCommonConfig(), section, errors);
		InstanceDefinition def = new InstanceDefinition(d, name, b.common(), b.config(), b.properties(), section);
		InputInstance in = new InputInstance(def, this, new StorageBacklogInput());
		try {
			in.init();
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot initialize " + name + ": " + ex, ex);
		}
		in.useStore(this.storage);
		in.log().info("queue memory limit: {}", dev.sluice.config.ConfigValues.humanSize(backlogMemLimit()));
		this.inputs.add(in);
		this.backlogInput = in;
		List<dev.sluice.storage.BacklogChunk> found = this.storage.scanBacklog();
		for (dev.sluice.storage.BacklogChunk c : found) {
			in.log().info("register {}", c.stored().stream() + "/" + c.stored().name());
		}
		this.fsChunksDown.addAndGet(found.size());
		return found;
	}

	private long backlogMemLimit() {
		return (this.service.storageBacklogMemLimit > 0) ? this.service.storageBacklogMemLimit : 5 * 1024 * 1024;
	}

	/**
	 * Queues backlog chunks, oldest first, while the bytes of those queued and not finished stay
	 * within storage.backlog.mem_limit (at least one at a time): a chunk's file is read only when
	 * it is queued. A chunk whose tag matches no output stays on disk.
	 */
	private void pumpBacklog() {
		while (!this.backlog.isEmpty() && !this.stopping) {
			dev.sluice.storage.BacklogChunk b = this.backlog.peek();
			if (this.backlogUpBytes > 0 && this.backlogUpBytes + b.size() > backlogMemLimit()) {
				return;
			}
			this.backlog.poll();
			this.fsChunksDown.decrementAndGet();
			List<OutputInstance> routed = new ArrayList<>();
			for (OutputInstance o : this.outputs) {
				if (o.matcher().matches(b.tag())) {
					routed.add(o);
				}
			}
			String where = b.stored().stream() + ":" + b.stored().name();
			if (routed.isEmpty()) {
				STORAGE_LOG.warn("backlog chunk {} (tag '{}') matches no output: left on disk", where, b.tag());
				continue;
			}
			byte[] content;
			try {
				content = b.stored().load();
			}
			catch (java.io.IOException ex) {
				STORAGE_LOG.error("cannot read backlog chunk {}: {}", where, ex.getMessage());
				continue;
			}
			this.backlogInput.log().info("queueing {}", where);
			SealedChunk chunk = new SealedChunk(b.stored().name(), b.tag(), this.backlogInput, b.eventType(),
					new EventBytes(content, 0, content.length, b.records()), null, b.stored(), b.records(), content.length);
			this.backlogUpBytes += content.length;
			this.backlogInput.track(content.length);
			this.fsChunksUp.incrementAndGet();
			createTask(this.backlogInput, chunk, routed);
		}
	}

	/**
	 * Initialises filters and outputs only (a reload does this before it touches the running
	 * generation).
	 * @throws ConfigException naming every instance that refused to start
	 */
	public void initFiltersAndOutputs() {
		initFiltersAndOutputs(new ArrayList<>());
	}

	private void initFiltersAndOutputs(List<ConfigError> errors) {
		for (FilterInstance f : this.filters) {
			initOne(f, f::init, errors);
		}
		for (OutputInstance o : this.outputs) {
			initOne(o, o::init, errors);
		}
		if (!errors.isEmpty()) {
			for (OutputInstance o : this.outputs) {
				o.exit();
			}
			throw new ConfigException(errors);
		}
	}

	/** Initialises the inputs (after {@link #initFiltersAndOutputs()}). */
	public void initInputs() {
		List<ConfigError> errors = new ArrayList<>();
		for (InputInstance i : this.inputs) {
			initOne(i, i::init, errors);
		}
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
	}

	/** Starts the engine thread and its flush timer. */
	public void startEngine() {
		int grace = this.service.grace;
		LOG.info("Shutdown Grace Period={}, Shutdown Input Grace Period={}", grace, Math.max(0, grace / 2));
		this.thread = Thread.ofPlatform().name("sluice-engine").start(this::loop);
		long flushMillis = Math.max(1, Math.round(this.service.flush * 1000));
		post(() -> schedule(flushMillis, new Runnable() {
			@Override
			public void run() {
				flushTick();
				if (!Engine.this.stopping) {
					schedule(flushMillis, this);
				}
			}
		}));
		// chunk arrays not asked for lately go back to the collector, half every 5 s
		post(() -> schedule(5000, new Runnable() {
			@Override
			public void run() {
				dev.sluice.event.ByteArrayPool.SHARED.trim();
				if (!Engine.this.stopping) {
					schedule(5000, this);
				}
			}
		}));
	}

	/** Starts every input's collector. */
	public void startInputs() {
		for (InputInstance i : this.inputs) {
			i.start();
		}
	}

	private interface Init {
		void run() throws Exception;
	}

	private static void initOne(InstanceBase instance, Init init, List<ConfigError> errors) {
		try {
			init.run();
		}
		catch (ConfigException ex) {
			// a processor of the instance: the error is at the processor's own line
			instance.log().error("initialization failed: {}", ex.getMessage());
			errors.addAll(ex.errors());
		}
		catch (Exception ex) {
			String msg = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
			instance.log().error("initialization failed: {}", msg);
			errors.add(new ConfigError(instance.definition().section().origin(),
					"failed initialize " + instance.definition().descriptor().kind().label() + " " + instance.name()
							+ ": " + msg));
		}
	}

	/**
	 * Creates a filter's emitter: a hidden {@code emitter} input with the name as its alias,
	 * initialised now and started with the other inputs. Called from a filter's {@code init}.
	 * @throws IllegalArgumentException when an input with that name exists
	 */
	synchronized EmitterInput.Handle createEmitter(FilterInstance owner, String name, long memBufLimit,
			String storageType) {
		for (InputInstance in : this.inputs) {
			if (in.name().equals(name) || in.displayName().equals(name)) {
				throw new IllegalArgumentException("emitter_name '" + name + "' already exists");
			}
		}
		dev.sluice.plugin.PluginDescriptor d = dev.sluice.plugin.PluginDescriptor.of(EmitterInput.class);
		dev.sluice.config.ConfigSection section = new dev.sluice.config.ConfigSection("input",
				owner.definition().section().origin());
		dev.sluice.config.Origin origin = owner.definition().section().origin();
		section.add("name", "emitter", origin);
		section.add("alias", name, origin);
		section.add("mem_buf_limit", Long.toString(Math.max(0, memBufLimit)), origin);
		section.add("storage.type", (storageType != null) ? storageType : "memory", origin);
		List<ConfigError> errors = new ArrayList<>();
		dev.sluice.config.ConfigBinder.Bound b = dev.sluice.config.ConfigBinder.bind(d,
				new dev.sluice.config.InputCommonConfig(), section, errors);
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException("cannot create emitter '" + name + "': " + errors.get(0).message());
		}
		EmitterInput plugin = new EmitterInput();
		InstanceDefinition def = new InstanceDefinition(d, "emitter." + this.inputs.size(), b.common(), b.config(),
				b.properties(), section);
		InputInstance in = new InputInstance(def, this, plugin);
		in.excludeFilter(owner);
		try {
			in.init();
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot initialize emitter instance '" + name + "': " + ex, ex);
		}
		this.inputs.add(in);
		if (this.thread != null) {
			in.start();
		}
		return new EmitterInput.Handle(in, plugin);
	}

	/** Posts a message to the engine thread. */
	void post(Runnable message) {
		this.mailbox.add(message);
	}

	/** Whether the engine thread is alive (the liveness probe's question). */
	public boolean isAlive() {
		Thread t = this.thread;
		return t != null && t.isAlive();
	}

	public boolean isStopping() {
		return this.stopping;
	}

	/** Opens a tap; returns the handle that closes it. */
	public synchronized AutoCloseable openTap(Tap tap) {
		Tap[] t = java.util.Arrays.copyOf(this.taps, this.taps.length + 1);
		t[t.length - 1] = tap;
		this.taps = t;
		return () -> closeTap(tap);
	}

	private synchronized void closeTap(Tap tap) {
		this.taps = java.util.Arrays.stream(this.taps).filter((t) -> t != tap).toArray(Tap[]::new);
	}

	private void tap(InstanceBase at, String kind, String tag, EventBytes events) {
		for (Tap t : this.taps) {
			if (t.wants(at, tag)) {
				try {
					// a copy: the subscriber reads it later, and a chunk's array is reused once flushed
					t.consumer().accept(new Tap.Tapped(kind + ":" + at.displayName(), tag, new EventBytes(
							java.util.Arrays.copyOfRange(events.data(), events.offset(), events.offset() + events.length()), 0,
							events.length(), events.records())));
				}
				catch (RuntimeException ex) {
					LOG.debug("tap failed: {}", ex.toString());
				}
			}
		}
	}

	/** Called on input threads after filters ran. */
	void onAppend(InputInstance input, String tag, EventBytes events) {
		onAppend(input, tag, events, null);
	}

	/**
	 * As above, for records an input's conditional routes send to {@code routes} (null: routed by
	 * {@code Match}).
	 */
	void onAppend(InputInstance input, String tag, EventBytes events, ConditionalRouter.RouteSet routes) {
		if (this.taps.length > 0) {
			tap(input, "input", tag, events);
		}
		InputInstance.OpenChunk sealed = input.appendToChunk(tag, events, CHUNK_TARGET_SIZE, routes);
		if (sealed != null) {
			post(() -> dispatchChunk(input, sealed));
		}
	}

	/** Called on input threads for metrics and traces (no filters, routed by {@code Match}). */
	void onAppend(InputInstance input, String tag, int eventType, EventBytes events) {
		InputInstance.OpenChunk sealed = input.appendToChunk(tag, eventType, events, CHUNK_TARGET_SIZE, null);
		if (sealed != null) {
			post(() -> dispatchChunk(input, sealed));
		}
	}

	String newChunkName() {
		long now = java.time.Instant.now().getEpochSecond() * 1_000_000_000L + java.time.Instant.now().getNano();
		long n = this.lastChunkNanos.accumulateAndGet(now, (prev, cur) -> (cur > prev) ? cur : prev + 1);
		return this.pid + "-" + (n / 1_000_000_000L) + "." + String.format("%09d", n % 1_000_000_000L) + ".flb";
	}

	// ---- engine thread ----

	private volatile long lastLoopNanos = System.nanoTime();

	/** Nanoseconds since the engine loop last went round (it does at least once a second). */
	public long sinceLastLoopNanos() {
		return System.nanoTime() - this.lastLoopNanos;
	}

	private void loop() {
		try {
			while (true) {
				this.lastLoopNanos = System.nanoTime();
				long waitMillis = 1000;
				Timer next = this.timers.peek();
				long now = System.nanoTime();
				if (next != null) {
					waitMillis = Math.max(0, (next.dueNanos - now) / 1_000_000);
				}
				Runnable msg = (waitMillis == 0) ? this.mailbox.poll() : this.mailbox.poll(waitMillis, TimeUnit.MILLISECONDS);
				if (msg != null) {
					runSafely(msg);
				}
				now = System.nanoTime();
				while (!this.timers.isEmpty() && this.timers.peek().dueNanos <= now) {
					runSafely(this.timers.poll().action);
				}
				if (this.stopping && finishedStopping()) {
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			exitAll();
			this.stopped.countDown();
		}
	}

	private static void runSafely(Runnable r) {
		try {
			r.run();
		}
		catch (RuntimeException ex) {
			LOG.error("internal error, continuing: {}", ex.toString(), ex);
		}
	}

	private void schedule(long delayMillis, Runnable action) {
		this.timers.add(new Timer(System.nanoTime() + delayMillis * 1_000_000L, this.timerSeq++, action));
	}

	private void flushTick() {
		for (InputInstance in : this.inputs) {
			for (InputInstance.OpenChunk c : in.sealAll()) {
				dispatchChunk(in, c);
			}
		}
	}

	private void dispatchChunk(InputInstance input, InputInstance.OpenChunk open) {
		open.stored.seal();
		boolean persistent = open.stored.persistent();
		// a filesystem chunk goes down (its bytes leave the heap) once storage.max_chunks_up are up,
		// unless the input pauses instead (storage.pause_on_chunks_overlimit)
		boolean down = persistent && !input.pausesOnChunksOverlimit()
				&& this.fsChunksUp.get() > this.service.storageMaxChunksUp;
		SealedChunk chunk = new SealedChunk(open.name, open.tag, input, open.eventType, down ? null : open.events(),
				(open.routes != null) ? open.routes.outputs() : null, open.stored, open.records(), open.size());
		if (down) {
			this.fsChunksUp.decrementAndGet();
			this.fsChunksDown.incrementAndGet();
			if (open.buffer() != null) {
				dev.sluice.event.ByteArrayPool.SHARED.give(open.buffer());
			}
		}
		else {
			chunk.recycle = open.buffer();
		}
		List<OutputInstance> routed = new ArrayList<>();
		if (chunk.routes() != null) {
			routed.addAll(chunk.routes());
		}
		else {
			for (OutputInstance o : this.outputs) {
				if (o.matcher().matches(chunk.tag()) && o.accepts(chunk.eventType())) {
					routed.add(o);
				}
			}
		}
		if (routed.isEmpty()) {
			LOG.debug("[task] created task without routes, dropping chunk '{}' (tag '{}')", chunk.name(), chunk.tag());
			input.metrics().droppedRecords.add(chunk.records());
			chunk.stored().retain();
			chunkDone(chunk);
			input.release(chunk.size());
			recycle(chunk);
			return;
		}
		createTask(input, chunk, routed);
	}

	/** A task for a sealed chunk, one route per output; the chunk's file is held until it ends. */
	private void createTask(InputInstance input, SealedChunk chunk, List<OutputInstance> routed) {
		int id = this.taskIds.nextClearBit(0);
		this.taskIds.set(id);
		Task task = new Task(id, chunk);
		this.tasks.add(task);
		this.taskCount.incrementAndGet();
		input.pendingChunks.incrementAndGet();
		(chunk.isUp() ? input.chunksUp : input.chunksDown).incrementAndGet();
		chunk.stored().retain();
		for (OutputInstance o : routed) {
			Task.Route r = task.addRoute(o);
			o.pending.add(r);
			queueOnDisk(o, r);
			if (this.taps.length > 0) {
				tap(o, "output", chunk.tag(), chunk.events());
			}
		}
		for (OutputInstance o : routed) {
			dispatch(o);
		}
	}

	/**
	 * storage.total_limit_size: a filesystem chunk joins the output's queue; the oldest queued
	 * chunks not being flushed right now are evicted from it (their route ends, counted as
	 * dropped) until the queue fits under the limit.
	 */
	private void queueOnDisk(OutputInstance o, Task.Route r) {
		SealedChunk c = r.task.chunk;
		long limit = o.totalLimitSize();
		if (!c.stored().persistent() || limit <= 0) {
			return;
		}
		java.util.Iterator<Task.Route> it = o.diskQueue.iterator();
		List<Task.Route> evict = new ArrayList<>();
		long bytes = o.diskQueueBytes;
		while (bytes + c.size() > limit && it.hasNext()) {
			Task.Route old = it.next();
			if (old.inFlight || old.done) {
				continue;
			}
			evict.add(old);
			bytes -= old.task.chunk.size();
		}
		o.diskQueue.add(r);
		o.diskQueueBytes += c.size();
		for (Task.Route old : evict) {
			SealedChunk oc = old.task.chunk;
			LOG.warn("[input chunk] chunk '{}' evicted from output queue to make room under storage.total_limit_size: "
					+ "output={}, limit={}, chunk size={}, records={}", oc.name(), o.displayName(), limit, oc.size(),
					oc.records());
			this.evictedChunks.incrementAndGet();
			o.pending.remove(old);
			o.metrics().droppedRecords.add(oc.records());
			dropRoute(old);
		}
	}

	private void dispatch(OutputInstance o) {
		if (this.draining) {
			checkDrained();
			return;
		}
		while (o.inFlight < o.concurrency() && !o.pending.isEmpty()) {
			Task.Route r = o.pending.poll();
			o.inFlight++;
			r.inFlight = true;
			Thread.ofVirtual().name("flush-" + o.name()).start(() -> {
				FlushResult result;
				try {
					SealedChunk c = r.processed;
					if (c == null) {
						c = o.process(r.task.chunk);
						r.processed = c;
					}
					if (c.records() == 0) {
						result = FlushResult.OK; // the output's processors dropped every record
					}
					else {
						result = o.outputPlugin().flush(c, o);
					}
					if (result == null) {
						result = FlushResult.ERROR;
					}
				}
				catch (Throwable ex) {
					o.log().error("flush of chunk '{}' failed: {}", r.task.chunk.name(), ex.toString());
					result = FlushResult.RETRY;
				}
				FlushResult res = result;
				post(() -> onFlushDone(r, res));
			});
		}
	}

	private void onFlushDone(Task.Route r, FlushResult result) {
		OutputInstance o = r.output;
		o.inFlight--;
		r.inFlight = false;
		if (r.done) {
			return; // handed over at a hand-over timeout
		}
		SealedChunk c = r.task.chunk;

		int n = c.records();
		String where = "task_id=" + r.task.id + ", input=" + c.input() + " > output=" + o.displayName();
		switch (result) {
			case OK -> {
				o.metrics().procRecords.add(n);
				o.metrics().procBytes.add(c.size());
				Metrics.Route rm = o.routeMetrics(c.input());
				rm.records.add(n);
				rm.bytes.add(c.size());
				if (r.attempts > 0) {
					LOG.info("flush chunk '{}' succeeded at retry {}: {} (out_id={})", c.name(), r.attempts, where, o.id());
				}
				else if (c.source() == this.backlogInput) {
					LOG.info("flush backlog chunk '{}' succeeded: {} (out_id={})", c.name(), where, o.id());
				}
				endRoute(r);
			}
			case ERROR -> {
				o.metrics().errors.increment();
				o.metrics().droppedRecords.add(n);
				keepRejected(r, "error");
				dropRoute(r);
			}
			case RETRY -> {
				int limit = o.retryLimit();
				if (limit == RetryPolicy.NO_RETRIES) {
					LOG.info("chunk '{}' is not retried (no retry config): {}", c.name(), where);
					o.metrics().droppedRecords.add(n);
					keepRejected(r, "no retries");
					dropRoute(r);
				}
				else if (limit != RetryPolicy.UNLIMITED && r.attempts >= limit) {
					LOG.error("chunk '{}' cannot be retried: {}", c.name(), where);
					o.metrics().retriesFailed.increment();
					o.metrics().droppedRecords.add(n);
					keepRejected(r, "retries exhausted");
					dropRoute(r);
				}
				else {
					r.attempts++;
					o.metrics().retries.increment();
					o.metrics().retriedRecords.add(n);
					int wait = this.stopping ? 1
							: RetryPolicy.backoffSeconds(r.attempts, this.service.schedulerBase, this.service.schedulerCap,
									ThreadLocalRandom.current());
					LOG.warn("failed to flush chunk '{}', retry in {} seconds: {} (out_id={})", c.name(), wait, where, o.id());
					if (this.draining) {
						o.pending.add(r);
						break;
					}
					r.waitingRetry = true;
					schedule(wait * this.unitMillis, () -> {
						r.waitingRetry = false;
						if (!r.done) {
							o.pending.add(r);
							dispatch(o);
						}
					});
				}
			}
		}
		dispatch(o);
	}

	private void dropRoute(Task.Route r) {
		Metrics.Route rm = r.output.routeMetrics(r.task.chunk.input());
		rm.dropRecords.add(r.task.chunk.records());
		rm.dropBytes.add(r.task.chunk.size());
		endRoute(r);
	}

	/** storage.keep.rejected: a copy of the chunk an output gave up on, under the rejected path. */
	private void keepRejected(Task.Route r, String why) {
		if (this.storage == null || !this.storage.keepsRejected()) {
			return;
		}
		SealedChunk c = r.task.chunk;
		try {
			EventBytes ev = c.events();
			this.storage.reject(c.source().name(), c.name(), c.tag(), c.eventType(), ev.data(), ev.offset(), ev.length(),
					r.output.displayName(), why);
		}
		catch (RuntimeException ex) {
			STORAGE_LOG.error("cannot keep rejected chunk '{}': {}", c.name(), ex.toString());
		}
	}

	private void endRoute(Task.Route r) {
		r.done = true;
		if (r.output.diskQueue.remove(r)) {
			r.output.diskQueueBytes -= r.task.chunk.size();
		}
		Task t = r.task;
		if (--t.open == 0) {
			this.tasks.remove(t);
			this.taskCount.decrementAndGet();
			t.chunk.source().pendingChunks.decrementAndGet();
			this.taskIds.clear(t.id);
			if (t.chunk.isUp()) {
				t.chunk.source().chunksUp.decrementAndGet();
			}
			else {
				t.chunk.source().chunksDown.decrementAndGet();
			}
			chunkDone(t.chunk);
			if (!t.anyTransferred()) {
				t.chunk.source().release(t.chunk.size());
				if (!t.adopted && !anyInFlight(t)) {
					recycle(t.chunk);
				}
			}
			if (t.chunk.source() == this.backlogInput && this.backlogInput != null) {
				this.backlogUpBytes -= t.chunk.size();
				post(this::pumpBacklog);
			}
		}
	}

	/**
	 * Gives a finished chunk's array back to the pool. Not for a task taken over from another
	 * generation (the chunk object may be shared by several of its tasks) nor while a flush of it
	 * is still running (a route handed over at a timeout).
	 */
	private static void recycle(SealedChunk c) {
		byte[] b = c.recycle;
		if (b != null) {
			c.recycle = null;
			dev.sluice.event.ByteArrayPool.SHARED.give(b);
		}
	}

	private static boolean anyInFlight(Task t) {
		for (Task.Route r : t.routes) {
			if (r.inFlight) {
				return true;
			}
		}
		return false;
	}

	/** A chunk's task ended: its file goes (unless another generation holds it), the counts follow. */
	private void chunkDone(SealedChunk c) {
		if (c.stored().persistent()) {
			if (c.isUp()) {
				this.fsChunksUp.decrementAndGet();
			}
			else {
				this.fsChunksDown.decrementAndGet();
			}
			for (InputInstance in : this.inputs) {
				if (in.filesystem()) {
					in.checkChunksOverlimit();
				}
			}
		}
		try {
			c.stored().release();
		}
		catch (RuntimeException ex) {
			STORAGE_LOG.error("cannot delete chunk {}: {}", c.stored().location(), ex.toString());
		}
	}

	// ---- reload hand-over ----

	/**
	 * Reload, step 1 on the old generation: stops collecting (inputs pause, collectors end,
	 * sockets close) and seals what is open, so that nothing new arrives.
	 */
	public void stopInputsForHandover(long waitMillis) {
		for (InputInstance in : this.inputs) {
			in.pause(InputInstance.PauseReason.ENGINE, "reload");
			in.stop(waitMillis);
		}
		CountDownLatch sealed = new CountDownLatch(1);
		post(() -> {
			flushTick();
			sealed.countDown();
		});
		try {
			sealed.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Reload, step 2 (after {@link #stopInputsForHandover}): stops starting new flushes, lets the
	 * flushes in flight finish (up to {@code timeoutMillis}, 0 = no limit), then hands every route
	 * not yet delivered to the next engine, oldest chunk first, so the next generation delivers
	 * them in their original order; returns when they are handed over. This engine then stops
	 * (its outputs exit). A route still in flight at the timeout is handed over too and may then be
	 * delivered twice (at least once, never lost).
	 */
	public void handover(Engine next, long timeoutMillis) {
		CountDownLatch drained = new CountDownLatch(1);
		post(() -> {
			this.draining = true;
			this.drainedLatch = drained;
			this.timers.clear();
			checkDrained();
		});
		try {
			if (timeoutMillis > 0) {
				drained.await(timeoutMillis, TimeUnit.MILLISECONDS);
			}
			else {
				drained.await();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		CountDownLatch transferred = new CountDownLatch(1);
		this.shutdownRequested.set(true);
		post(() -> {
			this.handoverTarget = next;
			for (Task t : new ArrayList<>(this.tasks)) {
				for (Task.Route r : t.routes) {
					if (!r.done) {
						if (r.inFlight) {
							LOG.warn("reload: hot_reload.timeout reached, handing in-flight chunk '{}' for {} to the new"
									+ " generation (it may be delivered twice)", t.chunk.name(), r.output.displayName());
						}
						r.output.pending.remove(r);
						transfer(r);
					}
				}
			}
			this.stopping = true;
			this.graceDeadline = System.nanoTime();
			transferred.countDown();
		});
		try {
			transferred.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void checkDrained() {
		if (this.draining && this.drainedLatch != null) {
			for (OutputInstance o : this.outputs) {
				if (o.inFlight > 0) {
					return;
				}
			}
			this.drainedLatch.countDown();
		}
	}

	/**
	 * Undoes {@link #stopInputsForHandover} after a failed reload: new input instances from the
	 * same definitions (fresh plugin objects) are initialised and started.
	 */
	public void restartInputs() {
		List<InputInstance> fresh = new ArrayList<>();
		for (InputInstance old : this.inputs) {
			InputInstance in = new InputInstance(old.definition(), this, old.definition().descriptor().newPlugin());
			try {
				in.init();
				fresh.add(in);
			}
			catch (Exception ex) {
				LOG.error("cannot restart input {}: {}", old.displayName(), ex.toString());
			}
		}
		this.inputs.clear();
		this.inputs.addAll(fresh);
		startInputs();
	}

	/** Moves one route's chunk to the next generation and ends it here. */
	private void transfer(Task.Route r) {
		SealedChunk c = r.task.chunk;
		String name = r.output.displayName();
		this.handoverTarget.adopt(c, name, r.attempts);
		r.transferred = true;
		endRoute(r);
	}

	/**
	 * Takes over a chunk from the previous generation, for the output of the same name (if it
	 * still exists and still matches the tag). Thread-safe.
	 */
	void adopt(SealedChunk chunk, String outputName, int attempts) {
		chunk.stored().retain(); // before the old generation lets go of it
		post(() -> {
			OutputInstance target = null;
			for (OutputInstance o : this.outputs) {
				if (o.displayName().equals(outputName) && (chunk.routes() != null || o.matcher().matches(chunk.tag()))) {
					target = o;
				}
			}
			if (target == null) {
				LOG.warn("reload: chunk '{}' was routed to '{}', which the new configuration no longer has for tag '{}':"
						+ " {} record(s) dropped", chunk.name(), outputName, chunk.tag(), chunk.records());
				chunk.stored().release();
				return;
			}
			int id = this.taskIds.nextClearBit(0);
			this.taskIds.set(id);
			Task task = new Task(id, chunk);
			this.tasks.add(task);
			this.taskCount.incrementAndGet();
			chunk.source().pendingChunks.incrementAndGet();
			task.adopted = true;
			if (chunk.stored().persistent()) {
				if (chunk.isUp()) {
					this.fsChunksUp.incrementAndGet();
				}
				else {
					this.fsChunksDown.incrementAndGet();
				}
			}
			if (chunk.isUp()) {
				chunk.source().chunksUp.incrementAndGet();
			}
			else {
				chunk.source().chunksDown.incrementAndGet();
			}
			Task.Route r = task.addRoute(target);
			r.attempts = attempts;
			target.pending.add(r);
			queueOnDisk(target, r);
			dispatch(target);
		});
	}

	// ---- shutdown ----

	/** Asks the engine to stop gracefully; returns at once. Safe from any thread, idempotent. */
	/** Sets the status the process ends with, unless a non-zero one was set already. */
	public void requestExitStatus(int status) {
		if (status != 0) {
			this.exitStatus.compareAndSet(0, status);
		}
	}

	/** The status the process should end with: 0, or what a plugin asked for. */
	public int exitStatus() {
		return this.exitStatus.get();
	}

	public void requestShutdown(String reason) {
		if (this.shutdownRequested.compareAndSet(false, true)) {
			LOG.debug("shutdown requested: {}", reason);
			if (this.thread == null) {
				this.stopped.countDown();
				return;
			}
			Thread.ofVirtual().name("sluice-shutdown").start(this::beginShutdown);
		}
	}

	/** Stops gracefully and waits until the engine has stopped. */
	public void shutdown() {
		requestShutdown("stop");
		awaitStopped();
	}

	public void awaitStopped() {
		try {
			this.stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Whether the engine thread has ended. */
	public boolean isStopped() {
		return this.stopped.getCount() == 0;
	}

	public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
		return this.stopped.await(timeout, unit);
	}

	private void beginShutdown() {
		int grace = this.service.grace;
		if (grace < 0) {
			LOG.warn("service will shutdown when all remaining tasks are flushed");
		}
		else {
			LOG.warn("service will shutdown in max {} seconds", grace);
		}
		LOG.info("pausing all inputs..");
		for (InputInstance in : this.inputs) {
			in.pause(InputInstance.PauseReason.ENGINE, "shutdown");
		}
		long inputGrace = (grace < 0) ? 5 * this.unitMillis : Math.max(1, grace / 2) * this.unitMillis;
		for (InputInstance in : this.inputs) {
			in.stop(inputGrace);
		}
		post(() -> {
			this.stopping = true;
			this.graceDeadline = (grace < 0) ? Long.MAX_VALUE : System.nanoTime() + grace * this.unitMillis * 1_000_000L;
			flushTick();
			// Bring pending retries forward: one second from now.
			List<Timer> due = new ArrayList<>(this.timers);
			this.timers.clear();
			for (Timer t : due) {
				schedule(Math.min(this.unitMillis, Math.max(0, (t.dueNanos - System.nanoTime()) / 1_000_000)), t.action);
			}
			schedule(this.unitMillis, new Runnable() {
				@Override
				public void run() {
					if (!Engine.this.tasks.isEmpty()) {
						reportPending();
						schedule(Engine.this.unitMillis, this);
					}
				}
			});
		});
	}

	private boolean finishedStopping() {
		if (this.tasks.isEmpty()) {
			LOG.info("service has stopped (0 pending tasks)");
			return true;
		}
		if (this.handoverTarget != null) {
			return true;
		}
		if (System.nanoTime() >= this.graceDeadline) {
			reportPending();
			spillMemoryChunks();
			LOG.info("service has stopped ({} pending tasks)", this.tasks.size());
			return true;
		}
		return false;
	}

	/**
	 * Grace ran out with memory chunks undelivered: with storage.path they are written there as
	 * chunk files, which the next start delivers (to every output matching their tag, so an output
	 * that already had one gets it again). Filesystem chunks simply stay on disk.
	 */
	private void spillMemoryChunks() {
		if (this.storage == null) {
			return;
		}
		for (Task t : this.tasks) {
			SealedChunk c = t.chunk;
			if (c.stored().persistent() || c.source() == this.backlogInput) {
				continue;
			}
			try {
				dev.sluice.storage.StoredChunk f = this.storage.open(c.source().name(), c.name(), c.tag(), c.eventType());
				EventBytes ev = c.events();
				f.append(ev.data(), ev.offset(), ev.length(), ev.records());
				f.seal();
				this.spilledChunks.incrementAndGet();
				STORAGE_LOG.info("memory chunk '{}' ({} records) written to {} for the next start", c.name(), c.records(),
						f.location());
			}
			catch (java.io.IOException | RuntimeException ex) {
				STORAGE_LOG.error("cannot write memory chunk '{}' to storage: {}", c.name(), ex.toString());
			}
		}
	}

	private void reportPending() {
		long remaining = Math.max(0, (this.graceDeadline - System.nanoTime()) / 1_000_000 / this.unitMillis);
		long fs = this.tasks.stream().filter((t) -> t.chunk.stored().persistent()).count();
		LOG.info("pending chunk count: memory={}, filesystem={}; grace_timer={}", this.tasks.size() - fs, fs, remaining);
		for (InputInstance in : this.inputs) {
			List<Task> mine = this.tasks.stream().filter((t) -> t.chunk.source() == in).toList();
			TASK_LOG.info("{}/{} has {} pending task(s):", in.pluginName(), in.displayName(), mine.size());
			for (Task t : mine) {
				StringBuilder sb = new StringBuilder();
				for (Task.Route r : t.routes) {
					if (!r.done) {
						sb.append(r.output.pluginName()).append('/').append(r.output.displayName()).append(' ');
					}
				}
				TASK_LOG.info("  task_id={} still running on route(s): {}", t.id, sb);
			}
		}
	}

	private void exitAll() {
		for (InputInstance in : this.inputs) {
			in.stop(0);
			in.exit();
		}
		for (FilterInstance f : this.filters) {
			f.exit();
		}
		for (OutputInstance o : this.outputs) {
			o.exit();
		}
	}

	/** Number of tasks (sealed chunks) not yet finished. */
	public int pendingTasks() {
		return this.taskCount.get();
	}

	/** Number of tasks of one input not yet finished. */
	public int pendingTasks(InputInstance input) {
		return input.pendingChunks();
	}

	private record Timer(long dueNanos, long seq, Runnable action) implements Comparable<Timer> {
		@Override
		public int compareTo(Timer o) {
			int c = Long.compare(this.dueNanos, o.dueNanos);
			return (c != 0) ? c : Long.compare(this.seq, o.seq);
		}
	}
}
