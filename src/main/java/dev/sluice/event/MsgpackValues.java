package dev.sluice.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Conversions between msgpack values and plain Java values: maps keep insertion order, integers
 * become {@link Long} (or {@link BigInteger} above {@code Long.MAX_VALUE}), floats {@link Double},
 * strings {@link String}, binaries {@code byte[]}, and the EventTime extension {@link EventTime}.
 */
public final class MsgpackValues {

	/** msgpack extension type of Fluent Bit's / Fluentd's EventTime. */
	public static final byte EVENT_TIME_EXT = 0;

	private MsgpackValues() {
	}

	public static Object unpack(MessageUnpacker u) throws IOException {
		MessageFormat f = u.getNextFormat();
		switch (f.getValueType()) {
			case NIL -> {
				u.unpackNil();
				return null;
			}
			case BOOLEAN -> {
				return u.unpackBoolean();
			}
			case INTEGER -> {
				if (f == MessageFormat.UINT64) {
					BigInteger b = u.unpackBigInteger();
					return (b.bitLength() < 64) ? (Object) b.longValue() : b;
				}
				return u.unpackLong();
			}
			case FLOAT -> {
				return u.unpackDouble();
			}
			case STRING -> {
				return u.unpackString();
			}
			case BINARY -> {
				int n = u.unpackBinaryHeader();
				return u.readPayload(n);
			}
			case ARRAY -> {
				int n = u.unpackArrayHeader();
				List<Object> list = new ArrayList<>(n);
				for (int i = 0; i < n; i++) {
					list.add(unpack(u));
				}
				return list;
			}
			case MAP -> {
				return unpackMapBody(u, u.unpackMapHeader());
			}
			case EXTENSION -> {
				ExtensionTypeHeader h = u.unpackExtensionTypeHeader();
				byte[] data = u.readPayload(h.getLength());
				if (h.getType() == EVENT_TIME_EXT && data.length == 8) {
					return readEventTime(data);
				}
				return new Extension(h.getType(), data);
			}
			default -> throw new EventFormatException("unexpected msgpack format " + f);
		}
	}

	/** Reads a map whose header (with {@code n} entries) was already consumed. */
	public static Map<String, Object> unpackMapBody(MessageUnpacker u, int n) throws IOException {
		Map<String, Object> map = LinkedHashMap.newLinkedHashMap(n);
		for (int i = 0; i < n; i++) {
			Object k = unpack(u);
			String key = keyString(k);
			map.put(key, unpack(u));
		}
		return map;
	}

	public static String keyString(Object k) {
		if (k instanceof String s) {
			return s;
		}
		if (k instanceof byte[] b) {
			return new String(b, StandardCharsets.UTF_8);
		}
		return String.valueOf(k);
	}

	public static EventTime readEventTime(byte[] data) {
		long sec = ((data[0] & 0xFFL) << 24) | ((data[1] & 0xFFL) << 16) | ((data[2] & 0xFFL) << 8) | (data[3] & 0xFFL);
		long ns = ((data[4] & 0xFFL) << 24) | ((data[5] & 0xFFL) << 16) | ((data[6] & 0xFFL) << 8) | (data[7] & 0xFFL);
		if (ns >= 1_000_000_000L) {
			throw new EventFormatException("EventTime nanoseconds out of range: " + ns);
		}
		return new EventTime(sec, (int) ns);
	}

	public static void packEventTime(MessagePacker p, EventTime t) throws IOException {
		byte[] b = new byte[8];
		long s = t.seconds();
		int ns = t.nanos();
		b[0] = (byte) (s >>> 24);
		b[1] = (byte) (s >>> 16);
		b[2] = (byte) (s >>> 8);
		b[3] = (byte) s;
		b[4] = (byte) (ns >>> 24);
		b[5] = (byte) (ns >>> 16);
		b[6] = (byte) (ns >>> 8);
		b[7] = (byte) ns;
		p.packExtensionTypeHeader(EVENT_TIME_EXT, 8); // fixext 8: 0xD7 0x00
		p.writePayload(b);
	}

	public static void pack(MessagePacker p, Object v) throws IOException {
		switch (v) {
			case null -> p.packNil();
			case String s -> p.packString(s);
			case Long l -> p.packLong(l);
			case Integer i -> p.packInt(i);
			case Short s -> p.packShort(s);
			case Byte b -> p.packByte(b);
			case BigInteger b -> p.packBigInteger(b);
			case Double d -> p.packDouble(d);
			case Float f -> p.packFloat(f);
			case Boolean b -> p.packBoolean(b);
			case byte[] b -> {
				p.packBinaryHeader(b.length);
				p.writePayload(b);
			}
			case EventTime t -> packEventTime(p, t);
			case Extension e -> {
				p.packExtensionTypeHeader(e.type(), e.data().length);
				p.writePayload(e.data());
			}
			case Map<?, ?> m -> {
				p.packMapHeader(m.size());
				for (Map.Entry<?, ?> e : m.entrySet()) {
					p.packString(String.valueOf(e.getKey()));
					pack(p, e.getValue());
				}
			}
			case Collection<?> c -> {
				p.packArrayHeader(c.size());
				for (Object o : c) {
					pack(p, o);
				}
			}
			case Object[] a -> {
				p.packArrayHeader(a.length);
				for (Object o : a) {
					pack(p, o);
				}
			}
			case Character c -> p.packString(c.toString());
			case Number n -> p.packDouble(n.doubleValue());
			default -> p.packString(v.toString());
		}
	}

	static UncheckedIOException unchecked(IOException e) {
		return new UncheckedIOException(e);
	}

	/** A msgpack extension value other than EventTime. */
	public record Extension(byte type, byte[] data) {
	}
}
