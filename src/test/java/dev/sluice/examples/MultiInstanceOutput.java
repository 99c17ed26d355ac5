package dev.sluice.examples;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code out_multiinstance} example on Sluice's SDK: an output that may be
 * configured several times, each instance reading its own {@code id} in {@code init}, storing it
 * as the instance context, and seeing that context in every flush.
 *
 * <pre>
 * [OUTPUT]
 *     Name  multiinstance
 *     Match *
 *     id    cats
 * [OUTPUT]
 *     Name  multiinstance
 *     Match *
 *     id    dogs
 * </pre>
 */
@Plugin(kind = PluginKind.OUTPUT, name = "multiinstance", description = "Testing multiple instances",
		config = MultiInstanceOutput.Config.class)
public final class MultiInstanceOutput implements OutputPlugin<MultiInstanceOutput.Config> {

	/** What every flush saw: (context id, tag, records). Shared by all instances, for the test. */
	public static final List<String> FLUSHES = new CopyOnWriteArrayList<>();

	/** The plugin's configuration. */
	public static class Config {

		@ConfigOption(name = "id", description = "The id this instance reports.", required = true)
		public String id;
	}

	/** Registration happens through {@link Plugin}; init reads the instance's id into its context. */
	@Override
	public void init(Config config, OutputContext context) {
		context.log().info("[multiinstance] id = \"{}\"", config.id);
		context.setContext(config.id);
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		String id = context.context();
		context.log().info("[multiinstance] Flush called for id: {}", id);
		FLUSHES.add(id + "|" + chunk.tag() + "|" + chunk.records());
		return FlushResult.OK;
	}

	@Override
	public void exit() {
	}
}
