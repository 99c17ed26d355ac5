package dev.sluice.plugins.processor.content_modifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import dev.sluice.plugins.processor.Condition;
import dev.sluice.plugins.processor.ConditionalProcessor;

/**
 * Fluent Bit's {@code content_modifier} processor, for logs: one {@code action} on one
 * {@code key} of every record, in a {@code context}.
 *
 * <ul>
 * <li>{@code insert} (the key and {@code value}, a string, when the key is missing),
 * {@code upsert} (set it), {@code delete}, {@code rename} (to {@code value}, in place; a key
 * already named so is replaced), {@code hash} (SHA-256 of the value's text, lower-case hex;
 * maps and arrays hash their JSON), {@code extract} (search the string value with
 * {@code pattern} and set each named group that took part as a key of the context),
 * {@code convert} ({@code converted_type} {@code string}, {@code int}, {@code double} or
 * {@code boolean}; a value that does not convert is left as it is).</li>
 * <li>{@code key} is a key name or a record accessor ({@code $a['b']}); nested maps are created
 * for insert/upsert.</li>
 * <li>{@code context}: {@code body} (default); {@code attributes} or {@code metadata}: the event
 * metadata. The OpenTelemetry group contexts ({@code otel_resource_attributes}, …) and the trace
 * contexts ({@code span_*}) are refused at start-up: Sluice has no OpenTelemetry groups or traces
 * yet.</li>
 * </ul>
 * Records the action does not change are copied byte for byte.
 */
@Plugin(kind = PluginKind.FILTER, name = "content_modifier", description = "Modify the content of Logs, Metrics and Traces",
		config = ContentModifierConfig.class, internal = true)
public final class ContentModifierProcessor implements FilterPlugin<ContentModifierConfig>, ConditionalProcessor {

	enum Action {
		INSERT, UPSERT, DELETE, RENAME, HASH, EXTRACT, CONVERT
	}

	enum Type {
		STRING, BOOLEAN, INT, DOUBLE
	}

	private Action action;

	private RecordAccessor key;

	private String value;

	private Regex pattern;

	private Type type;

	private boolean metadata;

