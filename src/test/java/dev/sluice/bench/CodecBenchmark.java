package dev.sluice.bench;

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

import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;

/**
 * Event encode and decode, 1000 realistic records (the bench data set's fields) per operation;
 * scores are records per second. Run: {@code bench/jmh.sh CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

	static final int BATCH = 1000;

	private Map<String, Object> record;

	private byte[] encoded;

	private final EventEncoder encoder = new EventEncoder();

	public static Map<String, Object> sampleRecord(int i) {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("time", "2026-11-22T03:47:12.123456Z");
		r.put("level", "info");
		r.put("msg", "request completed for user session");
		r.put("user_id", 100_000L + i);
		r.put("method", "GET");
		r.put("path", "/api/v1/orders/" + i);
		r.put("status", 200L);
		r.put("latency_ms", 12.5);
		r.put("request_id", "req-8f14e45fceea167a5a36dedd4bea2543");
		return r;
	}

	@Setup
	public void setup() {
		this.record = sampleRecord(1);
		EventEncoder e = new EventEncoder();
		for (int i = 0; i < BATCH; i++) {
			e.append(new EventTime(1_795_314_726L, i), sampleRecord(i));
		}
		this.encoded = e.toByteArray();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int encode() {
		this.encoder.reset();
		EventTime t = new EventTime(1_795_314_726L, 0);
		for (int i = 0; i < BATCH; i++) {
			this.encoder.append(t, this.record);
		}
		return this.encoder.size();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public List<LogEvent> decode() {
		return EventDecoder.decode(this.encoded);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int countRecords() {
		return EventDecoder.countRecords(this.encoded, 0, this.encoded.length);
	}
}
