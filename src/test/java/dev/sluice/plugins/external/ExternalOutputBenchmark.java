package dev.sluice.plugins.external;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.OutputInstance;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.nullout.NullConfig;
import dev.sluice.plugins.out.nullout.NullOutput;

/**
 * Records per second through a no-op external output (C, Go) versus the built-in {@code null}:
 * <ol>
 * <li>direct: the output's {@code flush} called in a loop with one 1000-record chunk (the FFM
 * call cost: copy to native memory, downcall, and for Go the cgo entry);</li>
 * <li>pipeline: lib input → engine → output, 1000-record appends, until every record is
 * processed.</li>
 * </ol>
 * Run: {@code java --enable-native-access=ALL-UNNAMED -cp "$(bench/classpath.sh)"
 * dev.sluice.plugins.external.ExternalOutputBenchmark [seconds]}.
 */
public final class ExternalOutputBenchmark {

	private static final int BATCH = 1000;

	private ExternalOutputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		double seconds = (args.length > 0) ? Double.parseDouble(args[0]) : 5;
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(NativeBuild.c("cnoop", "NOOP"), NativeBuild.go("out_multiinstance")));
		List<LogEvent> events = new ArrayList<>();
		for (int i = 0; i < BATCH; i++) {
			events.add(new LogEvent(new EventTime(1_700_000_000L + i, 0), Map.of("msg",
					"GET /index.html HTTP/1.1 200 " + i, "host", "10.0.0." + (i % 250), "level", "info", "n", (long) i)));
		}
		EventEncoder enc = new EventEncoder();
		for (LogEvent e : events) {
			enc.append(e);
		}
		EventBytes bytes = EventBytes.of(enc);
		System.out.printf(Locale.ROOT, "chunk: %d records, %d bytes%n", BATCH, bytes.length());

		Map<String, OutputPlugin<?>> direct = new LinkedHashMap<>();
		direct.put("null (built-in)", new NullOutput());
		direct.put("C no-op (FLBPluginFlushCtx)", (OutputPlugin<?>) registry
			.find(dev.sluice.plugin.PluginKind.OUTPUT, "cnoop").newPlugin());
		direct.put("Go no-op (FLBPluginFlushCtx)", (OutputPlugin<?>) registry
			.find(dev.sluice.plugin.PluginKind.OUTPUT, "multiinstance").newPlugin());
		direct.put("Go decode all records", (OutputPlugin<?>) registry
			.find(dev.sluice.plugin.PluginKind.OUTPUT, "multiinstance").newPlugin());
		for (Map.Entry<String, OutputPlugin<?>> e : direct.entrySet()) {
			String mode = e.getKey().contains("decode") ? "decode" : "noop";
			double rate = direct(e.getValue(), bytes, mode, seconds);
			System.out.printf(Locale.ROOT, "direct   %-30s %,18.0f records/s %,10.2f µs per %d-record flush%n",
					e.getKey(), rate, BATCH / rate * 1e6, BATCH);
		}
		for (String[] out : List.of(new String[] { "null" }, new String[] { "cnoop" },
				new String[] { "multiinstance", "id", "bench", "mode", "noop" },
				new String[] { "multiinstance", "id", "bench", "mode", "decode" })) {
			String label = String.join(" ", out);
			System.out.printf(Locale.ROOT, "pipeline %-30s %,14.0f records/s%n", label,
					pipeline(registry, out, events, seconds));
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static double direct(OutputPlugin plugin, EventBytes bytes, String mode, double seconds)
			throws Exception {
		OutputContext ctx = new Ctx(Map.of("id", "bench", "mode", mode));
		Object config = (plugin instanceof NullOutput) ? new NullConfig() : new Plugin.NoConfig();
		plugin.init(config, ctx);
		Chunk chunk = new BenchChunk(bytes);
		for (int i = 0; i < 2000; i++) {
			plugin.flush(chunk, ctx);
		}
		long n = 0;
		long start = System.nanoTime();
		long end = start + (long) (seconds * 1e9);
		while (System.nanoTime() < end) {
			for (int i = 0; i < 100; i++) {
				if (plugin.flush(chunk, ctx) != FlushResult.OK) {
					throw new IllegalStateException("flush failed");
				}
			}
			n += 100L * BATCH;
		}
		double rate = n / ((System.nanoTime() - start) / 1e9);
		plugin.exit();
		return rate;
	}

	private static double pipeline(PluginRegistry registry, String[] out, List<LogEvent> events, double seconds)
			throws Exception {
		String[] kv = new String[out.length + 1];
		kv[0] = "match";
		kv[1] = "*";
		System.arraycopy(out, 1, kv, 2, out.length - 1);
		EmbeddedSluice s = EmbeddedSluice.builder().registry(registry).service("flush", "0.05")
			.service("log_level", "warn")
			.input("lib", "tag", "bench")
			.output(out[0], kv)
			.build()
			.start();
		try {
			LibInput lib = s.plugin("lib.0", LibInput.class);
			OutputInstance o = s.output(out[0] + ".0");
			long pushed = 0;
			long start = System.nanoTime();
			long end = start + (long) (seconds * 1e9);
			while (System.nanoTime() < end) {
				lib.push(events);
				pushed += events.size();
			}
			while (o.metrics().procRecords.sum() < pushed) {
				Thread.sleep(1);
			}
			return pushed / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			s.stop();
		}
	}

	private record BenchChunk(EventBytes events) implements Chunk {

		@Override
		public String name() {
			return "bench.flb";
		}

		@Override
		public String tag() {
			return "bench";
		}

		@Override
		public String input() {
			return "lib.0";
		}

		@Override
		public int eventType() {
			return 0;
		}
	}

	private static final class Ctx implements OutputContext {

		private static final Logger LOG = LoggerFactory.getLogger("bench");

		private final Map<String, String> properties;

		private Object context;

		Ctx(Map<String, String> properties) {
			this.properties = properties;
		}

		@Override
		public int workers() {
			return 1;
		}

		@Override
		public String name() {
			return "bench.0";
		}

		@Override
		public String displayName() {
			return "bench.0";
		}

		@Override
		public String pluginName() {
			return "bench";
		}

		@Override
		public Logger log() {
			return LOG;
		}

		@Override
		public Map<String, String> properties() {
			return this.properties;
		}

		@Override
		public void setContext(Object context) {
			this.context = context;
		}

		@SuppressWarnings("unchecked")
		@Override
		public <T> T context() {
			return (T) this.context;
		}

		@Override
		public double flushIntervalSeconds() {
			return 1;
		}

		@Override
		public void requestShutdown() {
		}
	}
}
