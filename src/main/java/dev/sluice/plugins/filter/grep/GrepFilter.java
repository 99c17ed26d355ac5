package dev.sluice.plugins.filter.grep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.event.RecordAccessor;
import dev.sluice.parser.Regex;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code grep} filter: keeps or drops records by regular expressions on the string
 * value of a key (a record accessor). A missing key or a value that is not a string never
 * matches.
 *
 * <p>{@code legacy} (the default) walks the rules in configuration order and the first decisive
 * one wins: a {@code regex} that does not match drops the record, a {@code regex} that matches
 * keeps it at once (later rules are not looked at), an {@code exclude} that matches drops it;
 * a record no rule decided is kept. {@code AND} keeps a record when every rule matches
 * ({@code regex}) or drops it when every rule matches ({@code exclude}); {@code OR} when any
 * does. With {@code AND}/{@code OR} all rules must be of one kind.
 */
@Plugin(kind = PluginKind.FILTER, name = "grep", description = "grep events by specified field values", config = GrepConfig.class)
public final class GrepFilter implements FilterPlugin<GrepConfig> {

	enum Op {
		LEGACY, AND, OR
	}

	record Rule(boolean exclude, String field, RecordAccessor key, Regex regex) {

		boolean matches(Map<String, Object> record) {
			if (record == null) {
				return false;
			}
			Object v = this.key.get(record);
			return (v instanceof String s) && this.regex.find(s);
		}
	}

	private final List<Rule> rules = new ArrayList<>();

	private Op op = Op.LEGACY;

	@Override
	public void init(GrepConfig config, FilterContext context) {
		String logical = (config.logicalOp != null) ? config.logicalOp.strip() : "legacy";
		switch (logical.toLowerCase(Locale.ROOT)) {
			case "and" -> this.op = Op.AND;
			case "or" -> this.op = Op.OR;
			case "legacy" -> this.op = Op.LEGACY;
			default -> {
				context.log().warn("unknown logical_op '{}', using 'legacy'", logical);
				this.op = Op.LEGACY;
			}
		}
		Boolean firstIsExclude = null;
		for (Map.Entry<String, String> p : context.orderedProperties()) {
			boolean exclude;
			if (p.getKey().equals("regex")) {
				exclude = false;
			}
			else if (p.getKey().equals("exclude")) {
				exclude = true;
			}
			else {
				continue;
			}
			if (this.op != Op.LEGACY) {
				if (firstIsExclude != null && firstIsExclude != exclude) {
					throw new IllegalArgumentException("Both 'regex' and 'exclude' are set.");
				}
				firstIsExclude = exclude;
			}
			this.rules.add(parseRule(exclude, p.getValue()));
		}
	}

	static Rule parseRule(boolean exclude, String value) {
		String v = value.strip();
		int sp = 0;
		while (sp < v.length() && !Character.isWhitespace(v.charAt(sp))) {
			sp++;
		}
		String field = v.substring(0, sp);
		String pattern = v.substring(sp).strip();
		if (field.isEmpty() || pattern.isEmpty()) {
			throw new IllegalArgumentException("invalid regex, expected field and regular expression: '" + value + "'");
		}
		RecordAccessor key;
		try {
			key = RecordAccessor.parse(field);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("invalid record accessor? '" + field + "': " + ex.getMessage(), ex);
		}
		Regex regex;
		try {
			regex = Regex.compile(pattern);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("could not compile regex pattern '" + pattern + "': " + ex.getMessage(),
					ex);
		}
		return new Rule(exclude, field, key, regex);
	}

	/** Whether the record is kept. */
	boolean keep(Map<String, Object> record) {
		if (this.rules.isEmpty()) {
			return true;
		}
		if (this.op == Op.LEGACY) {
			for (Rule r : this.rules) {
				boolean m = r.matches(record);
				if (!m) {
					if (!r.exclude) {
						return false;
					}
				}
				else {
					return !r.exclude;
				}
			}
			return true;
		}
		boolean found = false;
		for (Rule r : this.rules) {
			found = r.matches(record);
			if (this.op == Op.OR && found) {
				break;
			}
			if (this.op == Op.AND && !found) {
				break;
			}
		}
		boolean exclude = this.rules.get(0).exclude;
		return exclude ? !found : found;
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
		List<FilterEvents.Slice> kept = new ArrayList<>(slices.size());
		for (FilterEvents.Slice s : slices) {
			if (keep(s.event().body())) {
				kept.add(s);
			}
		}
		if (kept.size() == slices.size()) {
			return null;
		}
		return FilterEvents.keep(events, kept);
	}
}
