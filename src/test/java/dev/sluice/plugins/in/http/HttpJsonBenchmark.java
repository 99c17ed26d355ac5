package dev.sluice.plugins.in.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
import dev.sluice.event.EventTime;

/**
 * One {@code http} input request body, a JSON array of 1000 records like the end-to-end
 * benchmark's (~214 bytes each), to encoded events (scores are records per second):
 * <ul>
 * <li>{@code streamed}: {@link JsonEvents}, JSON bytes straight to the event stream;</li>
 * <li>{@code tree}: the tree path it replaced (and still used for {@code tag_key},
 * {@code add_remote_addr}): parse to objects, then pack each record.</li>
 * </ul>
 * Run: {@code bench/jmh.sh HttpJsonBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpJsonBenchmark {

	static final int BATCH = 1000;

	private byte[] body;

	private final dev.sluice.event.ByteArrayPool pool = dev.sluice.event.ByteArrayPool.SHARED;

	private static final EventTime NOW = new EventTime(1_700_000_000L, 0);

	private static final HttpPayload.Options PLAIN = new HttpPayload.Options(null, null);

	@Setup
	public void setup() {
		this.body = body(BATCH);
	}

	/** The end-to-end benchmark's records, as one JSON array. */
	static byte[] body(int n) {
		SplittableRandom r = new SplittableRandom(42);
		String[] levels = { "info", "info", "info", "warn", "error", "debug" };
		String[] methods = { "GET", "GET", "POST", "PUT", "DELETE" };
		StringBuilder sb = new StringBuilder("[");
		for (int i = 0; i < n; i++) {
			sb.append((i > 0) ? "," : "")
				.append(String.format(Locale.ROOT,
						"{\"time\":\"2026-11-22T03:%02d:%02d.%06dZ\",\"level\":\"%s\",\"msg\":\"request completed for user session\",\"user_id\":%d,\"method\":\"%s\",\"path\":\"/api/v1/orders/%d\",\"status\":%d,\"latency_ms\":%.2f,\"request_id\":\"%016x%016x\"}",
						(i / 60_000) % 60, (i / 1000) % 60, r.nextInt(1_000_000), levels[r.nextInt(levels.length)],
						100_000 + r.nextInt(900_000), methods[r.nextInt(methods.length)], r.nextInt(100_000),
						(r.nextInt(10) == 0) ? 500 : 200, r.nextInt(100_000) / 100.0, r.nextLong(), r.nextLong()));
		}
		return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public EventBytes streamed() throws Exception {
		return JsonEvents.encode(this.body, 0, this.body.length, JsonEvents.header(NOW), this.pool);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public List<HttpPayload.Batch> tree() throws Exception {
		return HttpPayload.records(HttpPayload.Type.JSON, this.body, "bench", null, PLAIN, NOW);
	}
}
