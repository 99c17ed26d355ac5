package dev.sluice.plugins.out.es;

import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;

/**
 * The {@code es} and {@code opensearch} outputs: each chunk becomes a {@code _bulk} request; only
 * the records whose bulk items failed with a retryable status are sent again (see
 * {@link BulkWriter}). A subclass has its own options class; {@link BulkSettings#from} takes the
 * writer's settings from it by field name.
 */
public abstract class BulkOutput<C> implements OutputPlugin<C> {

	private BulkWriter writer;

	@Override
	public void init(C config, OutputContext context) throws Exception {
		this.writer = new BulkWriter(BulkSettings.from(config), context);
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		return this.writer.flush(chunk);
	}

	/** The bulk writer (its counters: indexed, dropped and retried records). */
	public BulkWriter writer() {
		return this.writer;
	}

	@Override
	public void exit() {
		if (this.writer != null) {
			this.writer.close();
		}
	}
}
