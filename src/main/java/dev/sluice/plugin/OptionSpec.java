package dev.sluice.plugin;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One declared configuration property, read from a {@link ConfigOption} field: the single
 * source for binding, help text and schemas.
 *
 * @param name the key (lower case); for PREFIX the prefix
 * @param description one line for users
 * @param defaultValue the default as written, or null
 * @param type the resolved type (never AUTO)
 * @param multiple whether the key may repeat
 * @param maxSplit CLIST/SLIST split limit, or -1
 * @param secret whether the value must never be shown
 * @param required whether the key must be set
 * @param listed whether help and schemas list it
 * @param field the field bound, or null for a declaration without one
 */
public record OptionSpec(String name, String description, String defaultValue, OptionType type, boolean multiple,
		int maxSplit, boolean secret, boolean required, boolean listed, Field field) {

	private static final Map<Class<?>, List<OptionSpec>> CACHE = new ConcurrentHashMap<>();

	/** The options declared by a configuration class (and its superclasses, theirs first), in order. */
	public static List<OptionSpec> of(Class<?> configClass) {
		List<OptionSpec> cached = CACHE.get(configClass);
		if (cached == null) {
			// not computeIfAbsent: scanning recurses into the superclass
			cached = scan(configClass);
			CACHE.putIfAbsent(configClass, cached);
		}
		return cached;
	}

	private static List<OptionSpec> scan(Class<?> cls) {
		List<OptionSpec> out = new ArrayList<>();
		if (cls == null || cls == Object.class || cls == Plugin.NoConfig.class) {
			return List.of();
		}
		out.addAll(of(cls.getSuperclass()));
		for (Field f : cls.getDeclaredFields()) {
			ConfigOption o = f.getAnnotation(ConfigOption.class);
			if (o == null || Modifier.isStatic(f.getModifiers())) {
				continue;
			}
			f.setAccessible(true);
			String def = ConfigOption.NO_DEFAULT.equals(o.defaultValue()) ? null : o.defaultValue();
			out.add(new OptionSpec(o.name().toLowerCase(java.util.Locale.ROOT), o.description(), def,
					resolveType(o.type(), f), o.multiple(), o.maxSplit(), o.secret(), o.required(), o.listed(), f));
		}
		return List.copyOf(out);
	}

	static OptionType resolveType(OptionType declared, Field f) {
		if (declared != OptionType.AUTO) {
			return declared;
		}
		Class<?> t = f.getType();
		if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
			return OptionType.INT;
		}
		if (t == boolean.class || t == Boolean.class) {
			return OptionType.BOOL;
		}
		if (t == double.class || t == Double.class) {
			return OptionType.DOUBLE;
		}
		if (t == Duration.class) {
			return OptionType.TIME;
		}
		if (t == Map.class) {
			return OptionType.PREFIX;
		}
		if (t == List.class) {
			Type g = f.getGenericType();
			if (g instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof ParameterizedType) {
				return OptionType.SLIST;
			}
			ConfigOption o = f.getAnnotation(ConfigOption.class);
			return (o != null && o.multiple()) ? OptionType.STR : OptionType.CLIST;
		}
		return OptionType.STR;
	}

	/** Whether a configured key is this option (exact, or under the prefix for PREFIX). */
	public boolean matches(String key) {
		if (this.type == OptionType.PREFIX) {
			return key.startsWith(this.name) && key.length() > this.name.length();
		}
		return key.equals(this.name);
	}

	/** The key as the plugin declares it, case kept (Fluent Bit's schema shows {@code Set}, {@code Nest_under}). */
	public String declaredName() {
		ConfigOption o = (this.field != null) ? this.field.getAnnotation(ConfigOption.class) : null;
		return (o != null) ? o.name() : this.name;
	}

	/**
	 * The type as help and schemas print it: {@link OptionType#label()}, except that a list split
	 * at most N times prints as Fluent Bit's {@code _N} types do, e.g.
	 * {@code space delimited strings (minimum 4)}.
	 */
	public String typeLabel() {
		if (this.maxSplit > 0 && this.type == OptionType.SLIST) {
			return "space delimited strings (minimum " + this.maxSplit + ")";
		}
		if (this.maxSplit > 0 && this.type == OptionType.CLIST) {
			return "comma delimited strings (minimum " + this.maxSplit + ")";
		}
		return this.type.label();
	}

	/** The name shown in help and schemas (a prefixed family shows its prefix, as Fluent Bit 5.1.1 does). */
	public String displayName() {
		return declaredName();
	}
}
