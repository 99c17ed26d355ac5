package dev.sluice.plugin;

import java.util.Map;

import org.slf4j.Logger;

/**
 * What one configured plugin instance knows about itself. A plugin may keep per-instance state
 * with {@link #setContext(Object)} in {@code init} and read it back in later calls: several
 * instances of one plugin each have their own context (as fluent-bit-go's
 * {@code FLBPluginSetContext}). The context must be set in {@code init} and only read afterwards.
 */
public interface PluginContext {

	/** The instance name, {@code <plugin>.<seq>} such as {@code stdout.0}. */
	String name();

	/** The alias when one is set, else {@link #name()}: the name used in logs and metrics. */
	String displayName();

	/** The plugin type's name, such as {@code stdout}. */
	String pluginName();

	/** The logger for this instance, named {@code <kind>:<plugin>:<instance>}. */
	Logger log();

	/** The instance's configured properties, keys lower case, as written (after variable expansion). */
	Map<String, String> properties();

	/**
	 * Every configured property in the order written, repeated keys included, keys lower case:
	 * for plugins whose repeatable options interleave and whose order matters (grep's
	 * {@code regex}/{@code exclude}, modify's rules, expect's rules), as Fluent Bit walks an
	 * instance's property list.
	 */
	default java.util.List<Map.Entry<String, String>> orderedProperties() {
		return java.util.List.copyOf(properties().entrySet());
	}

	/** Reads one configured property (case-insensitive), or null when unset. */
	default String property(String key) {
		return properties().get(key.toLowerCase(java.util.Locale.ROOT));
	}

	/** Sets this instance's context. */
	void setContext(Object context);

	/** This instance's context, as set in {@code init}. */
	<T> T context();

	/** The service's flush interval, in seconds. */
	double flushIntervalSeconds();

	/** Asks the whole service to stop gracefully (as Fluent Bit's {@code flb_engine_exit}). */
	void requestShutdown();

	/**
	 * As {@link #requestShutdown()}, with the exit status the process should end with (Fluent
	 * Bit's {@code flb_engine_exit_status}); the first non-zero status asked for wins.
	 */
	default void requestShutdown(int exitStatus) {
		requestShutdown();
	}

	/**
	 * The parsers and multiline parsers of this pipeline ({@code parsers_file}s, YAML
	 * {@code parsers:}/{@code multiline_parsers:}, and the built-in multiline parsers), for plugins
	 * that take parser names in {@code init}. The default has only the built-ins.
	 */
	default dev.sluice.parser.ParserRegistry parsers() {
		return dev.sluice.parser.ParserRegistry.builtin();
	}
}
