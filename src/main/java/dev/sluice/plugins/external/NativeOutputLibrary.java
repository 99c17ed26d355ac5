package dev.sluice.plugins.external;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded proxy output plugin: its registration and the entry points resolved from the shared
 * object. Every instance ({@link NativeOutputPlugin}) of the plugin calls through these.
 */
public final class NativeOutputLibrary implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(NativeOutputLibrary.class);

	private final Path path;

	private final String name;

	private final String description;

	private final int type;

	private final int proxy;

	private final int flags;

	private final int eventType;

	private final MemorySegment def;

	final MethodHandle init;

	final MethodHandle flushCtx;

	final MethodHandle flush;

	final MethodHandle exitCtx;

	final MethodHandle exit;

	private final MethodHandle unregister;

	private final AtomicBoolean unregistered = new AtomicBoolean();

	NativeOutputLibrary(Path path, String name, String description, int type, int proxy, int flags, int eventType,
			MemorySegment def, MethodHandle init, MethodHandle flushCtx, MethodHandle flush, MethodHandle exitCtx,
			MethodHandle exit, MethodHandle unregister) {
		this.path = path;
		this.name = name;
		this.description = description;
		this.type = type;
		this.proxy = proxy;
		this.flags = flags;
		this.eventType = eventType;
		this.def = def;
		this.init = init;
		this.flushCtx = flushCtx;
		this.flush = flush;
		this.exitCtx = exitCtx;
		this.exit = exit;
		this.unregister = unregister;
	}

	public Path path() {
		return this.path;
	}

	/** The name given to {@code FLBPluginRegister}, lower case. */
	public String name() {
		return this.name;
	}

	public String description() {
		return this.description;
	}

	/** {@code FLB_PROXY_OUTPUT_PLUGIN} (2). */
	public int type() {
		return this.type;
	}

	/** The proxy type the plugin declared ({@code FLB_PROXY_GOLANG}, 11, for fluent-bit-go). */
	public int proxy() {
		return this.proxy;
	}

	public int flags() {
		return this.flags;
	}

	/** The event type newer fluent-bit-go versions declare (0 when not set: logs). */
	public int eventType() {
		return this.eventType;
	}

	/** Whether the plugin exports {@code FLBPluginFlushCtx} (instances get their own context). */
	public boolean hasFlushCtx() {
		return this.flushCtx != null;
	}

	/** Calls {@code FLBPluginUnregister(def)} once, when exported. */
	public void unregister() {
		if (this.unregister == null || !this.unregistered.compareAndSet(false, true)) {
			return;
		}
		try {
			this.unregister.invokeExact(this.def);
		}
		catch (Throwable ex) {
			LOG.warn("plugin {}: FLBPluginUnregister failed: {}", this.path, ex.toString());
		}
	}

	@Override
	public void close() {
		unregister();
	}

	@Override
	public String toString() {
		return "output plugin '" + this.name + "' from " + this.path;
	}
}
