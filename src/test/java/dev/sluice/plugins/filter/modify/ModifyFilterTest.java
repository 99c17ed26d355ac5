package dev.sluice.plugins.filter.modify;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expectations from Fluent Bit's tests/runtime/filter_modify.c, with exact output records. */
class ModifyFilterTest {

	/** Runs one record through a modify filter with the given properties; returns it in key order. */
	private static String one(Map<String, Object> in, String... props) {
		try (Run r = FilterTestSupport.run("modify", props)) {
			r.push(in);
			return r.bodies(1).get(0).toString();
		}
	}

	@Test
	void setAppendsANewKey() {
		assertThat(one(rec("k", "sample"), "set", "test_key test_value")).isEqualTo("{k=sample, test_key=test_value}");
	}

	@Test
	void setReplacesAndMovesTheKeyToTheEnd() {
		assertThat(one(rec("k", "sample", "z", "1"), "set", "k test_value")).isEqualTo("{z=1, k=test_value}");
	}

	@Test
	void remove() {
		assertThat(one(rec("k", "sample", "remove", "sample to remove"), "remove", "remove")).isEqualTo("{k=sample}");
	}

	@Test
	void removeWildcardMatchesKeysStartingWithTheText() {
		assertThat(one(rec("k1", "sample1", "k2", "sample2", "a3", "sample3"), "remove_wildcard", "k"))
			.isEqualTo("{a3=sample3}");
	}

	@Test
	void removeRegex() {
		assertThat(one(rec("k1", "sample1", "k2", "sample2", "A3", "sample3"), "remove_regex", "^[a-z][0-9]$"))
			.isEqualTo("{A3=sample3}");
	}

	@Test
	void renameOnlyWhenTheTargetIsAbsent() {
		Map<String, Object> in = rec("k1", "sample1", "k2", "sample2", "A3", "sample3");
		assertThat(one(in, "rename", "A3 k2")).isEqualTo("{k1=sample1, k2=sample2, A3=sample3}");
		assertThat(one(in, "rename", "A3 a3")).isEqualTo("{k1=sample1, k2=sample2, a3=sample3}");
	}

	@Test
	void hardRenameOverwrites() {
		Map<String, Object> in = rec("k1", "sample1", "k2", "sample2");
		assertThat(one(in, "hard_rename", "k2 k1")).isEqualTo("{k1=sample2}");
		assertThat(one(in, "hard_rename", "k2 k3")).isEqualTo("{k1=sample1, k3=sample2}");
	}

	@Test
	void copyInsertsRightAfterTheSource() {
		Map<String, Object> in = rec("k1", "sample1", "k2", "sample2");
		assertThat(one(in, "copy", "k1 k2")).isEqualTo("{k1=sample1, k2=sample2}");
		assertThat(one(in, "copy", "k1 k3")).isEqualTo("{k1=sample1, k3=sample1, k2=sample2}");
	}

	@Test
	void hardCopyReplacesTheTarget() {
		Map<String, Object> in = rec("k1", "sample1", "k2", "sample2");
		assertThat(one(in, "hard_copy", "k1 k2")).isEqualTo("{k1=sample1, k2=sample1}");
		assertThat(one(in, "hard_copy", "k1 k3")).isEqualTo("{k1=sample1, k3=sample1, k2=sample2}");
	}

	@Test
	void addOnlyWhenAbsent() {
		assertThat(one(rec("a", "1"), "add", "a 2", "add", "b 3")).isEqualTo("{a=1, b=3}");
	}

	@Test
	void moveToStartAndEnd() {
		Map<String, Object> in = rec("a", "1", "ba", "2", "c", "3", "bb", "4");
		assertThat(one(in, "move_to_start", "b")).isEqualTo("{ba=2, bb=4, a=1, c=3}");
		assertThat(one(in, "Move_To_End", "a")).isEqualTo("{ba=2, c=3, bb=4, a=1}");
	}

	@Test
	void rulesApplyInTheOrderWritten() {
		assertThat(one(rec("a", "1"), "rename", "a b", "set", "a x", "copy", "b c")).isEqualTo("{b=1, c=1, a=x}");
		assertThat(one(rec("a", "1"), "set", "a x", "rename", "a b", "copy", "b c")).isEqualTo("{b=x, c=x}");
	}

	@Test
	void quotedValuesMayHoldSpaces() {
		assertThat(one(rec("a", "1"), "set", "msg \"hello world\"")).isEqualTo("{a=1, msg=hello world}");
	}

