package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.MsgpackWriter;
import dev.sluice.parser.Parser;
import dev.sluice.parser.ParserDefinition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct path of the tail line processors (events written straight as bytes) against the
 * encoder path they replace in the reader: byte for byte the same events, for raw lines and
 * for parsed ones (tricky JSON, times, custom keys, lines the parser does not take).
 */
class DirectLineProcessorTest {

	static final String[] LINES = { "", "plain text line", "{\"time\":\"2026-11-22T03:47:12.123456Z\",\"level\":\"info\"}",
			"{\"level\":\"info\",\"time\":\"2026-11-22T03:47:12.123456+05:30\",\"n\":1}",
			"{\"time\":\"2026-11-22T03:47:12.123456Z\"}", "{\"time\":\"not a time\",\"a\":1}", "{\"time\":12345,\"a\":1}",
			"{\"time\":null}", "{\"a\":\"x\",\"time\":\"2026-11-22T03:47:12Z\",\"time\":\"2020-01-01T00:00:00.5Z\"}",
			"{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\\ud800x\\udc00\"}", "{\"\":\"\"}", "{}",
			"[1,2,3]", "\"just a string\"", "42", "{\"a\":1}{\"b\":2}", "{\"a\":", "{\"a\":tru}", "{\"a\":01}",
			"{\"n\":[0,-0,1,-1,127,128,255,256,65535,65536,-32,-33,-128,-129,-32768,-32769,2147483647,2147483648,"
					+ "-2147483648,-2147483649,9223372036854775807,9223372036854775808,18446744073709551615,"
					+ "18446744073709551616,-9223372036854775808,-9223372036854775809,1.5,-0.0,1e3,1E-3,1.25e+2,"
					+ "0.1,123456789012345.6,1234567890123456.7,3.141592653589793238]}",
			"{\"nested\":{\"a\":{\"b\":[{},[],{\"c\":null}]},\"t\":true,\"f\":false}}",
			"{\"long\":\"" + "x".repeat(300) + "\",\"longer\":\"" + "y\\n".repeat(40000) + "\"}",
			"{\"many\":[" + "1,".repeat(20) + "1]," + manyKeys(40) + "}", "  {\"ws\" : [ 1 , 2 ] }  ", "{\"a\":1,}",
			"{\"raw\":\"caf\u00e9 \u00ff\"}", "{\"ctl\":\"a\u0001b\"}" };

	private static String manyKeys(int n) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < n; i++) {
			sb.append(i > 0 ? "," : "").append("\"k").append(i).append("\":").append(i);
		}
		return sb.toString();
	}

	@Test
	void rawLinesAreTheSameBytes() throws IOException {
		for (String[] keys : new String[][] { { "log", null, null }, { "log", "path", null }, { "message", null, "off" },
				{ "log", "file", "offset" } }) {
			compare(new RawLineProcessor(keys[0], keys[1], keys[2]), lines());
		}
	}

	@Test
	void parsedLinesAreTheSameBytes() throws IOException {
		List<ParserDefinition> defs = List.of(ParserDefinition.of("j", ParserDefinition.Format.JSON, null),
				ParserDefinition.of("j", ParserDefinition.Format.JSON, null)
					.withTime("time", "%Y-%m-%dT%H:%M:%S.%L%z", false, true),
				ParserDefinition.of("j", ParserDefinition.Format.JSON, null)
					.withTime("time", "%Y-%m-%dT%H:%M:%S.%L%z", true, true),
				ParserDefinition.of("j", ParserDefinition.Format.JSON, null)
					.withTime("time", "%Y-%m-%dT%H:%M:%S%z", false, false),
				ParserDefinition.of("r", ParserDefinition.Format.REGEX, "^\\{\"(?<k>[a-z]+)\":(?<time>[^,}]*)"));
		for (ParserDefinition d : defs) {
			Parser p = Parser.create(d, () -> 1_700_000_000L);
			compare(new ParsingLineProcessor(p, new RawLineProcessor("log", null, null)), lines());
			compare(new ParsingLineProcessor(p, new RawLineProcessor("log", "path", "offset")), lines());
		}
	}

	@Test
	void randomJsonLinesAreTheSameBytes() throws IOException {
		Random r = new Random(7);
		List<byte[]> lines = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			byte[] b = LINES[r.nextInt(LINES.length)].getBytes(StandardCharsets.UTF_8);
			if (b.length > 0 && b.length < 2000) {
				b = b.clone();
				for (int e = r.nextInt(3); e > 0; e--) {
					b[r.nextInt(b.length)] = (byte) "{}[]\",:\\u0123456789.eE-+ tfn\u00e9".charAt(r.nextInt(29));
				}
			}
			lines.add(b);
		}
		Parser p = Parser.create(ParserDefinition.of("j", ParserDefinition.Format.JSON, null)
			.withTime("time", "%Y-%m-%dT%H:%M:%S.%L%z", false, true), () -> 1_700_000_000L);
		compare(new ParsingLineProcessor(p, new RawLineProcessor("log", null, "offset")), lines);
	}

	@Test
	void newlineSearchFindsTheFirstNewline() {
		Random r = new Random(3);
		for (int i = 0; i < 20_000; i++) {
			byte[] b = new byte[r.nextInt(40)];
			for (int j = 0; j < b.length; j++) {
				int k = r.nextInt(12);
				b[j] = (byte) ((k == 0) ? '\n' : (k == 1) ? 0x8A : (k == 2) ? 0x0B : (k == 3) ? 0x09 : r.nextInt(256));
			}
			int from = (b.length == 0) ? 0 : r.nextInt(b.length + 1);
			int to = from + ((b.length - from == 0) ? 0 : r.nextInt(b.length - from + 1));
			int expected = -1;
			for (int j = from; j < to; j++) {
				if (b[j] == '\n') {
					expected = j;
					break;
				}
			}
			assertThat(TailInput.indexOfNewline(b, from, to)).isEqualTo(expected);
		}
	}

	private static List<byte[]> lines() {
		List<byte[]> out = new ArrayList<>();
		for (String l : LINES) {
			out.add(l.getBytes(StandardCharsets.UTF_8));
		}
		return out;
	}

	private static void compare(LineProcessor processor, List<byte[]> lines) throws IOException {
		assertThat(processor.direct()).isTrue();
		LineSource source = new LineSource("/var/log/app.log", "1:2");
		EventEncoder encoder = new EventEncoder();
		MsgpackWriter direct = new MsgpackWriter(16);
		long offset = 0;
		int count = 0;
		for (byte[] line : lines) {
			// the line sits inside a larger buffer, as in the reader
			byte[] buf = new byte[line.length + 7];
			System.arraycopy(line, 0, buf, 3, line.length);
			source.offset = offset;
			source.time = new EventTime(1_795_314_726L + (offset % 3), (int) (offset % 1_000_000_000L));
			encoder.reset();
			direct.reset();
			int a = processor.line(buf, 3, line.length, source, encoder);
			int b = processor.lineDirect(buf, 3, line.length, source, direct);
			assertThat(b).isEqualTo(a);
			assertThat(encoder.records()).isEqualTo(a);
			count += a;
			assertThat(direct.toByteArray()).as(new String(line, StandardCharsets.UTF_8)).isEqualTo(encoder.toByteArray());
			offset += line.length + 1 + (long) Integer.MAX_VALUE / 3;
		}
		assertThat(count).isGreaterThan(0);
	}
}
