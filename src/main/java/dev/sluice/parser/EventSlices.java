package dev.sluice.parser;

import java.io.IOException;
import java.util.function.Consumer;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * Walks encoded events ({@code [[time, {meta}], {body}]} or legacy {@code [time, {body}]})
 * giving byte ranges, so filters can rewrite records by copying bytes instead of decoding them.
 */
public final class EventSlices {

	private EventSlices() {
	}

	/** One event's ranges in the shared array. */
	public static final class Event {

		public byte[] data;

		public int start;

		public int end;

		/** The decoded time (group markers have negative seconds). */
		public EventTime time;

		/** Metadata map range, or -1 when the event is in the legacy shape. */
		public int metaStart = -1;

		public int metaEnd = -1;

		public int bodyStart;

		public int bodyEnd;

		/** Whether the body is a map. */
		public boolean bodyIsMap;
	}

	/**
	 * Calls {@code each} for every event.
	 * @return false when the bytes are not well-formed events (some may have been visited)
	 */
	public static boolean forEach(EventBytes events, Consumer<Event> each) {
		byte[] data = events.data();
		int off = events.offset();
		Event e = new Event();
		e.data = data;
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data, off, events.length())) {
			while (u.hasNext()) {
				e.start = off + (int) u.getTotalReadBytes();
				e.metaStart = -1;
				e.metaEnd = -1;
				if (u.getNextFormat().getValueType() != ValueType.ARRAY || u.unpackArrayHeader() != 2) {
					return false;
				}
				if (u.getNextFormat().getValueType() == ValueType.ARRAY) {
					int h = u.unpackArrayHeader();
					if (h < 1) {
						return false;
					}
					e.time = EventDecoder.readTime(u);
					if (h >= 2) {
						e.metaStart = off + (int) u.getTotalReadBytes();
						u.skipValue();
						e.metaEnd = off + (int) u.getTotalReadBytes();
						u.skipValue(h - 2);
					}
				}
				else {
					e.time = EventDecoder.readTime(u);
				}
				if (e.time == null) {
					return false;
				}
				e.bodyIsMap = u.getNextFormat().getValueType() == ValueType.MAP;
				e.bodyStart = off + (int) u.getTotalReadBytes();
				u.skipValue();
				e.bodyEnd = off + (int) u.getTotalReadBytes();
				e.end = e.bodyEnd;
				each.accept(e);
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** Writes an event header {@code [[time, meta], } with the metadata copied (or an empty map). */
	public static void writeHeader(MsgpackWriter w, EventTime time, Event e) {
		w.arrayHeader(2);
		w.arrayHeader(2);
		writeTime(w, time);
		if (e != null && e.metaStart >= 0) {
			w.writeRaw(e.data, e.metaStart, e.metaEnd - e.metaStart);
		}
		else {
			w.mapHeader(0);
		}
	}

	/** Writes an EventTime (fixext 8, type 0). */
	public static void writeTime(MsgpackWriter w, EventTime t) {
		w.writeByte(0xd7);
		w.writeByte(MsgpackValues.EVENT_TIME_EXT);
		long s = t.seconds();
		int ns = t.nanos();
		w.writeByte((int) (s >>> 24));
		w.writeByte((int) (s >>> 16));
		w.writeByte((int) (s >>> 8));
		w.writeByte((int) s);
		w.writeByte(ns >>> 24);
		w.writeByte(ns >>> 16);
		w.writeByte(ns >>> 8);
		w.writeByte(ns);
	}

	/** Number of entries of the map whose header starts at {@code at}. */
	public static int mapSize(byte[] b, int at) {
		int f = b[at] & 0xFF;
		if ((f & 0xF0) == 0x80) {
			return f & 0x0F;
		}
		if (f == 0xde) {
			return ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
		}
		if (f == 0xdf) {
			return ((b[at + 1] & 0xFF) << 24) | ((b[at + 2] & 0xFF) << 16) | ((b[at + 3] & 0xFF) << 8) | (b[at + 4] & 0xFF);
		}
		return -1;
	}

	/** Length of the map header at {@code at}. */
	public static int mapHeaderLength(byte[] b, int at) {
		int f = b[at] & 0xFF;
		return ((f & 0xF0) == 0x80) ? 1 : (f == 0xde) ? 3 : 5;
	}
}
