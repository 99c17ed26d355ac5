package dev.sluice.plugins.filter.type_converter;

import java.math.BigInteger;
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

/** From Fluent Bit's tests/runtime/filter_type_converter.c and flb_typecast. */
class TypeConverterFilterTest {

	private static Map<String, Object> one(Map<String, Object> in, String... props) {
		try (Run r = FilterTestSupport.run("type_converter", props)) {
			r.push(in);
			return r.bodies(1).get(0);
		}
	}

	@Test
	void stringToNumbersAndBool() {
		Map<String, Object> out = one(rec("s", "123", "f", "1.5x", "b", "TRUE", "h", "0xff"), "str_key", "s s_int int",
				"str_key", "s s_uint uint", "str_key", "f f_float float", "str_key", "b b_bool bool", "str_key",
				"h h_hex hex");
		assertThat(out.toString())
			.isEqualTo("{s=123, f=1.5x, b=TRUE, h=0xff, s_int=123, s_uint=123, f_float=1.5, b_bool=true, h_hex=255}");
	}

	@Test
	void intUintFloatToOthers() {
		Map<String, Object> out = one(rec("i", -5L, "u", 7L, "d", 2.0, "e", 0.1), "int_key", "i i_str string",
				"int_key", "i i_float float", "uint_key", "u u_str string", "float_key", "d d_str string", "float_key",
				"e e_str string", "float_key", "d d_int int");
		assertThat(out.toString())
			.isEqualTo("{i=-5, u=7, d=2.0, e=0.1, i_str=-5, i_float=-5.0, u_str=7, d_str=2.0, e_str=0.1, d_int=2}");
	}

	@Test
	void negativeIntToUintWraps() {
		assertThat(one(rec("i", -1L), "int_key", "i u uint").get("u")).isEqualTo(new BigInteger("18446744073709551615"));
	}

	@Test
	void failedConversionAppendsTheOriginalValue() {
		// "abc" is 0 as an integer: Fluent Bit treats that as a failure; a run where nothing
		// converted is passed on untouched
		assertThat(one(rec("s", "abc"), "str_key", "s n int").toString()).isEqualTo("{s=abc}");
		TypeConverterConfig c = new TypeConverterConfig();
		c.strKey = List.of(List.of("s", "n", "int"));
		TypeConverterFilter f = new TypeConverterFilter();
		FakeFilterContext ctx = new FakeFilterContext();
		f.init(c, ctx);
		var out = f.filter(FilterTestSupport.events(rec("s", "abc"), rec("s", "7")), "t", ctx).decode();
		assertThat(out.get(0).body().toString()).isEqualTo("{s=abc, n=abc}");
		assertThat(out.get(1).body().toString()).isEqualTo("{s=7, n=7}");
		// the source type must be the rule's kind
		assertThat(one(rec("s", 5L), "str_key", "s n int").toString()).isEqualTo("{s=5}");
	}

	@Test
	void recordAccessorSourceAndRuleOrderByKind() {
		// rules of str_key run before int_key whatever the order written
		Map<String, Object> out = one(rec("a", rec("b", "42"), "n", 1L), "int_key", "n n_str string", "str_key",
				"$a['b'] ab int");
		assertThat(out.keySet()).containsExactly("a", "n", "ab", "n_str");
	}

	@Test
	void missingKeyLeavesTheRecord() {
		assertThat(one(rec("x", "1"), "str_key", "s n int")).isEqualTo(rec("x", "1"));
	}

	@Test
	void toKeyIsAppendedEvenWhenPresent() {
		TypeConverterConfig c = new TypeConverterConfig();
		c.strKey = List.of(List.of("n", "n", "int"));
		TypeConverterFilter f = new TypeConverterFilter();
		FakeFilterContext ctx = new FakeFilterContext();
		f.init(c, ctx);
		EventBytes out = f.filter(FilterTestSupport.events(rec("n", "12")), "t", ctx);
		assertThat(FilterTestSupport.rawKeys(out)).containsExactly(List.of("n", "n"));
	}

	@Test
	void typeNamesArePrefixesAndUnknownOnesAreIgnored() {
		assertThat(Typecast.type("INT")).isEqualTo(Typecast.Type.INT);
		assertThat(Typecast.type("str")).isEqualTo(Typecast.Type.STRING);
		assertThat(Typecast.type("integer")).isNull();
		assertThatThrownBy(() -> FilterTestSupport.run("type_converter", "str_key", "a b integer"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("no rules");
	}

	@Test
	void cNumberParsing() {
		assertThat(Typecast.strtol("  42abc", 10, true)).isEqualTo(42);
		assertThat(Typecast.strtol("99999999999999999999", 10, true)).isEqualTo(Long.MAX_VALUE);
		assertThat(Typecast.atof("3.5e2xyz")).isEqualTo(350.0);
		assertThat(Typecast.atof("x")).isEqualTo(0.0);
	}
}
