package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;

/**
 * The tail input's hot loop on 1000 lines of the bench data set (~214 bytes each) per
 * operation: finding the newlines alone, and newlines plus encoding each line as an event
 * ({@code {"log": line}}, no parser), as {@code TailInput} does. Scores are lines per second.
 * Run: {@code bench/jmh.sh LineSplitBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LineSplitBenchmark {

	static final int LINES = 1000;

	private byte[] buf;

	private final EventEncoder encoder = new EventEncoder();

	private final RawLineProcessor raw = new RawLineProcessor("log", null, null);

	private final LineSource source = new LineSource("/var/log/app.log", "1:2");

	@Setup
	public void setup() {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < LINES; i++) {
			sb.append("{\"time\":\"2026-11-22T03:47:12.123456Z\",\"level\":\"info\",\"msg\":\"request completed for user session\",\"user_id\":")
				.append(100_000 + i)
				.append(",\"method\":\"GET\",\"path\":\"/api/v1/orders/")
				.append(i)
				.append("\",\"status\":200,\"latency_ms\":12.50,\"request_id\":\"8f14e45fceea167a5a36dedd4bea2543\"}\n");
		}
		this.buf = sb.toString().getBytes(StandardCharsets.UTF_8);
		this.source.time = new EventTime(1_795_314_726L, 0);
	}

	@Benchmark
	@OperationsPerInvocation(LINES)
	public int splitOnly() {
		int p = 0;
		int n = 0;
		int end = this.buf.length;
		while (p < end) {
			int nl = TailInput.indexOfNewline(this.buf, p, end);
			if (nl < 0) {
				break;
			}
			n += nl - p;
			p = nl + 1;
		}
		return n;
	}

	@Benchmark
	@OperationsPerInvocation(LINES)
	public int splitAndEncode() throws IOException {
		this.encoder.reset();
		int p = 0;
		int end = this.buf.length;
		while (p < end) {
			int nl = TailInput.indexOfNewline(this.buf, p, end);
			if (nl < 0) {
				break;
			}
			this.source.offset = p;
			this.raw.line(this.buf, p, nl - p, this.source, this.encoder);
			p = nl + 1;
		}
		return this.encoder.records();
	}

	private final dev.sluice.parser.MsgpackWriter batch = new dev.sluice.parser.MsgpackWriter(1 << 20);

	/** As {@code splitAndEncode}, through the direct path the reader takes now (bytes, no packer). */
	@Benchmark
	@OperationsPerInvocation(LINES)
	public int splitAndEncodeDirect() {
		this.batch.reset();
		int p = 0;
		int n = 0;
		int end = this.buf.length;
		while (p < end) {
			int nl = TailInput.indexOfNewline(this.buf, p, end);
			if (nl < 0) {
				break;
			}
			this.source.offset = p;
			n += this.raw.lineDirect(this.buf, p, nl - p, this.source, this.batch);
			p = nl + 1;
		}
		return n;
	}
}
