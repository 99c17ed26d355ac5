package dev.sluice.plugins.filter.multiline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.parser.EventSlices;
import dev.sluice.parser.ParserRegistry;
import dev.sluice.parser.multiline.MultilineEngine;
import dev.sluice.parser.multiline.MultilineParser;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * The {@code multiline} filter: joins records whose {@code multiline.key_content} field continues
 * a previous one, with the multiline parsers named in {@code multiline.parser} ({@code mode parser})
 * or by Docker's {@code partial_message}/{@code partial_id}/{@code partial_last} keys
 * ({@code mode partial_message}).
 *
 * <p>With {@code buffer off}, each call's records are joined within the call and everything
 * pending is flushed at its end (one stream for the instance, as Fluent Bit). With {@code buffer on}
 * (the default) groups stay pending across calls, one stream per tag; where Fluent Bit sends every
 * record through an emitter input ({@code emitter_for_<name>}), Sluice returns the records
 * completed during a call from the call itself, and emits the groups completed by
 * {@code flush_ms} of inactivity from the filter's own timer through
 * {@link FilterContext#emit} (they then go through the filters after this one).
 */
@Plugin(kind = PluginKind.FILTER, name = "multiline", description = "Concatenate multiline messages",
		config = MultilineFilterConfig.class)
public final class MultilineFilter implements FilterPlugin<MultilineFilterConfig> {

	/** Fluent Bit's service default {@code multiline_buffer_limit} (2MB). */
	static final long DEFAULT_BUFFER_LIMIT = 2_000_000L;

	private final ReentrantLock lock = new ReentrantLock();

	private volatile LongSupplier clock = System::currentTimeMillis;

	private FilterContext context;

	private MultilineFilterConfig config;

	private Logger log;

	private boolean partialMode;

	private MultilineEngine engine;

	/** Records emitted by the engine while the lock is held: [streamId, time, record]. */
	private List<Object[]> collected;

	private final Map<String, Packer> packers = new LinkedHashMap<>();

	private volatile Thread ticker;

	private volatile boolean running;

	/** Replaces the clock (milliseconds) used for flush timeouts; for tests, before records arrive. */
	public void setClock(LongSupplier clockMillis) {
		this.clock = clockMillis;
	}

	@Override
	public void init(MultilineFilterConfig config, FilterContext context) {
		this.context = context;
		this.config = config;
		this.log = context.log();
		String mode = (config.mode != null) ? config.mode.toLowerCase(Locale.ROOT) : "parser";
		if (mode.equals("partial_message")) {
			this.partialMode = true;
		}
		else if (!mode.equals("parser")) {
			throw new IllegalArgumentException("'Mode' must be 'partial_message' or 'parser'");
		}
		if (this.partialMode && !config.buffer) {
			this.log.error("'partial_message' 'Mode' requires 'Buffer' to be 'On'");
		}
		if (this.partialMode && config.keyContent == null) {
			throw new IllegalArgumentException("'Mode' 'partial_message' requires 'multiline.key_content'");
		}
		List<String> names = (config.multilineParser != null) ? config.multilineParser : List.of();
		if (!this.partialMode && names.isEmpty()) {
			throw new IllegalArgumentException("The default 'Mode' 'parser' requires at least one 'multiline.parser'");
		}
		if (config.buffer) {
			String st = (config.emitterStorageType != null) ? config.emitterStorageType : "memory";
			if (!st.equalsIgnoreCase("memory") && !st.equalsIgnoreCase("filesystem")) {
				throw new IllegalArgumentException(
						"invalid 'emitter_storage.type' value. Only 'memory' or 'filesystem' types are allowed");
			}
			String emitter = (config.emitterName != null) ? config.emitterName : "emitter_for_" + context.displayName();
			this.log.info("created emitter: {}", emitter);
		}
		if (!this.partialMode) {
			ParserRegistry registry = context.parsers();
			List<MultilineParser> parsers = new ArrayList<>();
			for (String n : names) {
				MultilineParser p = registry.multilineParser(n.strip());
				if (p == null) {
					throw new IllegalArgumentException("multiline parser '" + n.strip() + "' not found");
				}
				parsers.add((config.keyContent != null) ? p.withKeyContent(config.keyContent) : p);
			}
			if (config.buffer && config.flushMs < 500) {
				throw new IllegalArgumentException("[multiline] flush timeout '" + config.flushMs + "' is too low");
			}
			this.engine = new MultilineEngine(parsers, config.flushMs, DEFAULT_BUFFER_LIMIT, () -> this.clock.getAsLong(),
					this::collect);
		}
		context.setContext(this);
		// Fluent Bit's partial-message timer runs whatever 'buffer' says
		if (config.buffer || this.partialMode) {
			startTicker();
		}
	}

	private void collect(Object streamId, EventTime time, Map<String, Object> record, boolean forced) {
		if (this.config.debugFlush) {
			System.out.println("----- MULTILINE FLUSH (stream_id=" + streamId + ") -----\n[" + time + ", " + record
					+ "]\n----------- EOF -----------");
		}
		this.collected.add(new Object[] { streamId, time, record });
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		if (this.partialMode) {
			return partial(events, tag);
		}
		List<Object[]> out;
		this.lock.lock();
		try {
			this.collected = new ArrayList<>();
			Object stream = this.config.buffer ? tag : context.name();
			boolean ok = EventSlices.forEach(events, (e) -> {
				if (e.time.seconds() < 0 || !e.bodyIsMap) {
					this.collected.add(new Object[] { stream, null, null, copy(e) });
					return;
				}
				Map<String, Object> body = decodeBody(e);
				if (body == null) {
					this.collected.add(new Object[] { stream, null, null, copy(e) });
					return;
				}
				try {
					this.engine.appendRecord(stream, e.time, body);
				}
				catch (RuntimeException ex) {
					this.log.warn("could not process a record of tag '{}', passed on unchanged: {}", tag, ex.toString());
					this.collected.add(new Object[] { stream, null, null, copy(e) });
				}
			});
			if (!ok) {
				this.log.warn("malformed events on tag '{}', passed on unchanged", tag);
			}
			if (!this.config.buffer) {
				this.engine.flushAll();
			}
			out = this.collected;
			this.collected = null;
		}
		finally {
			this.lock.unlock();
		}
		return encode(out);
	}

	private static byte[] copy(EventSlices.Event e) {
		return java.util.Arrays.copyOfRange(e.data, e.start, e.end);
	}

	private static Map<String, Object> decodeBody(EventSlices.Event e) {
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(e.data, e.bodyStart, e.bodyEnd - e.bodyStart)) {
			return MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private static EventBytes encode(List<Object[]> records) {
		EventEncoder enc = new EventEncoder();
		for (Object[] r : records) {
			if (r.length == 4) {
				enc.appendEncoded((byte[]) r[3], 0, ((byte[]) r[3]).length, 1);
			}
			else {
				enc.append((EventTime) r[1], (Map<String, Object>) r[2]);
			}
		}
		return EventBytes.of(enc);
	}

	// ---- timer ----

	private void startTicker() {
		this.running = true;
		long period = Math.max(50, (this.partialMode ? this.config.flushMs / 2 : this.config.flushMs / 4));
		this.ticker = Thread.ofVirtual().name("multiline-" + this.context.name()).start(() -> {
			while (this.running) {
				try {
					Thread.sleep(period);
				}
				catch (InterruptedException ex) {
					return;
				}
				try {
					tick();
				}
				catch (RuntimeException ex) {
					this.log.error("flush failed: {}", ex.toString());
				}
			}
		});
	}

	/**
	 * Flushes what has been pending for {@code flush_ms} (by the filter's clock) and emits it; the
	 * filter's timer calls this periodically. Returns the number of records emitted.
	 */
	public int tick() {
		List<Object[]> out;
		this.lock.lock();
		try {
			this.collected = new ArrayList<>();
			if (this.partialMode) {
				expirePackers();
			}
			else {
				this.engine.flushExpired();
			}
			out = this.collected;
			this.collected = null;
		}
		finally {
			this.lock.unlock();
		}
		Map<String, List<Object[]>> byTag = new LinkedHashMap<>();
		for (Object[] r : out) {
			byTag.computeIfAbsent(String.valueOf(r[0]), (k) -> new ArrayList<>()).add(r);
		}
		int n = 0;
		for (Map.Entry<String, List<Object[]>> e : byTag.entrySet()) {
			EventBytes b = encode(e.getValue());
			if (this.context.emit(e.getKey(), b)) {
				n += b.records();
			}
			else {
				this.log.warn("could not emit {} record(s) for tag '{}'", b.records(), e.getKey());
			}
		}
		return n;
	}

	@Override
	public void exit() {
		this.running = false;
		Thread t = this.ticker;
		if (t != null) {
			t.interrupt();
		}
	}

	// ---- partial_message mode ----

	/** A Docker split message being reassembled. */
	private static final class Packer {

		final String tag;

		final EventTime time;

		final Map<String, Object> fields;

		final StringBuilder buf = new StringBuilder();

		long lastWrite;

		Packer(String tag, EventTime time, Map<String, Object> fields) {
			this.tag = tag;
			this.time = time;
			this.fields = fields;
		}

		Map<String, Object> complete(String key) {
			Map<String, Object> m = new LinkedHashMap<>(this.fields);
			m.put(key, this.buf.toString());
			return m;
		}
	}

	private static String text(Object v) {
		if (v instanceof String s) {
			return s;
		}
		if (v instanceof byte[] b) {
			return new String(b, StandardCharsets.UTF_8);
		}
		return null;
	}

	private static boolean isTrue(Object v) {
		String s = text(v);
		return s != null && s.length() >= 4 && s.regionMatches(true, 0, "true", 0, 4);
	}

	private EventBytes partial(EventBytes events, String tag) {
		String key = this.config.keyContent;
		List<Object[]> out = new ArrayList<>();
		int[] partials = { 0 };
		this.lock.lock();
		try {
			EventSlices.forEach(events, (e) -> {
				Map<String, Object> body = (e.bodyIsMap && e.time.seconds() >= 0) ? decodeBody(e) : null;
				if (body == null || !isTrue(body.get("partial_message"))) {
					out.add(new Object[] { tag, null, null, copy(e) });
					return;
				}
				String id = text(body.get("partial_id"));
				if (id == null || !body.containsKey(key)) {
					this.log.warn("Could not find partial_id but partial_message key is FLB_TRUE for record with tag {}",
							tag);
					out.add(new Object[] { tag, null, null, copy(e) });
					return;
				}
				String content = text(body.get(key));
				if (content == null) {
					out.add(new Object[] { tag, null, null, copy(e) });
					return;
				}
				partials[0]++;
				String pk = tag + "\u0000" + id;
				Packer p = this.packers.get(pk);
				if (p == null) {
					Map<String, Object> fields = new LinkedHashMap<>();
					for (Map.Entry<String, Object> f : body.entrySet()) {
						if (f.getKey().equals(key) || f.getKey().startsWith("partial_")) {
							continue;
						}
						fields.put(f.getKey(), f.getValue());
					}
					p = new Packer(tag, e.time, fields);
					this.packers.put(pk, p);
				}
				p.buf.append(content);
				p.lastWrite = this.clock.getAsLong();
				if (p.buf.length() >= DEFAULT_BUFFER_LIMIT) {
					// bounded memory: a split message that keeps growing is emitted as it is
					this.log.warn("partial message '{}' reached {} characters, emitted incomplete", id, p.buf.length());
					this.packers.remove(pk);
					out.add(new Object[] { tag, p.time, p.complete(key) });
				}
				else if (isTrue(body.get("partial_last"))) {
					this.packers.remove(pk);
					out.add(new Object[] { tag, p.time, p.complete(key) });
				}
			});
		}
		finally {
			this.lock.unlock();
		}
		if (partials[0] == 0) {
			return null;
		}
		return encode(out);
	}

	private void expirePackers() {
		long now = this.clock.getAsLong();
		for (Iterator<Packer> it = this.packers.values().iterator(); it.hasNext();) {
			Packer p = it.next();
			if (now - p.lastWrite > this.config.flushMs) {
				it.remove();
				this.collected.add(new Object[] { p.tag, p.time, p.complete(this.config.keyContent) });
			}
		}
	}
}
