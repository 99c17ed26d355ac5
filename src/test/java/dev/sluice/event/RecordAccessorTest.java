package dev.sluice.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examples of FLUENT-BIT.md §7. */
class RecordAccessorTest {

	private static Map<String, Object> record() {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("log", "m");
		r.put("labels", new LinkedHashMap<>(Map.of("color", "blue", "p", new LinkedHashMap<>(Map.of("env", "prod")))));
		r.put("a", new java.util.ArrayList<>(List.of(1L, new LinkedHashMap<>(Map.of("b", 2L)))));
		r.put("kubernetes.pod", "flat");
		return r;
	}

	@Test
	void readsKeysSubscriptsAndIndexes() {
		Map<String, Object> r = record();
		assertThat(RecordAccessor.parse("$log").get(r)).isEqualTo("m");
		assertThat(RecordAccessor.parse("$labels['color']").get(r)).isEqualTo("blue");
		assertThat(RecordAccessor.parse("$labels['p']['env']").get(r)).isEqualTo("prod");
		assertThat(RecordAccessor.parse("$a[0]").get(r)).isEqualTo(1L);
		assertThat(RecordAccessor.parse("$a[1]['b']").get(r)).isEqualTo(2L);
		assertThat(RecordAccessor.parse("$a [1] [ 'b' ]").get(r)).isEqualTo(2L);
	}

	@Test
	void dotsDashesAndSlashesArePartOfTheKeyName() {
		assertThat(RecordAccessor.parse("$kubernetes.pod").path()).containsExactly("kubernetes.pod");
		assertThat(RecordAccessor.parse("$kubernetes.pod").get(record())).isEqualTo("flat");
		assertThat(RecordAccessor.parse("$a-b/c").path()).containsExactly("a-b/c");
	}

	@Test
	void missingStepsAreNotFoundNotErrors() {
		Map<String, Object> r = record();
		assertThat(RecordAccessor.parse("$labels['missing']").exists(r)).isFalse();
		assertThat(RecordAccessor.parse("$labels['missing']").get(r)).isNull();
		assertThat(RecordAccessor.parse("$a[7]").exists(r)).isFalse();
		assertThat(RecordAccessor.parse("$log['x']").exists(r)).isFalse();
	}

	@Test
	void quotesEscapeByDoubling() {
		Map<String, Object> r = Map.of("m", Map.of("it's", "yes"));
		assertThat(RecordAccessor.parse("$m['it''s']").get(r)).isEqualTo("yes");
	}

	@Test
	void bareKeyWithoutDollarNamesOneTopLevelKey() {
		assertThat(RecordAccessor.parse("log").get(record())).isEqualTo("m");
	}

	@Test
	void setCreatesIntermediateMapsAndRemoveDeletes() {
		Map<String, Object> r = record();
		assertThat(RecordAccessor.parse("$new['x']['y']").set(r, "z")).isTrue();
		assertThat(RecordAccessor.parse("$new['x']['y']").get(r)).isEqualTo("z");
		assertThat(RecordAccessor.parse("$labels['color']").remove(r)).isTrue();
		assertThat(RecordAccessor.parse("$labels['color']").exists(r)).isFalse();
		assertThat(RecordAccessor.parse("$log['x']").set(r, 1)).isFalse();
	}

	@Test
	void syntaxErrorsNameThePosition() {
		assertThatThrownBy(() -> RecordAccessor.parse("$")).hasMessageContaining("expected a key name at position 1");
		assertThatThrownBy(() -> RecordAccessor.parse("$a['b'")).hasMessageContaining("expected ']'");
		assertThatThrownBy(() -> RecordAccessor.parse("$a[b]")).hasMessageContaining("a quoted key or an index");
		assertThatThrownBy(() -> RecordAccessor.parse("$a['b")).hasMessageContaining("closing quote");
		assertThatThrownBy(() -> RecordAccessor.parse("$1a")).hasMessageContaining("position 1");
	}
}
