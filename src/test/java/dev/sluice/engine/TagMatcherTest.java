package dev.sluice.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Fluent Bit's router match table (FLUENT-BIT.md §2.1, §2.2). */
class TagMatcherTest {

	@ParameterizedTest(name = "{0} ~ {1} = {2}")
	@CsvSource({
		"*, kube.var.log.containers.a.log, true",
		"kube.*, kube.var.log.containers.a.log, true",
		"kube.*.log, kube.var.log.containers.a.log, true",
		"*.log, kube.var.log.containers.a.log, true",
		"kube, kube.var.log.containers.a.log, false",
		"kube.var.log.containers.?.log, kube.var.log.containers.a.log, false",
		"kube.var.log.containers.?.log, kube.var.log.containers.?.log, true",
		"app.*, app., true",
		"app.*, app, false",
		"a**b, ab, true",
		"a*b*c, aXbYc, true",
		"a*b*c, aXbY, false",
		"App.*, app.x, false",
		"*x*, abc, false",
		"*x*, axc, true",
		"'', '', true",
	})
	void globMatches(String pattern, String tag, boolean expected) {
		assertThat(TagMatcher.glob(pattern, tag)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "regex {0} ~ {1} = {2}")
	@CsvSource({
		"app, application, true",
		"app$, application, false",
		"^metrics\\.(cpu|mem)$, metrics.cpu, true",
		"^metrics\\.(cpu|mem)$, metrics.disk, false",
		"log, app.log, false",
	})
	void regexIsAnchoredAtTheStartOnly(String regex, String tag, boolean expected) {
		assertThat(new TagMatcher(null, regex).matches(tag)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "x.*, ^y, x.1, true", "x.*, ^y, y.1, true", "x.*, ^y, z, false" })
	void eitherRuleMayMatch(String match, String regex, String tag, boolean expected) {
		assertThat(new TagMatcher(match, regex).matches(tag)).isEqualTo(expected);
	}

	@org.junit.jupiter.api.Test
	void noRuleMatchesNothing() {
		assertThat(new TagMatcher(null, null).matches("anything")).isFalse();
	}
}
