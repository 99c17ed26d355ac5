package dev.sluice.config;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.OptionType;
import dev.sluice.plugin.PluginDescriptor;

/**
 * Binds a section's properties to a plugin's declared options (its own and the common ones of
 * its kind): Fluent Bit's config-map check and fill. Every problem is added to the error list
 * with the property's origin; nothing stops at the first.
 */
public final class ConfigBinder {

	/** Keys every plugin section accepts without declaring them. */
	private static final Set<String> ALWAYS_ACCEPTED = Set.of("active", "condition", "processors", "routes");

	private ConfigBinder() {
	}

	/**
	 * The result of binding one section.
	 *
	 * @param common the common options of the kind ({@link InputCommonConfig} and so on)
	 * @param config the plugin's own configuration object
	 * @param properties every configured key (lower case) with its last value
	 */
	public record Bound(Object common, Object config, Map<String, String> properties) {
	}

	public static Bound bind(PluginDescriptor d, Object common, ConfigSection section, List<ConfigError> errors) {
		List<OptionSpec> commonSpecs = OptionSpec.of(common.getClass());
		Object config = d.newConfig();
		List<OptionSpec> own = d.options();
		Map<OptionSpec, List<ConfigProperty>> given = new LinkedHashMap<>();
		Map<String, String> raw = new LinkedHashMap<>();
		for (ConfigProperty p : section.properties()) {
			String key = p.name();
			raw.put(key, p.value());
			OptionSpec spec = find(commonSpecs, key);
			if (spec == null) {
				spec = find(own, key);
			}
			if (spec == null) {
				if (ALWAYS_ACCEPTED.contains(key)) {
					continue;
				}
				if (d.network() && (key.startsWith("net.") || key.equals("tls") || key.startsWith("tls."))) {
					continue;
				}
				if (d.acceptsAnyKey()) {
					continue;
				}
				errors.add(new ConfigError(p.origin(), unknownKeyMessage(d, key)));
				continue;
			}
			given.computeIfAbsent(spec, (s) -> new ArrayList<>()).add(p);
		}
		fill(d.name(), commonSpecs, common, given, section.origin(), errors);
		fill(d.name(), own, config, given, section.origin(), errors);
		return new Bound(common, config, raw);
	}

	/**
	 * Binds a section to a class with declared options, ignoring keys it does not declare (used
	 * for the service section, whose unknown keys Fluent Bit ignores).
	 */
	public static <T> T bindLenient(T target, ConfigSection section, List<ConfigError> errors) {
		List<OptionSpec> specs = OptionSpec.of(target.getClass());
		Map<OptionSpec, List<ConfigProperty>> given = new LinkedHashMap<>();
		for (ConfigProperty p : section.properties()) {
			OptionSpec spec = find(specs, p.name());
			if (spec != null) {
				given.computeIfAbsent(spec, (s) -> new ArrayList<>()).add(p);
			}
		}
		fill("service", specs, target, given, section.origin(), errors);
		return target;
	}

	static String unknownKeyMessage(PluginDescriptor d, String key) {
		List<String> names = d.options().stream().filter(OptionSpec::listed).map(OptionSpec::displayName).toList();
		StringBuilder sb = new StringBuilder();
		sb.append(d.name()).append(": unknown configuration property '").append(key).append("'.");
		String nearest = nearest(key, d);
		if (nearest != null) {
			sb.append(" Did you mean '").append(nearest).append("'?");
		}
		if (names.isEmpty()) {
			sb.append(" This plugin has no properties of its own.");
		}
		else {
			sb.append(" The following properties are allowed: ");
			for (int i = 0; i < names.size(); i++) {
				if (i > 0) {
					sb.append((i == names.size() - 1) ? ", and " : ", ");
				}
				sb.append(names.get(i));
			}
			sb.append('.');
		}
		sb.append(" (try: sluice ").append(d.kind().flag()).append(' ').append(d.name()).append(" -h)");
		return sb.toString();
	}

