package dev.sluice.engine;

import java.util.ArrayList;
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

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;

/**
 * Engine-side hot spots. Run: {@code bench/jmh.sh EngineBenchmark}.
 * <ul>
 * <li>{@code chunkAppend}: batches of 100 encoded events appended to an open chunk until it
 * reaches the 2,048,000-byte target, as the input append path does; score is records/s.</li>
 * <li>{@code routeFanOut}: a sealed chunk's tag matched against 16 outputs (globs and a regex),
 * the engine's routing step; score is chunks routed/s.</li>
 * <li>{@code recordAccessor}: {@code $kubernetes['labels']['app']} looked up in a decoded
 * record, as filters that name a nested field do; score is lookups/s.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

	static final int BATCH = 100;

	static final long TARGET = 2_048_000;

	private EventBytes batch;

	private final List<TagMatcher> outputs = new ArrayList<>();

	private final String[] tags = { "kube.var.log.containers.app-7d9f_default_app-1.log", "app.access", "syslog.auth",
			"kube.var.log.containers.db-0_data_postgres-2.log" };

	private int tagIndex;

	private final RecordAccessor accessor = RecordAccessor.parse("$kubernetes['labels']['app']");

	private Map<String, Object> record;

	@Setup
	public void setup() {
		EventEncoder e = new EventEncoder();
		for (int i = 0; i < BATCH; i++) {
			e.append(new EventTime(1_795_314_726L, i), dev.sluice.bench.CodecBenchmark.sampleRecord(i));
		}
		this.batch = EventBytes.of(e);
		String[] globs = { "*", "kube.*", "app.*", "syslog.*", "kube.var.log.containers.*_default_*", "audit.*",
				"metrics.*", "otel.*", "host.*", "nginx.*", "kube.var.log.containers.db-*", "app.access", "app.error",
				"*.auth", "tail.*" };
		for (String g : globs) {
			this.outputs.add(new TagMatcher(g, null));
		}
		this.outputs.add(new TagMatcher(null, "^kube\\.var\\.log\\.containers\\.[^_]+_kube-system_.*"));
		this.record = Map.of("log", "hello", "kubernetes",
				Map.of("pod_name", "app-7d9f", "namespace_name", "default", "labels", Map.of("app", "shop", "tier", "web")));
	}

	@Benchmark
	@OperationsPerInvocation(BATCH * 200)
	public int chunkAppend() {
		int sealed = 0;
		InputInstance.OpenChunk c = new InputInstance.OpenChunk("app", "1-1.flb");
		for (int i = 0; i < 200; i++) {
			c.add(this.batch);
			if (c.size() >= TARGET) {
				sealed++;
				c = new InputInstance.OpenChunk("app", "1-1.flb");
			}
		}
		return sealed + c.size();
	}

	@Benchmark
	public int routeFanOut() {
		String tag = this.tags[this.tagIndex++ & 3];
		int routed = 0;
		for (TagMatcher m : this.outputs) {
			if (m.matches(tag)) {
				routed++;
			}
		}
		return routed;
	}

	@Benchmark
	public Object recordAccessor() {
		return this.accessor.get(this.record);
	}
}
