package dev.sluice;

import java.util.function.Supplier;

import dev.sluice.cli.CliMain;
import dev.sluice.cli.CliOptions;
import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.plugins.external.ExternalPlugins;
import dev.sluice.plugin.PluginRegistry;

/**
 * The {@code sluice} command: Fluent Bit's command line ({@code -c}, {@code -i/-F/-o},
 * {@code -p}, {@code -h}, {@code -J}, {@code --dry-run}, …). Help, schemas and version are
 * answered without starting Spring; a run reads the configuration, merges the command line into
 * it and hands it to {@link SluiceService}.
 */
public final class Sluice {

	private Sluice() {
	}

	public static void main(String[] args) throws Exception {
		if (Boolean.getBoolean("sluice.aot.training")) {
			// the build's AOT training run (see AotTraining), never a user's
			int code = AotTraining.run();
			System.out.flush();
			System.exit(code);
		}
		PluginRegistry registry = PluginRegistry.builtin();
		// -e plugins are loaded before anything else, so that help and -J list them too
		try {
			java.util.List<java.nio.file.Path> early = dev.sluice.cli.CommandLine.parse("sluice", args).pluginFiles();
			if (!early.isEmpty()) {
				ExternalPlugins.load(registry, early);
			}
		}
		catch (RuntimeException ex) {
			// a bad command line or plugin is reported by CliMain / the run below
		}
		int code = CliMain.run(args, System.out, System.err, registry, (options) -> run(options, registry));
		System.out.flush();
		System.err.flush();
		System.exit(code);
	}

	static int run(CliOptions options, PluginRegistry registry) {
		Supplier<ConfigDocument> source = () -> {
			ConfigDocument file = (options.resolvedConfigFile() != null)
					? new ConfigLoader().load(options.resolvedConfigFile()) : null;
			return options.applyTo(file);
		};
		ConfigDocument doc = source.get();
		loadExternalPlugins(options, doc, registry);
		return new SluiceService(registry, System.err).run(doc, options.dryRun(), null, source);
	}

	private static boolean alreadyLoaded(PluginRegistry registry, java.nio.file.Path p) {
		String abs = p.toAbsolutePath().normalize().toString();
		return registry.all().stream().anyMatch((d) -> d.source().equals(abs) || d.source().equals(p.toString()));
	}

	/**
	 * Registers the plugins named by {@code -e}, by the service's {@code plugins_file} files
	 * ({@code [PLUGINS] Path …}) and by YAML {@code plugins:}: Go or C shared objects and Java
	 * plugin jars. They stay loaded for the life of the process (a Go runtime cannot be unloaded).
	 */
	static void loadExternalPlugins(CliOptions options, ConfigDocument doc, PluginRegistry registry) {
		java.util.List<java.nio.file.Path> paths = new java.util.ArrayList<>();
		for (java.nio.file.Path p : options.pluginFiles()) {
			if (!alreadyLoaded(registry, p)) {
				paths.add(p);
			}
		}
		paths.addAll(ExternalPlugins.paths(doc));
		for (String f : doc.service().getAll("plugins_file")) {
			java.nio.file.Path p = java.nio.file.Path.of(f);
			if (!p.isAbsolute() && doc.mainFile() != null && doc.mainFile().getParent() != null
					&& !java.nio.file.Files.exists(p)) {
				p = doc.mainFile().getParent().resolve(p);
			}
			if (!java.nio.file.Files.isRegularFile(p)) {
				throw new ConfigException(doc.service().property("plugins_file").origin(),
						"plugins_file '" + f + "' does not exist");
			}
			paths.addAll(ExternalPlugins.paths(new dev.sluice.config.ClassicConfigReader().readPluginsFile(p)));
		}
		if (!paths.isEmpty()) {
			try {
				ExternalPlugins.load(registry, paths);
			}
			catch (RuntimeException ex) {
				throw new ConfigException(dev.sluice.config.Origin.COMMAND_LINE, ex.getMessage());
			}
		}
	}
}
