package dev.sluice.plugins.filter.modify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.config.ConfigValues;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.event.RecordAccessor;
import dev.sluice.parser.Regex;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code modify} filter: rules applied in the order written to the top-level keys of
 * every record whose conditions all hold. Values written are strings. Rule and condition names
 * are case-insensitive; keys and values are not.
 *
 * <p>As Fluent Bit does: {@code Set} removes the key and appends it at the end; {@code Copy} and
 * {@code Hard_copy} insert the copy right after the source key and need exactly one source key;
 * {@code Rename} and {@code Hard_rename} rename in place; wildcards ({@code Remove_wildcard},
 * {@code Move_to_start}, {@code Move_to_end}) match keys that start with the text as written
 * (a {@code *} in it is compared literally). Condition keys may be record accessors
 * ({@code $a['b']}).
 */
@Plugin(kind = PluginKind.FILTER, name = "modify", description = "modify records by applying rules", config = ModifyConfig.class)
public final class ModifyFilter implements FilterPlugin<ModifyConfig> {

	enum RuleType {
		SET, ADD, REMOVE, REMOVE_WILDCARD, REMOVE_REGEX, RENAME, HARD_RENAME, COPY, HARD_COPY, MOVE_TO_START,
		MOVE_TO_END
	}

	enum CondType {
		KEY_EXISTS, KEY_DOES_NOT_EXIST, A_KEY_MATCHES, NO_KEY_MATCHES, KEY_VALUE_EQUALS, KEY_VALUE_DOES_NOT_EQUAL,
		KEY_VALUE_MATCHES, KEY_VALUE_DOES_NOT_MATCH, MATCHING_KEYS_HAVE_MATCHING_VALUES,
		MATCHING_KEYS_DO_NOT_HAVE_MATCHING_VALUES
	}

	record Rule(RuleType type, String key, String value, Regex keyRegex) {
	}

	record Condition(CondType type, String a, String b, RecordAccessor ra, Regex aRegex, Regex bRegex) {
	}

	private final List<Rule> rules = new ArrayList<>();

	private final List<Condition> conditions = new ArrayList<>();

	@Override
	public void init(ModifyConfig config, FilterContext context) {
		for (Map.Entry<String, String> p : context.orderedProperties()) {
			String key = p.getKey();
			RuleType rt = ruleType(key);
			if (rt == null && !key.equals("condition")) {
				continue;
			}
			List<String> parts = ConfigValues.splitSpace(p.getValue(), -1);
			if (parts.isEmpty() || parts.size() > 3) {
				throw new IllegalArgumentException("Invalid config for " + key);
			}
			if (key.equals("condition")) {
				this.conditions.add(condition(key, p.getValue(), parts));
			}
			else {
				this.rules.add(rule(rt, key, p.getValue(), parts));
			}
		}
		context.log().debug("Initialized modify filter with {} conditions and {} rules", this.conditions.size(),
				this.rules.size());
	}

	private static RuleType ruleType(String key) {
		return switch (key) {
			case "set" -> RuleType.SET;
			case "add" -> RuleType.ADD;
			case "remove" -> RuleType.REMOVE;
			case "remove_wildcard" -> RuleType.REMOVE_WILDCARD;
			case "remove_regex" -> RuleType.REMOVE_REGEX;
			case "rename" -> RuleType.RENAME;
			case "hard_rename" -> RuleType.HARD_RENAME;
			case "copy" -> RuleType.COPY;
			case "hard_copy" -> RuleType.HARD_COPY;
			case "move_to_start" -> RuleType.MOVE_TO_START;
			case "move_to_end" -> RuleType.MOVE_TO_END;
			default -> null;
		};
	}

	private static Rule rule(RuleType type, String key, String raw, List<String> parts) {
		boolean oneArg = switch (type) {
			case REMOVE, REMOVE_WILDCARD, REMOVE_REGEX, MOVE_TO_START, MOVE_TO_END -> true;
			default -> false;
		};
		if ((oneArg && parts.size() != 1) || (!oneArg && parts.size() != 2)) {
			throw new IllegalArgumentException("Invalid operation " + key + " : " + raw + " in configuration");
		}
		Regex keyRegex = null;
		if (type == RuleType.REMOVE_REGEX) {
			keyRegex = regex(parts.get(0), "Unable to create regex(key) from ");
		}
		return new Rule(type, parts.get(0), parts.get(parts.size() - 1), keyRegex);
	}

