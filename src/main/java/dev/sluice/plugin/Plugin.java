package dev.sluice.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a plugin type: its kind, name and one-line description, and the class that holds its
 * configuration (fields annotated with {@link ConfigOption}). This is Fluent Bit's registration
 * struct; the annotated class must implement the matching {@link InputPlugin},
 * {@link FilterPlugin} or {@link OutputPlugin} and have a public no-argument constructor.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Plugin {

	PluginKind kind();

	/** The name used in {@code Name} and on the command line, lower case. */
	String name();

	String description();

	/** The configuration class; {@link NoConfig} when the plugin has no options of its own. */
	Class<?> config() default NoConfig.class;

	/** Default number of concurrent flushes, for outputs (Fluent Bit's per-plugin default). */
	int workers() default 1;

	/** Whether the plugin talks to the network (it then accepts {@code net.*} and {@code tls.*}). */
	boolean network() default false;

	/** Hidden from help listings (as Fluent Bit's internal plugins are), still in {@code -J}. */
	boolean internal() default false;

	/** {@link #eventTypes()} bit: log records (chunk type 0). */
	int LOGS = 1;

	/** {@link #eventTypes()} bit: metrics (chunk type 1). */
	int METRICS = 2;

	/** {@link #eventTypes()} bit: traces (chunk type 2). */
	int TRACES = 4;

	/**
	 * For outputs: the chunk types it takes, as Fluent Bit's {@code event_type} flags (default
	 * logs only). The router gives an output only chunks of these types.
	 */
	int eventTypes() default LOGS;

	/** The configuration of a plugin with no options of its own. */
	final class NoConfig {
	}
}
