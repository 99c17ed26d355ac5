package dev.sluice.plugins.filter.expect;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.plugins.filter.FakeFilterContext;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From Fluent Bit's tests/runtime/filter_expect.c. */
class ExpectFilterTest {

	private static ExpectFilter filter(FakeFilterContext ctx) {
		ExpectFilter f = new ExpectFilter();
		ExpectConfig c = new ExpectConfig();
		f.init(c, ctx);
		return f;
	}

	private static final Map<String, Object> RECORD = rec("key", "val", "nil", null, "nest", rec("sub", "v"), "n", 1L);

	@Test
	void rulesThatHold() {
		ExpectFilter f = filter(new FakeFilterContext("key_exists", "key", "key_exists", "$nest['sub']", "key_not_exists",
				"nope", "key_val_is_null", "nil", "key_val_is_not_null", "key", "key_val_eq", "key val", "key_val_eq",
				"n 2"));
		assertThat(f.check(RECORD, new FakeFilterContext())).isTrue();
	}

	@Test
	void rulesThatFail() {
		for (String[] rule : new String[][] { { "key_exists", "missing" }, { "key_not_exists", "key" },
				{ "key_val_is_null", "key" }, { "key_val_is_null", "missing" }, { "key_val_is_not_null", "nil" },
				{ "key_val_eq", "key other" }, { "key_val_eq", "missing x" } }) {
			ExpectFilter f = filter(new FakeFilterContext(rule));
			assertThat(f.check(RECORD, new FakeFilterContext())).as(String.join(" ", rule)).isFalse();
		}
	}

	@Test
	void warnPassesRecordsUnchanged() {
		try (Run r = FilterTestSupport.run("expect", "key_exists", "must")) {
			r.push(rec("other", "x"));
			assertThat(r.bodies(1)).containsExactly(rec("other", "x"));
		}
	}

	@Test
	void resultKeyPrependsTheOutcome() {
		try (Run r = FilterTestSupport.run("expect", "key_exists", "must", "action", "result_key")) {
			r.push(rec("must", "x")).push(rec("other", "x"));
			assertThat(r.bodies(2)).extracting(Object::toString)
				.containsExactly("{matched=true, must=x}", "{matched=false, other=x}");
		}
		try (Run r = FilterTestSupport.run("expect", "key_exists", "must", "action", "result_key", "result_key", "ok")) {
			r.push(rec("must", "x"));
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{ok=true, must=x}");
		}
	}

	@Test
	void resultKeyOutcomeIsForTheWholeRun() {
		FakeFilterContext ctx = new FakeFilterContext("key_exists", "must", "action", "result_key");
		ExpectFilter f = filter(ctx);
		var out = f.filter(FilterTestSupport.events(rec("must", 1L), rec("x", 1L)), "t", ctx).decode();
		assertThat(out).extracting((e) -> e.body().get("matched")).containsExactly(false, false);
	}

	@Test
	void exitAsksTheServiceToStop() {
		FakeFilterContext ctx = new FakeFilterContext("key_exists", "must", "action", "exit");
		ExpectFilter f = filter(ctx);
		assertThat(f.filter(FilterTestSupport.events(rec("x", 1L)), "t", ctx)).isNull();
		assertThat(ctx.shutdownRequested).isTrue();
	}

	@Test
	void exitStopsTheEmbeddedService() throws InterruptedException {
		Run r = FilterTestSupport.run("expect", "key_exists", "must", "action", "exit");
		r.push(rec("x", 1L));
		assertThat(r.sluice().awaitStopped(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		r.close();
	}

	@Test
	void badActionIsAnInitError() {
		assertThatThrownBy(() -> FilterTestSupport.run("expect", "key_exists", "a", "action", "explode"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("unexpected 'action' value 'explode'");
	}
}
