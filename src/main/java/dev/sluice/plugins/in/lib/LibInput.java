package dev.sluice.plugins.in.lib;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * The {@code lib} input: events pushed from Java code in the same process (Fluent Bit's
 * {@code flb_lib_push}). A push blocks while the instance is paused, so a fast producer is slowed
 * rather than allowed to grow the buffer; it fails once the instance has stopped.
 */
@Plugin(kind = PluginKind.INPUT, name = "lib", description = "Library mode Input", internal = true)
public final class LibInput implements InputPlugin<Plugin.NoConfig> {

	private volatile InputContext context;

	@Override
	public void init(Plugin.NoConfig config, InputContext context) {
		this.context = context;
	}

	@Override
	public void collect(InputContext context) throws InterruptedException {
		while (context.sleep(Duration.ofHours(1))) {
			// events arrive through push(); nothing to collect
		}
	}

	/** Pushes one record with the given time under the instance's tag. */
	public void push(EventTime time, Map<String, ?> record) throws InterruptedException {
		push(List.of(new LogEvent(time, Map.of(), copy(record))));
	}

	/** Pushes events under the instance's tag. */
	public void push(List<LogEvent> events) throws InterruptedException {
		EventEncoder enc = new EventEncoder();
		for (LogEvent e : events) {
			enc.append(e);
		}
		pushEncoded(EventBytes.of(enc));
	}

	/**
	 * Pushes msgpack events in any accepted shape (v2 or legacy {@code [time, record]}; time as
	 * EventTime, integer or float), normalised to v2.
	 * @throws EventFormatException when the bytes are not events (nothing is appended)
	 */
	public void push(byte[] msgpack) throws InterruptedException {
		EventEncoder enc = new EventEncoder();
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(msgpack)) {
			while (u.hasNext()) {
				long at = u.getTotalReadBytes();
				if (!enc.appendNormalized(u)) {
					throw new EventFormatException("not an event at offset " + at);
				}
			}
		}
		catch (IOException ex) {
			throw new EventFormatException("malformed msgpack: " + ex.getMessage(), ex);
		}
		pushEncoded(EventBytes.of(enc));
	}

	private void pushEncoded(EventBytes events) throws InterruptedException {
		InputContext ctx = this.context;
		if (ctx == null) {
			throw new IllegalStateException("lib input is not initialised");
		}
		if (!ctx.awaitResume() || !ctx.isRunning()) {
			throw new IllegalStateException("lib input " + ctx.displayName() + " is stopped");
		}
		ctx.append(ctx.tag(), events);
	}

	private static Map<String, Object> copy(Map<String, ?> record) {
		return new java.util.LinkedHashMap<>(record);
	}
}
