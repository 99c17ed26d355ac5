package dev.sluice.plugins.processor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.processor.content_modifier.ContentModifierConfig;
import dev.sluice.plugins.processor.content_modifier.ContentModifierProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every action and context of {@code content_modifier}. */
class ContentModifierProcessorTest {

	static final EventTime T = new EventTime(1_700_000_000L, 5);

	static ContentModifierProcessor cm(String... kv) {
		ContentModifierConfig c = new ContentModifierConfig();
		c.context = "body";
		for (int i = 0; i < kv.length; i += 2) {
			String v = kv[i + 1];
			switch (kv[i]) {
				case "action" -> c.action = v;
				case "key" -> c.key = v;
				case "value" -> c.value = v;
				case "pattern" -> c.pattern = v;
				case "converted_type" -> c.convertedType = v;
				case "context" -> c.context = v;
				default -> throw new IllegalArgumentException(kv[i]);
			}
		}
		ContentModifierProcessor p = new ContentModifierProcessor();
		p.init(c, null);
		return p;
	}

	static Map<String, Object> map(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	static LogEvent run(ContentModifierProcessor p, Map<String, Object> metadata, Map<String, Object> body) {
		EventBytes in = EventBytes.of(new EventEncoder().append(T, metadata, body));
		EventBytes out = p.filter(in, "t", null);
		List<LogEvent> events = (out == null ? in : out).decode();
		assertThat(events).hasSize(1);
		assertThat(events.get(0).time()).isEqualTo(T);
		return events.get(0);
	}

	static Map<String, Object> body(ContentModifierProcessor p, Map<String, Object> body) {
		return run(p, Map.of(), body).body();
	}

	@Test
	void insertOnlyWhenMissing() {
		ContentModifierProcessor p = cm("action", "insert", "key", "color", "value", "blue");
		assertThat(body(p, map("a", 1L))).containsExactly(Map.entry("a", 1L), Map.entry("color", "blue"));
		assertThat(body(p, map("color", "red"))).containsExactly(Map.entry("color", "red"));
	}

	@Test
	void upsertSetsOrAdds() {
		assertThat(body(cm("action", "upsert", "key", "key1", "value", "5678"), map("key1", "123.4", "k", 1L)))
			.containsExactly(Map.entry("key1", "5678"), Map.entry("k", 1L));
		assertThat(body(cm("action", "upsert", "key", "$a['b']", "value", "x"), map("a", map("c", 1L))))
			.isEqualTo(map("a", map("c", 1L, "b", "x")));
	}

	@Test
	void deleteTopLevelAndNested() {
		assertThat(body(cm("action", "delete", "key", "key2"), map("key1", "1", "key2", "2"))).isEqualTo(map("key1", "1"));
		assertThat(body(cm("action", "delete", "key", "$a['b']"), map("a", map("b", 1L, "c", 2L))))
			.isEqualTo(map("a", map("c", 2L)));
		EventBytes in = EventBytes.of(new EventEncoder().append(T, map("x", 1L)));
		assertThat(cm("action", "delete", "key", "missing").filter(in, "t", null)).isNull();
	}

	@Test
	void renameKeepsPosition() {
		assertThat(body(cm("action", "rename", "key", "key2", "value", "test"), map("key1", "1", "key2", "2", "key3", "3")))
			.containsExactly(Map.entry("key1", "1"), Map.entry("test", "2"), Map.entry("key3", "3"));
		assertThat(body(cm("action", "rename", "key", "a", "value", "b"), map("a", 1L, "b", 2L)))
			.containsExactly(Map.entry("b", 1L));
		assertThat(body(cm("action", "rename", "key", "$m['x']", "value", "y"), map("m", map("x", 1L))))
			.isEqualTo(map("m", map("y", 1L)));
	}

	@Test
	void hashIsSha256Hex() {
		Map<String, Object> b = body(cm("action", "hash", "key", "password"), map("username", "bob", "password", "12345"));
		assertThat(b.get("password")).isEqualTo("5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5");
		assertThat(body(cm("action", "hash", "key", "n"), map("n", 12345L)).get("n"))
			.isEqualTo("5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5");
	}

	@Test
	void extractNamedGroups() {
		ContentModifierProcessor p = cm("action", "extract", "key", "http.url", "pattern",
				"^(?<http_protocol>https?):\\/\\/(?<http_domain>[^\\/\\?]+)(?<http_path>\\/[^?]*)?(?:\\?(?<http_query_params>.*))?");
		assertThat(body(p, map("http.url", "https://fluentbit.io/docs?q=example"))).containsExactly(
				Map.entry("http.url", "https://fluentbit.io/docs?q=example"), Map.entry("http_protocol", "https"),
				Map.entry("http_domain", "fluentbit.io"), Map.entry("http_path", "/docs"),
				Map.entry("http_query_params", "q=example"));
		assertThat(body(p, map("http.url", "ftp://x"))).isEqualTo(map("http.url", "ftp://x"));
	}

	@Test
	void convertTypes() {
		assertThat(body(cm("action", "convert", "key", "k", "converted_type", "int"), map("k", "123.4")).get("k"))
			.isEqualTo(123L);
		assertThat(body(cm("action", "convert", "key", "k", "converted_type", "double"), map("k", "123.4")).get("k"))
			.isEqualTo(123.4);
		assertThat(body(cm("action", "convert", "key", "k", "converted_type", "boolean"), map("k", "true")).get("k"))
			.isEqualTo(true);
		assertThat(body(cm("action", "convert", "key", "k", "converted_type", "string"), map("k", 42L)).get("k"))
			.isEqualTo("42");
		assertThat(body(cm("action", "convert", "key", "k", "converted_type", "string"), map("k", 1.5)).get("k"))
			.isEqualTo("1.5");
		assertThat(body(cm("action", "convert", "key", "k", "converted_type", "int"), map("k", "abc")).get("k"))
			.isEqualTo("abc");
	}

	@Test
	void metadataAndAttributesContexts() {
		LogEvent e = run(cm("action", "insert", "key", "env", "value", "prod", "context", "attributes"), Map.of(),
				map("msg", "x"));
		assertThat(e.metadata()).isEqualTo(Map.of("env", "prod"));
		assertThat(e.body()).isEqualTo(Map.of("msg", "x"));
		e = run(cm("action", "delete", "key", "trace", "context", "metadata"), map("trace", "t", "keep", 1L),
				map("trace", "body-kept"));
		assertThat(e.metadata()).isEqualTo(Map.of("keep", 1L));
		assertThat(e.body()).isEqualTo(Map.of("trace", "body-kept"));
	}

	@Test
	void invalidSettingsFailInit() {
		assertThatThrownBy(() -> cm("action", "insert", "key", "a")).hasMessageContaining("'value' is not set");
		assertThatThrownBy(() -> cm("action", "extract", "key", "a")).hasMessageContaining("'pattern' is not set");
		assertThatThrownBy(() -> cm("action", "convert", "key", "a", "converted_type", "float"))
			.hasMessageContaining("invalid 'converted_type'");
		assertThatThrownBy(() -> cm("action", "delete", "key", "a", "context", "otel_resource_attributes"))
			.hasMessageContaining("not supported");
		assertThatThrownBy(() -> cm("action", "delete")).hasMessageContaining("'key' is not set");
	}
}
