package dev.sluice.plugins.filter.nest;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigException;
import dev.sluice.event.EventBytes;
import dev.sluice.plugins.filter.FakeFilterContext;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From Fluent Bit's nest docs and tests/runtime/filter_nest.c. */
class NestFilterTest {

	private static final Map<String, Object> MEM = rec("Mem.total", 1016044L, "Mem.used", 841388L, "Mem.free", 174656L,
			"Swap.total", 2064380L, "Swap.used", 139888L, "Swap.free", 1924492L);

	@Test
	void nestMovesMatchingKeysUnderANewKey() {
		try (Run r = FilterTestSupport.run("nest", "Operation", "nest", "Wildcard", "Mem.*", "Nest_under", "Memstats")) {
			r.push(MEM);
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{Swap.total=2064380, Swap.used=139888, "
					+ "Swap.free=1924492, Memstats={Mem.total=1016044, Mem.used=841388, Mem.free=174656}}");
		}
	}

	@Test
	void nestWithExactWildcardAndAddPrefix() {
		try (Run r = FilterTestSupport.run("nest", "Operation", "nest", "Wildcard", "Mem.used", "Wildcard", "Swap.free",
				"Nest_under", "stats", "Add_prefix", "x_")) {
			r.push(MEM);
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{Mem.total=1016044, Mem.free=174656, Swap.total=2064380, "
					+ "Swap.used=139888, stats={x_Mem.used=841388, x_Swap.free=1924492}}");
		}
	}

	@Test
	void liftMovesNestedKeysToTheTopLevel() {
		try (Run r = FilterTestSupport.run("nest", "Operation", "lift", "Nested_under", "Stats", "Remove_prefix",
				"Mem.")) {
			r.push(rec("a", "1", "Stats", rec("Mem.total", 1L, "Swap.total", 2L), "z", "3"));
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{a=1, z=3, total=1, Swap.total=2}");
		}
	}

	@Test
	void nestThenLiftIsTheIdentityOnKeys() {
		var b = FilterTestSupport.builder()
			.filter("nest", "match", "*", "Operation", "nest", "Wildcard", "Mem.*", "Wildcard", "Swap.*", "Nest_under",
					"Stats", "Add_prefix", "NESTED")
			.filter("nest", "match", "*", "Operation", "lift", "Nested_under", "Stats", "Remove_prefix", "NESTED")
			.output("lib", "match", "*");
		try (Run r = FilterTestSupport.start(b)) {
			r.push(MEM);
			assertThat(r.bodies(1).get(0).toString()).isEqualTo(MEM.toString());
		}
	}

	@Test
	void liftOfANonMapValueLeavesTheRecord() {
		try (Run r = FilterTestSupport.run("nest", "Operation", "lift", "Nested_under", "a")) {
			r.push(rec("a", "scalar", "b", 1L));
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{a=scalar, b=1}");
		}
	}

	@Test
	void recordsWithoutMatchPassUntouched() {
		try (Run r = FilterTestSupport.run("nest", "Operation", "nest", "Wildcard", "x*", "Nest_under", "n")) {
			r.push(rec("a", "1"));
			assertThat(r.bodies(1)).containsExactly(rec("a", "1"));
		}
	}

	@Test
	void liftedKeysDoNotReplaceExistingOnes() {
		NestConfig c = new NestConfig();
		c.operation = "lift";
		NestFilter f = new NestFilter();
		FakeFilterContext ctx = new FakeFilterContext("operation", "lift", "nested_under", "n");
		f.init(c, ctx);
		EventBytes out = f.filter(FilterTestSupport.events(rec("a", "1", "n", rec("a", "2"))), "t", ctx);
		assertThat(FilterTestSupport.rawKeys(out)).containsExactly(List.of("a", "a"));
	}

	@Test
	void invalidConfigurations() {
		assertThatThrownBy(() -> FilterTestSupport.run("nest", "Operation", "squash", "Nest_under", "x"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("Expected 'nest' or 'lift'");
		assertThatThrownBy(() -> FilterTestSupport.run("nest", "Wildcard", "a"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("Operation can only be NEST or LIFT");
		assertThatThrownBy(() -> FilterTestSupport.run("nest", "Operation", "lift", "Nested_under", "a", "Add_prefix",
				"x", "Remove_prefix", "y"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("exclusive");
	}
}
