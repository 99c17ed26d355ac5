package dev.sluice.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.config.InputCommonConfig;
import dev.sluice.config.InstanceDefinition;
import dev.sluice.event.EventBytes;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;

/**
 * A running input instance: the plugin's collector thread, the filters for each tag, the open
 * chunk for each tag, and the buffer accounting behind {@code mem_buf_limit}.
 *
 * <p>Thread safety: {@link #append} may be called from any number of threads (one per
 * connection, say); open chunks are guarded by a lock held only while bytes are copied. Sealed
 * chunks go to the engine thread, which calls {@link #release} when a chunk has been delivered.
 */
public final class InputInstance extends InstanceBase implements InputContext {

	static final Logger INPUT_LOG = LoggerFactory.getLogger("input");

	/** Why an input is paused. */
	public enum PauseReason {
		/** Its buffered bytes reached {@code mem_buf_limit}. */
		MEM_BUF_LIMIT,
		/** Paused through the admin API. */
		ADMIN,
		/** The engine is stopping or reloading. */
		ENGINE,
		/**
		 * Filesystem chunks up in memory reached {@code storage.max_chunks_up} and the input has
		 * {@code storage.pause_on_chunks_overlimit on}.
		 */
		STORAGE_BUF_LIMIT,
		/**
		 * The memory chunks of all inputs together reached the engine's buffer budget (a share of
		 * the heap, {@code sluice.buffer.max}): inputs wait rather than run the JVM out of memory.
		 */
		BUFFER_BUDGET
	}

	/** Where this input's chunks are stored (memory, or chunk files under storage.path). */
	private volatile dev.sluice.storage.ChunkStore store = dev.sluice.storage.ChunkStore.MEMORY;

	/** Chunks of this input (sealed, not finished) whose events are in memory / only on disk. */
	final java.util.concurrent.atomic.AtomicInteger chunksUp = new java.util.concurrent.atomic.AtomicInteger();

	final java.util.concurrent.atomic.AtomicInteger chunksDown = new java.util.concurrent.atomic.AtomicInteger();

	private final InputCommonConfig common;

	private final String tag;

	private final Metrics.Input metrics = new Metrics.Input();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition resumed = this.lock.newCondition();

	private final Map<String, OpenChunk> open = new LinkedHashMap<>();

	private final Map<String, List<FilterInstance>> filterCache = new ConcurrentHashMap<>();

	private final AtomicLong buffered = new AtomicLong();

	private final Set<PauseReason> pauseReasons = EnumSet.noneOf(PauseReason.class);

	/** Sealed chunks of this input not yet finished (maintained by the engine thread). */
	final java.util.concurrent.atomic.AtomicInteger pendingChunks = new java.util.concurrent.atomic.AtomicInteger();

	/** Appends under way; {@link #stop} waits for them so that none is stranded after sealing. */
	private final java.util.concurrent.atomic.AtomicInteger activeAppends = new java.util.concurrent.atomic.AtomicInteger();

	private volatile boolean paused;

	private volatile boolean running;

	private Thread collector;

	/** The input's log processors (YAML {@code processors.logs}), run before the filters. */
	private final List<ProcessorInstance> processors;

	/** The input's conditional routes, resolved at init; null when it is routed by {@code Match}. */
	private volatile ConditionalRouter router;

	/** For an emitter: the filter that owns it, whose re-emitted events skip that filter. */
	private volatile FilterInstance excludedFilter;

	InputInstance(InstanceDefinition def, Engine engine, Object plugin) {
		super(def, engine, plugin, def.properties().containsKey("log_level") ? def.commonAs(InputCommonConfig.class).logLevel : null);
		this.common = def.commonAs(InputCommonConfig.class);
		this.tag = (this.common.tag != null && !this.common.tag.isEmpty()) ? this.common.tag : def.name();
		this.processors = ProcessorInstance.of(def.processors(), engine);
	}