	@Test
	void conditions() {
		Map<String, Object> in = rec("k1", "sample1", "k2", "sample2");
		assertThat(one(in, "condition", "key_exists k1", "copy", "k1 k3_copy")).contains("k3_copy=sample1");
		assertThat(one(in, "condition", "Key_Does_Not_Exist k3", "copy", "k1 k3")).contains("k3=sample1");
		assertThat(one(in, "condition", "key_does_not_exist k1", "copy", "k1 k3")).doesNotContain("k3");
		Map<String, Object> c = rec("aa", "sample1", "bb", "sample2", "c1", "sample3");
		assertThat(one(c, "condition", "a_key_matches ^[a-z][0-9]$", "copy", "c1 c1_matched"))
			.contains("c1_matched=sample3");
		assertThat(one(c, "condition", "no_key_matches ^[0-9]$", "copy", "c1 no_matches")).contains("no_matches=sample3");
		assertThat(one(c, "condition", "key_value_equals bb sample2", "copy", "c1 no_matches"))
			.contains("no_matches=sample3");
		assertThat(one(c, "condition", "key_value_does_not_equal bb sample3", "copy", "c1 no_matches"))
			.contains("no_matches=sample3");
		assertThat(one(rec("k1", "sample1", "k2", "z2"), "condition", "key_value_matches k2 ^[a-z][0-9]$", "copy",
				"k1 matches")).contains("matches=sample1");
		assertThat(one(rec("k1", "sample1", "k2", "22"), "condition", "key_value_does_not_match k2 ^[a-z][0-9]$",
				"copy", "k1 no_matches")).contains("no_matches=sample1");
		assertThat(one(rec("k1", "n1", "k2", "n3"), "condition",
				"matching_keys_have_matching_values ^[a-z][0-9]$ ^[a-z][0-9]$", "copy", "k1 matches"))
			.contains("matches=n1");
		assertThat(one(rec("k1", "aa", "k2", "bb"), "condition",
				"matching_keys_do_not_have_matching_values ^[a-z][0-9]$ ^[a-z][0-9]$", "copy", "k1 no_matches"))
			.contains("no_matches=aa");
	}

	@Test
	void conditionsOnNestedKeys() {
		assertThat(one(rec("k1", "s", "nest", rec("k1", "nest")), "condition", "key_exists $nest['k1']", "add",
				"key found")).contains("key=found");
		assertThat(one(rec("k1", "s", "nest", rec("k", "s")), "condition", "key_does_not_exist $nest['k1']", "add",
				"key not_found")).contains("key=not_found");
		assertThat(one(rec("nest", rec("k1", "sample2")), "condition", "key_value_equals $nest['k1'] sample2", "add",
				"key found")).contains("key=found");
		assertThat(one(rec("nest", rec("k1", "sample3")), "condition",
				"key_value_does_not_equal $nest['k1'] sample2", "add", "key not_found")).contains("key=not_found");
		assertThat(one(rec("nest", rec("k2", "z2")), "condition", "key_value_matches $nest['k2'] ^[a-z][0-9]$", "add",
				"kv matches")).contains("kv=matches");
		assertThat(one(rec("nest", rec("k2", "22")), "condition",
				"key_value_does_not_match $nest['k2'] ^[a-z][0-9]$", "add", "kv no_matches")).contains("kv=no_matches");
	}

	@Test
	void valueConditionsOnAMissingKeyFail() {
		assertThat(one(rec("a", "1"), "condition", "key_value_does_not_equal b x", "add", "c 1")).isEqualTo("{a=1}");
		assertThat(one(rec("a", "1"), "condition", "key_value_does_not_match b x", "add", "c 1")).isEqualTo("{a=1}");
	}

	@Test
	void conditionChain() {
		assertThat(one(rec("k1", "sample"), "condition", "key_exists k1", "condition", "key_does_not_exist k2", "add",
				"k2 sample_2", "condition", "a_key_matches ^[a-z]1$", "add", "k3 3", "condition",
				"no_key_matches ^[0-9]$", "condition", "key_value_equals k1 sample", "add", "k4 4", "condition",
				"key_value_does_not_equal k1 sampl", "condition", "key_value_matches k1 ^[a-z]+$", "condition",
				"key_value_does_not_match k1 aa", "condition", "matching_keys_have_matching_values ^[a-z][0-9]$ ^[a-z]+$",
				"condition", "matching_keys_do_not_have_matching_values ^[a-z][0-9]$ ^[a-z][0-9]$", "add", "k5 5"))
			.isEqualTo("{k1=sample, k2=sample_2, k3=3, k4=4, k5=5}");
	}

	@Test
	void unmatchedRecordsAreNotDropped() {
		// https://github.com/fluent/fluent-bit/issues/1077
		try (Run r = FilterTestSupport.run("modify", "condition", "key_value_equals cond true", "add", "data matched")) {
			r.push(rec("cond", "false", "data", "something")).push(rec("cond", "true", "data", "something"))
				.push(rec("data", "something"));
			List<Map<String, Object>> out = r.bodies(3);
			assertThat(out).hasSize(3);
			assertThat(out.get(0).toString()).isEqualTo("{cond=false, data=something}");
			assertThat(out.get(1).toString()).isEqualTo("{cond=true, data=something}");
		}
	}

	@Test
	void invalidConfigurationsAreInitErrors() {
		assertThatThrownBy(() -> FilterTestSupport.run("modify", "condition", "no_such_condition a")).isInstanceOf(
				ConfigException.class)
			.hasMessageContaining("Invalid config for condition");
		assertThatThrownBy(() -> FilterTestSupport.run("modify", "set", "onlykey")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("Invalid operation set");
		assertThatThrownBy(() -> FilterTestSupport.run("modify", "remove_regex", "(bad")).isInstanceOf(
				ConfigException.class)
			.hasMessageContaining("(bad");
	}
}
