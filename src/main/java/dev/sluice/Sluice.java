package dev.sluice;

import java.util.function.Supplier;

import dev.sluice.cli.CliMain;
import dev.sluice.cli.CliOptions;
import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigLoader;
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

	public static void main(String[] args) {
		PluginRegistry registry = PluginRegistry.builtin();
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
		return new SluiceService(registry, System.err).run(doc, options.dryRun(), null, source);
	}
}
