package dev.sluice.plugins.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;
import dev.sluice.event.JsonFormatter;

/** GELF encoding details of {@code flb_msgpack_to_gelf}. */
class GelfEncoderTest {

	private static String encode(GelfEncoder g, Map<String, Object> record) throws Exception {
		JsonFormatter.Sink o = new JsonFormatter.Sink();
		g.encode(record, new EventTime(1, 5_000_000), o);
		return o.toString();
	}

	@Test
	void flattensRenamesAndDrops() throws Exception {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("msg", "hi \"there\"");
		r.put("lvl", "warning");
		r.put("id", 5L);
		r.put("a", Map.of("b", Map.of("c", 1L)));
		r.put("arr", List.of(1L, "x", Map.of("k", "v")));
		r.put("nil", null);
		r.put("f", 1.5);
		r.put("t", true);
		r.put("bad key", "v");
		r.put("neg", -3L);
		GelfEncoder g = new GelfEncoder(null, null, "lvl", "msg", null, JsonFormatter.standard());
		assertThat(encode(g, r)).isEqualTo("{\"version\":\"1.1\", \"short_message\":\"hi \\\"there\\\"\", \"level\":4, "
				+ "\"_a_b_c\":1, \"_arr\":\"1, x, k=v\", \"_f\":1.500000, \"_t\":\"true\", \"_bad_key\":\"v\", "
				+ "\"_neg\":-3, \"timestamp\":1.005}");
	}

	@Test
	void recordTimestampKeyAndDigitLevel() throws Exception {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("short_message", "m");
		r.put("ts", 12.5);
		r.put("level", "3");
		r.put("host", "h");
		r.put("full", "long text");
		GelfEncoder g = new GelfEncoder(null, "ts", null, null, "full", JsonFormatter.standard());
		assertThat(encode(g, r)).isEqualTo("{\"version\":\"1.1\", \"short_message\":\"m\", \"timestamp\":12.500000, "
				+ "\"level\":3, \"host\":\"h\", \"full_message\":\"long text\"}");
	}

	@Test
	void missingShortMessageAndBadLevel() {
		GelfEncoder g = new GelfEncoder(null, null, null, null, null, JsonFormatter.standard());
		assertThatThrownBy(() -> encode(g, Map.of("message", "x")))
			.hasMessage("[flb_msgpack_to_gelf] missing short_message key");
		assertThatThrownBy(() -> encode(g, new LinkedHashMap<>(Map.of("short_message", "x", "level", 1.5))))
			.hasMessage("[flb_msgpack_to_gelf] level must be a non-negative integer or a string");
	}
}
