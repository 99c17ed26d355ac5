package dev.sluice.plugins.in.stdin;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

import org.msgpack.core.MessagePacker;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.in.dummy.JsonToMsgpack;

/**
 * Fluent Bit's {@code stdin} input: reads a stream of JSON values from standard input, as many
 * per read as are complete (they need not be one per line).
 *
 * <ul>
 * <li>A JSON object becomes a record stamped with the current time.</li>
 * <li>A JSON array is read as a Fluent Bit event: {@code [time, {record}]} or
 * {@code [[time, {metadata}], {record}]}, time in (fractional) seconds.</li>
 * <li>Any other value is reported ({@code invalid record found, it's not a JSON map or
 * array}) and skipped; text that is not JSON is skipped up to the end of its line (debug
 * {@code invalid JSON message, skipping}).</li>
 * <li>At end of input (or when one value does not fit in {@code buffer_size}) it warns
 * {@code end of file (stdin closed by remote end)} and asks the service to stop, as Fluent Bit
 * does.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "stdin", description = "Standard Input", config = StdinConfig.class)
public final class StdinInput implements InputPlugin<StdinConfig> {

	private final InputStream in;

	private int bufferSize;

	private final EventEncoder encoder = new EventEncoder();

	public StdinInput() {
		this(System.in);
	}

	/** Reads another stream instead of standard input (tests). */
	StdinInput(InputStream in) {
		this.in = in;
	}

	@Override
	public void init(StdinConfig config, InputContext context) {
		if (config.parser != null) {
			throw new IllegalArgumentException("stdin: requested parser '" + config.parser
					+ "' cannot be used: parsers are not supported yet");
		}
		if (config.bufferSize < StdinConfig.DEFAULT_BUFFER_SIZE) {
			throw new IllegalArgumentException("stdin: buffer_size '" + config.bufferSize + "' must be at least "
					+ StdinConfig.DEFAULT_BUFFER_SIZE + " bytes");
		}
		if (config.bufferSize > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("stdin: buffer_size '" + config.bufferSize + "' is too large");
		}
		this.bufferSize = (int) config.bufferSize;
	}

	@Override
	public void collect(InputContext context) throws Exception {
		byte[] buf = new byte[this.bufferSize];
		int len = 0;
		while (context.isRunning()) {
			if (context.isPaused() && !context.awaitResume()) {
				return;
			}
			int room = this.bufferSize - len - 1;
			int n = (room > 0) ? this.in.read(buf, len, room) : 0;
			if (n <= 0) {
				context.log().warn("end of file (stdin closed by remote end)");
				context.requestShutdown();
				return;
			}
			len += n;
			int used = process(buf, len, context);
			System.arraycopy(buf, used, buf, 0, len - used);
			len -= used;
		}
	}

	/** Appends every complete value in {@code buf[0, len)}; returns how many bytes were used. */
	private int process(byte[] buf, int len, InputContext context) throws IOException {
		int p = 0;
		while (true) {
			p = JsonToMsgpack.skipWs(buf, p, len);
			if (p >= len) {
				break;
			}
			JsonToMsgpack.Parsed v;
			try {
				v = JsonToMsgpack.parse(buf, p, len);
			}
			catch (JsonToMsgpack.IncompleteException ex) {
				break;
			}
			catch (JsonToMsgpack.SyntaxException ex) {
				context.log().debug("invalid JSON message, skipping");
				int nl = p;
				while (nl < len && buf[nl] != '\n') {
					nl++;
				}
				if (nl >= len) {
					p = len;
					break;
				}
				p = nl + 1;
				continue;
			}
			p = v.end();
			add(v.value(), context);
		}
		if (this.encoder.records() > 0) {
			context.append(context.tag(), this.encoder);
		}
		return p;
	}

	private void add(Object value, InputContext context) throws IOException {
		if (value instanceof JsonToMsgpack.JsonObject) {
			write(now(), null, value);
			return;
		}
		if (value instanceof List<?> event && event.size() == 2
				&& event.get(1) instanceof JsonToMsgpack.JsonObject) {
			Object head = event.get(0);
			Object meta = null;
			if (head instanceof List<?> h && !h.isEmpty()) {
				meta = (h.size() >= 2 && h.get(1) instanceof JsonToMsgpack.JsonObject) ? h.get(1) : null;
				head = h.get(0);
			}
			EventTime t = time(head);
			if (t != null) {
				write(t, meta, event.get(1));
				return;
			}
		}
		if (value instanceof List<?>) {
			context.log().error("invalid event found, expected [time, {record}] or [[time, {metadata}], {record}]");
			return;
		}
		context.log().error("invalid record found, it's not a JSON map or array");
	}

	private static EventTime time(Object v) {
		if (v instanceof Long l && l >= 0) {
			return new EventTime(l, 0);
		}
		if (v instanceof BigInteger) {
			return null;
		}
		if (v instanceof Double d && d >= 0 && Double.isFinite(d)) {
			long s = (long) d.doubleValue();
			return new EventTime(s, (int) ((d - s) * 1e9));
		}
		return null;
	}

	private void write(EventTime t, Object meta, Object body) throws IOException {
		MessagePacker p = this.encoder.packer();
		p.packArrayHeader(2);
		p.packArrayHeader(2);
		MsgpackValues.packEventTime(p, t);
		if (meta != null) {
			JsonToMsgpack.pack(p, meta);
		}
		else {
			p.packMapHeader(0);
		}
		JsonToMsgpack.pack(p, body);
		this.encoder.endEvent();
	}

	private static EventTime now() {
		Instant i = Instant.now();
		return new EventTime(i.getEpochSecond(), i.getNano());
	}
}
