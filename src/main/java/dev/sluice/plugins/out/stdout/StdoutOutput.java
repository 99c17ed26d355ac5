package dev.sluice.plugins.out.stdout;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code stdout} output. The default ({@code msgpack}) format prints each record as
 * {@code [N] tag: [[sec.nsec, {meta}], {"k"=>"v"}]} (N counts from 0 in each flush); {@code json},
 * {@code json_lines} and {@code json_stream} print the records as JSON with the date key first
 * (a JSON array or stream is followed by one newline). Each chunk is written with one write,
 * under a lock, so chunks never interleave.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "stdout", description = "Prints events to STDOUT", config = StdoutConfig.class, workers = 1)
public final class StdoutOutput implements OutputPlugin<StdoutConfig> {

	private static final ReentrantLock STDOUT_LOCK = new ReentrantLock();

	private final PrintStream out;

	private final ReentrantLock lock;

	/** The JSON format, or null for the msgpack-style print. */
	private JsonFormatter.Format format;

	private JsonFormatter.DateFormat dateFormat;

	private String dateKey;

	private JsonFormatter formatter;

	public StdoutOutput() {
		this(System.out, STDOUT_LOCK);
	}

	/** Prints to another stream (tests). */
	StdoutOutput(PrintStream out) {
		this(out, new ReentrantLock());
	}

	private StdoutOutput(PrintStream out, ReentrantLock lock) {
		this.out = out;
		this.lock = lock;
	}

	@Override
	public void init(StdoutConfig config, OutputContext context) {
		this.formatter = JsonFormatter.standard();
		if (config.format != null) {
			String f = config.format.toLowerCase(Locale.ROOT);
			if (f.equals("otlp_json") || f.equals("otlp_json_pretty")) {
				throw new IllegalArgumentException("stdout: format '" + config.format + "' is not supported yet");
			}
			this.format = JsonFormatter.Format.parse(f);
			if (this.format == null && !f.equals("msgpack")) {
				context.log().error("unrecognized 'format' option. Using 'msgpack'");
			}
		}
		this.dateKey = config.jsonDateKey;
		if (this.dateKey != null && isFalse(this.dateKey)) {
			this.dateKey = null;
		}
		this.dateFormat = JsonFormatter.DateFormat.DOUBLE;
		if (config.jsonDateFormat != null) {
			JsonFormatter.DateFormat df = JsonFormatter.DateFormat.parse(config.jsonDateFormat);
			if (df == null) {
				context.log().error("invalid json_date_format '{}'. Using 'double' type", config.jsonDateFormat);
			}
			else {
				this.dateFormat = df;
			}
		}
	}

	/** Fluent Bit's {@code flb_utils_bool(v) == FLB_FALSE}. */
	static boolean isFalse(String v) {
		String s = v.toLowerCase(Locale.ROOT);
		return s.equals("false") || s.equals("off") || s.equals("no");
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		if (chunk.eventType() != 0) {
			context.log().error("stdout: printing {} events is not supported yet",
					(chunk.eventType() == 1) ? "metrics" : "trace");
			return FlushResult.ERROR;
		}
		JsonFormatter.Sink sink = new JsonFormatter.Sink(chunk.size() * 2 + 64);
		try {
			if (this.format != null) {
				if (chunk.records() == 0) {
					return FlushResult.OK;
				}
				var e = chunk.events();
				this.formatter.formatEvents(e.data(), e.offset(), e.length(), this.format, this.dateFormat,
						this.dateKey, sink);
				if (this.format != JsonFormatter.Format.JSON_LINES) {
					sink.write('\n');
				}
			}
			else {
				printMsgpack(chunk, sink);
			}
		}
		catch (EventFormatException ex) {
			context.log().error("Log event decoder error : {}", ex.getMessage());
			return FlushResult.ERROR;
		}
		this.lock.lock();
		try {
			this.out.write(sink.buffer(), 0, sink.length());
			this.out.flush();
		}
		finally {
			this.lock.unlock();
		}
		return FlushResult.OK;
	}

	private static void printMsgpack(Chunk chunk, JsonFormatter.Sink o) {
		byte[] tag = chunk.tag().getBytes(java.nio.charset.StandardCharsets.UTF_8);
		JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(chunk.events());
		byte[] b = c.data();
		long n = 0;
		while (c.next()) {
			if (c.isGroupMarker()) {
				continue;
			}
			o.write('[');
			o.writeLong(n++);
			o.writeAscii("] ");
			o.write(tag);
			o.writeAscii(": [[");
			o.writeLong((int) c.seconds());
			o.write('.');
			JsonFormatter.appendPadded(o, c.nanos(), 9);
			o.writeAscii(", ");
			if (c.metadataOffset() >= 0) {
				JsonFormatter.printMsgpack(b, c.metadataOffset(), o);
			}
			else {
				o.writeAscii("{}");
			}
			o.writeAscii("], ");
			JsonFormatter.printMsgpack(b, c.bodyOffset(), o);
			o.writeAscii("]\n");
		}
	}
}
