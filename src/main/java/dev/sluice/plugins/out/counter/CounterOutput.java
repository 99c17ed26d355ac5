package dev.sluice.plugins.out.counter;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code counter} output: prints one line per flush,
 * {@code {"ts":<now, %.6f>,"serialized_events":N,"log_records":M,"total":N+M}}, where N counts
 * every msgpack object of the chunk (group markers included) and M the log records (for log
 * chunks only).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "counter", description = "Records counter",
		eventTypes = Plugin.LOGS | Plugin.METRICS | Plugin.TRACES)
public final class CounterOutput implements OutputPlugin<Plugin.NoConfig> {

	private final PrintStream out;

	private final Clock clock;

	public CounterOutput() {
		this(System.out, Clock.systemUTC());
	}

	/** Prints to another stream, with another clock (tests). */
	CounterOutput(PrintStream out, Clock clock) {
		this.out = out;
		this.clock = clock;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		EventBytes e = chunk.events();
		long serialized = 0;
		long records = 0;
		try {
			if (chunk.eventType() == 0) {
				JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(e);
				while (c.next()) {
					serialized++;
					if (!c.isGroupMarker()) {
						records++;
					}
				}
			}
			else {
				int p = e.offset();
				int end = e.offset() + e.length();
				while (p < end) {
					p = JsonFormatter.skip(e.data(), p);
					serialized++;
				}
			}
		}
		catch (EventFormatException | ArrayIndexOutOfBoundsException ex) {
			context.log().error("could not count the chunk's events: {}", ex.getMessage());
		}
		Instant now = this.clock.instant();
		JsonFormatter.Sink s = new JsonFormatter.Sink(96);
		s.writeAscii("{\"ts\":");
		JsonFormatter.appendFixed(s, (double) now.getEpochSecond() + (double) now.getNano() / 1.0e9, 6);
		s.writeAscii(",\"serialized_events\":");
		s.writeLong(serialized);
		s.writeAscii(",\"log_records\":");
		s.writeLong(records);
		s.writeAscii(",\"total\":");
		s.writeLong(serialized + records);
		s.writeAscii("}\n");
		synchronized (this.out) {
			this.out.write(s.buffer(), 0, s.length());
			this.out.flush();
		}
		return FlushResult.OK;
	}
}
