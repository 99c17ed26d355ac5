package dev.sluice.plugins.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.config.ConfigBinder;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.FilterCommonConfig;
import dev.sluice.config.Origin;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugins.filter.grep.GrepFilter;
import dev.sluice.plugins.filter.modify.ModifyFilter;

/**
 * Filter throughput on a realistic access-log record ({@code time, level, msg, user_id, method,
 * path, status, latency_ms, request_id}), 1000 records per operation, so scores are records per
 * second. Filters are configured through the real binder:
 * <ul>
 * <li>{@code grep}: {@code Regex level ^(error|warn)$} on a batch where half the records match;</li>
 * <li>{@code modify}: {@code Set env prod}, {@code Rename user_id uid}, {@code Remove request_id}.</li>
 * </ul>
 * Run: {@code bench/jmh.sh FilterBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FilterBenchmark {

	static final int BATCH = 1000;

	private EventBytes batch;

	private FilterPlugin<Object> grep;

	private FilterPlugin<Object> modify;

	private final FilterContext context = new BenchContext(List.of());

	@Setup
	public void setup() throws Exception {
		EventEncoder enc = new EventEncoder();
		String[] levels = { "info", "error", "debug", "warn" };
		String[] methods = { "GET", "POST", "PUT", "DELETE" };
		for (int i = 0; i < BATCH; i++) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("time", "2026-11-22T04:41:54.123Z");
			r.put("level", levels[i % levels.length]);
			r.put("msg", "request completed for user session " + i);
			r.put("user_id", "u-" + (100_000 + i));
			r.put("method", methods[i % methods.length]);
			r.put("path", "/api/v1/orders/" + (i * 7));
			r.put("status", (long) ((i % 10 == 0) ? 500 : 200));
			r.put("latency_ms", 3.25 + (i % 50));
			r.put("request_id", "req-" + Long.toHexString(0x5f3a_0000_0000L + i));
			enc.append(new EventTime(1_700_000_000L + i, 123_000_000), r);
		}
		this.batch = EventBytes.of(enc);
		this.grep = plugin(GrepFilter.class, "regex", "level ^(error|warn)$");
		this.modify = plugin(ModifyFilter.class, "set", "env prod", "rename", "user_id uid", "remove", "request_id");
	}

	@SuppressWarnings("unchecked")
	private FilterPlugin<Object> plugin(Class<?> type, String... kv) throws Exception {
		PluginDescriptor d = PluginDescriptor.of(type);
		ConfigSection s = new ConfigSection("filter", Origin.COMMAND_LINE);
		s.add("name", d.name(), Origin.COMMAND_LINE);
		s.add("match", "*", Origin.COMMAND_LINE);
		for (int i = 0; i < kv.length; i += 2) {
			s.add(kv[i], kv[i + 1], Origin.COMMAND_LINE);
		}
		List<ConfigError> errors = new ArrayList<>();
		ConfigBinder.Bound b = ConfigBinder.bind(d, new FilterCommonConfig(), s, errors);
		if (!errors.isEmpty()) {
			throw new IllegalStateException(errors.toString());
		}
		FilterPlugin<Object> p = (FilterPlugin<Object>) d.newPlugin();
		List<Map.Entry<String, String>> ordered = new ArrayList<>();
		s.properties().forEach((q) -> ordered.add(Map.entry(q.name(), q.value())));
		p.init(b.config(), new BenchContext(ordered));
		return p;
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public EventBytes grep() {
		return this.grep.filter(this.batch, "app", this.context);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public EventBytes modify() {
		return this.modify.filter(this.batch, "app", this.context);
	}

	/** The little a filter asks of its host here. */
	static final class BenchContext implements FilterContext {

		private static final Logger LOG = LoggerFactory.getLogger("filter:bench");

		private final List<Map.Entry<String, String>> ordered;

		private Object ctx;

		BenchContext(List<Map.Entry<String, String>> ordered) {
			this.ordered = List.copyOf(ordered);
		}

		@Override
		public List<Map.Entry<String, String>> orderedProperties() {
			return this.ordered;
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
			Map<String, String> m = new LinkedHashMap<>();
			this.ordered.forEach((e) -> m.put(e.getKey(), e.getValue()));
			return m;
		}

		@Override
		public void setContext(Object context) {
			this.ctx = context;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T context() {
			return (T) this.ctx;
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
