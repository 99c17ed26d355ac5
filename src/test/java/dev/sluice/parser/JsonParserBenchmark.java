package dev.sluice.parser;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.time.TimeFormat;

/**
 * JSON lines to encoded events, 1000 lines per operation (scores are lines per second), with a
 * {@code json} parser reading {@code time} as {@code %Y-%m-%dT%H:%M:%S.%L%z} and dropping it:
 * <ul>
 * <li>{@code direct}: Sluice's parser, JSON bytes straight to msgpack, the time entry cut out of
 * the bytes, the record copied into the event stream;</li>
 * <li>{@code viaMaps}: the same work done the generic way: Jackson to a {@code LinkedHashMap}, the
 * time read and removed, the map encoded with {@link EventEncoder}.</li>
 * </ul>
 * Run: {@code bench/jmh.sh JsonParserBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonParserBenchmark {

	static final int BATCH = 1000;

	private byte[][] lines;

	private Parser parser;

	private final MsgpackWriter out = new MsgpackWriter(1 << 20);

	private final EventEncoder encoder = new EventEncoder();

	private final ObjectMapper mapper = JsonMapper.builder().build();

	private TimeFormat timeFormat;

	private static final EventTime NOW = new EventTime(1_700_000_000L, 0);

	@Setup
	public void setup() {
		this.lines = new byte[BATCH][];
		for (int i = 0; i < BATCH; i++) {
			this.lines[i] = ("{\"time\":\"2026-11-22T03:47:12.123456+0000\",\"level\":\"info\","
					+ "\"msg\":\"request completed for user session\",\"user_id\":" + (100_000 + i)
					+ ",\"method\":\"GET\",\"path\":\"/api/v1/orders/" + i + "\",\"status\":200,\"latency_ms\":12.5,"
					+ "\"request_id\":\"req-8f14e45fceea167a5a36dedd4bea2543\",\"tags\":[\"a\",\"b\"],"
					+ "\"ctx\":{\"region\":\"eu-west-1\",\"retry\":false}}").getBytes(StandardCharsets.UTF_8);
		}
		ParserDefinition d = ParserDefinition.of("json", ParserDefinition.Format.JSON, null)
			.withTime("time", "%Y-%m-%dT%H:%M:%S.%L%z", false, true);
		this.parser = Parser.create(d);
		this.timeFormat = TimeFormat.compile("%Y-%m-%dT%H:%M:%S.%L%z", null, null, false, true);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int direct() {
		this.out.reset();
		for (byte[] line : this.lines) {
			ParseResult r = this.parser.parse(line, 0, line.length);
			EventTime t = (r.time() != null) ? r.time() : NOW;
			EventSlices.writeHeader(this.out, t, null);
			this.out.writeRaw(r.map());
		}
		return this.out.size();
	}

	private final EventTime[] time = new EventTime[1];

	/** The tail reader's path now: the record parsed straight into the event stream. */
	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int directInto() {
		this.out.reset();
		for (byte[] line : this.lines) {
			int start = this.out.size();
			EventSlices.writeHeader(this.out, NOW, null);
			this.parser.parseInto(line, 0, line.length, this.out, 0, this.time);
			if (this.time[0] != null) {
				this.out.buffer()[start + 4] = (byte) (this.time[0].seconds() >>> 24);
			}
		}
		return this.out.size();
	}

	/** The JSON to msgpack conversion alone. */
	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int convertOnly() {
		this.out.reset();
		for (byte[] line : this.lines) {
			this.json.convert(line, 0, line.length, this.out);
		}
		return this.out.size();
	}

	private final JsonToMsgpack json = new JsonToMsgpack();

	private final JsonToMsgpackReference reference = new JsonToMsgpackReference();

	/** The conversion alone, by the converter before the single-pass rewrite. */
	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int convertOnlyReference() {
		this.out.reset();
		for (byte[] line : this.lines) {
			this.reference.convert(line, 0, line.length, this.out);
		}
		return this.out.size();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	@SuppressWarnings("unchecked")
	public int viaMaps() {
		this.encoder.reset();
		for (byte[] line : this.lines) {
			Map<String, Object> m = this.mapper.readValue(line, LinkedHashMap.class);
			EventTime t = NOW;
			if (m.get("time") instanceof String s) {
				byte[] b = s.getBytes(StandardCharsets.UTF_8);
				EventTime parsed = this.timeFormat.parse(b, 0, b.length, 0);
				if (parsed != null) {
					t = parsed;
					m.remove("time");
				}
			}
			this.encoder.append(t, m);
		}
		return this.encoder.size();
	}
}
