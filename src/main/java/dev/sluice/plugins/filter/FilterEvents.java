package dev.sluice.plugins.filter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.event.MsgpackValues;

/**
 * What the core filters share: reading a run of events with the raw bytes of each (so records a
 * filter keeps untouched are copied byte for byte, as Fluent Bit copies them), writing records
 * whose maps may repeat a key (Fluent Bit appends keys without looking, so {@code record_modifier}
 * or {@code nest} can produce duplicates), and Fluent Bit's JSON rendering of a record.
 */
public final class FilterEvents {

	private FilterEvents() {
	}

	/**
	 * One event of a run and where its bytes are.
	 *
	 * @param event the decoded event
	 * @param offset its first byte in the run's array
	 * @param length its length in bytes
	 */
	public record Slice(LogEvent event, int offset, int length) {
	}

	/**
	 * Decodes a run of events with their positions; group markers are left out.
	 * @throws EventFormatException when the bytes are not a well-formed event stream
	 */
	public static List<Slice> slices(EventBytes in) {
		List<Slice> out = new ArrayList<>(Math.max(1, in.records()));
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(in.data(), in.offset(), in.length())) {
			while (u.hasNext()) {
				long at = u.getTotalReadBytes();
				LogEvent e = EventDecoder.readEvent(u);
				if (e == null) {
					throw new EventFormatException("not an event at offset " + at);
				}
				long end = u.getTotalReadBytes();
				if (e.time().seconds() < 0) {
					continue;
				}
				out.add(new Slice(e, in.offset() + (int) at, (int) (end - at)));
			}
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof EventFormatException efe) {
				throw efe;
			}
			throw new EventFormatException("malformed event stream: " + ex.getMessage(), ex);
		}
		return out;
	}

	/** Appends the raw bytes of a slice of {@code in} to the encoder. */
	public static void copy(EventEncoder encoder, EventBytes in, Slice slice) {
		encoder.appendEncoded(in.data(), slice.offset(), slice.length(), 1);
	}

	/** The events of {@code in} that {@code kept} names, byte for byte. */
	public static EventBytes keep(EventBytes in, Collection<Slice> kept) {
		EventEncoder enc = new EventEncoder();
		for (Slice s : kept) {
			copy(enc, in, s);
		}
		return EventBytes.of(enc);
	}

	/**
	 * Writes one event whose record is the given entries, in order, repeated keys kept.
	 */
	public static void write(EventEncoder encoder, EventTime time, Map<String, ?> metadata,
			List<? extends Map.Entry<String, ?>> entries) {
		try {
			MessagePacker p = encoder.beginEvent(time, metadata);
			p.packMapHeader(entries.size());
			for (Map.Entry<String, ?> e : entries) {
				p.packString(e.getKey());
				MsgpackValues.pack(p, e.getValue());
			}
			encoder.endEvent();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** The entries of a map as a mutable list of pairs (values may be null). */
	public static List<Map.Entry<String, Object>> entries(Map<String, Object> map) {
		List<Map.Entry<String, Object>> out = new ArrayList<>(map.size() + 4);
		for (Map.Entry<String, Object> e : map.entrySet()) {
			out.add(entry(e.getKey(), e.getValue()));
		}
		return out;
	}

	/** A key/value pair that allows a null value. */
	public static Map.Entry<String, Object> entry(String key, Object value) {
		return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
	}

	/**
	 * A value as Fluent Bit's {@code flb_msgpack_to_json_str} renders it: maps and arrays without
	 * spaces, strings escaped, floats with up to 17 significant digits (integral ones with
	 * {@code .0}), binaries and extensions as strings.
	 */
	public static String toJson(Object value) {
		StringBuilder sb = new StringBuilder();
		json(sb, value);
		return sb.toString();
	}

	private static void json(StringBuilder sb, Object v) {
		switch (v) {
			case null -> sb.append("null");
			case String s -> jsonString(sb, s);
			case Boolean b -> sb.append(b);
			case Long l -> sb.append(l);
			case Integer i -> sb.append(i);
			case java.math.BigInteger b -> sb.append(b);
			case Double d -> sb.append(jsonDouble(d));
			case Float f -> sb.append(jsonDouble(f));
			case byte[] b -> jsonString(sb, new String(b, java.nio.charset.StandardCharsets.UTF_8));
			case EventTime t -> sb.append(jsonDouble(t.toDouble()));
			case MsgpackValues.Extension e -> jsonString(sb, new String(e.data(), java.nio.charset.StandardCharsets.ISO_8859_1));
			case Map<?, ?> m -> {
				sb.append('{');
				boolean first = true;
				for (Map.Entry<?, ?> e : m.entrySet()) {
					if (!first) {
						sb.append(',');
					}
					first = false;
					jsonString(sb, String.valueOf(e.getKey()));
					sb.append(':');
					json(sb, e.getValue());
				}
				sb.append('}');
			}
			case Collection<?> c -> {
				sb.append('[');
				boolean first = true;
				for (Object o : c) {
					if (!first) {
						sb.append(',');
					}
					first = false;
					json(sb, o);
				}
				sb.append(']');
			}
			default -> jsonString(sb, v.toString());
		}
	}

	private static String jsonDouble(double d) {
		if (Double.isNaN(d) || Double.isInfinite(d)) {
			return "null";
		}
		if (d == (double) (long) d) {
			return String.format(java.util.Locale.ROOT, "%.1f", d);
		}
		String s = CFormat.g(d, 16);
		return s;
	}

	private static void jsonString(StringBuilder sb, String s) {
		sb.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				case '\b' -> sb.append("\\b");
				case '\f' -> sb.append("\\f");
				default -> {
					if (c < 0x20) {
						sb.append(String.format("\\u%04x", (int) c));
					}
					else {
						sb.append(c);
					}
				}
			}
		}
		sb.append('"');
	}
}
