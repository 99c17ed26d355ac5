package dev.sluice.cli;

import java.util.List;

/**
 * A command line that cannot be acted on. Two shapes, as Fluent Bit has them: a
 * {@linkplain #usage() usage} error found by option parsing (an unknown option, a missing
 * argument), reported the way {@code getopt_long} reports it and followed by the help; or a
 * plain error (a parsers file that does not exist, {@code -p} with no section), reported as
 * error log lines.
 */
public final class CliException extends RuntimeException {

	private final boolean usage;

	private final List<String> lines;

	private CliException(boolean usage, List<String> lines) {
		super(String.join("\n", lines));
		this.usage = usage;
		this.lines = List.copyOf(lines);
	}

	/** An option-parsing error; {@code message} is getopt's, without the program name. */
	static CliException usage(String message) {
		return new CliException(true, List.of(message));
	}

	/** An error reported as one error log line per entry. */
	static CliException error(String... lines) {
		return new CliException(false, List.of(lines));
	}

	/** Whether this is an option-parsing error (printed with the help). */
	public boolean usage() {
		return this.usage;
	}

	/** The message lines. */
	public List<String> lines() {
		return this.lines;
	}

	/** The process exit code: always 1, as Fluent Bit's {@code EXIT_FAILURE}. */
	public int exitCode() {
		return 1;
	}
}
