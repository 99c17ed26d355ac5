package dev.sluice.plugins.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;

/**
 * The streaming JSON path ({@link JsonEvents}) against the tree path it replaces
 * ({@link HttpPayload#json} + {@link HttpPayload#records}): the same bodies accepted, byte-identical
 * events, the same 400 for the rest.
 */
class JsonEventsTest {

	private static final EventTime TIME = new EventTime(1_763_781_234L, 123_456_789);

	/** Shared by every case: a reused array must never leak a previous body's bytes. */
	private static final dev.sluice.event.ByteArrayPool POOL = dev.sluice.event.ByteArrayPool.SHARED;

	private static final HttpPayload.Options PLAIN = new HttpPayload.Options(null, null);

	/** The old result: the events' bytes and count, or the 400 body. */
	private static String tree(byte[] body) {
		try {
			List<HttpPayload.Batch> batches = HttpPayload.records(HttpPayload.Type.JSON, body, "t", null, PLAIN, TIME);
			StringBuilder sb = new StringBuilder();
			int n = 0;
			for (HttpPayload.Batch b : batches) {
				sb.append(HexFormat.of().formatHex(EventBytes.of(b.events()).toByteArray()));
				n += b.events().records();
			}
			return n + ":" + sb;
		}
		catch (HttpPayload.BadRequest ex) {
			return "400 " + ex.getMessage();
		}
	}

	private static String streamed(byte[] body) {
		try {
			EventBytes e = JsonEvents.encode(body, 0, body.length, JsonEvents.header(TIME), POOL);
			return e.records() + ":" + HexFormat.of().formatHex(e.data(), e.offset(), e.offset() + e.length());
		}
		catch (HttpPayload.BadRequest ex) {
			return "400 " + ex.getMessage();
		}
	}

	private static void same(String body) {
		same(body.getBytes(StandardCharsets.UTF_8));
	}

	private static void same(byte[] body) {
		assertThat(streamed(body)).as(() -> new String(body, StandardCharsets.ISO_8859_1)).isEqualTo(tree(body));
	}

	@Test
	void headerIsWhatTheEncoderWrites() throws Exception {
		EventEncoder e = new EventEncoder();
		e.beginEvent(TIME, Map.of());
		assertThat(JsonEvents.header(TIME)).isEqualTo(e.toByteArray());
		EventEncoder z = new EventEncoder();
		z.beginEvent(new EventTime(0, 0), Map.of());
		assertThat(JsonEvents.header(new EventTime(0, 0))).isEqualTo(z.toByteArray());
	}

	@Test
	void shapesOfBodies() {
		for (String s : List.of("{}", "{\"a\":1}", " \n{\"a\":1}\n", "[]", "[ ]", "[{}]", "[{},{}]", "[{\"a\":1} , {\"b\":2}]",
				"{\"a\":1}{\"b\":2}", "{\"a\":1}\n{\"b\":2}\n", "{\"a\":1} [{\"b\":2}]", "[{\"a\":1}] {\"b\":2}",
				"[{\"a\":1}] 5 ", "[{\"a\":1}] 5", "[{\"a\":1}] 5x", "[{\"a\":1}] 1{}", "[{\"a\":1}] x", "[{\"a\":1}] [",
				"[{\"a\":1}] \"s\"", "[1]", "[{}, 1]", "[\"a\"]", "[[{}]]", "5", "\"s\"", "true", "null", "", "   ", "{",
				"[", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "[{},]", "{\"a\" 1}", "{a:1}", "{\"a\":1}x",
				"{\"a\":1} x", "{\"a\":1}]", "{\"a\":[1,2,{\"b\":[]}],\"c\":{\"d\":{}}}", "{\"a\":[,]}", "{\"a\":[1 2]}",
				"{\"a\":{\"b\":1,\"b\":2}}", "{\"a\":1,\"a\":2}", "{\"\":\"\"}", "{\"a\":true,\"b\":false,\"c\":null}",
				"{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":fals}", "{\"a\":falsy}", "{\"a\":true", "{\"a\":t",
				"{\"a\":1:2}", "{\"a\":1\"b\"}", "{\"a\":1{}}", "{\"a\":\"x\"\"y\"}", "\t{\r\"a\"\t:\n1\r}\t")) {
			same(s);
		}
	}

