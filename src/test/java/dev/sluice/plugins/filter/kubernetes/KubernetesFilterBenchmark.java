package dev.sluice.plugins.filter.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FilterContext;
import dev.sluice.testing.SharedFixtures;

/**
 * Throughput of the kubernetes filter on the cache-hit path (run on demand, not a test):
 * 1000-record runs of one container's tag, the pod fetched once from a local {@link FakeKubeApi}.
 * Prints records/s for plain enrichment and with {@code merge_log} of a JSON {@code log}.
 *
 * <pre>java -cp "$(bench/classpath.sh)" dev.sluice.plugins.filter.kubernetes.KubernetesFilterBenchmark 5</pre>
 */
public final class KubernetesFilterBenchmark {

	private KubernetesFilterBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		try (FakeKubeApi api = new FakeKubeApi(SharedFixtures.path("kubernetes/data/meta"), null)) {
			String tag = "kube.var.log.containers.base_core_fluent-bit-"
					+ "c9898099f6d235126d564ed38a020007ea7a6fac6e25e718de683c9dd0076c16.log";
			run("enrich", api, tag, seconds, "Fluent Bit is logging\n", "merge_log", "off");
			run("merge_log", api, tag, seconds, "{\"level\":\"info\",\"msg\":\"Fluent Bit is logging\",\"n\":42}\n",
					"merge_log", "on");
		}
	}

	private static void run(String label, FakeKubeApi api, String tag, int seconds, String log, String... opts)
			throws Exception {
		Map<String, String> props = new LinkedHashMap<>();
		KubernetesFilterConfig c = new KubernetesFilterConfig();
		c.kubeUrl = "http://127.0.0.1:" + api.port();
		c.kubeNamespaceFile = "/nonexistent";
		c.mergeLog = opts[1].equals("on");
		KubernetesFilter f = new KubernetesFilter();
		FilterContext ctx = context(props);
		f.init(c, ctx);
		EventEncoder enc = new EventEncoder();
		EventTime t = EventTime.now();
		for (int i = 0; i < 1000; i++) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("log", log);
			r.put("stream", "stdout");
			r.put("time", "2019-04-01T17:58:33.598656444Z");
			enc.append(t, r);
		}
		EventBytes run = EventBytes.of(enc);
		long records = 0;
		long bytes = 0;
		long warm = System.nanoTime() + 1_000_000_000L;
		while (System.nanoTime() < warm) {
			f.filter(run, tag, ctx);
		}
		long start = System.nanoTime();
		long end = start + seconds * 1_000_000_000L;
		while (System.nanoTime() < end) {
			EventBytes out = f.filter(run, tag, ctx);
			records += out.records();
			bytes += out.length();
		}
		double s = (System.nanoTime() - start) / 1e9;
		System.out.printf("%-10s %,.0f records/s, %.1f MiB/s out, API requests: %d%n", label, records / s,
				bytes / s / (1 << 20), f.apiRequests());
	}

	private static FilterContext context(Map<String, String> props) {
		Logger log = LoggerFactory.getLogger("filter:kubernetes:kubernetes.0");
		return new FilterContext() {

			private Object context;

			@Override
			public String name() {
				return "kubernetes.0";
			}

			@Override
			public String displayName() {
				return "kubernetes.0";
			}

			@Override
			public String pluginName() {
				return "kubernetes";
			}

			@Override
			public Logger log() {
				return log;
			}

			@Override
			public Map<String, String> properties() {
				return props;
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
		};
	}
}
