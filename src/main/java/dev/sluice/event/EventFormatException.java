package dev.sluice.event;

/** Bytes that are not a well-formed event stream; the message says what and at which offset. */
public class EventFormatException extends RuntimeException {

	public EventFormatException(String message) {
		super(message);
	}

	public EventFormatException(String message, Throwable cause) {
		super(message, cause);
	}
}
