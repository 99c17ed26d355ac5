package dev.sluice.plugins.filter.rewrite_tag;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.filter.FakeFilterContext;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From Fluent Bit's tests/runtime/filter_rewrite_tag.c and the rewrite_tag docs. */
class RewriteTagFilterTest {

	/** lib (tag t) → rewrite_tag (match t) → lib.0 (match the new tag) and lib.1 (match t). */
	private static Run pipeline(String newTagMatch, String... props) {
		String[] kv = new String[props.length + 2];
		kv[0] = "match";
		kv[1] = "t";
		System.arraycopy(props, 0, kv, 2, props.length);
		return FilterTestSupport.start(FilterTestSupport.builder()
			.filter("rewrite_tag", kv)
			.output("lib", "match", newTagMatch)
			.output("lib", "match", "t"));
	}

	@Test
	void matchedRecordIsReEmittedUnderTheNewTag() {
		try (Run r = pipeline("updated", "rule", "$key ^(rewrite)$ updated false")) {
			r.push(rec("key", "rewrite")).push(rec("key", "other"));
			List<LogEvent> updated = r.await(1);
			assertThat(updated).hasSize(1);
			assertThat(updated.get(0).body()).isEqualTo(rec("key", "rewrite"));
			assertThat(updated.get(0).time()).isEqualTo(FilterTestSupport.T0);
			assertThat(r.out("lib.1").events()).extracting(LogEvent::body).containsExactly(rec("key", "other"));
			assertThat(r.filter("rewrite_tag.0").metrics().dropRecords.sum()).isEqualTo(1);
			assertThat(r.sluice().input("emitter_for_rewrite_tag.0").metrics().records.sum()).isEqualTo(1);
		}
	}

	@Test
	void keepTrueKeepsTheOriginalToo() {
		try (Run r = pipeline("updated", "rule", "$key ^(rewrite)$ updated true")) {
			r.push(rec("key", "rewrite"));
			r.await(1);
			assertThat(r.out("lib.1").events()).hasSize(1);
			assertThat(r.out().events()).hasSize(1);
		}
	}

	@Test
	void capturesTagPartsAndRecordValuesComposeTheTag() {
		try (Run r = pipeline("app.*", "rule",
				"$log ^(\\w+)\\s(\\w+) app.$1.$TAG.$TAG[0].$kubernetes['ns'].$2 false")) {
			r.push(rec("log", "hello world", "kubernetes", rec("ns", "prod")));
			assertThat(r.await(1)).hasSize(1);
		}
		try (Run r = pipeline("app.hello.t.t.prod.world", "rule",
				"$log ^(\\w+)\\s(\\w+) app.$1.$TAG.$TAG[0].$kubernetes['ns'].$2 false")) {
			r.push(rec("log", "hello world", "kubernetes", rec("ns", "prod")));
			assertThat(r.await(1)).hasSize(1);
		}
	}

	@Test
	void firstMatchingRuleWins() {
		try (Run r = pipeline("first", "rule", "$a ^x first false", "rule", "$a ^x second false")) {
			r.push(rec("a", "x"));
			assertThat(r.await(1)).hasSize(1);
		}
	}

	@Test
	void recordsReEmittedDoNotLoopThroughTheSameFilter() {
		// Match * would match the new tag too; the emitted record skips its own filter
		try (Run r = FilterTestSupport.start(FilterTestSupport.builder()
			.filter("rewrite_tag", "match", "*", "rule", "$key ^(loop)$ t.again false")
			.output("lib", "match", "*"))) {
			r.push(rec("key", "loop"));
			List<LogEvent> out = r.await(1);
			assertThat(out).hasSize(1);
			assertThat(r.sluice().input("emitter_for_rewrite_tag.0").metrics().records.sum()).isEqualTo(1);
		}
	}

	@Test
	void twoRewriteTagFiltersEachEmit() {
		// issue 4518: each filter re-emits its own records; originals are kept
		try (Run r = FilterTestSupport.start(FilterTestSupport.builder()
			.filter("rewrite_tag", "match", "t", "rule", "$test2 ^(true)$ updated true")
			.filter("rewrite_tag", "match", "t", "rule", "$test3 ^(true)$ updated true")
			.output("lib", "match", "*"))) {
			for (int i = 0; i < 2; i++) {
				r.push(rec("msg", "DEBUG", "val", "" + i, "test2", "true"));
				r.push(rec("msg", "ERROR", "val", "" + i, "test3", "true"));
			}
			assertThat(r.await(8)).hasSize(8);
		}
	}

