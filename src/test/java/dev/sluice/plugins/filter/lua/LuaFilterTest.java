package dev.sluice.plugins.filter.lua;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigException;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.filter.FakeFilterContext;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** From Fluent Bit's tests/runtime/filter_lua.c and the lua filter docs. */
class LuaFilterTest {

	private static Run lua(String code, String... more) {
		String[] kv = new String[more.length + 4];
		kv[0] = "code";
		kv[1] = code;
		kv[2] = "call";
		kv[3] = "cb";
		System.arraycopy(more, 0, kv, 4, more.length);
		return FilterTestSupport.run("lua", kv);
	}

	@Test
	void modifiedRecordKeepingTheTimestamp() {
		try (Run r = lua("""
				function cb(tag, ts, record)
				  if record["level"] == "debug" then return -1, ts, record end
				  record["env"] = "prod"
				  record["tag"] = tag
				  return 2, ts, record
				end""")) {
			r.push(rec("level", "debug", "i", 1L)).push(rec("level", "info", "i", 2L));
			List<LogEvent> out = r.await(1);
			assertThat(out).hasSize(1);
			assertThat(out.get(0).body()).isEqualTo(rec("level", "info", "i", 2L, "env", "prod", "tag", "t"));
			assertThat(out.get(0).time()).isEqualTo(FilterTestSupport.T0);
			assertThat(r.filter("lua.0").metrics().dropRecords.sum()).isEqualTo(1);
		}
	}

	@Test
	void codeOneReplacesTheTimestamp() {
		try (Run r = lua("function cb(tag, ts, record) return 1, 1700000100.25, {new = \"record\"} end")) {
			r.push(rec("a", "1"));
			LogEvent e = r.await(1).get(0);
			assertThat(e.body()).isEqualTo(rec("new", "record"));
			assertThat(e.time()).isEqualTo(new EventTime(1_700_000_100L, 250_000_000));
		}
	}

	@Test
	void codeZeroKeepsTheRecordUnchanged() {
		try (Run r = lua("function cb(tag, ts, record) record.x = 1 return 0, 0, record end")) {
			r.push(rec("a", "1"));
			assertThat(r.await(1).get(0)).isEqualTo(new LogEvent(FilterTestSupport.T0, Map.of(), rec("a", "1")));
		}
	}

	@Test
	void unexpectedCodeKeepsTheRecord() {
		try (Run r = lua("function cb(tag, ts, record) return 7, ts, {x = 1} end")) {
			r.push(rec("a", "1"));
			assertThat(r.bodies(1)).containsExactly(rec("a", "1"));
		}
	}

	@Test
	void anArrayOfTablesSplitsTheRecord() {
		try (Run r = lua("function cb(tag, ts, record) return 2, ts, {{a = 1}, {a = 2}, {b = \"x\"}} end")) {
			r.push(List.of(new LogEvent(FilterTestSupport.T0, Map.of("m", "v"), rec("in", 1L))));
			List<LogEvent> out = r.await(3);
			assertThat(out).extracting(LogEvent::body).containsExactly(rec("a", 1L), rec("a", 2L), rec("b", "x"));
			assertThat(out).extracting(LogEvent::metadata).containsOnly(Map.of("m", "v"));
			assertThat(r.filter("lua.0").metrics().addRecords.sum()).isEqualTo(2);
		}
	}

	@Test
	void integralNumbersBecomeIntegers() {
		try (Run r = lua("""
				function cb(tag, ts, record)
				  record.i = 3
				  record.f = 3.5
				  record.g = 4.0
				  record.big = record.n * 2
				  record.arr = {1, 2.5, "s", true}
				  record.map = {k = {}}
				  return 2, ts, record
				end""")) {
			r.push(rec("n", 3_000_000_000L));
			Map<String, Object> b = r.bodies(1).get(0);
			assertThat(b.get("i")).isEqualTo(3L);
			assertThat(b.get("f")).isEqualTo(3.5);
			assertThat(b.get("g")).isEqualTo(4L);
			assertThat(b.get("big")).isEqualTo(6_000_000_000L);
			assertThat(b.get("arr")).isEqualTo(List.of(1L, 2.5, "s", true));
			assertThat(b.get("map")).isEqualTo(Map.of("k", Map.of()));
		}
	}

	@Test
	void typeIntKeyAndTypeArrayKey() {
		String code = "function cb(tag, ts, record) record.v = 10.7 record.arr = {} return 2, ts, record end";
		try (Run r = lua(code, "type_int_key", "v", "type_array_key", "arr")) {
			r.push(rec("a", "1"));
			Map<String, Object> b = r.bodies(1).get(0);
			assertThat(b.get("v")).isEqualTo(10L);
			assertThat(b.get("arr")).isEqualTo(List.of());
		}
		try (Run r = lua(code)) {
			r.push(rec("a", "1"));
			Map<String, Object> b = r.bodies(1).get(0);
			assertThat(b.get("v")).isEqualTo(10.7);
			assertThat(b.get("arr")).isEqualTo(Map.of());
		}
	}

