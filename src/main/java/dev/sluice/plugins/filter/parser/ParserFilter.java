package dev.sluice.plugins.filter.parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.event.RecordAccessor;
import dev.sluice.parser.EventSlices;
import dev.sluice.parser.MapSlices;
import dev.sluice.parser.MsgpackWriter;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.Parser;
import dev.sluice.parser.ParserRegistry;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * The {@code parser} filter: parses the string value of {@code Key_Name} with the first of the
 * {@code Parser}s that accepts it. On success the record becomes the parsed map, followed (with
 * {@code Reserve_Data}) by the other original fields and (with {@code Preserve_Key}) the original
 * field; a parsed time replaces the event time. A record no parser accepts passes unchanged.
 *
 * <p>Records are rewritten by copying msgpack bytes (original keys, their order, duplicates and
 * encodings are kept), as Fluent Bit's {@code filter_parser} does. A {@code Key_Name} starting
 * with {@code $} is a record accessor (nested values); the original fields are then all kept with
 * {@code Reserve_Data} and the key is not removed, as in Fluent Bit.
 */
@Plugin(kind = PluginKind.FILTER, name = "parser", description = "Parse events", config = ParserFilterConfig.class)
public final class ParserFilter implements FilterPlugin<ParserFilterConfig> {

	/** Per-instance state. */
	private record State(byte[] key, RecordAccessor accessor, List<Parser> parsers, boolean reserveData,
			boolean preserveKey) {
	}

	@Override
	public void init(ParserFilterConfig config, FilterContext context) {
		if (config.keyName == null || config.keyName.isEmpty()) {
			throw new IllegalArgumentException("missing 'key_name'");
		}
		ParserRegistry registry = context.parsers();
		List<Parser> parsers = new ArrayList<>();
		for (String name : (config.parser != null) ? config.parser : List.<String>of()) {
			Parser p = registry.parser(name.strip());
			if (p == null) {
				context.log().error("requested parser '{}' not found", name);
				continue;
			}
			parsers.add(p);
		}
		if (parsers.isEmpty()) {
			throw new IllegalArgumentException("Invalid 'parser'");
		}
		RecordAccessor ra = null;
		if (config.keyName.startsWith("$")) {
			ra = RecordAccessor.parse(config.keyName);
		}
		context.setContext(new State(config.keyName.getBytes(StandardCharsets.UTF_8), ra, List.copyOf(parsers),
				config.reserveData, config.preserveKey));
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		State st = context.context();
		MsgpackWriter w = new MsgpackWriter(events.length() + 256);
		int[] count = { 0 };
		boolean[] modified = { false };
		boolean ok = EventSlices.forEach(events, (e) -> {
			count[0]++;
			if (!e.bodyIsMap || e.time.seconds() < 0) {
				w.writeRaw(e.data, e.start, e.end - e.start);
				return;
			}
			if (rewrite(st, e, w)) {
				modified[0] = true;
			}
			else {
				w.writeRaw(e.data, e.start, e.end - e.start);
			}
		});
		if (!ok) {
			context.log().warn("malformed events on tag '{}', passed on unchanged", tag);
			return null;
		}
		if (!modified[0]) {
			return null;
		}
		byte[] out = w.toByteArray();
		return new EventBytes(out, 0, out.length, events.records());
	}

	/** Parses one event; writes it and returns true when a parser accepted its field. */
	private static boolean rewrite(State st, EventSlices.Event e, MsgpackWriter w) {
		MapSlices body = MapSlices.scan(e.data, e.bodyStart, e.bodyEnd - e.bodyStart);
		if (body == null) {
			return false;
		}
		ParseResult result = null;
		boolean[] drop = new boolean[body.size()];
		int preserved = -1;
		if (st.accessor != null) {
			Object v = accessorValue(st.accessor, e);
			byte[] text = (v instanceof String s) ? s.getBytes(StandardCharsets.UTF_8) : (v instanceof byte[] b) ? b : null;
			if (text != null) {
				result = parse(st, text, 0, text.length);
			}
		}
		else {
			for (int i = 0; i < body.size(); i++) {
				if (!body.keyEquals(i, st.key) || !body.valueIsString(i)) {
					continue;
				}
				int vs = body.valuePayloadStart(i);
				ParseResult r = parse(st, e.data, vs, body.valuePayloadEnd(i) - vs);
				if (r == null) {
					continue;
				}
				result = r;
				if (!st.preserveKey) {
					drop[i] = true;
				}
				else if (!st.reserveData) {
					preserved = i;
				}
			}
		}
		if (result == null) {
			return false;
		}
		EventTime time = e.time;
		EventTime parsed = result.time();
		if (parsed != null && (parsed.seconds() != 0 || parsed.nanos() != 0)) {
			time = parsed;
		}
		EventSlices.writeHeader(w, time, e);
		byte[] map = result.map();
		int parsedCount = EventSlices.mapSize(map, 0);
		int headerLen = EventSlices.mapHeaderLength(map, 0);
		int extra = 0;
		if (st.reserveData) {
			for (int i = 0; i < body.size(); i++) {
				if (!drop[i]) {
					extra++;
				}
			}
		}
		else if (preserved >= 0) {
			extra = 1;
		}
		w.mapHeader(parsedCount + extra);
		w.writeRaw(map, headerLen, map.length - headerLen);
		if (st.reserveData) {
			for (int i = 0; i < body.size(); i++) {
				if (!drop[i]) {
					w.writeRaw(e.data, body.entryStart(i), body.entryEnd(i) - body.entryStart(i));
				}
			}
		}
		else if (preserved >= 0) {
			w.writeRaw(e.data, body.entryStart(preserved), body.entryEnd(preserved) - body.entryStart(preserved));
		}
		return true;
	}

	private static ParseResult parse(State st, byte[] data, int off, int len) {
		for (Parser p : st.parsers) {
			ParseResult r = p.parse(data, off, len);
			if (r != null) {
				return r;
			}
		}
		return null;
	}

	private static Object accessorValue(RecordAccessor ra, EventSlices.Event e) {
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(e.data, e.bodyStart, e.bodyEnd - e.bodyStart)) {
			Map<String, Object> m = MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
			return ra.get(m);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}
}