	private static Condition condition(String key, String raw, List<String> parts) {
		CondType type;
		try {
			type = CondType.valueOf(parts.get(0).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Invalid config for " + key + " : " + raw);
		}
		boolean needsB = switch (type) {
			case KEY_VALUE_EQUALS, KEY_VALUE_DOES_NOT_EQUAL, KEY_VALUE_MATCHES, KEY_VALUE_DOES_NOT_MATCH,
					MATCHING_KEYS_HAVE_MATCHING_VALUES, MATCHING_KEYS_DO_NOT_HAVE_MATCHING_VALUES -> true;
			default -> false;
		};
		if (parts.size() < 2 || (needsB && parts.size() < 3)) {
			throw new IllegalArgumentException("Invalid config for " + key + " : " + raw);
		}
		String a = parts.get(1);
		String b = (parts.size() == 3) ? parts.get(2) : null;
		boolean aRegex = switch (type) {
			case A_KEY_MATCHES, NO_KEY_MATCHES, MATCHING_KEYS_HAVE_MATCHING_VALUES,
					MATCHING_KEYS_DO_NOT_HAVE_MATCHING_VALUES -> true;
			default -> false;
		};
		boolean bRegex = switch (type) {
			case KEY_VALUE_MATCHES, KEY_VALUE_DOES_NOT_MATCH, MATCHING_KEYS_HAVE_MATCHING_VALUES,
					MATCHING_KEYS_DO_NOT_HAVE_MATCHING_VALUES -> true;
			default -> false;
		};
		RecordAccessor ra = null;
		if (!aRegex) {
			try {
				ra = RecordAccessor.parse(a);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid config for " + key + " : " + raw + ": " + ex.getMessage(),
						ex);
			}
		}
		return new Condition(type, a, b, ra, aRegex ? regex(a, "Unable to create regex for condition " + raw + ": ")
				: null, bRegex ? regex(b, "Unable to create regex for condition " + raw + ": ") : null);
	}

	private static Regex regex(String pattern, String what) {
		try {
			return Regex.compile(pattern);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(what + pattern + " (" + ex.getMessage() + ")", ex);
		}
	}

	// ---- conditions ----

	private static boolean stringEquals(Object v, String s) {
		if (v instanceof String str) {
			return str.equals(s);
		}
		if (v instanceof byte[] b) {
			return new String(b, java.nio.charset.StandardCharsets.UTF_8).equals(s);
		}
		return false;
	}

	private static boolean valueMatches(Object v, Regex r) {
		if (v instanceof String s) {
			return r.find(s);
		}
		if (v instanceof Boolean b) {
			return r.find(b ? "true" : "false");
		}
		return false;
	}

	private static boolean anyKeyMatches(List<Map.Entry<String, Object>> rec, Regex r) {
		for (Map.Entry<String, Object> e : rec) {
			if (r.find(e.getKey())) {
				return true;
			}
		}
		return false;
	}

	static boolean holds(Condition c, Map<String, Object> body, List<Map.Entry<String, Object>> rec) {
		return switch (c.type) {
			case KEY_EXISTS -> c.ra.exists(body);
			case KEY_DOES_NOT_EXIST -> !c.ra.exists(body);
			case A_KEY_MATCHES -> anyKeyMatches(rec, c.aRegex);
			case NO_KEY_MATCHES -> !anyKeyMatches(rec, c.aRegex);
			case KEY_VALUE_EQUALS -> c.ra.exists(body) && stringEquals(c.ra.get(body), c.b);
			case KEY_VALUE_DOES_NOT_EQUAL -> c.ra.exists(body) && !stringEquals(c.ra.get(body), c.b);
			case KEY_VALUE_MATCHES -> c.ra.exists(body) && valueMatches(c.ra.get(body), c.bRegex);
			case KEY_VALUE_DOES_NOT_MATCH -> c.ra.exists(body) && !valueMatches(c.ra.get(body), c.bRegex);
			case MATCHING_KEYS_HAVE_MATCHING_VALUES -> matchingKeysHaveMatchingValues(c, rec);
			case MATCHING_KEYS_DO_NOT_HAVE_MATCHING_VALUES -> !matchingKeysHaveMatchingValues(c, rec);
		};
	}

	private static boolean matchingKeysHaveMatchingValues(Condition c, List<Map.Entry<String, Object>> rec) {
		for (Map.Entry<String, Object> e : rec) {
			if (c.aRegex.find(e.getKey()) && !valueMatches(e.getValue(), c.bRegex)) {
				return false;
			}
		}
		return true;
	}

