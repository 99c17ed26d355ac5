package dev.sluice.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/** Scripted plugins for engine runtime tests. */
final class TestOutputs {

	private TestOutputs() {
	}

	/** Results to return, per instance alias: consumed in order; OK once exhausted. */
	static final Map<String, List<FlushResult>> SCRIPTS = new ConcurrentHashMap<>();

	/** Events delivered (on OK only), per instance alias. */
	static final Map<String, List<LogEvent>> DELIVERED = new ConcurrentHashMap<>();

	static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

	static void reset() {
		SCRIPTS.clear();
		DELIVERED.clear();
		CALLS.clear();
	}

	/** Returns the next scripted result; records what was delivered on OK. */
	@Plugin(kind = PluginKind.OUTPUT, name = "scripted", description = "test output")
	public static final class Scripted implements OutputPlugin<Plugin.NoConfig> {

		@Override
		public FlushResult flush(Chunk chunk, OutputContext ctx) {
			String me = ctx.displayName();
			CALLS.computeIfAbsent(me, (k) -> new AtomicInteger()).incrementAndGet();
			List<FlushResult> script = SCRIPTS.get(me);
			FlushResult r = FlushResult.OK;
			if (script != null) {
				synchronized (script) {
					if (!script.isEmpty()) {
						r = script.remove(0);
					}
				}
			}
			if (r == FlushResult.OK) {
				DELIVERED.computeIfAbsent(me, (k) -> new CopyOnWriteArrayList<>()).addAll(chunk.decode());
			}
			return r;
		}
	}

	/** Always answers RETRY. */
	@Plugin(kind = PluginKind.OUTPUT, name = "always_retry", description = "test output")
	public static final class AlwaysRetry implements OutputPlugin<Plugin.NoConfig> {

		@Override
		public FlushResult flush(Chunk chunk, OutputContext ctx) {
			CALLS.computeIfAbsent(ctx.displayName(), (k) -> new AtomicInteger()).incrementAndGet();
			return FlushResult.RETRY;
		}
	}

	/** Drops records whose "drop" field is true; duplicates records whose "dup" field is true. */
	@Plugin(kind = PluginKind.FILTER, name = "dropdup", description = "test filter", config = DropDup.Config.class)
	public static final class DropDup implements FilterPlugin<DropDup.Config> {

		public static class Config {
			@ConfigOption(name = "marker", description = "a field added to every record", defaultValue = "seen")
			public String marker;
		}

		private String marker;

		@Override
		public void init(Config config, FilterContext context) {
			this.marker = config.marker;
		}

		@Override
		public EventBytes filter(EventBytes events, String tag, FilterContext context) {
			EventEncoder enc = new EventEncoder();
			for (LogEvent e : events.decode()) {
				if (Boolean.TRUE.equals(e.body().get("boom"))) {
					throw new IllegalStateException("boom");
				}
				if (Boolean.TRUE.equals(e.body().get("drop"))) {
					continue;
				}
				Map<String, Object> b = new java.util.LinkedHashMap<>(e.body());
				b.put(this.marker, true);
				enc.append(e.time(), e.metadata(), b);
				if (Boolean.TRUE.equals(e.body().get("dup"))) {
					enc.append(e.time(), e.metadata(), b);
				}
			}
			return EventBytes.of(enc);
		}
	}
}
