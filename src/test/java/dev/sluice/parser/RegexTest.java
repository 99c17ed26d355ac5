package dev.sluice.parser;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegexTest {

	@Test
	void namedCapturesInPatternOrder() {
		Regex r = Regex.compile("^(?<host>[^ ]+) (?<method>[A-Z]+) (?<path>[^ ]+)$");
		assertThat(r.groupNames()).containsExactly("host", "method", "path");
		assertThat(r.captures("10.0.0.1 GET /x")).containsExactly(java.util.Map.entry("host", "10.0.0.1"),
				java.util.Map.entry("method", "GET"), java.util.Map.entry("path", "/x"));
		assertThat(r.captures("nope")).isNull();
	}

	@Test
	void rubySyntaxFeatures() {
		// \h is a hex digit in Onigmo's Ruby syntax (Java: horizontal space)
		assertThat(Regex.compile("^\\h+$").find("deadBEEF09")).isTrue();
		assertThat(Regex.compile("^\\h+$").find("xyz")).isFalse();
		// \A and \z
		assertThat(Regex.compile("\\Aabc\\z").find("abc")).isTrue();
		assertThat(Regex.compile("\\Aabc\\z").find("abc\n")).isFalse();
		// possessive quantifier
		assertThat(Regex.compile("a++a").find("aaaa")).isFalse();
		// Ruby's $ and ^ are line anchors
		assertThat(Regex.compile("^b$").find("a\nb\nc")).isTrue();
		// Ruby's /m: dot matches newline
		assertThat(Regex.compile("/a.b/m").find("a\nb")).isTrue();
		assertThat(Regex.compile("/a.b/").find("a\nb")).isFalse();
	}

	@Test
	void slashFormsAsFluentBit() {
		assertThat(Regex.compile("/abc/i").find("xABCx")).isTrue();
		assertThat(Regex.compile("/abc/").find("abc")).isTrue();
		assertThat(Regex.compile("/ab c/x").find("abc")).isTrue();
		// an unknown flag makes the whole text the pattern
		assertThat(Regex.compile("/abc/q").find("abc")).isFalse();
		assertThat(Regex.compile("/abc/q").find("/abc/q")).isTrue();
		// only 'o': kept as written (no trailing slash to strip)
		assertThat(Regex.compile("/abc/o").find("/abc/o")).isTrue();
	}

	@Test
	void matchesAtStartAndGroups() {
		Regex r = Regex.compile("b(c)");
		assertThat(r.matchesAtStart("bcd")).isTrue();
		assertThat(r.matchesAtStart("abc")).isFalse();
		assertThat(r.groups("abc")).containsExactly("bc", "c");
	}

	@Test
	void utf8AndBytePositions() {
		Regex r = Regex.compile("(?<w>é+)");
		assertThat(r.captures("aééb")).containsEntry("w", "éé");
		byte[] b = "xéy".getBytes(StandardCharsets.UTF_8);
		Regex.Match m = Regex.compile("é").search(b, 0, b.length);
		assertThat(m.start(0)).isEqualTo(1);
		assertThat(m.end(0)).isEqualTo(3);
		// positions are in the searched array, also when the search starts inside it
		byte[] c = "zzzzabbbc".getBytes(StandardCharsets.UTF_8);
		Regex.Match n = Regex.compile("(?<x>b+)").search(c, 4, 5);
		assertThat(n.start(1)).isEqualTo(5);
		assertThat(n.end(1)).isEqualTo(8);
		assertThat(n.text(1)).isEqualTo("bbb");
		assertThat(Regex.compile("^a").find(c, 4, 5)).isTrue();
	}

	@Test
	void duplicateNamesAndUnmatchedGroups() {
		Regex r = Regex.compile("(?<a>x)|(?<a>y)|(?<b>z)");
		assertThat(r.groupNames()).containsExactly("a", "b");
		assertThat(r.captures("y")).containsEntry("a", "y").containsEntry("b", null);
	}

	@Test
	void invalidPatternNamesTheSource() {
		assertThatThrownBy(() -> Regex.compile("(?<x>abc")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("(?<x>abc");
	}
}
