package dev.sluice.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.JsonFormatter.DateFormat;
import dev.sluice.event.JsonFormatter.Format;
import dev.sluice.plugins.Fixtures;

class JsonFormatterTest {

	private final JsonFormatter fmt = new JsonFormatter(true, false);

	/** {bits of a double, Fluent Bit's JSON form (%.1f or %.16g), C's %f}: printed by glibc. */
	private static final Object[][] C_VECTORS = {
			{ 0x3fb999999999999aL, "0.1", "0.100000" },
			{ 0x3ff8000000000000L, "1.5", "1.500000" },
			{ 0xbff8000000000000L, "-1.5", "-1.500000" },
			{ 0x4415af1d78b58c40L, "1e+20", "100000000000000000000.000000" },
			{ 0x3ee4f8b588e368f1L, "1e-05", "0.000010" },
			{ 0x437b69b4ba630f35L, "123456789012345680.0", "123456789012345680.000000" },
			{ 0x3fd3333333333333L, "0.3", "0.300000" },
			{ 0x4004000000000000L, "2.5", "2.500000" },
			{ 0x41dac094e7de5682L, "1795314591.47403", "1795314591.474030" },
			{ 0x41dac094fda7da51L, "1795314678.6227", "1795314678.622700" },
			{ 0x430c6bf526340000L, "1000000000000000.0", "1000000000000000.000000" },
			{ 0x4341c37937e08000L, "10000000000000000.0", "10000000000000000.000000" },
			{ 0x4376345785d8a000L, "100000000000000000.0", "100000000000000000.000000" },
			{ 0x4340000000000000L, "9007199254740992.0", "9007199254740992.000000" },
			{ 0x3f202e85be111841L, "0.000123456789", "0.000123" },
			{ 0x01a56e1fc2f8f359L, "1e-300", "0.000000" },
			{ 0x0000000000000001L, "4.940656458412465e-324", "0.000000" },
			{ 0x7fefffffffffffffL, "1.797693134862316e+308", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000" },
			{ 0xbeb0c6f7a0b5ed8dL, "-1e-06", "-0.000001" },
			{ 0x400921fb54442d18L, "3.141592653589793", "3.141593" },
			{ 0x4005bf0a8b145769L, "2.718281828459045", "2.718282" },
			{ 0x4059000000000000L, "100.0", "100.000000" },
			{ 0x8000000000000000L, "-0.0", "-0.000000" },
			{ 0x3fe0000000000000L, "0.5", "0.500000" },
			{ 0x3fc0000000000000L, "0.125", "0.125000" },
			{ 0x3f1a36e2eb1c432dL, "0.0001", "0.000100" },
			{ 0x3f1a36e2eb1c432cL, "9.999999999999999e-05", "0.000100" },
			{ 0x405edd2f1a9fbe77L, "123.456", "123.456000" },
			{ 0x43e0000000000000L, "9.223372036854776e+18", "9223372036854775808.000000" },
			{ 0xc3e0000000000000L, "-9223372036854775808.0", "-9223372036854775808.000000" },
			{ 0x4011666666666666L, "4.35", "4.350000" },
			{ 0x3fd3333333333334L, "0.3", "0.300000" },
			{ 0x444b1ae4d6e2ef50L, "1e+21", "1000000000000000000000.000000" },
			{ 0x40c81cd6e63c53d7L, "12345.67890123457", "12345.678901" },
			{ 0x4074eb3111f5d662L, "334.6994800189042", "334.699480" },
			{ 0x3f0626852fafc855L, "4.224866821535336e-05", "0.000042" },
			{ 0x40b8dd95d2655b2cL, "6365.585241637", "6365.585242" },
			{ 0x41adb62e6d91fecdL, "249239350.7851471", "249239350.785147" },
			{ 0xbe2b4dd233f58febL, "-3.178602630821337e-09", "-0.000000" },
			{ 0xbf13f0c7cf69d3a3L, "-7.606715721826403e-05", "-0.000076" },
			{ 0xbed7aee74b4e4013L, "-5.646518890581336e-06", "-0.000006" },
			{ 0xc1aa16c4025b5a88L, "-218849793.1784251", "-218849793.178425" },
			{ 0xc081eebbdbed5d78L, "-573.8417280716085", "-573.841728" },
			{ 0x3f449b60812f5b9eL, "0.0006288739408500837", "0.000629" },
			{ 0x40712c4354cf5887L, "274.7664383029409", "274.766438" },
			{ 0x40c2db02be15d605L, "9654.021425942899", "9654.021426" },
			{ 0x3e572475b76a8abbL, "2.155305930485626e-08", "0.000000" },
			{ 0xbe6bc42741c4f157L, "-5.171862247014353e-08", "-0.000000" },
			{ 0xc1113f1cd363fc3aL, "-282567.206436101", "-282567.206436" },
			{ 0x41b7346fd075a06cL, "389312464.4594791", "389312464.459479" },
			{ 0x3ee3b8076cb2b3a5L, "9.402686734405667e-06", "0.000009" },
			{ 0x3f182ba174b853fcL, "9.220288227880508e-05", "0.000092" },
			{ 0x407b8aecef4b15daL, "440.6828453953764", "440.682845" },
			{ 0x3ebc6455a203892fL, "1.692291000714661e-06", "0.000002" },
			{ 0x40f261e7dee3e7d0L, "75294.49191656639", "75294.491917" },
			{ 0x41596e025d601085L, "6666249.458988314", "6666249.458988" },
			{ 0x4192c0d7cc4a323fL, "78657011.0724573", "78657011.072457" },
			{ 0x41925c8c168c9950L, "77013765.63730359", "77013765.637304" },
			{ 0xc2dafd20b3189c4fL, "-118697910624881.2", "-118697910624881.234375" },
			{ 0xc12266d51dc692aaL, "-602986.558155616", "-602986.558156" },
			{ 0xc2aebb3b02479595L, "-16894748861386.79", "-16894748861386.791016" },
			{ 0x3e69ac0a8633b7b6L, "4.781789255692525e-08", "0.000000" },
			{ 0x40d79d283675ea50L, "24180.62832401163", "24180.628324" },
			{ 0xc1f4e2ea41a79a09L, "-5606646810.475106", "-5606646810.475106" },
			{ 0x41901bd903865ec2L, "67565120.88122085", "67565120.881221" },
			{ 0x41f71b079815c6aaL, "6202358145.361002", "6202358145.361002" },
			{ 0xc0bfe90d4302521bL, "-8169.051803727193", "-8169.051804" },
			{ 0x3f17a6ae6df52396L, "9.022178300201045e-05", "0.000090" },
			{ 0x4056870678890e0dL, "90.1097699488093", "90.109770" },
			{ 0x3fc0d1e17621a3c3L, "0.1314050509274961", "0.131405" },
			{ 0x41b516bc0173c864L, "353811457.4522765", "353811457.452276" },
			{ 0xbfc1051f33220a3eL, "-0.1329688071892451", "-0.132969" },
			{ 0x3fb19b164423362dL, "0.06877268947138111", "0.068773" },
			{ 0xc017ad5648df5aadL, "-5.919274462349375", "-5.919274" },
			{ 0x41dac094e9be3ce7L, "1795314598.972467", "1795314598.972467" },
			{ 0x41dac094f453d806L, "1795314641.31006", "1795314641.310060" },
			{ 0x41dac0951a0407ffL, "1795314792.062988", "1795314792.062988" },
			{ 0x41dac09491b0e110L, "1795314246.763737", "1795314246.763737" },
			{ 0x41dac09455e762b8L, "1795314007.6154", "1795314007.615400" },
			{ 0x41dac09460774bbfL, "1795314049.863998", "1795314049.863998" },
			{ 0x41dac0953b55d8d8L, "1795314925.34136", "1795314925.341360" },
			{ 0x41dac094b7bfdac1L, "1795314398.997727", "1795314398.997727" },
			{ 0x41dac0947f7507e4L, "1795314173.828607", "1795314173.828607" },
			{ 0x41dac0947c1888e1L, "1795314160.383354", "1795314160.383354" },
			{ 0x41dac09523de45a5L, "1795314831.473001", "1795314831.473001" },
			{ 0x41dac09523ec5c6aL, "1795314831.693141", "1795314831.693141" },
			{ 0x41dac095327fe42cL, "1795314889.998302", "1795314889.998302" },
			{ 0x41dac094c9fbef53L, "1795314471.936482", "1795314471.936482" },
			{ 0x41dac094a0e20edbL, "1795314307.532157", "1795314307.532157" },
			{ 0x41dac094a409036cL, "1795314320.140834", "1795314320.140834" },
			{ 0x41dac0949114c550L, "1795314244.324543", "1795314244.324543" },
			{ 0x41dac09489177627L, "1795314212.366586", "1795314212.366586" },
			{ 0x41dac094630e7cf9L, "1795314060.226378", "1795314060.226378" },
			{ 0x41dac094604642f6L, "1795314049.097837", "1795314049.097837" },
	};

	@Test
	void doublesAreWrittenAsFluentBitWithGlibc() {
		for (Object[] v : C_VECTORS) {
			double d = Double.longBitsToDouble((Long) v[0]);
			JsonFormatter.Sink s = new JsonFormatter.Sink();
			this.fmt.writeDouble(d, s);
			assertThat(s.toString()).as("JSON of %s", d).isEqualTo(v[1]);
			assertThat(JsonFormatter.formatFixed(d, 6)).as("%%f of %s", d).isEqualTo(v[2]);
		}
	}

	@Test
	void nonFiniteDoubles() {
		assertThat(json(Double.NaN)).isEqualTo("nan");
		assertThat(json(Double.POSITIVE_INFINITY)).isEqualTo("inf");
		assertThat(json(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
		assertThat(new JsonFormatter(true, true).toJson(Double.NaN)).isEqualTo("null");
		assertThat(JsonFormatter.formatFixed(Double.NaN, 6)).isEqualTo("nan");
		assertThat(JsonFormatter.formatG16(1e-7)).isEqualTo("1e-07");
		assertThat(JsonFormatter.formatG16(123456.5)).isEqualTo("123456.5");
	}

	@Test
	void scalarsAndContainers() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("s", "text");
		m.put("i", 42L);
		m.put("neg", -7L);
		m.put("max", Long.MAX_VALUE);
		m.put("f", 1.5);
		m.put("whole", 3.0);
		m.put("t", true);
		m.put("n", null);
		m.put("arr", List.of(1L, "two", List.of()));
		m.put("obj", Map.of());
		assertThat(this.fmt.toJson(m)).isEqualTo("{\"s\":\"text\",\"i\":42,\"neg\":-7,\"max\":9223372036854775807,"
				+ "\"f\":1.5,\"whole\":3.0,\"t\":true,\"n\":null,\"arr\":[1,\"two\",[]],\"obj\":{}}");
	}

	@Test
	void unsignedSixtyFourBitAndFloat32AndBinary() throws IOException {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(4);
		p.packBigInteger(new java.math.BigInteger("18446744073709551615"));
		p.packFloat(0.1f);
		p.packBinaryHeader(3);
		p.writePayload("a\"b".getBytes(StandardCharsets.US_ASCII));
		p.packInt(-129);
		assertThat(toJson(p.toByteArray())).isEqualTo("[18446744073709551615,0.1000000014901161,\"a\\\"b\",-129]");
	}

	@Test
	void repeatedKeysKeepOnlyTheLastOccurrence() throws IOException {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packMapHeader(4);
		p.packString("a").packInt(1);
		p.packString("b").packInt(2);
		p.packString("a").packInt(3);
		p.packInt(7).packString("int key");
		assertThat(toJson(p.toByteArray())).isEqualTo("{\"b\":2,\"a\":3,7:\"int key\"}");
	}

	@Test
	void extensionValuesArePrintedAsFluentBitDoes() throws IOException {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packExtensionTypeHeader((byte) 0, 8)
			.writePayload(new byte[] { 1, 2, 3, 4, 0x7f, (byte) 0x80, (byte) 0xff, 0 });
		assertThat(toJson(p.toByteArray()))
			.isEqualTo("\"\\x01\\x02\\x03\\x04\\x7f\\xffffff80\\xffffffff\\x00\"");
	}

	@Test
	void stringEscapes() {
		assertThat(this.fmt.toJson("q\"b\\s/\n\r\t\b\f\u0001\u001f\u007f~"))
			.isEqualTo("\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f~\"");
	}

	@Test
	void unicodeIsEscapedByDefault() {
		assertThat(this.fmt.toJson("third line with unicode: héllo ✓"))
			.isEqualTo("\"third line with unicode: h\\u00e9llo \\u2713\"");
		assertThat(this.fmt.toJson("\uD83D\uDE00")).isEqualTo("\"\\ud83d\\ude00\"");
		assertThat(this.fmt.toJson("\u0080\u07ff\uffff")).isEqualTo("\"\\u0080\\u07ff\\uffff\"");
	}

	@Test
	void unicodeIsKeptWhenEscapingIsOff() {
		JsonFormatter raw = new JsonFormatter(false, false);
		assertThat(raw.toJson("héllo ✓ \uD83D\uDE00 \u0001")).isEqualTo("\"héllo ✓ \uD83D\uDE00 \\u0001\"");
	}

	@Test
	void malformedUtf8WhenEscaping() {
		// a stray continuation byte becomes U+E080; a bad sequence maps its consumed bytes to U+E0xx
		assertThat(str(new byte[] { 'a', (byte) 0x80, 'b' })).isEqualTo("\"a\uE080b\"");
		assertThat(str(new byte[] { (byte) 0xc3, '(' })).isEqualTo("\"\uE0C3(\"");
		assertThat(str(new byte[] { (byte) 0xe2, (byte) 0x9c, 'x', 'y' })).isEqualTo("\"\uE0E2\uE09Cxy\"");
		assertThat(str(new byte[] { (byte) 0xc0, (byte) 0xaf, 'z' })).isEqualTo("\"\uE0C0\uE0AFz\"");
		assertThat(str(new byte[] { (byte) 0xed, (byte) 0xa0, (byte) 0x80 })).isEqualTo("\"\uE0ED\uE0A0\uE080\"");
		// a sequence cut by the end of the string: its lead byte is dropped
		assertThat(str(new byte[] { 'a', (byte) 0xc3 })).isEqualTo("\"a\"");
		assertThat(str(new byte[] { 'a', (byte) 0xe2, (byte) 0x9c })).isEqualTo("\"a\uE09C\"");
	}

	@Test
	void malformedUtf8WhenNotEscaping() {
		JsonFormatter raw = new JsonFormatter(false, false);
		JsonFormatter.Sink s = new JsonFormatter.Sink();
		byte[] b = { 'a', (byte) 0x80, (byte) 0xc3, (byte) 0xa9, (byte) 0xc3 };
		raw.writeString(b, 0, b.length, s);
		assertThat(s.toString()).isEqualTo("\"a\uFFFDé\uFFFD\"");
	}

	@Test
	void longAsciiRunsAndEmptyStrings() {
		String s = "x".repeat(1000) + "\"" + "y".repeat(1000);
		assertThat(this.fmt.toJson(s)).isEqualTo("\"" + "x".repeat(1000) + "\\\"" + "y".repeat(1000) + "\"");
		assertThat(this.fmt.toJson("")).isEqualTo("\"\"");
	}

	// ---------------------------------------------------------------------------------------
	// records with a date key

	private static EventBytes events(LogEvent... events) {
		EventEncoder enc = new EventEncoder();
		for (LogEvent e : events) {
			enc.append(e);
		}
		return EventBytes.of(enc);
	}

	private static Map<String, Object> map(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private String format(EventBytes e, Format f, DateFormat df, String key) {
		return new String(this.fmt.formatEvents(e, f, df, key), StandardCharsets.UTF_8);
	}

	@Test
	void jsonShapes() {
		EventBytes e = events(new LogEvent(new EventTime(1795314588, 858428000), map("level", "info")),
				new LogEvent(new EventTime(1795314591, 474030000), map("n", 1L)));
		assertThat(format(e, Format.JSON_LINES, DateFormat.DOUBLE, "date")).isEqualTo(
				"{\"date\":1795314588.858428,\"level\":\"info\"}\n{\"date\":1795314591.47403,\"n\":1}\n");
		assertThat(format(e, Format.JSON, DateFormat.DOUBLE, "date"))
			.isEqualTo("[{\"date\":1795314588.858428,\"level\":\"info\"},{\"date\":1795314591.47403,\"n\":1}]");
		assertThat(format(e, Format.JSON_STREAM, DateFormat.DOUBLE, "date"))
			.isEqualTo("{\"date\":1795314588.858428,\"level\":\"info\"}{\"date\":1795314591.47403,\"n\":1}");
		assertThat(format(e, Format.JSON_LINES, DateFormat.DOUBLE, null))
			.isEqualTo("{\"level\":\"info\"}\n{\"n\":1}\n");
	}

	@Test
	void dateFormats() {
		// 2026-11-22T02:37:39.122514Z as in the http-out fixtures
		EventBytes e = events(new LogEvent(new EventTime(1795315059, 122514999), map("m", "x")));
		assertThat(format(e, Format.JSON_STREAM, DateFormat.ISO8601, "date"))
			.isEqualTo("{\"date\":\"2026-11-22T02:37:39.122514Z\",\"m\":\"x\"}");
		assertThat(format(e, Format.JSON_STREAM, DateFormat.JAVA_SQL_TIMESTAMP, "date"))
			.isEqualTo("{\"date\":\"2026-11-22 02:37:39.122514\",\"m\":\"x\"}");
		assertThat(format(e, Format.JSON_STREAM, DateFormat.EPOCH, "ts")).isEqualTo("{\"ts\":1795315059,\"m\":\"x\"}");
		assertThat(format(e, Format.JSON_STREAM, DateFormat.EPOCH_MS, "date"))
			.isEqualTo("{\"date\":1795315059122,\"m\":\"x\"}");
		assertThat(format(e, Format.JSON_STREAM, DateFormat.DOUBLE, "date"))
			.isEqualTo("{\"date\":1795315059.122515,\"m\":\"x\"}");
		EventBytes epoch = events(new LogEvent(new EventTime(0, 0), map()));
		assertThat(format(epoch, Format.JSON_STREAM, DateFormat.ISO8601, "date"))
			.isEqualTo("{\"date\":\"1970-01-01T00:00:00.000000Z\"}");
		assertThat(format(epoch, Format.JSON_STREAM, DateFormat.DOUBLE, "date")).isEqualTo("{\"date\":0.0}");
		assertThat(DateFormat.parse("Epoch_Millis")).isEqualTo(DateFormat.EPOCH_MS);
		assertThat(DateFormat.parse("nope")).isNull();
		assertThat(Format.parse("JSON_Lines")).isEqualTo(Format.JSON_LINES);
		assertThat(Format.parse("msgpack")).isNull();
	}

	@Test
	void metadataGoesUnderInternalAfterTheDate() {
		EventBytes e = events(new LogEvent(new EventTime(1, 500000000), map("origin", "fixture"), map("m", 1L)));
		assertThat(format(e, Format.JSON_LINES, DateFormat.DOUBLE, "date"))
			.isEqualTo("{\"date\":1.5,\"__internal__\":{\"log_metadata\":{\"origin\":\"fixture\"}},\"m\":1}\n");
	}

	@Test
	void aRecordKeyNamedLikeTheDateKeyReplacesIt() {
		EventBytes e = events(new LogEvent(new EventTime(1, 0), map("a", 1L, "date", "mine")));
		assertThat(format(e, Format.JSON_LINES, DateFormat.DOUBLE, "date")).isEqualTo("{\"a\":1,\"date\":\"mine\"}\n");
	}

	@Test
	void legacyEventsAndGroupMarkers() throws IOException {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		// [[-1, {}], {}] group start, a legacy [int time, {record}], a v2 record, [[-2, {}], {}] group end
		p.packArrayHeader(2).packArrayHeader(2).packInt(-1).packMapHeader(0).packMapHeader(0);
		p.packArrayHeader(2).packInt(7).packMapHeader(1).packString("k").packString("v");
		p.packArrayHeader(2).packArrayHeader(2).packDouble(2.25).packMapHeader(0).packMapHeader(0);
		p.packArrayHeader(2).packArrayHeader(2).packInt(-2).packMapHeader(0).packMapHeader(0);
		byte[] b = p.toByteArray();
		EventBytes e = new EventBytes(b, 0, b.length, 2);
		assertThat(format(e, Format.JSON_LINES, DateFormat.DOUBLE, "date"))
			.isEqualTo("{\"date\":7.0,\"k\":\"v\"}\n{\"date\":2.25}\n");
	}

	@Test
	void malformedStreamsAreRejected() {
		byte[] b = { (byte) 0x92, 0x01 };
		assertThatThrownBy(() -> this.fmt.formatEvents(new EventBytes(b, 0, b.length, 1), Format.JSON, null, "date"))
			.isInstanceOf(EventFormatException.class);
		byte[] notEvent = { 0x05 };
		assertThatThrownBy(
				() -> this.fmt.formatEvents(new EventBytes(notEvent, 0, 1, 1), Format.JSON, null, "date"))
			.isInstanceOf(EventFormatException.class);
	}

	/** Replays the chunk files of the sigkill fixture and compares with what Fluent Bit printed. */
	@Test
	void jsonLinesMatchFluentBitOnReplayedChunks() throws IOException {
		Path storage = Fixtures.path("chunks/sigkill-checksum-on/storage");
		String printed = Files.readString(Fixtures.path("chunks/restart-after-sigkill-checksum-on/fluent-bit.stdout.jsonl"));
		List<Path> chunks = new ArrayList<>();
		chunks.add(storage.resolve("dummy.0/2165-1795314678.595040948.flb"));
		chunks.add(storage.resolve("dummy.0/2165-1795314679.472810989.flb"));
		chunks.add(storage.resolve("dummy.0/2165-1795314680.473442095.flb"));
		chunks.add(storage.resolve("tail.1/2165-1795314678.595253627.flb"));
		int lines = 0;
		for (Path c : chunks) {
			EventBytes e = readChunk(c);
			String out = format(e, Format.JSON_LINES, DateFormat.DOUBLE, "date");
			assertThat(printed).as("output of %s", c.getFileName()).contains(out);
			lines += out.split("\n").length;
		}
		assertThat(lines).isEqualTo(printed.split("\n").length);
	}

	/** The records of a Fluent Bit chunk file (see the fixtures' README for the layout). */
	static EventBytes readChunk(Path file) throws IOException {
		byte[] f = Files.readAllBytes(file);
		ByteBuffer bb = ByteBuffer.wrap(f);
		int contentLength = bb.getInt(10);
		int metaLength = bb.getShort(22) & 0xffff;
		int off = 24 + metaLength;
		return new EventBytes(f, off, contentLength, EventDecoder.countRecords(f, off, contentLength));
	}

	// ---------------------------------------------------------------------------------------
	// msgpack_object_print

	@Test
	void msgpackPrint() throws IOException {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packMapHeader(7);
		p.packString("message").packString("dum\"my");
		p.packString("f").packDouble(1.5);
		p.packString("n").packNil();
		p.packString("a").packArrayHeader(2).packInt(-1).packBoolean(true);
		p.packString("bin").packBinaryHeader(3).writePayload(new byte[] { 'x', '"', 0x01 });
		p.packString("ext").packExtensionTypeHeader((byte) -3, 2).writePayload(new byte[] { 'A', (byte) 0xff });
		p.packString("big").packBigInteger(new java.math.BigInteger("18446744073709551615"));
		byte[] b = p.toByteArray();
		JsonFormatter.Sink s = new JsonFormatter.Sink();
		assertThat(JsonFormatter.printMsgpack(b, 0, s)).isEqualTo(b.length);
		assertThat(s.toString()).isEqualTo("{\"message\"=>\"dum\"my\", \"f\"=>1.500000, \"n\"=>nil, \"a\"=>[-1, true], "
				+ "\"bin\"=>\"x\\\"\\x01\", \"ext\"=>(ext: -3)\"A\\xff\", \"big\"=>18446744073709551615}");
	}

	@Test
	void skipWalksEveryType() throws IOException {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(3).packString("x".repeat(300)).packMapHeader(1).packInt(70000).packLong(1L << 40)
			.packExtensionTypeHeader((byte) 1, 20).writePayload(new byte[20]);
		p.packInt(1);
		byte[] b = p.toByteArray();
		assertThat(JsonFormatter.skip(b, 0)).isEqualTo(b.length - 1);
	}

	private String json(double d) {
		return this.fmt.toJson(d);
	}

	private String toJson(byte[] mp) {
		JsonFormatter.Sink s = new JsonFormatter.Sink();
		this.fmt.writeJson(mp, 0, s);
		return s.toString();
	}

	private String str(byte[] raw) {
		JsonFormatter.Sink s = new JsonFormatter.Sink();
		this.fmt.writeString(raw, 0, raw.length, s);
		return s.toString();
	}
}