	@Test
	void numbersOfEveryShape() {
		for (String n : List.of("0", "-0", "1", "-1", "31", "-32", "-33", "127", "128", "-128", "-129", "255", "256",
				"65535", "65536", "-32768", "-32769", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295",
				"4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
				"18446744073709551615", "18446744073709551616", "-18446744073709551616", "99999999999999999999999",
				"000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000000000000000000000001",
				"123456789012345678", "1234567890123456789", "-123456789012345678", "-1234567890123456789", "007", "-007",
				"1.5", "-1.5", "0.0", "-0.0", "00.50", "1.25", "0.1", "0.3", "123.45", "9999.99", "1.7976931348623157",
				"123456789012345.6", "1234567890123456.7", "0.000000000000001", "0.0000000000000000000001",
				"0.00000000000000000000000001", "3.141592653589793238462643383279", "1e5", "1E5", "1e+5", "1e-5", "1E+5",
				"-1e-5", "1.5e3", "1.5e+3", "1.5E-3", "12e0", "1e400", "1e+400", "-1e+400", "1e-400", "1.0e-400",
				"123456789012345678901234567890e5", "123456789012345678901234567890e+5", "1.e5", "1.", "-", "-a", "+1",
				".5", "1e", "1e+", "1.5.3", "1..5", "0x10", "1-2", "--1", "1e5e5", "1ee5", "2.5E", "Infinity", "NaN",
				"9007199254740993", "9007199254740993.0", "0.1e1", "4.35", "8.589973e9", "2.2250738585072014E-308",
				"4.9e-324")) {
			same("{\"n\":" + n + "}");
			same("{\"n\":[" + n + "]}");
			same("{\"n\":" + n + " }");
			same("[{\"n\":" + n + ",\"m\":1}]");
		}
		SplittableRandom r = new SplittableRandom(7);
		for (int i = 0; i < 20_000; i++) {
			String n = switch (i % 4) {
				case 0 -> Long.toString(r.nextLong());
				case 1 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-20, 20)));
				case 2 -> (r.nextBoolean() ? "-" : "") + r.nextInt(100_000) + "." + digits(r, r.nextInt(1, 17));
				default -> (r.nextBoolean() ? "-" : "") + digits(r, r.nextInt(1, 25));
			};
			same("{\"n\":" + n + "}");
		}
	}

	private static String digits(SplittableRandom r, int n) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < n; i++) {
			sb.append((char) ('0' + r.nextInt(10)));
		}
		return sb.toString();
	}

	@Test
	void stringsWithEscapesUnicodeAndSurrogates() {
		for (String s : List.of("", "a", "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0041", "\\u00e9", "\\u20ac",
				"\\ud83d\\ude00", "x\\ud83d\\ude00y", "\\ud83d", "\\ud83dx", "\\ud83d\\u0041", "\\ude00", "\\ud83d\\ud83d\\ude00",
				"\\u0000", "\\uFFFF", "\\uZZZZ", "\\u12", "\\u123", "\\x", "\\", "\\ud83d\\uZZZZ", "\\ud83d\\u12", "é",
				"日本語", "😀", "tab\there", "raw\nnewline", "\u0001", "a\\nb\\u00e9c😀")) {
			same("{\"" + s + "\":\"" + s + "\"}");
			same("{\"k\":[\"" + s + "\"]}");
		}
		// the end or an escape at every offset of the eight-byte scan, next to multi-byte characters
		for (int i = 0; i < 24; i++) {
			String pad = "é".repeat(i % 3) + "x".repeat(i);
			same("{\"" + pad + "\":\"" + pad + "\\n" + pad + "\"}");
			same("{\"a\":\"" + pad + "\\\"" + "\"}");
			same("{\"a\":\"" + pad + "\"}");
			same("{\"a\":\"" + pad);
			same("{\"a\":\"" + pad + "\\");
		}
		// invalid UTF-8 is copied as it is
		same(new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xc3, '"', '}' });
		same(new byte[] { '{', '"', 'a', '"', ':', '"', (byte) 0xff, '\\', 'n', (byte) 0x80, '"', '}' });
		// headers of every size, plain and escaped (the escaped form is moved up once its length is known)
		for (int len : new int[] { 30, 31, 32, 33, 254, 255, 256, 257, 65534, 65535, 65536, 65537, 70_000 }) {
			String plain = "x".repeat(len);
			same("{\"a\":\"" + plain + "\"}");
			same("{\"a\":\"\\n" + plain.substring(1) + "\",\"b\":1}");
			same("{\"a\":\"" + plain.substring(6) + "\\u00e9\"}");
			same("{\"" + plain + "\":[\"\\t" + plain + "\"]}");
		}
	}

	@Test
	void mapsAndArraysOfEverySize() {
		for (int n : new int[] { 0, 1, 15, 16, 17, 255, 65535, 65536, 70_000 }) {
			StringBuilder m = new StringBuilder("{");
			StringBuilder a = new StringBuilder("[");
			for (int i = 0; i < n; i++) {
				m.append((i > 0) ? "," : "").append("\"k").append(i).append("\":").append(i);
				a.append((i > 0) ? "," : "").append(i % 3 == 0 ? "\"s\\n\"" : Integer.toString(i));
			}
			m.append('}');
			a.append(']');
			same(m.toString());
			same("{\"x\":" + a + ",\"y\":" + m + "}");
			same("[{\"x\":" + a + "}," + m + "]");
		}
		// many records
		StringBuilder many = new StringBuilder("[");
		for (int i = 0; i < 5000; i++) {
			many.append((i > 0) ? "," : "").append("{\"i\":").append(i).append(",\"s\":\"v").append(i).append("\"}");
		}
		same(many.append(']').toString());
	}

	@Test
	void nestingLimit() {
		for (int depth : new int[] { 998, 999, 1000, 1001, 1002 }) {
			same("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
			same("[{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}]");
			same("{\"a\":" + "{\"b\":".repeat(depth) + "1" + "}".repeat(depth) + "}");
		}
	}

	@Test
	void randomBodiesAndTheirMutations() {
		SplittableRandom r = new SplittableRandom(42);
		for (int i = 0; i < 30_000; i++) {
			StringBuilder sb = new StringBuilder();
			int shape = r.nextInt(3);
			if (shape == 0) {
				object(r, sb, 0);
			}
			else if (shape == 1) {
				sb.append('[');
				int n = r.nextInt(4);
				for (int k = 0; k < n; k++) {
					sb.append((k > 0) ? "," : "").append(ws(r));
					object(r, sb, 0);
				}
				sb.append(']');
			}
			else {
				int n = r.nextInt(1, 4);
				for (int k = 0; k < n; k++) {
					object(r, sb, 0);
					sb.append('\n');
				}
			}
			byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
			same(body);
			// a few mutations of each: many become invalid, some stay valid
			for (int m = 0; m < 3; m++) {
				byte[] x = mutate(r, body);
				same(x);
			}
		}
	}

	private static final String[] SCALARS = { "0", "-1", "42", "1.5", "-0.25", "1e5", "2E+3", "3e-2", "12345678901234567890",
			"-98765432109876543210", "true", "false", "null", "\"\"", "\"a b\"", "\"\\n\\u00e9\\ud83d\\ude00\"", "\"é😀\"",
			"\"q\\\"uote\"", "123.456", "9223372036854775807", "18446744073709551615", "0.1", "7.0" };

	private static final String PUNCT = "{}[],:\" \\-+.eE0123456789tfnaulrs\n";

	private static void object(SplittableRandom r, StringBuilder sb, int depth) {
		sb.append('{').append(ws(r));
		int n = r.nextInt(depth > 2 ? 2 : 5);
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				sb.append(ws(r)).append(',').append(ws(r));
			}
			sb.append('"').append((char) ('a' + r.nextInt(26))).append(r.nextInt(3) == 0 ? "\\t" : "").append('"');
			sb.append(ws(r)).append(':').append(ws(r));
			value(r, sb, depth + 1);
		}
		sb.append(ws(r)).append('}');
	}

	private static void value(SplittableRandom r, StringBuilder sb, int depth) {
		int k = r.nextInt(depth > 3 ? 6 : 8);
		if (k == 6) {
			object(r, sb, depth);
		}
		else if (k == 7) {
			sb.append('[');
			int n = r.nextInt(4);
			for (int i = 0; i < n; i++) {
				sb.append((i > 0) ? "," : "").append(ws(r));
				value(r, sb, depth + 1);
			}
			sb.append(ws(r)).append(']');
		}
		else {
			sb.append(SCALARS[r.nextInt(SCALARS.length)]);
		}
	}

	private static String ws(SplittableRandom r) {
		return switch (r.nextInt(8)) {
			case 0 -> " ";
			case 1 -> "\n\t";
			case 2 -> "\r\n ";
			default -> "";
		};
	}

	private static byte[] mutate(SplittableRandom r, byte[] body) {
		List<Byte> b = new ArrayList<>();
		for (byte x : body) {
			b.add(x);
		}
		int kind = r.nextInt(4);
		int at = b.isEmpty() ? 0 : r.nextInt(b.size());
		switch (kind) {
			case 0 -> {
				if (!b.isEmpty()) {
					b.remove(at);
				}
			}
			case 1 -> b.add(at, (byte) PUNCT.charAt(r.nextInt(PUNCT.length())));
			case 2 -> {
				if (!b.isEmpty()) {
					b.set(at, (byte) PUNCT.charAt(r.nextInt(PUNCT.length())));
				}
			}
			default -> {
				return Arrays.copyOf(body, at);
			}
		}
		byte[] out = new byte[b.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = b.get(i);
		}
		return out;
	}
}
