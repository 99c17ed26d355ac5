package dev.sluice.plugins.filter.grep;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrepFilterTest {

	private static List<Object> values(List<Map<String, Object>> bodies, String key) {
		return bodies.stream().map((b) -> b.get(key)).toList();
	}

	@Test
	void regexKeepsMatchingRecords() {
		try (Run r = FilterTestSupport.run("grep", "regex", "log ^a")) {
			r.push(rec("log", "abc")).push(rec("log", "bcd")).push(rec("log", "axe"));
			assertThat(values(r.bodies(2), "log")).containsExactly("abc", "axe");
			assertThat(r.filter("grep.0").metrics().dropRecords.sum()).isEqualTo(1);
			assertThat(r.filter("grep.0").metrics().records.sum()).isEqualTo(3);
		}
	}

	@Test
	void excludeDropsMatchingRecords() {
		try (Run r = FilterTestSupport.run("grep", "exclude", "log ^a")) {
			r.push(rec("log", "abc")).push(rec("log", "bcd"));
			assertThat(values(r.bodies(1), "log")).containsExactly("bcd");
		}
	}

	@Test
	void missingKeyOrNonStringValueNeverMatches() {
		try (Run r = FilterTestSupport.run("grep", "regex", "n ^1")) {
			r.push(rec("n", 1L)).push(rec("other", "1")).push(rec("n", "1"));
			assertThat(values(r.bodies(1), "n")).containsExactly("1");
		}
		try (Run r = FilterTestSupport.run("grep", "exclude", "n ^1")) {
			r.push(rec("n", 1L)).push(rec("other", "1")).push(rec("n", "1"));
			assertThat(r.bodies(2)).containsExactly(rec("n", 1L), rec("other", "1"));
		}
	}

	@Test
	void keyIsARecordAccessor() {
		try (Run r = FilterTestSupport.run("grep", "regex", "$kubernetes['labels']['app'] ^web$")) {
			r.push(rec("kubernetes", rec("labels", rec("app", "web")), "i", 1L));
			r.push(rec("kubernetes", rec("labels", rec("app", "db")), "i", 2L));
			r.push(rec("kubernetes", "flat", "i", 3L));
			assertThat(values(r.bodies(1), "i")).containsExactly(1L);
		}
	}

	@Test
	void legacyFirstMatchingRegexKeepsAtOnce() {
		// a matching regex keeps the record at once: the exclude after it is not looked at
		try (Run r = FilterTestSupport.run("grep", "regex", "a ^x", "exclude", "b ^y")) {
			r.push(rec("a", "x", "b", "y", "i", 1L)).push(rec("a", "z", "b", "q", "i", 2L));
			assertThat(values(r.bodies(1), "i")).containsExactly(1L);
		}
		// an exclude first drops before the regex is looked at
		try (Run r = FilterTestSupport.run("grep", "exclude", "b ^y", "regex", "a ^x")) {
			r.push(rec("a", "x", "b", "y", "i", 1L)).push(rec("a", "x", "b", "q", "i", 2L))
				.push(rec("a", "z", "b", "q", "i", 3L));
			assertThat(values(r.bodies(1), "i")).containsExactly(2L);
		}
	}

	@Test
	void legacyTwoRegexesKeepOnTheFirstMatch() {
		try (Run r = FilterTestSupport.run("grep", "regex", "a ^x", "regex", "b ^y")) {
			r.push(rec("a", "x", "b", "n", "i", 1L)) // first matches: kept
				.push(rec("a", "n", "b", "y", "i", 2L)) // first fails: dropped
				.push(rec("a", "x", "b", "y", "i", 3L));
			assertThat(values(r.bodies(2), "i")).containsExactly(1L, 3L);
		}
	}

	@Test
	void logicalAndOr() {
		try (Run r = FilterTestSupport.run("grep", "logical_op", "AND", "regex", "a ^x", "regex", "b ^y")) {
			r.push(rec("a", "x", "b", "n", "i", 1L)).push(rec("a", "x", "b", "y", "i", 2L));
			assertThat(values(r.bodies(1), "i")).containsExactly(2L);
		}
		try (Run r = FilterTestSupport.run("grep", "logical_op", "or", "regex", "a ^x", "regex", "b ^y")) {
			r.push(rec("a", "x", "b", "n", "i", 1L)).push(rec("a", "n", "b", "n", "i", 2L))
				.push(rec("a", "n", "b", "y", "i", 3L));
			assertThat(values(r.bodies(2), "i")).containsExactly(1L, 3L);
		}
		try (Run r = FilterTestSupport.run("grep", "logical_op", "AND", "exclude", "a ^x", "exclude", "b ^y")) {
			r.push(rec("a", "x", "b", "n", "i", 1L)).push(rec("a", "x", "b", "y", "i", 2L));
			assertThat(values(r.bodies(1), "i")).containsExactly(1L);
		}
		try (Run r = FilterTestSupport.run("grep", "logical_op", "OR", "exclude", "a ^x", "exclude", "b ^y")) {
			r.push(rec("a", "x", "b", "n", "i", 1L)).push(rec("a", "n", "b", "n", "i", 2L));
			assertThat(values(r.bodies(1), "i")).containsExactly(2L);
		}
	}

	@Test
	void mixingRegexAndExcludeWithLogicalOpIsAnInitError() {
		assertThatThrownBy(() -> FilterTestSupport.run("grep", "logical_op", "AND", "regex", "a x", "exclude", "b y"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("Both 'regex' and 'exclude' are set.");
	}

	@Test
	void badRegexIsAnInitErrorNamingIt() {
		assertThatThrownBy(() -> FilterTestSupport.run("grep", "regex", "log (unclosed"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("grep.0")
			.hasMessageContaining("(unclosed");
	}

	@Test
	void ruleWithoutRegexIsAnInitError() {
		assertThatThrownBy(() -> FilterTestSupport.run("grep", "regex", "log"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("expected field and regular expression");
	}

	@Test
	void keptRecordsAreUntouchedAndMetadataSurvives() {
		try (Run r = FilterTestSupport.run("grep", "regex", "log .")) {
			r.push(List.of(new dev.sluice.event.LogEvent(FilterTestSupport.T0, Map.of("m", "v"), rec("log", "x"))));
			var e = r.await(1).get(0);
			assertThat(e.time()).isEqualTo(FilterTestSupport.T0);
			assertThat(e.metadata()).isEqualTo(Map.of("m", "v"));
		}
	}

	@Test
	void malformedInputIsPassedOn() {
		GrepFilter f = new GrepFilter();
		byte[] junk = { (byte) 0x92, 0x01 };
		assertThat(f.filter(dev.sluice.event.EventBytes.of(junk, 1), "t",
				new dev.sluice.plugins.filter.FakeFilterContext())).isNull();
	}
}