	// ---- rules ----

	private static int count(List<Map.Entry<String, Object>> rec, String key) {
		int n = 0;
		for (Map.Entry<String, Object> e : rec) {
			if (e.getKey().equals(key)) {
				n++;
			}
		}
		return n;
	}

	/** Applies one rule; returns the new record, or null when the rule changed nothing. */
	static List<Map.Entry<String, Object>> apply(Rule r, List<Map.Entry<String, Object>> rec) {
		List<Map.Entry<String, Object>> out = new ArrayList<>(rec.size() + 1);
		switch (r.type) {
			case SET -> {
				for (Map.Entry<String, Object> e : rec) {
					if (!e.getKey().equals(r.key)) {
						out.add(e);
					}
				}
				out.add(FilterEvents.entry(r.key, r.value));
			}
			case ADD -> {
				if (count(rec, r.key) > 0) {
					return null;
				}
				out.addAll(rec);
				out.add(FilterEvents.entry(r.key, r.value));
			}
			case REMOVE -> {
				if (count(rec, r.key) == 0) {
					return null;
				}
				rec.stream().filter((e) -> !e.getKey().equals(r.key)).forEach(out::add);
			}
			case REMOVE_WILDCARD -> {
				if (rec.stream().noneMatch((e) -> e.getKey().startsWith(r.key))) {
					return null;
				}
				rec.stream().filter((e) -> !e.getKey().startsWith(r.key)).forEach(out::add);
			}
			case REMOVE_REGEX -> {
				if (rec.stream().noneMatch((e) -> r.keyRegex.find(e.getKey()))) {
					return null;
				}
				rec.stream().filter((e) -> !r.keyRegex.find(e.getKey())).forEach(out::add);
			}
			case MOVE_TO_START, MOVE_TO_END -> {
				if (rec.stream().noneMatch((e) -> e.getKey().startsWith(r.key))) {
					return null;
				}
				boolean start = r.type == RuleType.MOVE_TO_START;
				rec.stream().filter((e) -> e.getKey().startsWith(r.key) == start).forEach(out::add);
				rec.stream().filter((e) -> e.getKey().startsWith(r.key) != start).forEach(out::add);
			}
			case RENAME -> {
				if (count(rec, r.key) == 0 || count(rec, r.value) > 0) {
					return null;
				}
				for (Map.Entry<String, Object> e : rec) {
					out.add(e.getKey().equals(r.key) ? FilterEvents.entry(r.value, e.getValue()) : e);
				}
			}
			case HARD_RENAME -> {
				if (count(rec, r.key) == 0) {
					return null;
				}
				boolean conflicts = count(rec, r.value) > 0;
				for (Map.Entry<String, Object> e : rec) {
					if (conflicts && e.getKey().equals(r.value)) {
						continue;
					}
					out.add(e.getKey().equals(r.key) ? FilterEvents.entry(r.value, e.getValue()) : e);
				}
			}
			case COPY, HARD_COPY -> {
				int matches = count(rec, r.key);
				int conflicts = count(rec, r.value);
				if (matches != 1) {
					return null;
				}
				if (r.type == RuleType.COPY ? conflicts > 0 : conflicts > 1) {
					return null;
				}
				for (Map.Entry<String, Object> e : rec) {
					if (conflicts > 0 && e.getKey().equals(r.value)) {
						continue;
					}
					out.add(e);
					if (e.getKey().equals(r.key)) {
						out.add(FilterEvents.entry(r.value, e.getValue()));
					}
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
		EventEncoder enc = new EventEncoder();
		boolean modified = false;
		for (FilterEvents.Slice s : slices) {
			LogEvent e = s.event();
			List<Map.Entry<String, Object>> rec = FilterEvents.entries(e.body());
			boolean ok = true;
			for (Condition c : this.conditions) {
				if (!holds(c, e.body(), rec)) {
					ok = false;
				}
			}
			boolean changed = false;
			if (ok) {
				for (Rule r : this.rules) {
					List<Map.Entry<String, Object>> next = apply(r, rec);
					if (next != null) {
						rec = next;
						changed = true;
					}
				}
			}
			if (changed) {
				FilterEvents.write(enc, e.time(), e.metadata(), rec);
				modified = true;
			}
			else {
				FilterEvents.copy(enc, events, s);
			}
		}
		return modified ? EventBytes.of(enc) : null;
	}
}
