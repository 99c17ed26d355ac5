package dev.sluice.parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single-pass {@link JsonToMsgpack} against the converter it replaced
 * ({@link JsonToMsgpackReference}): the same result, the same bytes and the same top-level entry
 * offsets, on tricky JSON and on random mutations of it.
 */
class JsonToMsgpackTest {

	static final String[] SAMPLES = { "{}", "[]", "{\"a\":1}", "  {\"ws\" : [ 1 , 2 ] ,\"x\"\t:\n{ } }\r\n", "{\"\":\"\"}",
			"{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\uFFFF\\ud83d\\ude00\\ud800x\\udc00\\ud800\\u0041\\ud800\"}",
			"{\"u\":\"\\u0000\\u007f\\u0080\\u07ff\\u0800\\udbff\\udfff\"}", "{\"bad\":\"\\x\"}", "{\"bad\":\"\\u12G4\"}",
			"{\"bad\":\"\\ud800\\u12\"}", "{\"bad\":\"\\", "{\"bad\":\"abc", "\"top string\"", "\"esc\\n\"", "42", "-1",
			"true", "false", "null", "[true,false,null]", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":falsey}", "{\"a\":01}",
			"{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":1,}", "{,}",
			"{\"a\" 1}", "{\"a\":1}{\"b\":2}", "{\"a\":1} x", "", "   ", "{", "}", "[1,2", "{\"a\":[1,2}",
			"{\"n\":[0,-0,1,-1,127,128,255,256,65535,65536,-32,-33,-128,-129,-32768,-32769,2147483647,2147483648,"
					+ "4294967295,4294967296,-2147483648,-2147483649,999999999999999999,-99999999999999999,"
					+ "1000000000000000000,-999999999999999999,9223372036854775807,9223372036854775808,"
					+ "18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809,"
					+ "1.5,-0.0,0.0,1e3,1E-3,1.25e+2,0.1,0.3,123456789012345.6,1234567890123456.7,3.141592653589793238,"
					+ "1e308,1e309,-1e309,4.9e-324,1e-400,12.50,-0.003,0.0000000000000000000001,100000000000000000000000.5]}",
			"{\"nested\":{\"a\":{\"b\":[{},[],{\"c\":null}]},\"t\":true,\"f\":false}}", "{\"raw\":\"caf\u00e9 \u00ff \u20ac\"}",
			"{\"ctl\":\"a\u0001b\tc\"}", "{\"k\u00e9y\":1}", "{\"dup\":1,\"dup\":2}",
			"{\"time\":\"2026-11-22T03:47:12.123456Z\",\"level\":\"info\",\"msg\":\"request completed for user session\","
					+ "\"user_id\":123456,\"method\":\"GET\",\"path\":\"/api/v1/orders/42\",\"status\":200,"
					+ "\"latency_ms\":12.34,\"request_id\":\"8f14e45fceea167a5a36dedd4bea2543\"}" };

	static List<String> samples() {
		List<String> s = new ArrayList<>(List.of(SAMPLES));
		s.add("{\"s31\":\"" + "a".repeat(31) + "\",\"s32\":\"" + "b".repeat(32) + "\",\"s255\":\"" + "c".repeat(255)
				+ "\",\"s256\":\"" + "d".repeat(256) + "\",\"s65535\":\"" + "e".repeat(65535) + "\",\"s65536\":\""
				+ "f".repeat(65536) + "\"}");
		s.add("{\"e31\":\"" + "\\n".repeat(31) + "\",\"e32\":\"" + "\\n".repeat(32) + "\",\"e256\":\"" + "\\t".repeat(256)
				+ "\",\"e65536\":\"" + "\\\"".repeat(65536) + "\",\"mixed\":\"" + "ab\\u00e9".repeat(3000) + "\"}");
		for (int n : new int[] { 15, 16, 17, 65535, 65536 }) {
			StringBuilder o = new StringBuilder("{\"arr\":[");
			StringBuilder m = new StringBuilder("{");
			for (int i = 0; i < n; i++) {
				o.append(i > 0 ? "," : "").append(i % 7);
				m.append(i > 0 ? "," : "").append("\"k").append(i).append("\":").append(i);
			}
			s.add(o.append("]}").toString());
			s.add(m.append("}").toString());
			s.add("{\"m\":" + m + "}");
		}
		s.add("[".repeat(999) + "]".repeat(999));
		s.add("[".repeat(1000) + "]".repeat(1000));
		s.add("[".repeat(1001) + "]".repeat(1001));
		s.add("{\"a\":" + "{\"b\":".repeat(999) + "1" + "}".repeat(999) + "}");
		s.add("{\"a\":" + "{\"b\":".repeat(1000) + "1" + "}".repeat(1000) + "}");
		return s;
	}

	@Test
	void sameBytesAsBefore() {
		for (String s : samples()) {
			compare(s.getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void sameBytesAsBeforeOnRandomMutations() {
		Random r = new Random(11);
		List<String> base = samples().stream().filter((s) -> s.length() < 3000).toList();
		String alphabet = "{}[]\",:\\/u0123456789abcdefABCDEF.eE-+ \t\n tfnlrs\u00e9\u0000";
		for (int i = 0; i < 100_000; i++) {
			StringBuilder sb = new StringBuilder(base.get(r.nextInt(base.size())));
			int edits = r.nextInt(4);
			for (int e = 0; e < edits && sb.length() > 0; e++) {
				int at = r.nextInt(sb.length());
				char c = alphabet.charAt(r.nextInt(alphabet.length()));
				switch (r.nextInt(3)) {
					case 0 -> sb.setCharAt(at, c);
					case 1 -> sb.insert(at, c);
					default -> sb.deleteCharAt(at);
				}
			}
			compare(sb.toString().getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void randomBytes() {
		Random r = new Random(5);
		for (int i = 0; i < 50_000; i++) {
			byte[] b = new byte[r.nextInt(40)];
			r.nextBytes(b);
			if (b.length > 0) {
				b[0] = (byte) ((r.nextBoolean()) ? '{' : '[');
			}
			compare(b);
		}
	}

	/** Converts inside a larger buffer, into a writer with something before, both ways. */
	private static void compare(byte[] json) {
		byte[] buf = new byte[json.length + 16];
		System.arraycopy(json, 0, buf, 5, json.length);
		MsgpackWriter a = new MsgpackWriter(16);
		MsgpackWriter b = new MsgpackWriter(16);
		a.writeRaw(new byte[] { 1, 2, 3 });
		b.writeRaw(new byte[] { 1, 2, 3 });
		JsonToMsgpackReference old = new JsonToMsgpackReference();
		JsonToMsgpack now = new JsonToMsgpack();
		JsonToMsgpack.Result ra = old.convert(buf, 5, json.length, a);
		JsonToMsgpack.Result rb = now.convert(buf, 5, json.length, b);
		String what = new String(json, StandardCharsets.UTF_8);
		assertThat(rb).as(what).isEqualTo(ra);
		if (ra == JsonToMsgpack.Result.INVALID) {
			return;
		}
		assertThat(b.toByteArray()).as(what).isEqualTo(a.toByteArray());
		if (ra == JsonToMsgpack.Result.OBJECT) {
			assertThat(now.entries()).isEqualTo(old.entries());
			for (int i = 0; i < old.entries(); i++) {
				assertThat(now.keyStart(i)).isEqualTo(old.keyStart(i));
				assertThat(now.valueEnd(i)).isEqualTo(old.valueEnd(i));
			}
		}
		// reused: a second conversion gives the same again
		MsgpackWriter c = new MsgpackWriter(1);
		assertThat(now.convert(buf, 5, json.length, c)).isEqualTo(ra);
		assertThat(c.toByteArray()).isEqualTo(Arrays.copyOfRange(a.toByteArray(), 3, a.size()));
	}
}