	@Test
	void timeAsTable() {
		try (Run r = lua("""
				function cb(tag, ts, record)
				  record.sec = ts.sec
				  record.nsec = ts.nsec
				  return 1, {sec = ts.sec + 1, nsec = 5}, record
				end""", "time_as_table", "on")) {
			r.push(rec("a", "1"));
			LogEvent e = r.await(1).get(0);
			assertThat(e.body()).isEqualTo(rec("a", "1", "sec", 1_700_000_000L, "nsec", 123_456_789L));
			assertThat(e.time()).isEqualTo(new EventTime(1_700_000_001L, 5));
		}
	}

	@Test
	void flbNullKeepsNullValues() {
		String code = "function cb(tag, ts, record) record.isnull = (record.x == flb_null) return 2, ts, record end";
		try (Run r = lua(code, "enable_flb_null", "true")) {
			r.push(rec("x", null, "y", 1L));
			Map<String, Object> b = r.bodies(1).get(0);
			assertThat(b).containsEntry("x", null).containsEntry("isnull", true);
		}
		try (Run r = lua("function cb(tag, ts, record) return 2, ts, record end")) {
			r.push(rec("x", null, "y", 1L));
			assertThat(r.bodies(1).get(0)).isEqualTo(rec("y", 1L));
		}
	}

	@Test
	void runtimeErrorKeepsTheRecordsCountsAndThePipelineLives() {
		try (Run r = lua("""
				function cb(tag, ts, record)
				  if record.boom then error("boom") end
				  record.ok = true
				  return 2, ts, record
				end""")) {
			r.push(rec("boom", true, "i", 1L));
			r.push(rec("i", 2L));
			List<Map<String, Object>> out = r.bodies(2);
			assertThat(out).containsExactly(rec("boom", true, "i", 1L), rec("i", 2L, "ok", true));
			assertThat(r.filter("lua.0").metrics().errors.sum()).isEqualTo(1);
		}
	}

	@Test
	void invalidReturnedTableKeepsTheRecords() {
		try (Run r = lua("function cb(tag, ts, record) return 1, ts, \"not a table\" end")) {
			r.push(rec("a", "1"));
			assertThat(r.bodies(1)).containsExactly(rec("a", "1"));
			assertThat(r.filter("lua.0").metrics().errors.sum()).isEqualTo(1);
		}
	}

	@Test
	void globalsPersistAcrossCalls() {
		try (Run r = lua("n = 0\nfunction cb(tag, ts, record) n = n + 1 record.n = n return 2, ts, record end")) {
			r.push(rec("a", 1L)).push(rec("a", 2L)).push(rec("a", 3L));
			assertThat(r.bodies(3)).extracting((b) -> b.get("n")).containsExactly(1L, 2L, 3L);
		}
	}

	@Test
	void concurrentCallsAreSerialisedOnOneState() throws Exception {
		LuaConfig c = new LuaConfig();
		c.code = "n = 0\nfunction cb(tag, ts, record) n = n + 1 record.n = n return 2, ts, record end";
		c.call = "cb";
		c.protectedMode = true;
		LuaFilter f = new LuaFilter();
		FakeFilterContext ctx = new FakeFilterContext();
		f.init(c, ctx);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<Long>> results = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			results.add(pool.submit(() -> (Long) f.filter(FilterTestSupport.events(rec("a", 1L)), "t", ctx)
				.decode()
				.get(0)
				.body()
				.get("n")));
		}
		List<Long> ns = new ArrayList<>();
		for (Future<Long> fu : results) {
			ns.add(fu.get());
		}
		pool.shutdown();
		assertThat(ns).doesNotHaveDuplicates().hasSize(400);
	}

	@Test
	void scriptFile(@TempDir Path dir) throws Exception {
		Path script = dir.resolve("f.lua");
		Files.writeString(script, "function add(tag, ts, record) record.from = \"file\" return 2, ts, record end");
		try (Run r = FilterTestSupport.run("lua", "script", script.toString(), "call", "add")) {
			r.push(rec("a", "1"));
			assertThat(r.bodies(1)).containsExactly(rec("a", "1", "from", "file"));
		}
	}

	@Test
	void initErrors() {
		assertThatThrownBy(() -> lua("function cb(tag, ts, record) return 1, ts, record")).isInstanceOf(
				ConfigException.class)
			.hasMessageContaining("lua.0")
			.hasMessageContaining("error loading script");
		assertThatThrownBy(() -> lua("function other() end")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("function cb is not found");
		assertThatThrownBy(() -> lua("error('at load')")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("at load");
		assertThatThrownBy(() -> FilterTestSupport.run("lua", "call", "cb")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("either 'script' or 'code'");
		assertThatThrownBy(() -> FilterTestSupport.run("lua", "script", "/no/such/file.lua", "call", "cb"))
			.isInstanceOf(ConfigException.class)
			.hasMessageContaining("cannot access script '/no/such/file.lua'");
		assertThatThrownBy(() -> FilterTestSupport.run("lua", "code", "x = 1")).isInstanceOf(ConfigException.class)
			.hasMessageContaining("no call property defined");
	}

	@Test
	void timeFromDoubleTruncatesAsFluentBit() {
		assertThat(LuaFilter.fromDouble(1.5)).isEqualTo(new EventTime(1, 500_000_000));
		assertThat(LuaFilter.fromDouble(0)).isEqualTo(EventTime.ZERO);
	}
}
