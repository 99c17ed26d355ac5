package dev.sluice.plugins.external;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;

/**
 * One configured instance of a shared-object output plugin, as Fluent Bit's Go proxy runs it:
 * <ul>
 * <li>{@code init}: builds this instance's {@code struct flbgo_output_plugin} (name, the shared
 * {@code flb_api} table, an {@code o_ins} token answering {@code output_get_property} with this
 * instance's properties, and a fresh {@code flb_plugin_proxy_context}), then calls
 * {@code FLBPluginInit(plugin)}; a result &le; 0 is an initialisation error of this instance;</li>
 * <li>{@code flush}: copies the chunk's msgpack bytes and the tag into native memory valid for the
 * call and calls {@code FLBPluginFlushCtx(remote_context, data, size, tag)} when exported, else
 * {@code FLBPluginFlush(data, size, tag)}; the result maps through {@link FlushResult#ofCode};</li>
 * <li>{@code exit}: {@code FLBPluginExitCtx(remote_context)} when exported, else
 * {@code FLBPluginExit()}, then frees the instance's native memory.</li>
 * </ul>
 * The {@code remote_context} is whatever the plugin stored with {@code FLBPluginSetContext} in
 * its init, so several instances of one shared object keep their own context. At most
 * {@code workers} flushes of one instance run at once (1 unless configured): as in Fluent Bit, a
 * plugin sees concurrent {@code FlushCtx} calls for one instance only when workers &gt; 1.
 */
public final class NativeOutputPlugin implements OutputPlugin<Plugin.NoConfig>, FlbProxyAbi.PropertySource {

	private final NativeOutputLibrary library;

	private volatile OutputContext context;

	private Arena arena;

	private MemorySegment token;

	private MemorySegment remoteContext = MemorySegment.NULL;

	private volatile boolean initialized;

	private final Map<String, MemorySegment> nativeValues = new ConcurrentHashMap<>();

	public NativeOutputPlugin(NativeOutputLibrary library) {
		this.library = library;
	}

	public NativeOutputLibrary library() {
		return this.library;
	}

	@Override
	public synchronized void init(Plugin.NoConfig config, OutputContext ctx) throws Exception {
		this.context = ctx;
		this.arena = Arena.ofShared();
		MemorySegment plugin;
		try {
			this.token = FlbProxyAbi.newInstanceToken(this.arena, this);
			MemorySegment proxyContext = this.arena.allocate(FlbProxyAbi.PROXY_CONTEXT);
			proxyContext.fill((byte) 0);
			plugin = this.arena.allocate(FlbProxyAbi.OUTPUT_PLUGIN);
			plugin.fill((byte) 0);
			FlbProxyAbi.PLUGIN_NAME.set(plugin, 0L, this.arena.allocateFrom(this.library.name()));
			FlbProxyAbi.PLUGIN_API.set(plugin, 0L, FlbProxyAbi.api());
			FlbProxyAbi.PLUGIN_O_INS.set(plugin, 0L, this.token);
			FlbProxyAbi.PLUGIN_CONTEXT.set(plugin, 0L, proxyContext);
			int rc;
			try {
				rc = (int) this.library.init.invokeExact(plugin);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("[go proxy]: plugin '" + this.library.name() + "' failed to initialize: "
						+ ex, ex);
			}
			if (rc <= 0) {
				throw new IllegalStateException("[go proxy]: plugin '" + this.library.name()
						+ "' failed to initialize (FLBPluginInit returned " + rc + ")");
			}
			this.remoteContext = (MemorySegment) FlbProxyAbi.CONTEXT_REMOTE.get(proxyContext, 0L);
			this.initialized = true;
		}
		catch (RuntimeException ex) {
			release();
			throw ex;
		}
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext ctx) throws Exception {
		if (!this.initialized) {
			return FlushResult.ERROR;
		}
		EventBytes events = chunk.events();
		int rc;
		try (Arena call = Arena.ofConfined()) {
			MemorySegment data = call.allocate(Math.max(1, events.length()));
			MemorySegment.copy(events.data(), events.offset(), data, ValueLayout.JAVA_BYTE, 0, events.length());
			MemorySegment tag = call.allocateFrom(chunk.tag());
			long size = events.length();
			try {
				if (this.library.flushCtx != null) {
					rc = (int) this.library.flushCtx.invokeExact(this.remoteContext, data, size, tag);
				}
				else {
					rc = (int) this.library.flush.invokeExact(data, size, tag);
				}
			}
			catch (Throwable ex) {
				throw new IllegalStateException("plugin '" + this.library.name() + "' flush failed: " + ex, ex);
			}
		}
		return FlushResult.ofCode(rc);
	}

	@Override
	public synchronized void exit() throws Exception {
		if (!this.initialized) {
			return;
		}
		this.initialized = false;
		try {
			if (this.library.exitCtx != null) {
				int rc = (int) this.library.exitCtx.invokeExact(this.remoteContext);
			}
			else if (this.library.exit != null) {
				int rc = (int) this.library.exit.invokeExact();
			}
		}
		catch (Throwable ex) {
			throw new IllegalStateException("plugin '" + this.library.name() + "' exit failed: " + ex, ex);
		}
		finally {
			release();
		}
	}

	private void release() {
		if (this.token != null) {
			FlbProxyAbi.forgetInstanceToken(this.token);
			this.token = null;
		}
		this.nativeValues.clear();
		if (this.arena != null) {
			this.arena.close();
			this.arena = null;
		}
	}

	/** Answers {@code output_get_property}: a C string kept until the instance exits. */
	@Override
	public MemorySegment nativeProperty(String key) {
		OutputContext ctx = this.context;
		String value = (ctx != null) ? ctx.property(key) : null;
		if (value == null) {
			return MemorySegment.NULL;
		}
		String k = key.toLowerCase(java.util.Locale.ROOT);
		return this.nativeValues.computeIfAbsent(k, (x) -> {
			Arena a = this.arena;
			if (a == null) {
				return MemorySegment.NULL;
			}
			return a.allocateFrom(value);
		});
	}
}
