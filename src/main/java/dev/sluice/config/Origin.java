package dev.sluice.config;

/**
 * Where a configuration item came from: a file and line, or a named non-file source such as
 * {@code command line}.
 *
 * @param file the file path as given, or a source name
 * @param line 1-based line, or 0 when unknown
 */
public record Origin(String file, int line) {

	public static final Origin COMMAND_LINE = new Origin("command line", 0);

	public static final Origin DEFAULT = new Origin("default", 0);

	@Override
	public String toString() {
		return (this.line > 0) ? this.file + ":" + this.line : this.file;
	}
}