	/** The input's log processors, in order. */
	public List<ProcessorInstance> processors() {
		return this.processors;
	}

	/** Whether the input routes records by its conditional routes rather than by {@code Match}. */
	public boolean conditionallyRouted() {
		return this.definition.routes().stream().anyMatch(dev.sluice.plugins.processor.RouteDefinition::forLogs);
	}

	@Override
	public String tag() {
		return this.tag;
	}

	public Metrics.Input metrics() {
		return this.metrics;
	}

	/** Bytes in this input's chunks that are not yet delivered (open and sealed). */
	public long bufferedBytes() {
		return this.buffered.get();
	}

	public int pendingChunks() {
		return this.pendingChunks.get();
	}

	public long memBufLimit() {
		return this.common.memBufLimit;
	}

	/** Whether this input's chunks are written to chunk files. */
	public boolean filesystem() {
		return this.store.persistent();
	}

	/** Sealed chunks of this input whose events are in memory. */
	public int chunksUp() {
		return this.chunksUp.get();
	}

	/** Sealed filesystem chunks of this input whose events are only on disk. */
	public int chunksDown() {
		return this.chunksDown.get();
	}

	/** The backlog input owns filesystem chunks without writing any. */
	void useStore(dev.sluice.storage.ChunkStore store) {
		this.store = store;
	}

	/** Whether the input pauses at storage.max_chunks_up rather than writing chunks that stay down. */
	boolean pausesOnChunksOverlimit() {
		return this.common.storagePauseOnChunksOverlimit;
	}

	/** Counts bytes of chunks the engine queues for this input (the backlog's). */
	void track(long bytes) {
		this.buffered.addAndGet(bytes);
	}

	@SuppressWarnings("unchecked")
	InputPlugin<Object> inputPlugin() {
		return (InputPlugin<Object>) this.plugin;
	}

	/** Makes this instance an emitter of the filter: its events skip that filter. */
	void excludeFilter(FilterInstance owner) {
		this.excludedFilter = owner;
		this.filterCache.clear();
	}

	void init() throws Exception {
		log().info("initializing");
		String type = (this.common.storageType == null) ? "memory" : this.common.storageType.toLowerCase(java.util.Locale.ROOT);
		if (type.equals("filesystem")) {
			if (this.engine.storage() != null) {
				this.store = this.engine.storage();
			}
			else {
				log().warn("storage.type filesystem needs storage.path in [SERVICE]: buffering in memory");
				type = "memory";
			}
		}
		else if (type.equals("memrb")) {
			log().warn("storage.type memrb is buffered as memory (with mem_buf_limit pausing)");
			type = "memory";
		}
		else if (!type.equals("memory")) {
			throw new IllegalArgumentException("unknown storage.type '" + this.common.storageType + "'");
		}
		log().info("storage_strategy='{}' ({})", type, type.equals("memory") ? "memory only" : "memory + filesystem");
		if (conditionallyRouted()) {
			this.router = new ConditionalRouter(this.definition.routes(), this.engine.outputs());
		}
		for (ProcessorInstance p : this.processors) {
			p.init();
		}
		inputPlugin().init(this.definition.config(), this);
	}

