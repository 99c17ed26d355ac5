package dev.sluice.event;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.value.ValueType;

/**
 * Reads a stream of events: the v2 shape {@code [[time, {meta}], {record}]} and the legacy
 * {@code [time, {record}]}, with time as EventTime, a positive integer or a float. Group markers
 * ({@code time} -1 and -2, used by OpenTelemetry inputs) are skipped by {@link #decode} and not
 * counted by {@link #countRecords}.
 */
public final class EventDecoder {

	private EventDecoder() {
	}

	public static List<LogEvent> decode(byte[] data) {
		return decode(data, 0, data.length);
	}

	public static List<LogEvent> decode(byte[] data, int off, int len) {
		List<LogEvent> out = new ArrayList<>();
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data, off, len)) {
			while (u.hasNext()) {
				long at = u.getTotalReadBytes();
				LogEvent e;
				try {
					e = readEvent(u);
				}
				catch (MessageInsufficientBufferException ex) {
					throw new EventFormatException("truncated event at offset " + at, ex);
				}
				if (e == null) {
					throw new EventFormatException("not an event at offset " + at);
				}
				if (!isGroupMarker(e)) {
					out.add(e);
				}
			}
		}
		catch (IOException | MessageTypeException ex) {
			throw new EventFormatException("malformed event stream: " + ex.getMessage(), ex);
		}
		return out;
	}

	/** Number of log records (group markers excluded) in a well-formed event stream. */
	public static int countRecords(byte[] data, int off, int len) {
		int n = 0;
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data, off, len)) {
			while (u.hasNext()) {
				if (u.getNextFormat().getValueType() != ValueType.ARRAY || u.unpackArrayHeader() != 2) {
					throw new EventFormatException("not an event at offset " + u.getTotalReadBytes());
				}
				boolean marker = false;
				if (u.getNextFormat().getValueType() == ValueType.ARRAY) {
					int h = u.unpackArrayHeader();
					MessageFormat f = u.getNextFormat();
					if (f.getValueType() == ValueType.INTEGER) {
						long t = u.unpackLong();
						marker = t == -1 || t == -2;
					}
					else {
						u.skipValue();
					}
					u.skipValue(h - 1);
				}
				else {
					u.skipValue();
				}
				u.skipValue();
				if (!marker) {
					n++;
				}
			}
		}
		catch (IOException | MessageTypeException ex) {
			throw new EventFormatException("malformed event stream: " + ex.getMessage(), ex);
		}
		return n;
	}

	static boolean isGroupMarker(LogEvent e) {
		return e.time().seconds() < 0;
	}

	/**
	 * Reads one event, or returns null (having consumed the value) when it does not have the
	 * shape of one.
	 */
	public static LogEvent readEvent(MessageUnpacker u) throws IOException {
		if (u.getNextFormat().getValueType() != ValueType.ARRAY) {
			u.skipValue();
			return null;
		}
		int n = u.unpackArrayHeader();
		if (n != 2) {
			u.skipValue(n);
			return null;
		}
		EventTime time;
		Map<String, Object> meta = Map.of();
		if (u.getNextFormat().getValueType() == ValueType.ARRAY) {
			int h = u.unpackArrayHeader();
			if (h < 1) {
				u.skipValue();
				return null;
			}
			time = readTime(u);
			if (h >= 2) {
				if (u.getNextFormat().getValueType() == ValueType.MAP) {
					meta = MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
				}
				else {
					u.skipValue();
				}
				u.skipValue(h - 2);
			}
		}
		else {
			time = readTime(u);
		}
		if (time == null) {
			u.skipValue();
			return null;
		}
		if (u.getNextFormat().getValueType() != ValueType.MAP) {
			u.skipValue();
			return null;
		}
		Map<String, Object> body = MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
		return new LogEvent(time, meta, body);
	}

	/** Reads a time value, or returns null (having consumed it) when it is not a time. */
	public static EventTime readTime(MessageUnpacker u) throws IOException {
		MessageFormat f = u.getNextFormat();
		switch (f.getValueType()) {
			case INTEGER -> {
				long s = u.unpackLong();
				if (s == -1 || s == -2) {
					return new EventTime(s, 0);
				}
				return (s >= 0) ? new EventTime(s, 0) : null;
			}
			case FLOAT -> {
				double d = u.unpackDouble();
				return (d >= 0 && Double.isFinite(d)) ? EventTime.ofDouble(d) : null;
			}
			case EXTENSION -> {
				var h = u.unpackExtensionTypeHeader();
				byte[] data = u.readPayload(h.getLength());
				if (h.getType() == MsgpackValues.EVENT_TIME_EXT && data.length == 8) {
					return MsgpackValues.readEventTime(data);
				}
				return null;
			}
			default -> {
				u.skipValue();
				return null;
			}
		}
	}
}
