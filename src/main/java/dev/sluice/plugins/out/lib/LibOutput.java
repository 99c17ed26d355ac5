package dev.sluice.plugins.out.lib;

import java.util.ArrayList;
import java.util.List;

import dev.sluice.event.LogEvent;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * The {@code lib} output: delivers each chunk to a Java callback in the same process (Fluent
 * Bit's library-mode output). Without a callback it keeps the decoded events in memory, up to
 * {@code max_records} when set, for embedding code to read with {@link #events()}.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "lib", description = "Library mode Output", config = LibOutputConfig.class,
		internal = true, eventTypes = Plugin.LOGS | Plugin.METRICS | Plugin.TRACES)
public final class LibOutput implements OutputPlugin<LibOutputConfig> {

	/** Receives each flushed chunk; its result is the flush's result. */
	@FunctionalInterface
	public interface Callback {

		FlushResult deliver(Chunk chunk) throws Exception;
	}

	private volatile Callback callback;

	private final List<LogEvent> events = new ArrayList<>();

	private Integer maxRecords;

	/** Sets the callback; call before the pipeline starts. */
	public void setCallback(Callback callback) {
		this.callback = callback;
	}

	@Override
	public void init(LibOutputConfig config, OutputContext context) {
		this.maxRecords = config.maxRecords;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		Callback cb = this.callback;
		if (cb != null) {
			return cb.deliver(chunk);
		}
		List<LogEvent> decoded = chunk.decode();
		synchronized (this.events) {
			for (LogEvent e : decoded) {
				if (this.maxRecords != null && this.events.size() >= this.maxRecords) {
					break;
				}
				this.events.add(e);
			}
		}
		return FlushResult.OK;
	}

	/** A snapshot of the events kept (when no callback is set). */
	public List<LogEvent> events() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}
}
