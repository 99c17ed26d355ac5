package dev.sluice.plugins.filter.record_modifier;

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

/** From Fluent Bit's record_modifier docs and tests/runtime/filter_record_modifier.c. */
class RecordModifierFilterTest {

	private static final Map<String, Object> MEM = rec("Mem.total", 1016024L, "Mem.used", 716672L, "Mem.free", 299352L,
			"Swap.total", 2064380L, "Swap.used", 32656L, "Swap.free", 2031724L);

	@Test
	void recordAppendsFields() {
		try (Run r = FilterTestSupport.run("record_modifier", "record", "hostname myhost", "Record",
				"product Awesome_Tool")) {
			r.push(MEM);
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{Mem.total=1016024, Mem.used=716672, Mem.free=299352, "
					+ "Swap.total=2064380, Swap.used=32656, Swap.free=2031724, hostname=myhost, product=Awesome_Tool}");
		}
	}

	@Test
	void removeKeyExactOrPrefixCaseInsensitive() {
		try (Run r = FilterTestSupport.run("record_modifier", "remove_key", "Swap.total", "remove_key", "mem.*")) {
			r.push(MEM);
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{Swap.used=32656, Swap.free=2031724}");
		}
	}

	@Test
	void allowlistKeepsOnlyListedKeysAndWhitelistIsAnAlias() {
		try (Run r = FilterTestSupport.run("record_modifier", "allowlist_key", "Mem.total", "whitelist_key", "Swap.f*")) {
			r.push(MEM);
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{Mem.total=1016024, Swap.free=2031724}");
		}
	}

	@Test
	void aRecordLeftEmptyIsDropped() {
		try (Run r = FilterTestSupport.run("record_modifier", "allowlist_key", "nothing")) {
			r.push(MEM).push(rec("nothing", "x"));
			assertThat(r.bodies(1)).containsExactly(rec("nothing", "x"));
			assertThat(r.filter("record_modifier.0").metrics().dropRecords.sum()).isEqualTo(1);
		}
	}

	@Test
	void uuidKeyAddsAVersion4UuidPerRecord() {
		try (Run r = FilterTestSupport.run("record_modifier", "uuid_key", "uuid")) {
			r.push(rec("a", "1")).push(rec("a", "2"));
			List<Map<String, Object>> out = r.bodies(2);
			String u1 = (String) out.get(0).get("uuid");
			String u2 = (String) out.get(1).get("uuid");
			assertThat(u1).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
			assertThat(u1).isNotEqualTo(u2);
		}
	}

	@Test
	void removeAndAllowlistAreExclusive() {
		assertThatThrownBy(() -> FilterTestSupport.run("record_modifier", "remove_key", "a", "allowlist_key", "b"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("exclusive");
	}

	@Test
	void invalidRecordIsSkipped() {
		try (Run r = FilterTestSupport.run("record_modifier", "record", "onlykey", "record", "k v")) {
			r.push(rec("a", "1"));
			assertThat(r.bodies(1).get(0).toString()).isEqualTo("{a=1, k=v}");
		}
	}

	@Test
	void appendedKeysAreWrittenEvenWhenTheRecordHasThem() {
		RecordModifierConfig c = new RecordModifierConfig();
		c.record = List.of(List.of("a", "new"));
		RecordModifierFilter f = new RecordModifierFilter();
		FakeFilterContext ctx = new FakeFilterContext();
		f.init(c, ctx);
		EventBytes out = f.filter(FilterTestSupport.events(rec("a", "old", "b", "x")), "t", ctx);
		assertThat(FilterTestSupport.rawKeys(out)).containsExactly(List.of("a", "b", "a"));
	}
}
