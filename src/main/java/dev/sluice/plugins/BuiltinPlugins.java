package dev.sluice.plugins;

import java.util.List;

/**
 * Every built-in plugin class, listed explicitly (no class-path scanning at start-up). The order
 * is the order of {@code sluice -h} and {@code -J}.
 */
public final class BuiltinPlugins {

	public static final List<Class<?>> CLASSES = List.of(
			// inputs
			dev.sluice.plugins.in.dummy.DummyInput.class,
			dev.sluice.plugins.in.stdin.StdinInput.class,
			dev.sluice.plugins.in.lib.LibInput.class,

			// filters

			// outputs
			dev.sluice.plugins.out.counter.CounterOutput.class,
			dev.sluice.plugins.out.exit.ExitOutput.class,
			dev.sluice.plugins.out.file.FileOutput.class,
			dev.sluice.plugins.out.nullout.NullOutput.class,
			dev.sluice.plugins.out.stdout.StdoutOutput.class,
			dev.sluice.plugins.out.lib.LibOutput.class);

	private BuiltinPlugins() {
	}
}
