package dev.sluice.net.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
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

import dev.sluice.bench.CodecBenchmark;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * The forward input's decode path on one message of 1000 records (the bench data set's record,
 * ~200 bytes of msgpack each) in every mode: framing the message ({@link MsgpackBytes#end}) and
 * re-framing its entries as v2 events into the connection's pending buffer, as
 * {@code ForwardInput} does. The {@code *Before} variants run the previous decoder the way the
 * input used it (a decoded copy per message, copied into the pending buffer, copied again to
 * append). Scores are records per second. Run: {@code bench/jmh.sh ForwardDecoderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForwardDecoderBenchmark {

	static final int RECORDS = 1000;

	private byte[] packed;

	private byte[] compressed;

	private byte[] forward;

	private byte[] messages;

	private final ForwardDecoder decoder = new ForwardDecoder(64 << 20);

	private final ByteSink sink = new ByteSink(1 << 20);

	private final LegacyForwardDecoder legacy = new LegacyForwardDecoder(64 << 20);

	/** PackedForward as the bench harness and Fluent Bit's out_forward send it: EventTime entries, a bin blob. */
	static byte[] packedForward(int records, boolean gzip) throws IOException {
		MessageBufferPacker entries = MessagePack.newDefaultBufferPacker();
		for (int i = 0; i < records; i++) {
			entries.packArrayHeader(2);
			MsgpackValues.packEventTime(entries, new EventTime(1_795_314_726L, i));
			MsgpackValues.pack(entries, CodecBenchmark.sampleRecord(i));
		}
		byte[] e = entries.toByteArray();
		MessageBufferPacker m = MessagePack.newDefaultBufferPacker();
		m.packArrayHeader(3).packString("bench");
		if (gzip) {
			ByteArrayOutputStream bo = new ByteArrayOutputStream();
			try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
				gz.write(e);
			}
			e = bo.toByteArray();
		}
		m.packBinaryHeader(e.length);
		m.writePayload(e);
		if (gzip) {
			m.packMapHeader(2).packString("size").packInt(records).packString("compressed").packString("gzip");
		}
		else {
			m.packMapHeader(1).packString("size").packInt(records);
		}
		return m.toByteArray();
	}

	@Setup
	public void setup() throws IOException {
		this.packed = packedForward(RECORDS, false);
		this.compressed = packedForward(RECORDS, true);
		MessageBufferPacker f = MessagePack.newDefaultBufferPacker();
		f.packArrayHeader(2).packString("bench").packArrayHeader(RECORDS);
		for (int i = 0; i < RECORDS; i++) {
			f.packArrayHeader(2).packLong(1_795_314_726L);
			MsgpackValues.pack(f, CodecBenchmark.sampleRecord(i));
		}
		this.forward = f.toByteArray();
		MessageBufferPacker m = MessagePack.newDefaultBufferPacker();
		for (int i = 0; i < RECORDS; i++) {
			m.packArrayHeader(3).packString("bench");
			MsgpackValues.packEventTime(m, new EventTime(1_795_314_726L, i));
			MsgpackValues.pack(m, CodecBenchmark.sampleRecord(i));
		}
		this.messages = m.toByteArray();
	}

	/** Frames and decodes every message in {@code b}; returns the records written. */
	private int decodeAll(byte[] b) throws ForwardDecoder.ProtocolException {
		this.sink.reset();
		int p = 0;
		int n = 0;
		while (p < b.length) {
			int e = MsgpackBytes.end(b, p, b.length);
			ForwardDecoder.Decoded d = this.decoder.decodeInto(b, p, e, this.sink);
			n += d.records();
			p = e;
		}
		return n;
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int packedForward() throws ForwardDecoder.ProtocolException {
		return decodeAll(this.packed);
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int compressedPackedForward() throws ForwardDecoder.ProtocolException {
		return decodeAll(this.compressed);
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int forwardMode() throws ForwardDecoder.ProtocolException {
		return decodeAll(this.forward);
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int messageMode() throws ForwardDecoder.ProtocolException {
		return decodeAll(this.messages);
	}

	/** The previous path: decode to a new array, copy into the pending buffer, copy that to append. */
	private int decodeAllBefore(byte[] b) throws LegacyForwardDecoder.ProtocolException {
		this.sink.reset();
		int p = 0;
		int n = 0;
		while (p < b.length) {
			int e = MsgpackBytes.end(b, p, b.length);
			LegacyForwardDecoder.Decoded d = this.legacy.decode(b, p, e);
			this.sink.write(d.events(), 0, d.length());
			n += d.records();
			p = e;
		}
		return n + (this.sink.toByteArray().length & 1);
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int packedForwardBefore() throws LegacyForwardDecoder.ProtocolException {
		return decodeAllBefore(this.packed);
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int compressedPackedForwardBefore() throws LegacyForwardDecoder.ProtocolException {
		return decodeAllBefore(this.compressed);
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public int messageModeBefore() throws LegacyForwardDecoder.ProtocolException {
		return decodeAllBefore(this.messages);
	}
}
