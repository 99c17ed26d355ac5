package dev.sluice.admin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sluice.event.LogEvent;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/** Outputs for admin tests: one that always fails, one that collects across generations. */
final class TestPlugins {

	/** Every event delivered to any {@code collect} instance, across reloads. */
	static final List<LogEvent> COLLECTED = new CopyOnWriteArrayList<>();

	private TestPlugins() {
	}

	static PluginRegistry registry() {
		PluginRegistry r = PluginRegistry.builtin();
		r.register(PluginDescriptor.of(Failing.class));
		r.register(PluginDescriptor.of(Collect.class));
		r.register(PluginDescriptor.of(Secretive.class));
		r.register(PluginDescriptor.of(Blocking.class));
		return r;
	}

	@Plugin(kind = PluginKind.OUTPUT, name = "failing", description = "answers ERROR")
	public static final class Failing implements OutputPlugin<Plugin.NoConfig> {
		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.ERROR;
		}
	}

	/** Opened by a test to let {@link Blocking} flushes finish. */
	static volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);

	/** Entered by a flush of {@link Blocking}. */
	static final java.util.concurrent.Semaphore ENTERED = new java.util.concurrent.Semaphore(0);

	/** An output whose flushes wait for {@link #gate}. */
	@Plugin(kind = PluginKind.OUTPUT, name = "blocking", description = "waits for the test")
	public static final class Blocking implements OutputPlugin<Plugin.NoConfig> {
		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) throws InterruptedException {
			ENTERED.release();
			gate.await();
			COLLECTED.addAll(chunk.decode());
			return FlushResult.OK;
		}
	}

	/** An output with secrets among its options. */
	@Plugin(kind = PluginKind.OUTPUT, name = "secretive", description = "has secrets", config = Secretive.Config.class)
	public static final class Secretive implements OutputPlugin<Secretive.Config> {

		public static class Config {
			@dev.sluice.plugin.ConfigOption(name = "host", description = "host", defaultValue = "localhost")
			public String host;

			@dev.sluice.plugin.ConfigOption(name = "shared_key", description = "the key", secret = true)
			public String sharedKey;

			@dev.sluice.plugin.ConfigOption(name = "http_passwd", description = "a password")
			public String password;
		}

		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.OK;
		}
	}

	@Plugin(kind = PluginKind.OUTPUT, name = "collect", description = "keeps every event")
	public static final class Collect implements OutputPlugin<Plugin.NoConfig> {
		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			COLLECTED.addAll(chunk.decode());
			return FlushResult.OK;
		}
	}
}
