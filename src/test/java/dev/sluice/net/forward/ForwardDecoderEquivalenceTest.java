package dev.sluice.net.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * {@link ForwardDecoder} (which decodes into the caller's buffer, one pass over each entry) gives
 * byte for byte what {@link LegacyForwardDecoder} (the implementation before) gave, on tricky
 * entries in every mode and on randomly damaged messages; where the old one refused a message the
 * new one does too, and then appends nothing.
 */
class ForwardDecoderEquivalenceTest {

	private final ForwardDecoder decoder = new ForwardDecoder(1 << 20);

	private final LegacyForwardDecoder legacy = new LegacyForwardDecoder(1 << 20);

	/** Tricky entries, each as msgpack bytes. */
	static List<byte[]> entries() throws Exception {
		List<byte[]> out = new ArrayList<>();
		Map<String, Object> rec = new LinkedHashMap<>();
		rec.put("log", "line with \"quotes\", \\ backslash, \n newline, \u00e9 unicode, \ud83d\ude00 emoji");
		rec.put("", "");
		rec.put("int", -42L);
		rec.put("big", Long.MAX_VALUE);
		rec.put("u64", new BigInteger("18446744073709551615"));
		rec.put("float", 1.5e-300);
		rec.put("bool", true);
		rec.put("nil", null);
		rec.put("bin", new byte[] { 0, (byte) 0xc1, (byte) 0xff });
		rec.put("nested", Map.of("a", List.of(1L, Map.of("b", List.of()), "x"), "m", Map.of()));
		EventTime et = new EventTime(1_700_000_000L, 123_456_789);
		// [EventTime, record], [int, record], [float, record], small and large integer times
		out.add(pack(List.of(et, rec)));
		out.add(pack(List.of(1_700_000_000L, rec)));
		out.add(pack(List.of(0L, Map.of())));
		out.add(pack(List.of(127L, Map.of("k", "v"))));
		out.add(pack(List.of(200L, Map.of("k", "v"))));
		out.add(pack(List.of(65_000L, Map.of("k", "v"))));
		out.add(pack(List.of(1_700_000_000.25, rec)));
		out.add(packRaw(p -> {
			p.packArrayHeader(2);
			p.packFloat(12.5f);
			p.packMapHeader(0);
		}));
		out.add(pack(List.of(0x1_0000_0000L, Map.of("too", "late"))));
		out.add(pack(List.of(-1L, Map.of("negative", 1L))));
		out.add(pack(List.of(Double.NaN, Map.of("nan", 1L))));
		out.add(pack(List.of(-0.5, Map.of("neg", 1L))));
		out.add(packRaw(p -> {
			p.packArrayHeader(2);
			p.packDouble(Double.POSITIVE_INFINITY);
			p.packMapHeader(0);
		}));
		// signed integer formats for the time
		for (long t : new long[] { 5, 100, 30_000, 2_000_000_000L }) {
			final long tt = t;
			out.add(packRaw(p -> {
				p.packArrayHeader(2);
				p.addPayload(signed(tt));
				p.packMapHeader(1).packString("s").packLong(tt);
			}));
		}
		// [[time, meta], record] (v2 entries), [[time], record], [[], record], [[time, "x"], record]
		out.add(pack(List.of(List.of(et, Map.of("otel", Map.of("trace", "abc"))), rec)));
		out.add(pack(List.of(List.of(et, Map.of()), Map.of("a", 1L))));
		out.add(pack(List.of(List.of(et), Map.of("a", 1L))));
		out.add(pack(List.of(List.of(), Map.of("a", 1L))));
		out.add(pack(List.of(List.of(et, "not a map"), Map.of("a", 1L))));
		out.add(pack(List.of(List.of(et, Map.of("m", 1L), "extra"), Map.of("a", 1L))));
		out.add(pack(List.of(List.of(12L, Map.of("m", 1L)), Map.of("a", 1L))));
		out.add(pack(List.of(List.of("str", Map.of("m", 1L)), Map.of("a", 1L))));
		// not entries
		out.add(pack(List.of(et, "not a map")));
		out.add(pack(List.of("str", Map.of("time", "bad"))));
		out.add(pack(List.of(et)));
		out.add(pack(List.of(et, Map.of(), Map.of())));
		out.add(pack("not an entry"));
		out.add(pack(Map.of("a", 1L)));
		out.add(pack((Object) null));
		// an array of 2 with a 16-bit header, an EventTime as ext 8 (c7 08 00), another ext type
		out.add(HexFormat.of().parseHex("dc0002" + "d700" + "6553f10007735940" + "81a16101"));
		out.add(HexFormat.of().parseHex("92" + "c70800" + "6553f10007735940" + "81a16102"));
		out.add(HexFormat.of().parseHex("92" + "d705" + "6553f10007735940" + "81a16103"));
		out.add(HexFormat.of().parseHex("92" + "c70900" + "6553f1000773594000" + "81a16104"));
		// nanoseconds out of range are copied as they are (as before)
		out.add(HexFormat.of().parseHex("92" + "d700" + "6553f100ffffffff" + "80"));
		// a record map with 16- and 32-bit headers, strings of every header size
		out.add(packRaw(p -> {
			p.packArrayHeader(2);
			MsgpackValues.packEventTime(p, et);
			p.packMapHeader(3);
			p.packString("s8");
			p.packString("x".repeat(40));
			p.packString("s16");
			p.packString("y".repeat(300));
			p.packString("s32");
			p.packString("z".repeat(70_000));
		}));
		out.add(HexFormat.of().parseHex("92" + "d700" + "6553f10007735940" + "de0001" + "a161" + "01"));
		out.add(HexFormat.of().parseHex("92" + "d700" + "6553f10007735940" + "df00000001" + "a161" + "02"));
		return out;
	}

	private static byte[] signed(long v) {
		if (v <= 127) {
			return new byte[] { (byte) 0xd0, (byte) v };
		}
		if (v <= Short.MAX_VALUE) {
			return new byte[] { (byte) 0xd1, (byte) (v >> 8), (byte) v };
		}
		if (v <= Integer.MAX_VALUE) {
			return new byte[] { (byte) 0xd2, (byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v };
		}
		byte[] b = new byte[9];
		b[0] = (byte) 0xd3;
		for (int i = 0; i < 8; i++) {
			b[1 + i] = (byte) (v >> (56 - 8 * i));
		}
		return b;
	}

	interface Packing {

		void pack(MessageBufferPacker p) throws Exception;
	}

	static byte[] packRaw(Packing f) throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		f.pack(p);
		return p.toByteArray();
	}

	static byte[] pack(Object v) throws Exception {
		return packRaw(p -> MsgpackValues.pack(p, v));
	}

	static byte[] concat(List<byte[]> parts) {
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		for (byte[] b : parts) {
			o.writeBytes(b);
		}
		return o.toByteArray();
	}

	static byte[] gzip(byte[] b) throws Exception {
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(o)) {
			gz.write(b);
		}
		return o.toByteArray();
	}

	/** Messages in every mode made of the tricky entries. */
	static List<byte[]> messages() throws Exception {
		List<byte[]> entries = entries();
		byte[] blob = concat(entries);
		List<byte[]> m = new ArrayList<>();
		// Forward
		m.add(packRaw(p -> {
			p.packArrayHeader(3).packString("fwd").packArrayHeader(entries.size());
			for (byte[] e : entries) {
				p.addPayload(e);
			}
			p.packMapHeader(1).packString("chunk").packString("abc");
		}));
		m.add(packRaw(p -> {
			p.packArrayHeader(2).packString("fwd.2").packArrayHeader(entries.size());
			for (byte[] e : entries) {
				p.addPayload(e);
			}
		}));
		// PackedForward as bin and as str, with and without options
		m.add(packRaw(p -> {
			p.packArrayHeader(3).packString("packed").packBinaryHeader(blob.length);
			p.addPayload(blob);
			p.packMapHeader(2).packString("size").packInt(entries.size()).packString("chunk").packBinaryHeader(3);
			p.addPayload(new byte[] { 'x', 'y', 'z' });
		}));
		m.add(packRaw(p -> {
			p.packArrayHeader(2).packString("packed.str").packRawStringHeader(blob.length);
			p.addPayload(blob);
		}));
		m.add(packRaw(p -> {
			p.packArrayHeader(3).packString("packed.text").packBinaryHeader(blob.length);
			p.addPayload(blob);
			p.packMapHeader(1).packString("compressed").packString("text");
		}));
		m.add(packRaw(p -> {
			p.packArrayHeader(3).packString("packed.nil").packBinaryHeader(blob.length);
			p.addPayload(blob);
			p.packNil();
		}));
		// CompressedPackedForward, two gzip members
		byte[] gz = concat(List.of(gzip(concat(entries.subList(0, 10))), gzip(concat(entries.subList(10, entries.size())))));
		m.add(packRaw(p -> {
			p.packArrayHeader(3).packString("gz").packBinaryHeader(gz.length);
			p.addPayload(gz);
			p.packMapHeader(1).packString("compressed").packBinaryHeader(4);
			p.addPayload("gzip".getBytes());
		}));
		// Message mode, each entry's time and record, with and without options and metadata
		for (byte[] e : entries) {
			if ((e[0] & 0xff) != 0x92) {
				continue;
			}
			int t = 1;
			int tEnd = MsgpackBytes.end(e, t, e.length);
			byte[] time = java.util.Arrays.copyOfRange(e, t, tEnd);
			byte[] record = java.util.Arrays.copyOfRange(e, tEnd, e.length);
			m.add(packRaw(p -> {
				p.packArrayHeader(3).packString("msg");
				p.addPayload(time);
				p.addPayload(record);
			}));
			m.add(packRaw(p -> {
				p.packArrayHeader(4).packString("msg.meta");
				p.addPayload(time);
				p.addPayload(record);
				MsgpackValues.pack(p, Map.of("metadata", Map.of("k", List.of(1L, "v")), "chunk", "c1"));
			}));
			m.add(packRaw(p -> {
				p.packArrayHeader(4).packString("msg.signal");
				p.addPayload(time);
				p.addPayload(record);
				MsgpackValues.pack(p, Map.of("fluent_signal", 1L));
			}));
		}
		// protocol errors
		m.add(pack(Map.of("a", 1L)));
		m.add(pack(List.of("t")));
		m.add(pack(List.of(1L, List.of())));
		m.add(pack(List.of("t", "x", Map.of("compressed", "zstd"))));
		m.add(pack(List.of("t", List.of(), "options?")));
		m.add(pack(List.of("t", 1L)));
		m.add(pack(List.of("t", 1L, Map.of(), "not options")));
		byte[] truncated = java.util.Arrays.copyOf(blob, blob.length - 3);
		m.add(packRaw(p -> {
			p.packArrayHeader(2).packString("trunc").packBinaryHeader(truncated.length);
			p.addPayload(truncated);
		}));
		byte[] bad = blob.clone();
		bad[bad.length / 2] = (byte) 0xc1;
		m.add(packRaw(p -> {
			p.packArrayHeader(2).packString("c1").packBinaryHeader(bad.length);
			p.addPayload(bad);
		}));
		m.add(packRaw(p -> {
			p.packArrayHeader(3).packString("badgz").packBinaryHeader(4);
			p.addPayload(new byte[] { 1, 2, 3, 4 });
			p.packMapHeader(1).packString("compressed").packString("gzip");
		}));
		return m;
	}

	/** Decodes with both; asserts the same outcome. Returns true when the message was accepted. */
	private boolean same(byte[] b, int off, int end) {
		LegacyForwardDecoder.Decoded old;
		String oldError = null;
		try {
			old = this.legacy.decode(b, off, end);
		}
		catch (LegacyForwardDecoder.ProtocolException ex) {
			old = null;
			oldError = ex.getMessage();
		}
		catch (IllegalArgumentException ex) {
			// the old one failed on a float time of 2^63 s or more (the connection was closed as
			// "unexpected error"); the new one skips that entry
			try {
				ForwardDecoder.Decoded d = this.decoder.decode(b, off, end);
				assertThat(d.skipped()).isPositive();
			}
			catch (ForwardDecoder.ProtocolException pe) {
				// refused for another reason: fine too
			}
			return false;
		}
		ByteSink sink = new ByteSink(16);
		sink.write(new byte[] { 7, 7, 7 });
		ForwardDecoder.Decoded now;
		String newError = null;
		try {
			now = this.decoder.decodeInto(b, off, end, sink);
		}
		catch (ForwardDecoder.ProtocolException ex) {
			now = null;
			newError = ex.getMessage();
		}
		String hex = HexFormat.of().formatHex(b, off, end);
		if (old == null) {
			assertThat(now).as("refused before (%s): %s", oldError, hex).isNull();
			assertThat(sink.size()).as("nothing appended on an error").isEqualTo(3);
			if (oldError.contains("not an array") || oldError.contains("elements") || oldError.contains("tag is not")
					|| oldError.contains("unsupported compression") || oldError.contains("options is not a map")
					|| oldError.contains("truncated entry") || oldError.contains("gzip")) {
				assertThat(newError).isEqualTo(oldError);
			}
			return false;
		}
		assertThat(newError).as("accepted before: %s", hex).isNull();
		assertThat(now.tag()).isEqualTo(old.tag());
		assertThat(now.mode().name()).isEqualTo(old.mode().name());
		assertThat(now.records()).isEqualTo(old.records());
		assertThat(now.skipped()).isEqualTo(old.skipped());
		// (both read the options with MsgpackValues; a damaged key can be an extension whose
		// string form holds an identity hash, so the maps are compared by size and what is used)
		assertThat(now.options()).hasSameSizeAs(old.options());
		assertThat(now.chunk()).isEqualTo(old.chunk());
		assertThat(now.signal()).isEqualTo(old.signal());
		assertThat(now.length()).isEqualTo(old.length());
		assertThat(HexFormat.of().formatHex(sink.array(), 3, sink.size()))
			.as("events of %s", hex)
			.isEqualTo(HexFormat.of().formatHex(old.events(), 0, old.length()));
		// and the copying API gives the same
		try {
			ForwardDecoder.Decoded copy = this.decoder.decode(b, off, end);
			assertThat(HexFormat.of().formatHex(copy.events(), 0, copy.length()))
				.isEqualTo(HexFormat.of().formatHex(old.events(), 0, old.length()));
		}
		catch (ForwardDecoder.ProtocolException ex) {
			throw new AssertionError(ex);
		}
		return true;
	}

	@Test
	void everyModeGivesTheSameBytesAsBefore() throws Exception {
		int accepted = 0;
		int records = 0;
		for (byte[] m : messages()) {
			if (same(m, 0, m.length)) {
				accepted++;
				records += this.decoder.decode(m, 0, m.length).records();
			}
		}
		assertThat(accepted).isGreaterThan(40);
		assertThat(records).isGreaterThan(100);
	}

	@Test
	void aHugeFloatTimeIsSkippedNotAnError() throws Exception {
		byte[] m = packRaw(p -> {
			p.packArrayHeader(2).packString("t").packArrayHeader(3);
			p.packArrayHeader(2).packDouble(1e300).packMapHeader(0);
			p.packArrayHeader(2).packDouble(4294967296.0).packMapHeader(0);
			p.packArrayHeader(2).packDouble(4294967295.5).packMapHeader(1).packString("ok").packInt(1);
		});
		ForwardDecoder.Decoded d = this.decoder.decode(m, 0, m.length);
		assertThat(d.records()).isEqualTo(1);
		assertThat(d.skipped()).isEqualTo(2);
		assertThat(HexFormat.of().formatHex(d.events(), 0, d.length())).isEqualTo("9292d700ffffffff1dcd650080" + "81a26f6b01");
	}

	@Test
	void aMessageInsideALargerBufferIsReadOnlyWithinItsBounds() throws Exception {
		for (byte[] m : messages()) {
			byte[] b = new byte[m.length + 20];
			java.util.Arrays.fill(b, (byte) 0xc1);
			System.arraycopy(m, 0, b, 10, m.length);
			same(b, 10, 10 + m.length);
		}
	}

	@Test
	void damagedMessagesAreRefusedOrDecodedAlike() throws Exception {
		Random r = new Random(20261122);
		List<byte[]> messages = messages();
		int tried = 0;
		for (int round = 0; round < 3000; round++) {
			byte[] m = messages.get(r.nextInt(messages.size())).clone();
			int flips = 1 + r.nextInt(4);
			for (int i = 0; i < flips; i++) {
				m[r.nextInt(m.length)] = (byte) r.nextInt(256);
			}
			int e;
			try {
				e = MsgpackBytes.end(m, 0, m.length);
			}
			catch (MsgpackBytes.InvalidMsgpackException ex) {
				continue;
			}
			if (e == MsgpackBytes.INCOMPLETE) {
				continue;
			}
			// the input hands the decoder exactly one framed value
			same(m, 0, e);
			tried++;
		}
		assertThat(tried).isGreaterThan(500);
	}
}
