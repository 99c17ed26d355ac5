package dev.sluice.engine;

import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code storage_backlog}: the hidden input that owns the chunk files an earlier run
 * left under {@code storage.path}. The engine queues them (see {@code Engine#pumpBacklog}); the
 * plugin itself collects nothing.
 */
@Plugin(kind = PluginKind.INPUT, name = "storage_backlog", description = "Storage Backlog", internal = true)
final class StorageBacklogInput implements InputPlugin<Plugin.NoConfig> {

	@Override
	public void collect(InputContext context) throws InterruptedException {
		while (context.isRunning()) {
			context.sleep(java.time.Duration.ofSeconds(1));
		}
	}
}
