package dev.sluice.plugins.filter.lua;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code lua} filter: calls {@code call(tag, timestamp, record)} of a script
 * ({@code script} file or inline {@code code}) for every record and acts on its three results
 * {@code code, timestamp, record}: {@code -1} drops the record, {@code 0} keeps it unchanged,
 * {@code 1} replaces record and timestamp, {@code 2} replaces the record and keeps the timestamp;
 * any other code keeps the record (logged). A record returned as an array of tables becomes
 * several records with the same timestamp and metadata. The timestamp is a float of seconds, or a
 * table {@code {sec=, nsec=}} with {@code time_as_table}.
 *
 * <p>A runtime error in the script is logged ({@code error code 2: ...}), counted in the
 * instance's error metric, and the whole run of records is passed on unchanged, as Fluent Bit does
 * in protected mode; an invalid returned table does the same. Without protected mode Fluent Bit
 * would abort the process; Sluice behaves as in protected mode.
 *
 * <p>The interpreter is LuaJ (Lua 5.2) rather than LuaJIT (Lua 5.1). The instance has one Lua
 * state, as Fluent Bit has, so globals persist across calls; calls from several input threads are
 * serialised on it.
 */
@Plugin(kind = PluginKind.FILTER, name = "lua", description = "Lua Scripting Filter", config = LuaConfig.class)
public final class LuaFilter implements FilterPlugin<LuaConfig> {

	private final Object lock = new Object();

	private Globals globals;

	private LuaValue function;

	private LuaValues values;

	private String call;

	private String script;

	private boolean timeAsTable;

	private boolean protectedMode;

	@Override
	public void init(LuaConfig config, FilterContext context) throws IOException {
		if (config.code == null && config.script == null) {
			throw new IllegalArgumentException("plugin needs a Lua script, either 'script' or 'code' must be set");
		}
		if (config.call == null) {
			throw new IllegalArgumentException("no call property defined");
		}
		this.call = config.call;
		this.timeAsTable = config.timeAsTable;
		this.protectedMode = config.protectedMode;
		this.values = new LuaValues(config.enableFlbNull, keys(config.typeIntKey), keys(config.typeArrayKey));
		String source;
		String chunk;
		if (config.code != null) {
			source = config.code;
			chunk = "fluentbit.lua";
			this.script = "fluentbit.lua";
		}
		else {
			Path p = Path.of(config.script);
			if (!Files.isReadable(p)) {
				throw new IllegalArgumentException("cannot access script '" + config.script + "'");
			}
			source = Files.readString(p, StandardCharsets.UTF_8);
			chunk = config.script;
			this.script = config.script;
		}
		Globals g = JsePlatform.standardGlobals();
		LuaTable env = new LuaTable();
		System.getenv().forEach((k, v) -> env.set(k, v));
		g.set("FLB_ENV", env);
		if (config.enableFlbNull) {
			g.set("flb_null", LuaValues.FLB_NULL);
		}
		LuaValue main;
		try {
			main = g.load(source, "@" + chunk);
		}
		catch (LuaError ex) {
			throw new IllegalArgumentException("[luajit] error loading script: " + ex.getMessage(), ex);
		}
		try {
			main.call();
		}
		catch (LuaError ex) {
			throw new IllegalArgumentException("[luajit] invalid lua content, error=2: " + ex.getMessage(), ex);
		}
		LuaValue f = g.get(this.call);
		if (!f.isfunction()) {
			throw new IllegalArgumentException("function " + this.call + " is not found");
		}
		this.globals = g;
		this.function = f;
		if (!this.protectedMode) {
			context.log().debug("protected_mode is off: a script error still only fails the run of records");
		}
	}

