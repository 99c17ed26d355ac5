package dev.sluice.event;

import java.io.IOException;
import java.util.Map;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Writes events in Fluent Bit's v2 encoding, {@code [[EventTime, {metadata}], {record}]}, one
 * after the other with no outer array, as chunk content. Not thread-safe; reuse with
 * {@link #reset()}.
 */
public final class EventEncoder {

	private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();

	private int records;

	public EventEncoder append(EventTime time, Map<String, ?> body) {
		return append(time, Map.of(), body);
	}

	public EventEncoder append(EventTime time, Map<String, ?> metadata, Map<String, ?> body) {
		try {
			beginEvent(time, metadata);
			MsgpackValues.pack(this.packer, body);
			this.records++;
			return this;
		}
		catch (IOException ex) {
			throw MsgpackValues.unchecked(ex);
		}
	}

	public EventEncoder append(LogEvent e) {
		return append(e.time(), e.metadata(), e.body());
	}

	/**
	 * Starts an event whose record the caller writes next, as exactly one msgpack map, through
	 * {@link #packer()}; then call {@link #endEvent()}.
	 */
	public MessagePacker beginEvent(EventTime time, Map<String, ?> metadata) throws IOException {
		this.packer.packArrayHeader(2);
		this.packer.packArrayHeader(2);
		MsgpackValues.packEventTime(this.packer, time);
		MsgpackValues.pack(this.packer, (metadata != null) ? metadata : Map.of());
		return this.packer;
	}

	public void endEvent() {
		this.records++;
	}

	/** Appends already-encoded v2 events. */
	public EventEncoder appendEncoded(byte[] data, int off, int len, int count) {
		try {
			this.packer.writePayload(data, off, len);
			this.records += count;
			return this;
		}
		catch (IOException ex) {
			throw MsgpackValues.unchecked(ex);
		}
	}

	/**
	 * Appends one event given in any accepted encoding (legacy {@code [time, record]} or v2, time
	 * as integer, float or EventTime), normalised to v2. Returns false (and writes nothing) when
	 * the value is not an event.
	 */
	public boolean appendNormalized(MessageUnpacker u) throws IOException {
		LogEvent e = EventDecoder.readEvent(u);
		if (e == null) {
			return false;
		}
		append(e);
		return true;
	}

	public MessagePacker packer() {
		return this.packer;
	}

	public int records() {
		return this.records;
	}

	public int size() {
		try {
			this.packer.flush();
		}
		catch (IOException ex) {
			throw MsgpackValues.unchecked(ex);
		}
		return (int) this.packer.getTotalWrittenBytes();
	}

	public byte[] toByteArray() {
		return this.packer.toByteArray();
	}

	public void reset() {
		this.packer.clear();
		this.records = 0;
	}
}
