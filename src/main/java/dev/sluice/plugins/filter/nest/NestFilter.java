package dev.sluice.plugins.filter.nest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code nest} filter. {@code nest}: the top-level keys matching a {@code Wildcard}
 * (exactly, or as a prefix when it ends with {@code *}; case-sensitive) move into a map under
 * {@code Nest_under}, appended after the keys that stay. {@code lift}: the entries of the map at
 * {@code Nested_under} are appended to the top level, after the other keys (a value that is not a
 * map is left alone, with a warning). {@code Add_prefix}/{@code Remove_prefix} rewrite the keys
 * moved. Keys are added as they are: an existing key of the same name is not replaced (the record
 * then repeats it), as in Fluent Bit.
 */
@Plugin(kind = PluginKind.FILTER, name = "nest", description = "nest events by specified field values", config = NestConfig.class)
public final class NestFilter implements FilterPlugin<NestConfig> {

	record Wildcard(String key, boolean prefix) {

		boolean matches(String k) {
			return this.prefix ? k.startsWith(this.key) : k.equals(this.key);
		}
	}

	private boolean nest;

	private final List<Wildcard> wildcards = new ArrayList<>();

	private String key;

	private String prefix;

	private boolean addPrefix;

	private boolean removePrefix;

	@Override
	public void init(NestConfig config, FilterContext context) {
		String op = config.operation;
		if (op == null) {
			throw new IllegalArgumentException("Operation can only be NEST or LIFT");
		}
		if (op.startsWith("nest")) {
			this.nest = true;
		}
		else if (op.startsWith("lift")) {
			this.nest = false;
		}
		else {
			throw new IllegalArgumentException("Key \"operation\" has invalid value '" + op + "'. Expected 'nest' or 'lift'");
		}
		if (config.wildcard != null) {
			for (String w : config.wildcard) {
				if (w.endsWith("*")) {
					this.wildcards.add(new Wildcard(w.substring(0, w.length() - 1), true));
				}
				else {
					this.wildcards.add(new Wildcard(w, false));
				}
			}
		}
		// as Fluent Bit reads them in order, the last of nest_under / nested_under wins
		for (Map.Entry<String, String> p : context.orderedProperties()) {
			switch (p.getKey()) {
				case "nest_under", "nested_under" -> this.key = p.getValue();
				case "add_prefix" -> {
					this.prefix = p.getValue();
					this.addPrefix = true;
				}
				case "remove_prefix" -> {
					this.prefix = p.getValue();
					this.removePrefix = true;
				}
				default -> {
				}
			}
		}
		if (this.addPrefix && this.removePrefix) {
			throw new IllegalArgumentException("Add_prefix and Remove_prefix are exclusive");
		}
		if (this.key == null) {
			throw new IllegalArgumentException(
					this.nest ? "Nest_under is required for operation nest" : "Nested_under is required for operation lift");
		}
	}

	private String transform(String k) {
		if (this.addPrefix) {
			return this.prefix + k;
		}
		if (this.removePrefix && k.startsWith(this.prefix)) {
			return k.substring(this.prefix.length());
		}
		return k;
	}

	private boolean toNest(String k) {
		for (Wildcard w : this.wildcards) {
			if (w.matches(k)) {
				return true;
			}
		}
		return false;
	}

	/** The new record, or null when nothing applies. */
	List<Map.Entry<String, Object>> apply(Map<String, Object> body, FilterContext context) {
		List<Map.Entry<String, Object>> out = new ArrayList<>(body.size() + 1);
		if (this.nest) {
			Map<String, Object> nested = new LinkedHashMap<>();
			List<Map.Entry<String, Object>> moved = new ArrayList<>();
			for (Map.Entry<String, Object> e : body.entrySet()) {
				if (toNest(e.getKey())) {
					moved.add(FilterEvents.entry(transform(e.getKey()), e.getValue()));
				}
				else {
					out.add(FilterEvents.entry(e.getKey(), e.getValue()));
				}
			}
			if (moved.isEmpty()) {
				return null;
			}
			for (Map.Entry<String, Object> m : moved) {
				nested.put(m.getKey(), m.getValue());
			}
			out.add(FilterEvents.entry(this.key, new NestedEntries(moved, nested)));
			return out;
		}
		List<Map.Entry<String, Object>> lifted = new ArrayList<>();
		boolean found = false;
		for (Map.Entry<String, Object> e : body.entrySet()) {
			if (e.getKey().equals(this.key)) {
				if (e.getValue() instanceof Map<?, ?> m) {
					found = true;
					for (Map.Entry<?, ?> inner : m.entrySet()) {
						lifted.add(FilterEvents.entry(transform(String.valueOf(inner.getKey())), inner.getValue()));
					}
					continue;
				}
				context.log().warn("Value of key '{}' is not a map. Will not attempt to lift from here", e.getKey());
			}
			out.add(FilterEvents.entry(e.getKey(), e.getValue()));
		}
		if (!found) {
			return null;
		}
		out.addAll(lifted);
		return out;
	}

	/**
	 * The nested map, written with its entries as listed (a prefix rewrite may make two keys
	 * equal; Fluent Bit writes both).
	 */
	static final class NestedEntries extends java.util.AbstractMap<String, Object> {

		private final List<Map.Entry<String, Object>> entries;

		private final Map<String, Object> view;

		NestedEntries(List<Map.Entry<String, Object>> entries, Map<String, Object> view) {
			this.entries = entries;
			this.view = view;
		}

		@Override
		public java.util.Set<Map.Entry<String, Object>> entrySet() {
			return new java.util.AbstractSet<>() {
				@Override
				public java.util.Iterator<Map.Entry<String, Object>> iterator() {
					return NestedEntries.this.entries.iterator();
				}

				@Override
				public int size() {
					return NestedEntries.this.entries.size();
				}
			};
		}

		@Override
		public Object get(Object key) {
			return this.view.get(key);
		}
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
			List<Map.Entry<String, Object>> out = apply(e.body(), context);
			if (out == null) {
				FilterEvents.copy(enc, events, s);
			}
			else {
				FilterEvents.write(enc, e.time(), e.metadata(), out);
				modified = true;
			}
		}
		return modified ? EventBytes.of(enc) : null;
	}
}
