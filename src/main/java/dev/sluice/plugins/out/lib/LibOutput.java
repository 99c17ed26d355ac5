package dev.sluice.plugins.out.lib;

import java.util.ArrayList;
import java.util.List;

import dev.sluice.event.EventBytes;
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
			// a copy: the embedding code may keep the chunk, and the engine recycles its array
			return cb.deliver(Detached.of(chunk));
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

	/** A chunk whose events are a copy of its own: valid after the flush. */
	private record Detached(String name, String tag, String input, int eventType, EventBytes events) implements Chunk {

		static Detached of(Chunk c) {
			EventBytes e = c.events();
			byte[] copy = java.util.Arrays.copyOfRange(e.data(), e.offset(), e.offset() + e.length());
			return new Detached(c.name(), c.tag(), c.input(), c.eventType(), new EventBytes(copy, 0, copy.length, e.records()));
		}
	}
}
