package dev.sluice.plugins.filter.lua;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * Conversions between record values and Lua values as Fluent Bit's {@code flb_lua} does them.
 * To Lua: integers and floats become numbers, strings, binaries and extensions strings (their
 * bytes), arrays and maps tables, nil {@code nil} (or {@code flb_null} when enabled). From Lua:
 * a number with an integral value becomes an integer, others a float; a table whose largest
 * positive numeric key is an integer N (Lua 5.1's {@code table.maxn}) becomes an array of N
 * values (holes are nil), else a map; {@code type_int_key} / {@code type_array_key} force the
 * values of those keys to an integer or an array.
 */
final class LuaValues {

	/** The {@code flb_null} sentinel. */
	static final LuaValue FLB_NULL = LuaValue.userdataOf(new Object() {
		@Override
		public String toString() {
			return "flb_null";
		}
	});

	private final boolean flbNull;

	private final Set<String> intKeys;

	private final Set<String> arrayKeys;

	LuaValues(boolean flbNull, Set<String> intKeys, Set<String> arrayKeys) {
		this.flbNull = flbNull;
		this.intKeys = intKeys;
		this.arrayKeys = arrayKeys;
	}

	LuaValue toLua(Object v) {
		return switch (v) {
			case null -> this.flbNull ? FLB_NULL : LuaValue.NIL;
			case Boolean b -> LuaValue.valueOf(b);
			case Long l -> number(l);
			case Integer i -> LuaValue.valueOf(i);
			case BigInteger b -> LuaValue.valueOf(b.doubleValue());
			case Double d -> LuaValue.valueOf(d);
			case Float f -> LuaValue.valueOf(f.doubleValue());
			case String s -> LuaValue.valueOf(s);
			case byte[] b -> LuaString.valueOf(b);
			case EventTime t -> {
				byte[] b = new byte[8];
				long s = t.seconds();
				int ns = t.nanos();
				for (int i = 0; i < 4; i++) {
					b[i] = (byte) (s >>> (24 - 8 * i));
					b[4 + i] = (byte) (ns >>> (24 - 8 * i));
				}
				yield LuaString.valueOf(b);
			}
			case MsgpackValues.Extension e -> LuaString.valueOf(e.data());
			case Map<?, ?> m -> {
				LuaTable t = new LuaTable(0, m.size());
				for (Map.Entry<?, ?> e : m.entrySet()) {
					LuaValue val = toLua(e.getValue());
					if (!val.isnil()) {
						t.rawset(LuaValue.valueOf(String.valueOf(e.getKey())), val);
					}
				}
				yield t;
			}
			case Collection<?> c -> {
				LuaTable t = new LuaTable(c.size(), 0);
				int i = 1;
				for (Object o : c) {
					LuaValue val = toLua(o);
					if (!val.isnil()) {
						t.rawset(i, val);
					}
					i++;
				}
				yield t;
			}
			default -> LuaValue.valueOf(v.toString());
		};
	}

	private static LuaValue number(long l) {
		if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
			return LuaValue.valueOf((int) l);
		}
		return LuaValue.valueOf((double) l);
	}

	/** A Lua value as a record value; functions, threads and userdata become null. */
	Object fromLua(LuaValue v) {
		switch (v.type()) {
			case LuaValue.TSTRING:
				return v.checkjstring();
			case LuaValue.TNUMBER:
				return number(v.todouble());
			case LuaValue.TBOOLEAN:
				return v.toboolean();
			case LuaValue.TTABLE:
				return table((LuaTable) v);
			default:
				return null;
		}
	}

	private static Object number(double d) {
		if (!Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d) && d >= -9.223372036854775808E18
				&& d < 9.223372036854775808E18) {
			return (long) d;
		}
		return d;
	}

	/** Lua 5.1's table.maxn, or -1 when the largest key is not an integer. */
	private static int arrayLength(LuaTable t) {
		double max = 0;
		LuaValue k = LuaValue.NIL;
		int count = 0;
		boolean allPositive = true;
		while (true) {
			Varargs n = t.next(k);
			k = n.arg1();
			if (k.isnil()) {
				break;
			}
			if (k.type() == LuaValue.TNUMBER) {
				double d = k.todouble();
				if (d > max) {
					max = d;
				}
				if (d > 0) {
					count++;
					continue;
				}
			}
			allPositive = false;
		}
		if (max > 0 && max == Math.rint(max) && max <= Integer.MAX_VALUE) {
			return (int) max;
		}
		if (max > 0) {
			// not an integer: fall back to "all keys positive numbers and dense"
			return (allPositive && max == count) ? (int) max : -1;
		}
		return (allPositive && count > 0) ? count : -1;
	}

	private Object table(LuaTable t) {
		int len = arrayLength(t);
		if (len > 0) {
			List<Object> list = new ArrayList<>(len);
			for (int i = 1; i <= len; i++) {
				list.add(fromLua(t.rawget(i)));
			}
			return list;
		}
		Map<String, Object> map = new LinkedHashMap<>();
		LuaValue k = LuaValue.NIL;
		while (true) {
			Varargs n = t.next(k);
			k = n.arg1();
			if (k.isnil()) {
				break;
			}
			LuaValue v = n.arg(2);
			String key = key(k);
			map.put(key, convertTyped(k, key, v));
		}
		return map;
	}

	private Object convertTyped(LuaValue k, String key, LuaValue v) {
		if (k.type() == LuaValue.TSTRING) {
			if (v.type() == LuaValue.TNUMBER && matches(this.intKeys, key)) {
				return (long) v.todouble();
			}
			if (v.type() == LuaValue.TTABLE && matches(this.arrayKeys, key)) {
				LuaTable t = (LuaTable) v;
				int len = t.length();
				List<Object> list = new ArrayList<>(len);
				for (int i = 1; i <= len; i++) {
					list.add(fromLua(t.rawget(i)));
				}
				return list;
			}
		}
		return fromLua(v);
	}

	/** Fluent Bit compares the first {@code len(key)} bytes of each configured key. */
	private static boolean matches(Set<String> keys, String key) {
		for (String k : keys) {
			if (k.startsWith(key)) {
				return true;
			}
		}
		return false;
	}

	private static String key(LuaValue k) {
		if (k.type() == LuaValue.TNUMBER) {
			Object n = number(k.todouble());
			return String.valueOf(n);
		}
		if (k.type() == LuaValue.TSTRING) {
			return k.checkjstring();
		}
		return k.tojstring();
	}

	static String bytesToString(byte[] b) {
		return new String(b, StandardCharsets.UTF_8);
	}
}