	@Override
	public void init(ContentModifierConfig c, FilterContext context) {
		if (c.action == null || c.action.isBlank()) {
			throw new IllegalArgumentException("'action' is not set");
		}
		try {
			this.action = Action.valueOf(c.action.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("unknown action '" + c.action + "'", ex);
		}
		String ctx = (c.context != null) ? c.context.strip().toLowerCase(Locale.ROOT) : "body";
		switch (ctx) {
			case "body" -> this.metadata = false;
			case "attributes", "metadata" -> this.metadata = true;
			default -> throw new IllegalArgumentException("context '" + c.context
					+ "' is not supported for logs (Sluice supports body, attributes, metadata)");
		}
		if (c.key == null || c.key.isBlank()) {
			throw new IllegalArgumentException("'key' is not set");
		}
		this.key = RecordAccessor.parse(c.key);
		this.value = c.value;
		switch (this.action) {
			case INSERT, UPSERT, RENAME -> {
				if (c.value == null) {
					throw new IllegalArgumentException("'value' is not set for action '" + c.action + "'");
				}
			}
			case EXTRACT -> {
				if (c.pattern == null || c.pattern.isEmpty()) {
					throw new IllegalArgumentException("'pattern' is not set for action 'extract'");
				}
				this.pattern = Regex.compile(c.pattern);
			}
			case CONVERT -> {
				if (c.convertedType == null) {
					throw new IllegalArgumentException("'converted_type' is not set for action 'convert'");
				}
				try {
					this.type = Type.valueOf(c.convertedType.strip().toUpperCase(Locale.ROOT));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("invalid 'converted_type' '" + c.convertedType
							+ "' (string, boolean, int or double)", ex);
				}
			}
			default -> {
			}
		}
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		return filter(events, tag, context, null);
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context, Condition condition) {
		List<FilterEvents.Slice> slices = FilterEvents.slices(events);
		EventEncoder enc = null;
		for (int i = 0; i < slices.size(); i++) {
			FilterEvents.Slice s = slices.get(i);
			LogEvent e = s.event();
			LogEvent changed = (condition == null || condition.matches(e)) ? apply(e) : null;
			if (changed != null && enc == null) {
				enc = new EventEncoder();
				for (int j = 0; j < i; j++) {
					FilterEvents.copy(enc, events, slices.get(j));
				}
			}
			if (enc != null) {
				if (changed != null) {
					enc.append(changed);
				}
				else {
					FilterEvents.copy(enc, events, s);
				}
			}
		}
		return (enc == null) ? null : EventBytes.of(enc);
	}

	/** Applies the action to one event; null when nothing changed. */
	LogEvent apply(LogEvent e) {
		Map<String, Object> target = new LinkedHashMap<>(this.metadata ? e.metadata() : e.body());
		if (!applyTo(target)) {
			return null;
		}
		return this.metadata ? new LogEvent(e.time(), target, e.body()) : new LogEvent(e.time(), e.metadata(), target);
	}

	private boolean applyTo(Map<String, Object> m) {
		switch (this.action) {
			case INSERT -> {
				return !this.key.exists(m) && this.key.set(m, this.value);
			}
			case UPSERT -> {
				return this.key.set(m, this.value);
			}
			case DELETE -> {
				return this.key.remove(m);
			}
			case RENAME -> {
				return rename(m);
			}
			case HASH -> {
				if (!this.key.exists(m)) {
					return false;
				}
				return this.key.set(m, sha256(this.key.get(m)));
			}
			case EXTRACT -> {
				Object v = this.key.get(m);
				String text = (v instanceof String s) ? s : (v instanceof byte[] b) ? new String(b, StandardCharsets.UTF_8) : null;
				if (text == null) {
					return false;
				}
				Map<String, String> groups = this.pattern.captures(text);
				if (groups == null) {
					return false;
				}
				boolean any = false;
				for (Map.Entry<String, String> g : groups.entrySet()) {
					if (g.getValue() != null) {
						m.put(g.getKey(), g.getValue());
						any = true;
					}
				}
				return any;
			}
			case CONVERT -> {
				if (!this.key.exists(m)) {
					return false;
				}
				Object v = this.key.get(m);
				Object c = convert(v, this.type);
				if (c == null || c.equals(v)) {
					return false;
				}
				return this.key.set(m, c);
			}
			default -> {
				return false;
			}
		}
	}

	/** Renames the last step of the key within its parent map, keeping its position. */
	@SuppressWarnings("unchecked")
	private boolean rename(Map<String, Object> m) {
		List<Object> path = this.key.path();
		Object cur = m;
		for (int i = 0; i < path.size() - 1; i++) {
			Object step = path.get(i);
			if (step instanceof String k && cur instanceof Map<?, ?> mm) {
				cur = mm.get(k);
			}
			else if (step instanceof Integer idx && cur instanceof List<?> l && idx >= 0 && idx < l.size()) {
				cur = l.get(idx);
			}
			else {
				return false;
			}
		}
		if (!(path.get(path.size() - 1) instanceof String last) || !(cur instanceof Map<?, ?> parent)
				|| !parent.containsKey(last) || last.equals(this.value)) {
			return false;
		}
		Map<String, Object> p = (Map<String, Object>) parent;
		List<Map.Entry<String, Object>> entries = new ArrayList<>();
		for (Map.Entry<String, Object> en : p.entrySet()) {
			if (en.getKey().equals(last)) {
				entries.add(FilterEvents.entry(this.value, en.getValue()));
			}
			else if (!en.getKey().equals(this.value)) {
				entries.add(FilterEvents.entry(en.getKey(), en.getValue()));
			}
		}
		p.clear();
		for (Map.Entry<String, Object> en : entries) {
			p.put(en.getKey(), en.getValue());
		}
		return true;
	}

	static String sha256(Object v) {
		String text = switch (v) {
			case null -> "";
			case String s -> s;
			case byte[] b -> new String(b, StandardCharsets.UTF_8);
			case Long l -> l.toString();
			case Boolean b -> b.toString();
			default -> FilterEvents.toJson(v);
		};
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(d);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The value converted, or null when it does not convert. */
	static Object convert(Object v, Type type) {
		String text = switch (v) {
			case String s -> s.strip();
			case byte[] b -> new String(b, StandardCharsets.UTF_8).strip();
			default -> null;
		};
		return switch (type) {
			case STRING -> switch (v) {
				case String s -> s;
				case null -> null;
				case Long l -> l.toString();
				case Boolean b -> b.toString();
				default -> FilterEvents.toJson(v);
			};
			case INT -> switch (v) {
				case Long l -> l;
				case Double d -> (long) d.doubleValue();
				case Boolean b -> b ? 1L : 0L;
				default -> {
					if (text == null) {
						yield null;
					}
					try {
						yield Long.parseLong(text);
					}
					catch (NumberFormatException ex) {
						try {
							yield (long) Double.parseDouble(text);
						}
						catch (NumberFormatException ex2) {
							yield null;
						}
					}
				}
			};
			case DOUBLE -> switch (v) {
				case Double d -> d;
				case Long l -> l.doubleValue();
				case Boolean b -> b ? 1.0 : 0.0;
				default -> {
					if (text == null) {
						yield null;
					}
					try {
						yield Double.parseDouble(text);
					}
					catch (NumberFormatException ex) {
						yield null;
					}
				}
			};
			case BOOLEAN -> switch (v) {
				case Boolean b -> b;
				case Long l -> l != 0;
				case Double d -> d != 0;
				default -> {
					if (text == null) {
						yield null;
					}
					yield switch (text.toLowerCase(Locale.ROOT)) {
						case "true", "on", "yes", "1" -> Boolean.TRUE;
						case "false", "off", "no", "0" -> Boolean.FALSE;
						default -> null;
					};
				}
			};
		};
	}
}