	private static Set<String> keys(String s) {
		Set<String> out = new LinkedHashSet<>();
		if (s != null) {
			for (String k : s.strip().split("\\s+")) {
				if (!k.isEmpty()) {
					out.add(k);
				}
			}
		}
		return out;
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		List<FilterEvents.Slice> slices;
		try {
			slices = FilterEvents.slices(events);
		}
		catch (RuntimeException ex) {
			context.log().warn("cannot decode events with tag '{}', passing them on: {}", tag, ex.getMessage());
			return null;
		}
		synchronized (this.lock) {
			try {
				return run(events, slices, tag, context);
			}
			catch (LuaError | StackOverflowError ex) {
				context.log().error("error code 2: {}", ex.getMessage());
				context.reportError();
				return null;
			}
		}
	}

	private EventBytes run(EventBytes events, List<FilterEvents.Slice> slices, String tag, FilterContext context) {
		EventEncoder enc = new EventEncoder();
		LuaValue luaTag = LuaValue.valueOf(tag);
		for (FilterEvents.Slice s : slices) {
			LogEvent e = s.event();
			EventTime t = e.time();
			double ts = t.seconds() + t.nanos() / 1e9;
			LuaValue luaTime;
			if (this.timeAsTable) {
				LuaTable tt = new LuaTable(0, 2);
				tt.set("sec", LuaValue.valueOf((double) t.seconds()));
				tt.set("nsec", LuaValue.valueOf(t.nanos()));
				luaTime = tt;
			}
			else {
				luaTime = LuaValue.valueOf(ts);
			}
			Varargs r = this.function.invoke(LuaValue.varargsOf(luaTag, luaTime, this.values.toLua(e.body())));
			LuaValue code = r.arg(1);
			LuaValue rts = r.arg(2);
			LuaValue record = r.arg(3);
			Object body = this.values.fromLua(record);
			int c = (code.type() == LuaValue.TNUMBER || code.type() == LuaValue.TSTRING) ? (int) code.todouble() : 0;
			if (c == -1) {
				continue;
			}
			if (c != 1 && c != 2) {
				if (c != 0) {
					context.log().error("unexpected Lua script return code {}, original record will be kept.", c);
				}
				FilterEvents.copy(enc, events, s);
				continue;
			}
			EventTime out = t;
			if (c == 1) {
				if (this.timeAsTable) {
					if (rts.istable()) {
						long sec = (long) rts.get("sec").todouble();
						long nsec = (long) rts.get("nsec").todouble();
						out = time(sec, nsec);
					}
					else {
						context.log().error("invalid lua timestamp type returned");
					}
				}
				else {
					out = fromDouble(rts.todouble());
				}
			}
			if (!pack(enc, out, e.metadata(), body)) {
				context.log().error("invalid table returned at {}(), {}", this.call, this.script);
				context.reportError();
				return null;
			}
		}
		return EventBytes.of(enc);
	}

	@SuppressWarnings("unchecked")
	private static boolean pack(EventEncoder enc, EventTime t, Map<String, Object> meta, Object body) {
		if (body instanceof Map<?, ?> m) {
			enc.append(t, meta, (Map<String, Object>) m);
			return true;
		}
		if (body instanceof List<?> list) {
			List<Map<String, Object>> maps = new ArrayList<>();
			for (Object o : list) {
				if (!(o instanceof Map<?, ?> m)) {
					return false;
				}
				maps.add((Map<String, Object>) m);
			}
			for (Map<String, Object> m : maps) {
				enc.append(t, meta, m);
			}
			return true;
		}
		return false;
	}

	/** Fluent Bit's flb_time_from_double: seconds truncated, nanoseconds from the fraction, truncated. */
	static EventTime fromDouble(double d) {
		long sec = (long) d;
		long nsec = (long) ((d - sec) * 1e9);
		return time(sec, nsec);
	}

	private static EventTime time(long sec, long nsec) {
		if (sec < 0) {
			sec = 0;
		}
		if (nsec < 0 || nsec >= 1_000_000_000L) {
			sec += Math.floorDiv(nsec, 1_000_000_000L);
			nsec = Math.floorMod(nsec, 1_000_000_000L);
		}
		return new EventTime(sec, (int) nsec);
	}

	@Override
	public void exit() {
		synchronized (this.lock) {
			this.globals = null;
			this.function = null;
		}
	}
}
