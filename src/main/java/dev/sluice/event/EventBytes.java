package dev.sluice.event;

import java.util.List;

/**
 * A run of encoded events: {@code length} bytes of {@code data} from {@code offset}, holding
 * {@code records} events. The array is shared, never modified after it is handed on.
 */
public record EventBytes(byte[] data, int offset, int length, int records) {

	public static EventBytes of(byte[] data, int records) {
		return new EventBytes(data, 0, data.length, records);
	}

	public static EventBytes of(EventEncoder encoder) {
		byte[] b = encoder.toByteArray();
		return new EventBytes(b, 0, b.length, encoder.records());
	}

	public List<LogEvent> decode() {
		return EventDecoder.decode(this.data, this.offset, this.length);
	}

	public byte[] toByteArray() {
		if (this.offset == 0 && this.length == this.data.length) {
			return this.data;
		}
		return java.util.Arrays.copyOfRange(this.data, this.offset, this.offset + this.length);
	}
}
