package dev.sluice.plugins.out.exit;

import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code exit} output (for tests): asks the service to stop after
 * {@code flush_count} flushes, or {@code record_count} records, or on the first flush more than
 * {@code time_count} seconds after start; with none of them set, after one flush. As in Fluent
 * Bit, a flush that counts records of a log chunk only counts: the stop is checked on the
 * following flush.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "exit", description = "Exit after a number of flushes (test purposes)", config = ExitConfig.class,
		eventTypes = Plugin.LOGS | Plugin.METRICS | Plugin.TRACES)
public final class ExitOutput implements OutputPlugin<ExitConfig> {

	private boolean running = true;

	private int flushCount;

	private int recordCount;

	private int timeCount;

	private long startNanos;

	@Override
	public void init(ExitConfig config, OutputContext context) {
		this.flushCount = config.flushCount;
		this.recordCount = config.recordCount;
		this.timeCount = config.timeCount;
		if (this.flushCount == -1 && this.recordCount == -1 && this.timeCount == -1) {
			this.flushCount = 1;
		}
		this.startNanos = System.nanoTime();
	}

	@Override
	public synchronized FlushResult flush(Chunk chunk, OutputContext context) {
		if (!this.running) {
			return FlushResult.OK;
		}
		if (this.flushCount > 0) {
			this.flushCount--;
		}
		if (this.recordCount > 0 && chunk.eventType() == 0) {
			try {
				JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(chunk.events());
				while (c.next()) {
					if (!c.isGroupMarker() && this.recordCount > 0) {
						this.recordCount--;
					}
				}
			}
			catch (EventFormatException ex) {
				context.log().error("Log event decoder error : {}", ex.getMessage());
				return FlushResult.ERROR;
			}
			return FlushResult.OK;
		}
		boolean timeUp = this.timeCount > 0
				&& (System.nanoTime() - this.startNanos) / 1_000_000L > this.timeCount * 1000L;
		if (this.flushCount == 0 || this.recordCount == 0 || timeUp) {
			this.running = false;
			context.requestShutdown();
		}
		return FlushResult.OK;
	}
}
