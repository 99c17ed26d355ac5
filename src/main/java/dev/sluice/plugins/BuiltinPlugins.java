package dev.sluice.plugins;

import java.util.List;

/**
 * Every built-in plugin class, listed explicitly (no class-path scanning at start-up).
 */
public final class BuiltinPlugins {

	public static final List<Class<?>> CLASSES = List.of(
			// inputs
			dev.sluice.plugins.in.lib.LibInput.class,
			// filters
			dev.sluice.plugins.filter.parser.ParserFilter.class,
			dev.sluice.plugins.filter.multiline.MultilineFilter.class,
			// outputs
			dev.sluice.plugins.out.lib.LibOutput.class);

	private BuiltinPlugins() {
	}
}