	private static String nearest(String key, PluginDescriptor d) {
		List<String> candidates = new ArrayList<>();
		d.options().forEach((o) -> candidates.add(o.name()));
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String c : candidates) {
			int dist = levenshtein(key, c);
			if (dist < bestDistance) {
				bestDistance = dist;
				best = c;
			}
		}
		return (best != null && bestDistance <= Math.max(2, key.length() / 3)) ? best : null;
	}

	static int levenshtein(String a, String b) {
		int[] prev = new int[b.length() + 1];
		int[] cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			prev[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
			}
			int[] t = prev;
			prev = cur;
			cur = t;
		}
		return prev[b.length()];
	}

	private static OptionSpec find(List<OptionSpec> specs, String key) {
		for (OptionSpec s : specs) {
			if (s.matches(key)) {
				return s;
			}
		}
		return null;
	}

	private static void fill(String plugin, List<OptionSpec> specs, Object target,
			Map<OptionSpec, List<ConfigProperty>> given, Origin sectionOrigin, List<ConfigError> errors) {
		for (OptionSpec spec : specs) {
			if (spec.field() == null) {
				continue;
			}
			List<ConfigProperty> props = given.get(spec);
			try {
				if (props == null || props.isEmpty()) {
					if (spec.required()) {
						errors.add(new ConfigError(sectionOrigin,
								plugin + ": required property '" + spec.name() + "' is not set"));
					}
					else if (spec.defaultValue() != null && spec.type() != OptionType.PREFIX) {
						set(spec, target, List.of(new ConfigProperty(spec.name(), spec.defaultValue(), Origin.DEFAULT)));
					}
					continue;
				}
				if (!spec.multiple() && spec.type() != OptionType.PREFIX && props.size() > 1) {
					errors.add(new ConfigError(props.get(props.size() - 1).origin(), plugin + ": configuration property '"
							+ spec.name() + "' is set " + props.size() + " times"));
					continue;
				}
				set(spec, target, props);
			}
			catch (BadValue ex) {
				errors.add(new ConfigError(ex.property.origin(),
						plugin + ": invalid value for " + spec.type().label() + " property '" + ex.property.key() + "="
								+ (spec.secret() ? "****" : ex.property.value()) + "': " + ex.getMessage()));
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	private static void set(OptionSpec spec, Object target, List<ConfigProperty> props)
			throws IllegalAccessException {
		Field f = spec.field();
		Class<?> t = f.getType();
		if (spec.type() == OptionType.PREFIX) {
			Map<String, String> m = new LinkedHashMap<>();
			for (ConfigProperty p : props) {
				m.put(p.name().substring(spec.name().length()), p.value());
			}
			f.set(target, m);
			return;
		}
		if (spec.type() == OptionType.DEPRECATED) {
			return;
		}
		if (t == List.class) {
			List<Object> values = new ArrayList<>();
			for (ConfigProperty p : props) {
				List<String> parts = switch (spec.type()) {
					case CLIST -> ConfigValues.splitComma(p.value(), spec.maxSplit());
					case SLIST -> ConfigValues.splitSpace(p.value(), spec.maxSplit());
					default -> List.of(p.value());
				};
				if (spec.multiple() && spec.type() == OptionType.SLIST && isListOfLists(f)) {
					values.add(parts);
				}
				else {
					values.addAll(parts);
				}
			}
			f.set(target, values);
			return;
		}
		ConfigProperty p = props.get(props.size() - 1);
		f.set(target, convert(spec, t, p));
	}

	private static boolean isListOfLists(Field f) {
		return f.getGenericType() instanceof java.lang.reflect.ParameterizedType pt
				&& pt.getActualTypeArguments()[0] instanceof java.lang.reflect.ParameterizedType;
	}

	private static Object convert(OptionSpec spec, Class<?> t, ConfigProperty p) {
		String v = p.value();
		try {
			if (t == String.class) {
				return v;
			}
			if (t == boolean.class || t == Boolean.class) {
				return ConfigValues.parseBool(v);
			}
			if (t == double.class || t == Double.class) {
				return ConfigValues.parseDouble(v);
			}
			if (t == Duration.class) {
				return ConfigValues.parseTime(v);
			}
			long n = switch (spec.type()) {
				case SIZE -> ConfigValues.parseSize(v);
				case TIME -> ConfigValues.parseTime(v).toSeconds();
				default -> ConfigValues.parseInt(v);
			};
			if (t == int.class || t == Integer.class) {
				if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
					throw new IllegalArgumentException("out of range");
				}
				return (int) n;
			}
			if (t == long.class || t == Long.class) {
				return n;
			}
			throw new IllegalStateException("unsupported option field type " + t + " for " + spec.name());
		}
		catch (IllegalArgumentException ex) {
			throw new BadValue(p, ex.getMessage());
		}
	}

	/** Lower-cases a key. */
	public static String normalize(String key) {
		return key.toLowerCase(Locale.ROOT);
	}

	private static final class BadValue extends RuntimeException {

		final transient ConfigProperty property;

		BadValue(ConfigProperty property, String message) {
			super(message, null, false, false);
			this.property = property;
		}
	}
}
