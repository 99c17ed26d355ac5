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

	private final ServiceConfig service;

	private final List<InputInstance> inputs = new ArrayList<>();

	private final List<FilterInstance> filters = new ArrayList<>();

	private final List<OutputInstance> outputs = new ArrayList<>();

	private final LinkedBlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();

	private final PriorityQueue<Timer> timers = new PriorityQueue<>();

	private final BitSet taskIds = new BitSet();

	private final List<Task> tasks = new ArrayList<>();

	private final AtomicBoolean shutdownRequested = new AtomicBoolean();

	private final CountDownLatch stopped = new CountDownLatch(1);

	private final AtomicLong lastChunkNanos = new AtomicLong();

	private final long pid = ProcessHandle.current().pid();

	private final long unitMillis;

	private final dev.sluice.parser.ParserRegistry parsers;

	private Thread thread;

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
		this.unitMillis = unitMillis;
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

	public ServiceConfig service() {
		return this.service;
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
		catch (Exception ex) {
			String msg = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
			instance.log().error("initialization failed: {}", msg);
			errors.add(new ConfigError(instance.definition().section().origin(),
					"failed initialize " + instance.definition().descriptor().kind().label() + " " + instance.name()
							+ ": " + msg));
		}
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

	/** Called on input threads after filters ran. */
	void onAppend(InputInstance input, String tag, EventBytes events) {
		InputInstance.OpenChunk sealed = input.appendToChunk(tag, events, CHUNK_TARGET_SIZE);
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

	private void loop() {
		try {
			while (true) {
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
		SealedChunk chunk = new SealedChunk(open.name, open.tag, input, 0, open.events());
		List<OutputInstance> routed = new ArrayList<>();
		for (OutputInstance o : this.outputs) {
			if (o.matcher().matches(chunk.tag())) {
				routed.add(o);
			}
		}
		if (routed.isEmpty()) {
			LOG.debug("[task] created task without routes, dropping chunk '{}' (tag '{}')", chunk.name(), chunk.tag());
			input.metrics().droppedRecords.add(chunk.records());
			input.release(chunk.size());
			return;
		}
		int id = this.taskIds.nextClearBit(0);
		this.taskIds.set(id);
		Task task = new Task(id, chunk);
		this.tasks.add(task);
		for (OutputInstance o : routed) {
			o.pending.add(task.addRoute(o));
		}
		for (OutputInstance o : routed) {
			dispatch(o);
		}
	}

	private void dispatch(OutputInstance o) {
		while (o.inFlight < o.concurrency() && !o.pending.isEmpty()) {
			Task.Route r = o.pending.poll();
			o.inFlight++;
			Thread.ofVirtual().name("flush-" + o.name()).start(() -> {
				FlushResult result;
				try {
					result = o.outputPlugin().flush(r.task.chunk, o);
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
		SealedChunk c = r.task.chunk;
		int n = c.records();
		String where = "task_id=" + r.task.id + ", input=" + c.input() + " > output=" + o.displayName();
		switch (result) {
			case OK -> {
				o.metrics().procRecords.add(n);
				o.metrics().procBytes.add(c.size());
				if (r.attempts > 0) {
					LOG.info("flush chunk '{}' succeeded at retry {}: {} (out_id={})", c.name(), r.attempts, where, o.id());
				}
				endRoute(r);
			}
			case ERROR -> {
				o.metrics().errors.increment();
				o.metrics().droppedRecords.add(n);
				endRoute(r);
			}
			case RETRY -> {
				int limit = o.retryLimit();
				if (limit == RetryPolicy.NO_RETRIES) {
					LOG.info("chunk '{}' is not retried (no retry config): {}", c.name(), where);
					o.metrics().droppedRecords.add(n);
					endRoute(r);
				}
				else if (limit != RetryPolicy.UNLIMITED && r.attempts >= limit) {
					LOG.error("chunk '{}' cannot be retried: {}", c.name(), where);
					o.metrics().retriesFailed.increment();
					o.metrics().droppedRecords.add(n);
					endRoute(r);
				}
				else {
					r.attempts++;
					o.metrics().retries.increment();
					o.metrics().retriedRecords.add(n);
					int wait = this.stopping ? 1
							: RetryPolicy.backoffSeconds(r.attempts, this.service.schedulerBase, this.service.schedulerCap,
									ThreadLocalRandom.current());
					LOG.warn("failed to flush chunk '{}', retry in {} seconds: {} (out_id={})", c.name(), wait, where, o.id());
					r.waitingRetry = true;
					schedule(wait * this.unitMillis, () -> {
						r.waitingRetry = false;
						o.pending.add(r);
						dispatch(o);
					});
				}
			}
		}
		dispatch(o);
	}

	private void endRoute(Task.Route r) {
		r.done = true;
		Task t = r.task;
		if (--t.open == 0) {
			this.tasks.remove(t);
			this.taskIds.clear(t.id);
			t.chunk.source().release(t.chunk.size());
		}
	}

	// ---- shutdown ----

	/** Asks the engine to stop gracefully; returns at once. Safe from any thread, idempotent. */
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

	/**
	 * Waits until the engine stops by itself (an input or output asked for shutdown) or the
	 * latch opens (a signal); in the latter case the engine is still running.
	 */
	public void awaitStoppedOr(CountDownLatch signal) {
		Thread waiter = Thread.ofVirtual().start(() -> {
			try {
				this.stopped.await();
			}
			catch (InterruptedException ex) {
				return;
			}
			signal.countDown();
		});
		try {
			signal.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		waiter.interrupt();
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
		if (System.nanoTime() >= this.graceDeadline) {
			reportPending();
			LOG.info("service has stopped ({} pending tasks)", this.tasks.size());
			return true;
		}
		return false;
	}

	private void reportPending() {
		long remaining = Math.max(0, (this.graceDeadline - System.nanoTime()) / 1_000_000 / this.unitMillis);
		LOG.info("pending chunk count: memory={}, filesystem=0; grace_timer={}", this.tasks.size(), remaining);
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

	/** Number of tasks not yet finished (engine-thread snapshot; approximate from elsewhere). */
	public int pendingTasks() {
		return this.tasks.size();
	}

	private record Timer(long dueNanos, long seq, Runnable action) implements Comparable<Timer> {
		@Override
		public int compareTo(Timer o) {
			int c = Long.compare(this.dueNanos, o.dueNanos);
			return (c != 0) ? c : Long.compare(this.seq, o.seq);
		}
	}
}