	void start() {
		this.running = true;
		this.collector = Thread.ofVirtual().name("input-" + name()).start(() -> {
			try {
				inputPlugin().collect(this);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (Exception ex) {
				if (this.running) {
					log().error("input stopped collecting: {}", ex.toString(), ex);
				}
			}
		});
	}

	/** Stops collecting: the collector is told, interrupted, and given up to {@code waitMillis} to end. */
	void stop(long waitMillis) {
		this.lock.lock();
		try {
			this.running = false;
			this.resumed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		Thread t = this.collector;
		if (t != null) {
			t.interrupt();
			try {
				t.join(Duration.ofMillis(Math.max(1, waitMillis)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		long deadline = System.nanoTime() + Math.max(1, waitMillis) * 1_000_000L;
		while (this.activeAppends.get() > 0 && System.nanoTime() < deadline) {
			java.util.concurrent.locks.LockSupport.parkNanos(100_000);
		}
	}

	void exit() {
		try {
			inputPlugin().exit();
		}
		catch (Exception ex) {
			log().warn("exit failed: {}", ex.toString());
		}
		for (ProcessorInstance p : this.processors) {
			p.exit();
		}
	}

	@Override
	public void append(String tag, EventBytes events) {
		if (events.records() == 0) {
			return;
		}
		this.activeAppends.incrementAndGet();
		try {
			// counted before the check: stop() waits for appends that passed it
			if (!this.running && this.collector != null) {
				throw new IllegalStateException("input " + displayName() + " is stopped");
			}
			appendRunning(tag, events);
		}
		finally {
			this.activeAppends.decrementAndGet();
		}
	}

	@Override
	public void appendCopy(String tag, EventBytes events) {
		if (!this.processors.isEmpty() || this.router != null || !filtersFor(tag).isEmpty()) {
			// filters and processors may keep what they are given
			InputContext.super.appendCopy(tag, events);
			return;
		}
		if (events.records() == 0) {
			return;
		}
		this.activeAppends.incrementAndGet();
		try {
			if (!this.running && this.collector != null) {
				throw new IllegalStateException("input " + displayName() + " is stopped");
			}
			this.metrics.records.add(events.records());
			this.metrics.bytes.add(events.length());
			if (!this.common.routable) {
				this.metrics.droppedRecords.add(events.records());
				return;
			}
			// copied into the open chunk before this returns (a tap gets its own copy)
			this.engine.onAppend(this, tag, events);
		}
		finally {
			this.activeAppends.decrementAndGet();
		}
	}

	@Override
	public void append(String tag, int eventType, EventBytes events) {
		if (eventType == LOGS) {
			append(tag, events);
			return;
		}
		if (eventType != METRICS && eventType != TRACES) {
			throw new IllegalArgumentException("unknown event type " + eventType);
		}
		if (events.records() == 0) {
			return;
		}
		this.activeAppends.incrementAndGet();
		try {
			if (!this.running && this.collector != null) {
				throw new IllegalStateException("input " + displayName() + " is stopped");
			}
			// filters and log processors work on log records: metrics and traces skip them
			this.metrics.records.add(events.records());
			this.metrics.bytes.add(events.length());
			if (!this.common.routable) {
				this.metrics.droppedRecords.add(events.records());
				return;
			}
			this.engine.onAppend(this, tag, eventType, events);
		}
		finally {
			this.activeAppends.decrementAndGet();
		}
	}

	@Override
	public List<dev.sluice.plugin.MetricFamily> serviceMetrics() {
		return this.engine.serviceMetrics();
	}

	private void appendRunning(String tag, EventBytes events) {
		this.metrics.records.add(events.records());
		this.metrics.bytes.add(events.length());
		EventBytes out = events;
		if (!this.processors.isEmpty()) {
			out = ProcessorInstance.applyAll(this.processors, out, tag);
			if (out.records() == 0) {
				return;
			}
		}
		for (FilterInstance f : filtersFor(tag)) {
			out = f.apply(out, tag, this);
			if (out.records() == 0) {
				return;
			}
		}
		if (!this.common.routable) {
			this.metrics.droppedRecords.add(out.records());
			return;
		}
		route(tag, out);
	}

	/** Hands filtered events to the engine: whole, or split by conditional route. */
	private void route(String tag, EventBytes out) {
		ConditionalRouter r = this.router;
		if (r == null) {
			this.engine.onAppend(this, tag, out);
			return;
		}
		int routed = 0;
		for (ConditionalRouter.Part p : r.split(out)) {
			routed += p.events().records();
			this.engine.onAppend(this, tag, p.events(), p.routes());
		}
		if (routed < out.records()) {
			INPUT_LOG.debug("{}: {} record(s) matched no route, dropping", displayName(), out.records() - routed);
			this.metrics.droppedRecords.add(out.records() - routed);
		}
	}

	/**
	 * Appends events a filter emitted on its own (see {@link FilterInstance#emit}): they run
	 * through the filters after {@code from} and are routed as usual.
	 */
	void appendFrom(FilterInstance from, String tag, EventBytes events) {
		if (events.records() == 0) {
			return;
		}
		EventBytes out = events;
		boolean after = false;
		for (FilterInstance f : filtersFor(tag)) {
			if (!after) {
				after = f == from;
				continue;
			}
			out = f.apply(out, tag, this);
			if (out.records() == 0) {
				return;
			}
		}
		if (!this.common.routable) {
			this.metrics.droppedRecords.add(out.records());
			return;
		}
		route(tag, out);
	}

	List<FilterInstance> filtersFor(String tag) {
		List<FilterInstance> cached = this.filterCache.get(tag);
		if (cached == null) {
			List<FilterInstance> list = new ArrayList<>();
			for (FilterInstance f : this.engine.filters()) {
				if (f != this.excludedFilter && f.matcher().matches(tag)) {
					list.add(f);
				}
			}
			cached = List.copyOf(list);
			if (this.filterCache.size() < 10_000) {
				this.filterCache.put(tag, cached);
			}
		}
		return cached;
	}

	/**
	 * Adds events to the open chunk of the tag; returns the chunk's bytes when it reached the
	 * size target and was sealed, else null. Called by the engine's append path.
	 */
	OpenChunk appendToChunk(String tag, EventBytes events, long targetSize) {
		return appendToChunk(tag, events, targetSize, null);
	}

	/**
	 * As above, for records going to a conditional route set ({@code null}: routed by
	 * {@code Match}): chunks are kept apart by tag and route set.
	 */
	OpenChunk appendToChunk(String tag, EventBytes events, long targetSize, ConditionalRouter.RouteSet routes) {
		return appendToChunk(tag, LOGS, events, targetSize, routes);
	}

	/** As above, for events of a type ({@link #LOGS}, {@link #METRICS}, {@link #TRACES}): chunks hold one type. */
	OpenChunk appendToChunk(String tag, int eventType, EventBytes events, long targetSize,
			ConditionalRouter.RouteSet routes) {
		OpenChunk sealed = null;
		String key = (routes == null) ? tag : tag + "\0" + routes.key();
		boolean created = false;
		if (eventType != LOGS) {
			key = key + "\0type" + eventType;
		}
		this.lock.lock();
		try {
			OpenChunk c = this.open.get(key);
			if (c == null) {
				String name = this.engine.newChunkName();
				dev.sluice.storage.StoredChunk stored;
				try {
					stored = this.store.open(name(), name, tag, eventType);
				}
				catch (java.io.IOException ex) {
					log().error("cannot create chunk file {}/{}: {}", name(), name, ex.toString());
					throw new java.io.UncheckedIOException(ex);
				}
				c = new OpenChunk(tag, name, routes, stored, eventType);
				this.open.put(key, c);
				created = stored.persistent();
			}
			try {
				// durable (as storage.sync says) before the append returns: a client acked after it
				c.stored.append(events.data(), events.offset(), events.length(), events.records());
			}
			catch (java.io.IOException ex) {
				log().error("cannot write {} record(s) to chunk {}: {}", events.records(), c.stored.location(),
						ex.toString());
				throw new java.io.UncheckedIOException(ex);
			}
			c.add(events);
			if (c.size() >= targetSize) {
				this.open.remove(key);
				sealed = c;
			}
		}
		finally {
			this.lock.unlock();
		}
		this.buffered.addAndGet(events.length());
		if (created) {
			this.engine.fsChunksUp.incrementAndGet();
			checkChunksOverlimit();
		}
		if (!this.store.persistent()) {
			// mem_buf_limit does not apply to filesystem buffering (as in Fluent Bit)
			checkMemBufLimit(events.length());
			if (this.common.memBufLimit <= 0 && this.engine.memoryBuffered(events.length())) {
				pause(PauseReason.BUFFER_BUDGET, "buffer budget: " + this.engine.memoryBufferedBytes() + "B of memory chunks"
						+ " buffered, limit " + this.engine.memoryBudget() + "B");
				// deliveries that ended between the count and the pause would not have seen it
				this.engine.memoryReleased(0);
			}
		}
		return sealed;
	}

	/** Seals every open chunk (flush interval, shutdown). */
	List<OpenChunk> sealAll() {
		this.lock.lock();
		try {
			if (this.open.isEmpty()) {
				return List.of();
			}
			List<OpenChunk> all = new ArrayList<>(this.open.values());
			this.open.clear();
			return all;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A delivered (or dropped) chunk's bytes leave the buffer; may resume the input. */
	void release(long bytes) {
		this.buffered.addAndGet(-bytes);
		if (!this.store.persistent()) {
			checkMemBufLimit(0);
			if (this.common.memBufLimit <= 0) {
				this.engine.memoryReleased(bytes);
			}
		}
		checkChunksOverlimit();
	}

	/** {@code storage.pause_on_chunks_overlimit}: pauses at {@code storage.max_chunks_up}, resumes below. */
	void checkChunksOverlimit() {
		if (!this.store.persistent() || !this.common.storagePauseOnChunksOverlimit) {
			return;
		}
		int up = this.engine.fsChunksUp.get();
		int max = this.engine.service().storageMaxChunksUp;
		if (up >= max) {
			pause(PauseReason.STORAGE_BUF_LIMIT, "storage buf overlimit " + up + "/" + max);
		}
		else if (pauseReasons().contains(PauseReason.STORAGE_BUF_LIMIT)) {
			resume(PauseReason.STORAGE_BUF_LIMIT, "storage buf overlimit " + up + "/" + max);
		}
	}

	/**
	 * Pauses or resumes for {@code mem_buf_limit} from the buffered bytes read under the lock:
	 * appends and releases race, and whichever checks last sees both, so a resume cannot be lost
	 * between an append's count and its pause.
	 */
	private void checkMemBufLimit(long eventSize) {
		long limit = this.common.memBufLimit;
		if (limit <= 0) {
			return;
		}
		boolean pausedNow = false;
		boolean resumedNow = false;
		long now;
		this.lock.lock();
		try {
			now = this.buffered.get();
			if (now >= limit && this.pauseReasons.add(PauseReason.MEM_BUF_LIMIT)) {
				pausedNow = !this.paused;
				this.paused = true;
				INPUT_LOG.warn("{} paused (mem buf overlimit - event of size {}B exceeded limit {} to {}B)", displayName(),
						eventSize, limit, now);
			}
			else if (now < limit && this.pauseReasons.remove(PauseReason.MEM_BUF_LIMIT)) {
				if (this.pauseReasons.isEmpty()) {
					this.paused = false;
					resumedNow = true;
					this.resumed.signalAll();
				}
			}
			else {
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (pausedNow) {
			INPUT_LOG.info("pausing {}", displayName());
			inputPlugin().pause();
		}
		if (resumedNow) {
			INPUT_LOG.info("resume {}", displayName());
			inputPlugin().resume();
		}
		if (now < limit) {
			INPUT_LOG.info("{} resume (mem buf overlimit - buf size {}B now below limit {}B)", displayName(), Math.max(0, now),
					limit);
		}
	}

	public void pause(PauseReason reason, String why) {
		boolean callPlugin = false;
		this.lock.lock();
		try {
			if (!this.pauseReasons.add(reason)) {
				return;
			}
			if (!this.paused) {
				this.paused = true;
				callPlugin = true;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (reason == PauseReason.MEM_BUF_LIMIT || reason == PauseReason.STORAGE_BUF_LIMIT
				|| reason == PauseReason.BUFFER_BUDGET) {
			INPUT_LOG.warn("{} paused ({})", displayName(), why);
		}
		if (callPlugin) {
			INPUT_LOG.info("pausing {}", displayName());
			inputPlugin().pause();
		}
	}

	public void resume(PauseReason reason, String why) {
		boolean callPlugin = false;
		this.lock.lock();
		try {
			if (!this.pauseReasons.remove(reason)) {
				return;
			}
			if (this.pauseReasons.isEmpty() && this.paused) {
				this.paused = false;
				callPlugin = true;
				this.resumed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (callPlugin) {
			INPUT_LOG.info("resume {}", displayName());
			inputPlugin().resume();
		}
		if (reason == PauseReason.MEM_BUF_LIMIT || reason == PauseReason.STORAGE_BUF_LIMIT
				|| reason == PauseReason.BUFFER_BUDGET) {
			INPUT_LOG.info("{} resume ({})", displayName(), why);
		}
	}

	public Set<PauseReason> pauseReasons() {
		this.lock.lock();
		try {
			return EnumSet.copyOf(this.pauseReasons.isEmpty() ? EnumSet.noneOf(PauseReason.class) : this.pauseReasons);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPaused() {
		return this.paused;
	}

	@Override
	public boolean awaitResume() throws InterruptedException {
		this.lock.lock();
		try {
			while (this.paused && this.running) {
				this.resumed.await(1, TimeUnit.SECONDS);
			}
			return this.running;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean sleep(Duration d) throws InterruptedException {
		long deadline = System.nanoTime() + d.toNanos();
		this.lock.lock();
		try {
			while (this.running) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return true;
				}
				this.resumed.awaitNanos(left);
			}
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** An open chunk: bytes being appended for one tag. */
	static final class OpenChunk {

		final String tag;

		final String name;

		/** The conditional route set of its records, or null (routed by {@code Match}). */
		final ConditionalRouter.RouteSet routes;

		/** Its file (or {@link dev.sluice.storage.StoredChunk#MEMORY}). */
		final dev.sluice.storage.StoredChunk stored;

		/** 0 logs, 1 metrics, 2 traces. */
		final int eventType;

		/** From {@link dev.sluice.event.ByteArrayPool#SHARED}; null until the first append. */
		private byte[] data;

		private int size;

		private int records;

		OpenChunk(String tag, String name) {
			this(tag, name, null, dev.sluice.storage.StoredChunk.MEMORY);
		}

		OpenChunk(String tag, String name, ConditionalRouter.RouteSet routes, dev.sluice.storage.StoredChunk stored) {
			this(tag, name, routes, stored, LOGS);
		}

		OpenChunk(String tag, String name, ConditionalRouter.RouteSet routes, dev.sluice.storage.StoredChunk stored,
				int eventType) {
			this.tag = tag;
			this.name = name;
			this.routes = routes;
			this.stored = stored;
			this.eventType = eventType;
		}

		int records() {
			return this.records;
		}

		void add(EventBytes e) {
			if (this.data == null) {
				this.data = dev.sluice.event.ByteArrayPool.SHARED.take(e.length());
			}
			else if (this.size + e.length() > this.data.length) {
				byte[] bigger = dev.sluice.event.ByteArrayPool.SHARED.take(Math.max(this.data.length * 2, this.size + e.length()));
				System.arraycopy(this.data, 0, bigger, 0, this.size);
				dev.sluice.event.ByteArrayPool.SHARED.give(this.data);
				this.data = bigger;
			}
			System.arraycopy(e.data(), e.offset(), this.data, this.size, e.length());
			this.size += e.length();
			this.records += e.records();
		}

		/** The array behind {@link #events()}, to give back to the pool once nothing reads it. */
		byte[] buffer() {
			return this.data;
		}

		int size() {
			return this.size;
		}

		EventBytes events() {
			return new EventBytes((this.data != null) ? this.data : new byte[0], 0, this.size, this.records);
		}
	}
}
