package dev.sluice.plugins.filter.record_modifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code record_modifier} filter: removes keys ({@code remove_key}) or keeps only some
 * ({@code allowlist_key}, alias {@code whitelist_key}; the two are exclusive), then appends the
 * {@code record} fields and a random UUID under {@code uuid_key}. Key names match
 * case-insensitively, exactly, or as a prefix when they end with {@code *}. Appended fields are
 * added as they are, even when the record already has the key (the record then repeats it), and
 * a record left with no field at all is dropped, as in Fluent Bit.
 */
@Plugin(kind = PluginKind.FILTER, name = "record_modifier", description = "modify record", config = RecordModifierConfig.class)
public final class RecordModifierFilter implements FilterPlugin<RecordModifierConfig> {

	record KeyPattern(String key, boolean prefix) {

		boolean matches(String k) {
			if (this.prefix) {
				return k.length() >= this.key.length() && k.regionMatches(true, 0, this.key, 0, this.key.length());
			}
			return k.length() == this.key.length() && k.equalsIgnoreCase(this.key);
		}

		static KeyPattern of(String s) {
			return s.endsWith("*") ? new KeyPattern(s.substring(0, s.length() - 1), true) : new KeyPattern(s, false);
		}
	}

	private final List<Map.Entry<String, Object>> records = new ArrayList<>();

	private final List<KeyPattern> removeKeys = new ArrayList<>();

	private final List<KeyPattern> allowKeys = new ArrayList<>();

	private String uuidKey;

	@Override
	public void init(RecordModifierConfig config, FilterContext context) {
		if (config.record != null) {
			for (List<String> kv : config.record) {
				if (kv.size() != 2) {
					context.log().error("invalid record parameters, expects 'KEY VALUE'");
					continue;
				}
				this.records.add(FilterEvents.entry(kv.get(0), kv.get(1)));
			}
		}
		addKeys(this.removeKeys, config.removeKey);
		addKeys(this.allowKeys, config.allowlistKey);
		addKeys(this.allowKeys, config.whitelistKey);
		if (!this.removeKeys.isEmpty() && !this.allowKeys.isEmpty()) {
			throw new IllegalArgumentException("remove_keys and allowlist_keys are exclusive with each other.");
		}
		this.uuidKey = config.uuidKey;
	}

	private static void addKeys(List<KeyPattern> to, List<String> keys) {
		if (keys != null) {
			for (String k : keys) {
				if (!k.isEmpty()) {
					to.add(KeyPattern.of(k));
				}
			}
		}
	}

	private boolean kept(String key) {
		if (!this.removeKeys.isEmpty()) {
			return this.removeKeys.stream().noneMatch((p) -> p.matches(key));
		}
		if (!this.allowKeys.isEmpty()) {
			return this.allowKeys.stream().anyMatch((p) -> p.matches(key));
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
		EventEncoder enc = new EventEncoder();
		boolean modified = false;
		for (FilterEvents.Slice s : slices) {
			LogEvent e = s.event();
			List<Map.Entry<String, Object>> out = new ArrayList<>(e.body().size() + this.records.size() + 1);
			for (Map.Entry<String, Object> kv : e.body().entrySet()) {
				if (kept(kv.getKey())) {
					out.add(FilterEvents.entry(kv.getKey(), kv.getValue()));
				}
			}
			if (out.size() != e.body().size()) {
				modified = true;
			}
			out.addAll(this.records);
			if (this.uuidKey != null) {
				out.add(FilterEvents.entry(this.uuidKey, UUID.randomUUID().toString()));
			}
			if (!this.records.isEmpty() || this.uuidKey != null) {
				modified = true;
			}
			if (out.isEmpty()) {
				continue;
			}
			FilterEvents.write(enc, e.time(), e.metadata(), out);
		}
		return modified ? EventBytes.of(enc) : null;
	}
}
