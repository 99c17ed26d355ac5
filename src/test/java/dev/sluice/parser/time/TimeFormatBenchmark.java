package dev.sluice.parser.time;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.sluice.event.EventTime;

/**
 * {@code %Y-%m-%dT%H:%M:%S.%L%z} on the bench data's time text: the fast path ({@link FastTime})
 * against the general {@link Strptime} path. Run: {@code bench/jmh.sh TimeFormatBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TimeFormatBenchmark {

	private final TimeFormat format = TimeFormat.compile("%Y-%m-%dT%H:%M:%S.%L%z", null, null, false, true);

	private final byte[] text = "2026-11-22T03:47:12.123456Z".getBytes(StandardCharsets.US_ASCII);

	@Benchmark
	public EventTime fast() {
		return this.format.parse(this.text, 0, this.text.length, 0);
	}

	@Benchmark
	public EventTime general() {
		return this.format.parseGeneral(this.text, 0, this.text.length, 0);
	}
}