	@Test
	void issue4793EveryRecordArrivesOnce() {
		try (Run r = FilterTestSupport.start(FilterTestSupport.builder()
			.filter("rewrite_tag", "match", "t", "rule", "$destination ^(server)$ updated false")
			.output("lib", "match", "*"))) {
			for (int i = 0; i < 4; i++) {
				r.push(rec("val", "" + i, "destination", "server"));
				r.push(rec("val", "" + (i + 1), "destination", "other"));
			}
			assertThat(r.await(8)).hasSize(8);
		}
	}

	@Test
	void tagAsRuleKeyNeverMatches() {
		try (Run r = pipeline("updated", "rule", "$TAG ^(t)$ updated false")) {
			r.push(rec("TAG", "t"));
			Run run = r;
			dev.sluice.testing.Await.until(FilterTestSupport.DEADLINE, "original kept",
					() -> run.out("lib.1").events().size() == 1);
			assertThat(r.drained()).isEmpty();
		}
	}

	@Test
	void nonStringValuesDoNotMatch() {
		try (Run r = pipeline("updated", "rule", "$n ^1$ updated false")) {
			r.push(rec("n", 1L));
			Run run = r;
			dev.sluice.testing.Await.until(FilterTestSupport.DEADLINE, "original kept",
					() -> run.out("lib.1").events().size() == 1);
			assertThat(r.drained()).isEmpty();
		}
	}

	@Test
	void busyEmitterKeepsTheOriginal() {
		RewriteTagConfig c = new RewriteTagConfig();
		c.rule = List.of(List.of("$key", "^x$", "new", "false"));
		c.emitterStorageType = "memory";
		RewriteTagFilter f = new RewriteTagFilter();
		FakeFilterContext ctx = new FakeFilterContext();
		f.init(c, ctx);
		ctx.emitterAccepts = false;
		assertThat(f.filter(FilterTestSupport.events(rec("key", "x")), "t", ctx)).isNull();
		ctx.emitterAccepts = true;
		var out = f.filter(FilterTestSupport.events(rec("key", "x"), rec("key", "y")), "t", ctx);
		assertThat(out.records()).isEqualTo(1);
		assertThat(ctx.emitted).hasSize(1);
		assertThat(ctx.emitted.get(0).getKey()).isEqualTo("new");
		assertThat(ctx.emitted.get(0).getValue().decode().get(0).body()).isEqualTo(Map.of("key", "x"));
	}

	@Test
	void emitterNameAndErrors() {
		try (Run r = pipeline("updated", "rule", "$key ^(rewrite)$ updated false", "emitter_name", "my_emitter",
				"emitter_mem_buf_limit", "1M")) {
			assertThat(r.sluice().input("my_emitter").memBufLimit()).isEqualTo(1_000_000);
		}
		assertThatThrownBy(() -> pipeline("x", "rule", "$key (bad x false")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("could not compile regex pattern '(bad'");
		assertThatThrownBy(() -> pipeline("x", "rule", "$key ^a$ x")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("expected 'KEY REGEX NEW_TAG KEEP'");
		assertThatThrownBy(() -> pipeline("x", "emitter_name", "e")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("no rules");
		assertThatThrownBy(() -> pipeline("x", "rule", "$key ^a$ x false", "emitter_storage.type", "disk"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("emitter_storage.type");
		assertThatThrownBy(() -> FilterTestSupport.start(FilterTestSupport.builder()
			.input("lib", "alias", "taken")
			.filter("rewrite_tag", "match", "t", "rule", "$key ^a$ x false", "emitter_name", "taken")
			.output("lib", "match", "*"))).isInstanceOf(ConfigException.class)
			.hasMessageContaining("emitter_name 'taken' already exists");
	}

	@Test
	void templateTranslation() {
		TagTemplate t = TagTemplate.parse("$TAG[1].$0.$x.$m.$b.$n.$f.lit");
		Map<String, Object> rec = rec("x", 12L, "m", rec("a", 1L), "b", true, "n", null, "f", 1.5);
		assertThat(t.translate("a.b.c", rec, new String[] { "whole" })).isEqualTo("b.whole.12.{\"a\":1}.true.null.1.500000.lit");
		assertThat(TagTemplate.parse("$TAG[5]x").translate("a.b", rec, null)).isEqualTo("x");
		assertThat(TagTemplate.parse("$TAG[0]").translate("nodots", rec, null)).isEqualTo("nodots");
		assertThat(TagTemplate.parse("$missing.y").translate("t", rec, null)).isEqualTo(".y");
		assertThat(TagTemplate.parse("plain").translate("t", rec, null)).isEqualTo("plain");
	}
}
