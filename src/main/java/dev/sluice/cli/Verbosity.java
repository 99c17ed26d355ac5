package dev.sluice.cli;

import java.util.Locale;

/**
 * The log level the command line asks for, counted the way Fluent Bit counts it: it starts at
 * {@code info}, each {@code -v} goes one level up (so {@code -vv} is {@code trace}) and {@code -q}
 * turns logging off.
 */
public enum Verbosity {

	OFF, ERROR, WARN, INFO, DEBUG, TRACE;

	/** The {@code log_level} value: {@code off}, {@code error}, … {@code trace}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** One level more verbose, stopping at {@link #TRACE}. */
	Verbosity louder() {
		return (this == TRACE) ? TRACE : values()[ordinal() + 1];
	}
}
