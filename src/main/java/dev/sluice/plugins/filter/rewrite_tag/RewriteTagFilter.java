package dev.sluice.plugins.filter.rewrite_tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.RecordAccessor;
import dev.sluice.parser.Regex;
import dev.sluice.plugin.Emitter;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code rewrite_tag} filter. Each {@code rule} is {@code KEY REGEX NEW_TAG KEEP}:
 * the first rule whose regex matches the string value of KEY (a record accessor) re-emits the
 * record, byte for byte, under NEW_TAG (a {@link TagTemplate}: {@code $0}..{@code $9} captures,
 * {@code $TAG}, {@code $TAG[n]}, record values) through this instance's emitter input
 * ({@code emitter_for_<name>}), from where it re-enters the pipeline; KEEP ({@code true}) also
 * keeps the original under the old tag. When the emitter is over its
 * {@code emitter_mem_buf_limit} the original record is kept instead.
 *
 * <p>Records re-emitted by an instance do not pass through that same instance again (the engine
 * leaves the owner out of its emitter's filters), so a rule whose new tag matches the filter's
 * own {@code Match} does not loop.
 */
@Plugin(kind = PluginKind.FILTER, name = "rewrite_tag", description = "Rewrite records tags", config = RewriteTagConfig.class)
public final class RewriteTagFilter implements FilterPlugin<RewriteTagConfig> {

	record Rule(String keyText, RecordAccessor key, Regex regex, TagTemplate tag, boolean keep) {

		/** The captures when the rule matches the record, else null. */
		String[] match(Map<String, Object> record) {
			if (this.key == null) {
				return null;
			}
			Object v = this.key.get(record);
			if (!(v instanceof String s)) {
				return null;
			}
			return this.regex.groups(s);
		}
	}

	private final List<Rule> rules = new ArrayList<>();

	private Emitter emitter;

	@Override
	public void init(RewriteTagConfig config, FilterContext context) {
		String match = context.property("match");
		if (match != null && !match.isEmpty() && match.chars().allMatch((c) -> c == '*')) {
			context.log().warn("'Match' may cause infinite loop.");
		}
		String storage = (config.emitterStorageType != null) ? config.emitterStorageType : "memory";
		if (!storage.equalsIgnoreCase("memory") && !storage.equalsIgnoreCase("filesystem")) {
			throw new IllegalArgumentException(
					"invalid 'emitter_storage.type' value. Only 'memory' or 'filesystem' types are allowed");
		}
		if (config.rule == null || config.rule.isEmpty()) {
			throw new IllegalArgumentException("no rules have defined");
		}
		for (List<String> r : config.rule) {
			this.rules.add(parseRule(r));
		}
		String name = (config.emitterName != null) ? config.emitterName : "emitter_for_" + context.displayName();
		this.emitter = context.createEmitter(name, config.emitterMemBufLimit, storage.toLowerCase(Locale.ROOT));
	}

	static Rule parseRule(List<String> r) {
		if (r.size() < 4) {
			throw new IllegalArgumentException("invalid rule '" + String.join(" ", r)
					+ "': expected 'KEY REGEX NEW_TAG KEEP'");
		}
		String keyText = r.get(0);
		RecordAccessor key = null;
		boolean special = keyText.startsWith("$TAG") || (keyText.length() > 1 && keyText.charAt(0) == '$'
				&& Character.isDigit(keyText.charAt(1)));
		if (!special) {
			try {
				key = RecordAccessor.parse(keyText);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("invalid record accessor key ? '" + keyText + "'", ex);
			}
		}
		Regex regex;
		try {
			regex = Regex.compile(r.get(1));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("could not compile regex pattern '" + r.get(1) + "': " + ex.getMessage(),
					ex);
		}
		TagTemplate tag;
		try {
			tag = TagTemplate.parse(r.get(2));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("could not compose tag: " + r.get(2), ex);
		}
		return new Rule(keyText, key, regex, tag, bool(r.get(3)));
	}

	private static boolean bool(String s) {
		return switch (s.toLowerCase(Locale.ROOT)) {
			case "true", "on", "yes" -> true;
			default -> false;
		};
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
		EventEncoder kept = new EventEncoder();
		int emitted = 0;
		for (FilterEvents.Slice s : slices) {
			Rule rule = null;
			String[] captures = null;
			for (Rule r : this.rules) {
				captures = r.match(s.event().body());
				if (captures != null) {
					rule = r;
					break;
				}
			}
			boolean keep = true;
			if (rule != null) {
				String newTag = rule.tag().translate(tag, s.event().body(), captures);
				EventEncoder one = new EventEncoder();
				FilterEvents.copy(one, events, s);
				if (this.emitter.emit(newTag, EventBytes.of(one))) {
					emitted++;
					keep = rule.keep();
				}
				else {
					context.log().debug("emitter {} is busy, keeping the record under tag '{}'", this.emitter.name(), tag);
				}
			}
			if (keep) {
				FilterEvents.copy(kept, events, s);
			}
		}
		if (emitted == 0) {
			return null;
		}
		return EventBytes.of(kept);
	}
}
