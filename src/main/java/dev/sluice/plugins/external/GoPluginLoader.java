package dev.sluice.plugins.external;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * Loads a Fluent Bit proxy output plugin, a shared object exporting fluent-bit-go's symbols (a Go
 * plugin built with {@code go build -buildmode=c-shared}, or a C library exporting the same
 * functions), in-process with the Foreign Function &amp; Memory API, as Fluent Bit's
 * {@code flb_plugin_proxy} does with {@code dlopen}/{@code dlsym}:
 * <ol>
 * <li>{@code FLBPluginRegister(def)} fills a {@code struct flb_plugin_proxy_def}: type (must be
 * output), proxy, flags, name, description;</li>
 * <li>{@code FLBPluginInit} is required; {@code FLBPluginFlushCtx} is used when exported, else
 * {@code FLBPluginFlush}; {@code FLBPluginExitCtx} when exported, else {@code FLBPluginExit};
 * {@code FLBPluginUnregister} is optional.</li>
 * </ol>
 * The library is never unloaded: a Go runtime cannot be unloaded from a process.
 */
public final class GoPluginLoader {

	private GoPluginLoader() {
	}

	/** Loads the shared object and reads its registration. */
	public static NativeOutputLibrary load(Path path) {
		Path p = path.toAbsolutePath().normalize();
		if (!Files.isRegularFile(p)) {
			throw new ExternalPluginException("cannot load plugin " + path + ": no such file");
		}
		SymbolLookup lookup;
		try {
			lookup = SymbolLookup.libraryLookup(p, Arena.global());
		}
		catch (IllegalArgumentException | IllegalCallerException ex) {
			throw new ExternalPluginException("cannot load plugin " + path + ": " + ex.getMessage(), ex);
		}
		Linker linker = Linker.nativeLinker();
		MethodHandle register = handle(linker, lookup, "FLBPluginRegister", FlbProxyAbi.REGISTER)
			.orElseThrow(() -> new ExternalPluginException(
					"cannot load plugin " + path + ": symbol FLBPluginRegister not found (not a Fluent Bit plugin)"));
		MemorySegment def = Arena.global().allocate(FlbProxyAbi.PROXY_DEF);
		def.fill((byte) 0);
		int rc;
		try {
			rc = (int) register.invokeExact(def);
		}
		catch (Throwable ex) {
			throw new ExternalPluginException("cannot load plugin " + path + ": FLBPluginRegister failed: " + ex, ex);
		}
		int type = (int) FlbProxyAbi.DEF_TYPE.get(def, 0L);
		int proxy = (int) FlbProxyAbi.DEF_PROXY.get(def, 0L);
		int flags = (int) FlbProxyAbi.DEF_FLAGS.get(def, 0L);
		String name = FlbProxyAbi.string((MemorySegment) FlbProxyAbi.DEF_NAME.get(def, 0L));
		String description = FlbProxyAbi.string((MemorySegment) FlbProxyAbi.DEF_DESCRIPTION.get(def, 0L));
		int eventType = (int) FlbProxyAbi.DEF_EVENT_TYPE.get(def, 0L);
		if (rc != 0 && (name == null || name.isEmpty())) {
			throw new ExternalPluginException(
					"cannot load plugin " + path + ": FLBPluginRegister returned " + rc + " without a name");
		}
		if (name == null || name.isBlank()) {
			throw new ExternalPluginException("cannot load plugin " + path + ": FLBPluginRegister set no name");
		}
		if (type != FlbProxyAbi.FLB_PROXY_OUTPUT_PLUGIN) {
			String kind = switch (type) {
				case FlbProxyAbi.FLB_PROXY_INPUT_PLUGIN -> "an input";
				case FlbProxyAbi.FLB_PROXY_CUSTOM_PLUGIN -> "a custom";
				default -> "an unknown (type " + type + ")";
			};
			throw new ExternalPluginException("cannot load plugin " + path + ": '" + name + "' is " + kind
					+ " plugin; only output plugins can be loaded from shared objects");
		}
		MethodHandle init = handle(linker, lookup, "FLBPluginInit", FlbProxyAbi.INIT)
			.orElseThrow(() -> new ExternalPluginException(
					"cannot load plugin " + path + ": [go proxy] could not load FLBPluginInit symbol"));
		MethodHandle flushCtx = handle(linker, lookup, "FLBPluginFlushCtx", FlbProxyAbi.FLUSH_CTX).orElse(null);
		MethodHandle flush = handle(linker, lookup, "FLBPluginFlush", FlbProxyAbi.FLUSH).orElse(null);
		if (flushCtx == null && flush == null) {
			throw new ExternalPluginException(
					"cannot load plugin " + path + ": exports neither FLBPluginFlushCtx nor FLBPluginFlush");
		}
		MethodHandle exitCtx = handle(linker, lookup, "FLBPluginExitCtx", FlbProxyAbi.EXIT_CTX).orElse(null);
		MethodHandle exit = handle(linker, lookup, "FLBPluginExit", FlbProxyAbi.EXIT).orElse(null);
		MethodHandle unregister = handle(linker, lookup, "FLBPluginUnregister", FlbProxyAbi.UNREGISTER).orElse(null);
		return new NativeOutputLibrary(p, name.toLowerCase(java.util.Locale.ROOT),
				(description != null) ? description : "", type, proxy, flags, eventType, def, init, flushCtx, flush,
				exitCtx, exit, unregister);
	}

	/** Loads the shared object and registers its output plugin. */
	public static NativeOutputLibrary load(PluginRegistry registry, Path path) {
		NativeOutputLibrary lib = load(path);
		try {
			registry.register(descriptor(lib));
		}
		catch (IllegalArgumentException ex) {
			lib.unregister();
			throw new ExternalPluginException("cannot load plugin " + path + ": " + ex.getMessage(), ex);
		}
		return lib;
	}

	/**
	 * The descriptor of a loaded library: no declared options, any key accepted (the plugin reads
	 * what it wants with {@code FLBPluginConfigKey}), one worker by default.
	 */
	public static PluginDescriptor descriptor(NativeOutputLibrary lib) {
		return new PluginDescriptor(PluginKind.OUTPUT, lib.name(), lib.description(), Plugin.NoConfig.class,
				List.of(), 1, false, false, NativeOutputPlugin.class, lib.path().toString(), true,
				() -> new NativeOutputPlugin(lib));
	}

	private static Optional<MethodHandle> handle(Linker linker, SymbolLookup lookup, String symbol,
			java.lang.foreign.FunctionDescriptor fd) {
		return lookup.find(symbol).map((s) -> linker.downcallHandle(s, fd));
	}
}
