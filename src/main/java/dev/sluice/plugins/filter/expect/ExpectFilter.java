package dev.sluice.plugins.filter.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.event.RecordAccessor;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code expect} filter: checks every record against rules ({@code key_exists},
 * {@code key_not_exists}, {@code key_val_is_null}, {@code key_val_is_not_null},
 * {@code key_val_eq KEY VALUE}; keys are record accessors) and, at the first record that fails,
 * logs the exception with the record as JSON and then: {@code warn} logs "expect check failed";
 * {@code exit} asks the service to stop; {@code result_key} prepends {@code result_key: false}
 * to every record of the run ({@code true} when all passed). Checking stops at the first
 * failing record of a run, as in Fluent Bit. {@code key_val_eq} only compares string values.
 */
@Plugin(kind = PluginKind.FILTER, name = "expect", description = "Validate expected keys and values", config = ExpectConfig.class)
public final class ExpectFilter implements FilterPlugin<ExpectConfig> {

	enum Type {
		KEY_EXISTS, KEY_NOT_EXISTS, KEY_VAL_IS_NULL, KEY_VAL_IS_NOT_NULL, KEY_VAL_EQ, ACTION
	}

	enum Action {
		WARN, EXIT, RESULT_KEY
	}

	record Rule(Type type, String value, RecordAccessor ra, String expect) {
	}

	private final List<Rule> rules = new ArrayList<>();

	private Action action = Action.WARN;

	private String resultKey = "matched";

	@Override
	public void init(ExpectConfig config, FilterContext context) {
		String a = context.property("action");
		if (a != null) {
			this.action = switch (a.toLowerCase(Locale.ROOT)) {
				case "warn" -> Action.WARN;
				case "exit" -> Action.EXIT;
				case "result_key" -> Action.RESULT_KEY;
				default -> throw new IllegalArgumentException("unexpected 'action' value '" + a + "'");
			};
		}
		if (config.resultKey != null) {
			this.resultKey = config.resultKey;
		}
		for (Map.Entry<String, String> p : context.orderedProperties()) {
			Type type;
			switch (p.getKey()) {
				case "key_exists" -> type = Type.KEY_EXISTS;
				case "key_not_exists" -> type = Type.KEY_NOT_EXISTS;
				case "key_val_is_null" -> type = Type.KEY_VAL_IS_NULL;
				case "key_val_is_not_null" -> type = Type.KEY_VAL_IS_NOT_NULL;
				case "key_val_eq" -> type = Type.KEY_VAL_EQ;
				case "action" -> type = Type.ACTION;
				default -> {
					continue;
				}
			}
			String v = p.getValue();
			String key = v;
			String expect = null;
			if (type == Type.KEY_VAL_EQ) {
				String s = v.strip();
				int sp = s.indexOf(' ');
				key = (sp < 0) ? s : s.substring(0, sp);
				expect = (sp < 0) ? s : s.substring(sp + 1).strip();
			}
			RecordAccessor ra;
			try {
				ra = RecordAccessor.parse(key);
			}
			catch (IllegalArgumentException ex) {
				if (type == Type.ACTION) {
					ra = null;
				}
				else {
					throw new IllegalArgumentException("error processing accessor key '" + key + "'", ex);
				}
			}
			this.rules.add(new Rule(type, v, ra, expect));
			if (type != Type.ACTION) {
				context.log().debug("rule #{}: '{}', expects: '{}'", this.rules.size() - 1, p.getKey(), v);
			}
		}
		if (this.rules.isEmpty()) {
			context.log().warn("no rules has been defined");
		}
	}

	private static String typeName(Object v) {
		return switch (v) {
			case null -> "null";
			case Boolean b -> "boolean";
			case Long l -> "integer";
			case java.math.BigInteger b -> "integer";
			case Double d -> "float / double";
			case String s -> "string";
			default -> "UNKNOWN";
		};
	}

	/** Checks a record; logs the first failing rule and returns false. */
	boolean check(Map<String, Object> map, FilterContext context) {
		int n = 0;
		for (Rule r : this.rules) {
			if (r.type == Type.ACTION) {
				n++;
				continue;
			}
			boolean found = r.ra.exists(map);
			Object val = found ? r.ra.get(map) : null;
			String failure = null;
			switch (r.type) {
				case KEY_EXISTS -> {
					if (!found) {
						failure = "'key_exists', key '" + r.value + "' not found";
					}
				}
				case KEY_NOT_EXISTS -> {
					if (found) {
						failure = "'key_not_exists', key '" + r.value + "' exists";
					}
				}
				case KEY_VAL_IS_NULL -> {
					if (!found) {
						failure = "'key_val_is_null', key '" + r.value + "' not found";
					}
					else if (val != null) {
						failure = "'key_val_is_null', key '" + r.value + "' contains a value type '" + typeName(val) + "'";
					}
				}
				case KEY_VAL_IS_NOT_NULL -> {
					if (!found) {
						failure = "'key_val_is_not_null', key '" + r.value + "' not found";
					}
					else if (val == null) {
						failure = "'key_val_is_not_null', key '" + r.value + "' contains a value type '" + typeName(val)
								+ "'";
					}
				}
				case KEY_VAL_EQ -> {
					if (!found) {
						failure = "'key_val_is_null', key '" + r.value + "' not found";
					}
					else if (val instanceof String s && !s.equals(r.expect)) {
						failure = "'key_val_eq', key value '" + s + "' is different than expected: '" + r.expect + "'";
					}
				}
				default -> {
				}
			}
			if (failure != null) {
				context.log().error("exception on rule #{} {}. Record content:\n{}", n, failure, FilterEvents.toJson(map));
				return false;
			}
			n++;
		}
		return true;
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
		boolean matched = true;
		for (FilterEvents.Slice s : slices) {
			if (!check(s.event().body(), context)) {
				switch (this.action) {
					case WARN -> context.log().warn("expect check failed");
					case EXIT -> context.requestShutdown();
					case RESULT_KEY -> matched = false;
				}
				break;
			}
		}
		if (this.action != Action.RESULT_KEY) {
			return null;
		}
		EventEncoder enc = new EventEncoder();
		for (FilterEvents.Slice s : slices) {
			LogEvent e = s.event();
			List<Map.Entry<String, Object>> out = new ArrayList<>(e.body().size() + 1);
			out.add(FilterEvents.entry(this.resultKey, matched));
			out.addAll(FilterEvents.entries(e.body()));
			FilterEvents.write(enc, e.time(), e.metadata(), out);
		}
		return EventBytes.of(enc);
	}
}
