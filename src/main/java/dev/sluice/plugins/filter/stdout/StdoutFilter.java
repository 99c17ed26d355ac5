package dev.sluice.plugins.filter.stdout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code stdout} filter: prints every record, never changes them. One line per
 * record, numbered from 0 in each run of events:
 * {@code [0] tag: [[1700000000.123456789, {}], {"log"=>"hi"}]} (seconds and nanoseconds, the
 * metadata map, the record, as {@link MsgpackPrinter} prints them). Lines of one run are written
 * together, so runs from several inputs do not interleave.
 */
@Plugin(kind = PluginKind.FILTER, name = "stdout", description = "Filter events to STDOUT")
public final class StdoutFilter implements FilterPlugin<Plugin.NoConfig> {

	private volatile PrintStream out = System.out;

	/** Replaces the stream printed to (tests). */
	public StdoutFilter printTo(PrintStream stream) {
		this.out = stream;
		return this;
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		ByteArrayOutputStream buf = new ByteArrayOutputStream(events.length() * 2 + 64);
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(events.data(), events.offset(), events.length())) {
			int n = 0;
			while (u.hasNext()) {
				if (u.getNextFormat().getValueType() != ValueType.ARRAY) {
					u.skipValue();
					continue;
				}
				int size = u.unpackArrayHeader();
				if (size != 2) {
					u.skipValue(size);
					continue;
				}
				EventTime time;
				ByteArrayOutputStream meta = new ByteArrayOutputStream();
				if (u.getNextFormat().getValueType() == ValueType.ARRAY) {
					int h = u.unpackArrayHeader();
					time = (h > 0) ? EventDecoder.readTime(u) : null;
					if (h > 1) {
						MsgpackPrinter.print(u, meta);
						u.skipValue(h - 2);
					}
					else {
						MsgpackPrinter.ascii(meta, "{}");
					}
				}
				else {
					time = EventDecoder.readTime(u);
					MsgpackPrinter.ascii(meta, "{}");
				}
				if (time != null && time.seconds() < 0) {
					u.skipValue();
					continue;
				}
				EventTime t = (time != null) ? time : EventTime.ZERO;
				MsgpackPrinter.ascii(buf, "[" + (n++) + "] " + tag + ": [[" + (t.seconds() & 0xFFFFFFFFL) + "."
						+ String.format("%09d", t.nanos()) + ", ");
				buf.write(meta.toByteArray());
				MsgpackPrinter.ascii(buf, "], ");
				MsgpackPrinter.print(u, buf);
				MsgpackPrinter.ascii(buf, "]\n");
			}
		}
		catch (IOException | RuntimeException ex) {
			context.log().warn("cannot print events with tag '{}': {}", tag, ex.getMessage());
		}
		PrintStream ps = this.out;
		synchronized (ps) {
			ps.write(buf.toByteArray(), 0, buf.size());
			ps.flush();
		}
		return null;
	}
}
