package dev.sluice.plugins.in.tail;

import java.io.IOException;

import dev.sluice.event.EventEncoder;
import dev.sluice.parser.MsgpackWriter;

/**
 * The seam where a parser, a multiline engine or docker mode plugs into {@code tail}. The reader
 * cuts each file into lines (bytes, without the newline and a trailing {@code \r}) and hands
 * every line to the file's processor, which writes zero or more complete events to the encoder
 * (each begun with {@link EventEncoder#beginEvent} and finished with
 * {@link EventEncoder#endEvent()}). The reader appends what the encoder holds and only then
 * commits the file offset, so a processor that holds lines back (multiline) must return them
 * from {@link #flush} before the file is closed.
 *
 * <p>Without a parser every line becomes {@code {"<key>": line}} ({@link RawLineProcessor}).
 * A parser-backed processor (the {@code dev.sluice.parser} package, written on another branch)
 * is created by a {@link Factory} from the {@code parser}, {@code multiline.parser},
 * {@code docker_mode*} and {@code multiline*} options that {@link TailConfig} holds; it must
 * append {@code path_key} and {@code offset_key} after its own fields, as Fluent Bit does
 * ({@link RawLineProcessor#appendCustomKeys} helps).
 */
public interface LineProcessor {

	/**
	 * Processes one line: {@code len} bytes of {@code buf} from {@code off} (not to be kept after
	 * the call). Returns how many events were written.
	 */
	int line(byte[] buf, int off, int len, LineSource source, EventEncoder out) throws IOException;

	/**
	 * Whether this processor takes every line through {@link #lineDirect} when the reader offers
	 * it (the fast path: events written straight as bytes), instead of {@link #line}.
	 */
	default boolean direct() {
		return false;
	}

	/**
	 * As {@link #line}, but the events are appended to {@code out} already encoded (v2:
	 * {@code [[EventTime, {}], {record}]} each). Only called when {@link #direct()} is true.
	 */
	default int lineDirect(byte[] buf, int off, int len, LineSource source, MsgpackWriter out) {
		throw new UnsupportedOperationException("not a direct line processor");
	}

	/**
	 * Writes any events held back (pending multiline groups). {@code force} is true when the file
	 * is being closed; otherwise a processor may flush only what has timed out. Returns how many
	 * events were written.
	 */
	default int flush(LineSource source, EventEncoder out, boolean force) throws IOException {
		return 0;
	}

	/** Creates the processor for one file. */
	@FunctionalInterface
	interface Factory {

		LineProcessor create(TailConfig config, LineSource source);
	}
}
