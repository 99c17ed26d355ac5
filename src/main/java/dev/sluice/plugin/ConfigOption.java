package dev.sluice.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one configuration property on a field of a plugin's configuration class: Fluent Bit's
 * config-map row. The declaration drives binding (with unknown-key errors), {@code -h}, {@code -J}
 * and the admin API's schema.
 *
 * <p>Field types: {@code String}; {@code int}/{@code long} (INT, or SIZE in bytes, or TIME in
 * seconds); {@code boolean}; {@code double}; {@code java.time.Duration} (TIME);
 * {@code List<String>} (CLIST, SLIST, or a repeated STR); {@code List<List<String>>} (a repeated
 * SLIST); {@code Map<String,String>} (PREFIX: key suffix to value).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ConfigOption {

	/** Marks "no default" ({@code null} in schemas). */
	String NO_DEFAULT = "\u0000";

	/** The key, lower case (matched case-insensitively). For PREFIX, the prefix, e.g. {@code rdkafka.}. */
	String name();

	String description();

	/** The default as Fluent Bit writes it, a string parsed like a configured value. */
	String defaultValue() default NO_DEFAULT;

	OptionType type() default OptionType.AUTO;

	/** The key may be given several times (Fluent Bit's {@code FLB_CONFIG_MAP_MULT}). */
	boolean multiple() default false;

	/** For CLIST/SLIST: at most this many splits, the rest kept whole (Fluent Bit's {@code _n}). */
	int maxSplit() default -1;

	/** A secret (password, key, token): never shown by any endpoint or log. */
	boolean secret() default false;

	/** The key must be set. */
	boolean required() default false;

	/**
	 * Listed in help and Fluent Bit-compatible schemas. Accepted keys that Fluent Bit does not
	 * list there (such as {@code name} or {@code workers}) are declared unlisted.
	 */
	boolean listed() default true;
}
