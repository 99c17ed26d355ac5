package dev.sluice.plugins.out.http;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.event.EventTime;
import dev.sluice.event.JsonFormatter;
import dev.sluice.event.MsgpackValues;

/**
 * Fluent Bit's GELF encoding of one record ({@code flb_msgpack_to_gelf}): {@code {"version":"1.1"}
 * then the record's members separated by {@code ", "}; the configured keys become
 * {@code host}/{@code short_message}/{@code full_message}/{@code level}/{@code timestamp}, other keys
 * get a leading {@code _}, nested maps are flattened into {@code _a_b} keys, {@code null} values and
 * an {@code id} key are dropped, and a {@code timestamp} with 3 decimals comes last unless the
 * record has one. A record without the short message key cannot be encoded.
 */
final class GelfEncoder {

	private static final String[] LEVELS = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };

	private static final boolean[] VALID = new boolean[256];

	static {
		for (int c = 'a'; c <= 'z'; c++) {
			VALID[c] = true;
		}
		for (int c = 'A'; c <= 'Z'; c++) {
			VALID[c] = true;
		}
		for (int c = '0'; c <= '9'; c++) {
			VALID[c] = true;
		}
		VALID['-'] = true;
		VALID['.'] = true;
		VALID['_'] = true;
	}

	/** Why a record could not be encoded (Fluent Bit's log line). */
	static final class GelfException extends Exception {

		GelfException(String message) {
			super(message);
		}
	}

	private final String hostKey;

	private final String timestampKey;

	private final String levelKey;

	private final String shortMessageKey;

	private final String fullMessageKey;

	private final JsonFormatter json;

	GelfEncoder(String hostKey, String timestampKey, String levelKey, String shortMessageKey, String fullMessageKey,
			JsonFormatter json) {
		this.hostKey = (hostKey != null) ? hostKey : "host";
		this.timestampKey = (timestampKey != null) ? timestampKey : "timestamp";
		this.levelKey = (levelKey != null) ? levelKey : "level";
		this.shortMessageKey = (shortMessageKey != null) ? shortMessageKey : "short_message";
		this.fullMessageKey = (fullMessageKey != null) ? fullMessageKey : "full_message";
		this.json = json;
	}

	/** Appends one GELF object (without the newline). */
	void encode(Map<String, Object> record, EventTime time, JsonFormatter.Sink o) throws GelfException {
		boolean hostFound = false;
		boolean tsFound = false;
		boolean levelFound = false;
		boolean shortFound = false;
		boolean fullFound = false;
		o.writeAscii("{\"version\":\"1.1\"");
		for (Map.Entry<String, Object> e : record.entrySet()) {
			String key = e.getKey();
			Object v = e.getValue();
			boolean custom = false;
			if (key.equals(this.hostKey)) {
				if (hostFound) {
					continue;
				}
				hostFound = true;
				key = "host";
			}
			else if (key.equals(this.shortMessageKey)) {
				if (shortFound) {
					continue;
				}
				shortFound = true;
				key = "short_message";
			}
			else if (key.equals(this.timestampKey)) {
				if (tsFound) {
					continue;
				}
				tsFound = true;
				key = "timestamp";
			}
			else if (key.equals(this.levelKey)) {
				if (levelFound) {
					continue;
				}
				levelFound = true;
				key = "level";
				v = level(v);
			}
			else if (key.equals(this.fullMessageKey)) {
				if (fullFound) {
					continue;
				}
				fullFound = true;
				key = "full_message";
			}
			else if (key.equals("id")) {
				continue;
			}
			else {
				custom = true;
			}
			if (v instanceof Map<?, ?> m) {
				flattenMap(m, "_" + key, false, o);
			}
			else if (v instanceof List<?> list) {
				key(o, false, custom ? "_" : null, false, key);
				flatten(list, null, false, o);
			}
			else {
				if (v == null) {
					continue;
				}
				key(o, false, custom ? "_" : null, false, key);
				scalar(v, true, o);
			}
		}
		if (!tsFound && time != null) {
			key(o, false, null, false, "timestamp");
			o.writeLong(time.seconds());
			o.write('.');
			JsonFormatter.appendPadded(o, time.nanos() / 1_000_000, 3);
		}
		if (!shortFound) {
			throw new GelfException("[flb_msgpack_to_gelf] missing short_message key");
		}
		o.write('}');
	}

	private static Object level(Object v) throws GelfException {
		if ((v instanceof Long l && l >= 0) || v instanceof BigInteger) {
			return v;
		}
		if (v instanceof String s) {
			if (s.length() == 1 && s.charAt(0) >= '0' && s.charAt(0) <= '7') {
				return (long) (s.charAt(0) - '0');
			}
			for (int n = 0; n < LEVELS.length; n++) {
				if (LEVELS[n].equalsIgnoreCase(s)) {
					return (long) n;
				}
			}
			return v;
		}
		throw new GelfException("[flb_msgpack_to_gelf] level must be a non-negative integer or a string");
	}

	/** Writes {@code , "<prefix>[_]<key>":} (or {@code <prefix>[_]<key>=} in an array), invalid characters as {@code _}. */
	private static void key(JsonFormatter.Sink o, boolean inArray, String prefix, boolean concat, String key) {
		if (!inArray) {
			o.writeAscii(", \"");
		}
		if (prefix != null) {
			sanitized(o, prefix);
		}
		if (concat) {
			o.write('_');
		}
		sanitized(o, key);
		if (!inArray) {
			o.writeAscii("\":");
		}
		else {
			o.write('=');
		}
	}

	private static void sanitized(JsonFormatter.Sink o, String s) {
		for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
			o.write(VALID[b & 0xff] ? b : '_');
		}
	}

	private void scalar(Object v, boolean quote, JsonFormatter.Sink o) {
		switch (v) {
			case null -> o.writeAscii("null");
			case Boolean b -> raw(o, quote, b ? "true" : "false");
			case Long l -> o.writeAscii(Long.toString(l));
			case BigInteger b -> o.writeAscii(b.toString());
			case Double d -> o.writeAscii(String.format(Locale.ROOT, "%f", d));
			case Float f -> o.writeAscii(String.format(Locale.ROOT, "%f", f.doubleValue()));
			case String s -> string(o, quote, s.getBytes(StandardCharsets.UTF_8));
			case byte[] b -> string(o, quote, b);
			case MsgpackValues.Extension e -> {
				if (quote) {
					o.write('"');
				}
				for (byte b : e.data()) {
					o.writeAscii("\\x");
					o.write(Character.forDigit((b >> 4) & 0xf, 16));
					o.write(Character.forDigit(b & 0xf, 16));
				}
				if (quote) {
					o.write('"');
				}
			}
			case EventTime t -> o.writeAscii(String.format(Locale.ROOT, "%f", t.toDouble()));
			default -> string(o, quote, String.valueOf(v).getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void raw(JsonFormatter.Sink o, boolean quote, String s) {
		if (quote) {
			o.write('"');
		}
		o.writeAscii(s);
		if (quote) {
			o.write('"');
		}
	}

	private void string(JsonFormatter.Sink o, boolean quote, byte[] b) {
		if (quote) {
			this.json.writeString(b, 0, b.length, o);
			return;
		}
		// Inside a flattened array the string is escaped but not quoted.
		JsonFormatter.Sink tmp = new JsonFormatter.Sink(b.length + 8);
		this.json.writeString(b, 0, b.length, tmp);
		o.write(tmp.buffer(), 1, tmp.length() - 2);
	}

	/** {@code flb_msgpack_gelf_flatten} for any value. */
	private void flatten(Object v, String prefix, boolean inArray, JsonFormatter.Sink o) {
		if (v instanceof Map<?, ?> m) {
			flattenMap(m, prefix, inArray, o);
		}
		else if (v instanceof List<?> list) {
			if (!inArray) {
				o.write('"');
			}
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					o.writeAscii(", ");
				}
				flatten(list.get(i), prefix, true, o);
			}
			if (!inArray) {
				o.write('"');
			}
		}
		else {
			scalar(v, !inArray, o);
		}
	}

	private void flattenMap(Map<?, ?> m, String prefix, boolean inArray, JsonFormatter.Sink o) {
		int i = 0;
		for (Map.Entry<?, ?> e : m.entrySet()) {
			int index = i++;
			if (!(e.getKey() instanceof String key)) {
				continue;
			}
			Object v = e.getValue();
			if (v instanceof Map<?, ?> inner) {
				String p = (prefix != null && !prefix.isEmpty()) ? prefix + "_" + key : key;
				flattenMap(inner, p, inArray, o);
			}
			else {
				if (inArray && index > 0) {
					o.write(' ');
				}
				if (inArray && (prefix == null || prefix.isEmpty())) {
					key(o, true, null, false, key);
				}
				else {
					key(o, inArray, prefix, true, key);
				}
				flatten(v, null, inArray, o);
			}
		}
	}
}
