package dev.sluice.cli;

import java.io.PrintStream;
import java.util.Locale;

import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * The text screens of the command line, laid out as Fluent Bit lays them out
 * ({@code flb_help}, {@code help_format_text} and {@code flb_version} in
 * {@code src/fluent-bit.c}), bold ANSI escapes included even when the output is not a terminal.
 */
public final class Help {

	static final String BOLD = "\033[1m";

	static final String RESET = "\033[0m";

	/** Descriptions are wrapped so that padding plus text stays within this many columns. */
	static final int WRAP_COLUMNS = 90;

	private static final String[] ART = {
			" _____ _       _          ",
			"/  ___| |     (_)         ",
			"\\ `--.| |_   _ _  ___ ___ ",
			" `--. \\ | | | | |/ __/ _ \\",
			"/\\__/ / | |_| | | (_|  __/",
			"\\____/|_|\\__,_|_|\\___\\___|", };

	private Help() {
	}

	/** {@code --version}: the version line and the commit, as {@code fluent-bit --version}. */
	public static void version(PrintStream out, SluiceVersion version) {
		out.print(version.headline() + "\n");
		out.print("Git commit: " + version.gitCommit() + "\n");
		out.flush();
	}

	/**
	 * The start-up banner Fluent Bit writes to stderr (before any log line, and before per-plugin
	 * help), in the same shape: version line, three {@code *} lines, a blank line, the name in
	 * large letters, two blank lines.
	 */
	public static void banner(PrintStream err, SluiceVersion version) {
		StringBuilder sb = new StringBuilder();
		sb.append(version.headline()).append('\n');
		sb.append("* A Java re-implementation of Fluent Bit v").append(version.fluentBitVersion()).append('\n');
		sb.append("* Fluent Bit is a CNCF graduated project under the Fluent organization\n");
		sb.append("* https://fluentbit.io\n");
		sb.append('\n');
		for (String line : ART) {
			sb.append(line).append('\n');
		}
		sb.append("\n\n");
		err.print(sb);
		err.flush();
	}

	/** {@code -h}: usage, options, and the plugins of each kind (internal ones left out). */
	public static void usage(PrintStream out, String program, PluginRegistry registry) {
		StringBuilder sb = new StringBuilder();
		sb.append("Usage: ").append(program).append(" [OPTION]\n\n");
		sb.append(BOLD).append("Available Options").append(RESET).append('\n');
		option(sb, "-b  --storage_path=PATH", "specify a storage buffering path");
		option(sb, "-c  --config=FILE", "specify an optional configuration file");
		option(sb, "-d, --daemon", "accepted for compatibility; Sluice always runs in the foreground");
		option(sb, "-D, --dry-run", "dry run");
		option(sb, "-f, --flush=SECONDS", "flush timeout in seconds (default: 1)");
		option(sb, "-i, --input=INPUT", "set an input");
		option(sb, "-F  --filter=FILTER", "set a filter");
		option(sb, "-m, --match=MATCH", "set plugin match, same as '-p match=abc'");
		option(sb, "-o, --output=OUTPUT", "set an output");
		option(sb, "-p, --prop=\"A=B\"", "set plugin configuration property");
		option(sb, "-R, --parser=FILE", "specify a parser configuration file");
		option(sb, "-e, --plugin=FILE", "load an external plugin (jar or shared lib)");
		option(sb, "-l, --log_file=FILE", "write log info to a file");
		option(sb, "-t, --tag=TAG", "set plugin tag, same as '-p tag=abc'");
		option(sb, "-v, --verbose", "increase logging verbosity (default: info)");
		option(sb, "-w, --workdir", "set the working directory");
		option(sb, "-H, --http", "enable monitoring HTTP server");
		option(sb, "-P, --port", "set HTTP server TCP port (default: 2020)");
		option(sb, "-L, --http_listen", "set HTTP server listen address (default: 0.0.0.0)");
		option(sb, "-q, --quiet", "quiet mode");
		option(sb, "-Y, --enable-hot-reload", "enable for hot reloading");
		option(sb, "-W, --disable-thread-safety-on-hot-reloading", "disable thread safety on hot reloading");
		option(sb, "-V, --version", "show version number");
		option(sb, "-J, --help-json", "print the plugin schema as JSON (after -i/-F/-o NAME: that plugin's)");
		option(sb, "-h, --help", "print this help");
		plugins(sb, "Inputs", registry, PluginKind.INPUT);
		sb.append('\n').append(BOLD).append("Processors").append(RESET).append('\n');
		plugins(sb, "Filters", registry, PluginKind.FILTER);
		plugins(sb, "Outputs", registry, PluginKind.OUTPUT);
		sb.append('\n').append(BOLD).append("Internal").append(RESET).append('\n');
		sb.append(" Event Loop  = virtual threads\n");
		sb.append(" Runtime     = Java ").append(System.getProperty("java.runtime.version", "?")).append(" (")
			.append(System.getProperty("java.vm.vendor", "?")).append(")\n");
		out.print(sb);
		out.flush();
	}

	/** {@code print_opt}: two spaces, the flag left-aligned in 24 columns (or overflowing them), the text. */
	private static void option(StringBuilder sb, String flag, String text) {
		sb.append(String.format(Locale.ROOT, "  %-24s%s%n", flag, text).replace(System.lineSeparator(), "\n"));
	}

	private static void plugins(StringBuilder sb, String title, PluginRegistry registry, PluginKind kind) {
		sb.append('\n').append(BOLD).append(title).append(RESET).append('\n');
		for (PluginDescriptor d : registry.all(kind)) {
			if (!d.internal()) {
				option(sb, d.name(), d.description());
			}
		}
	}

	/**
	 * {@code -i NAME -h}: one plugin's options. The name column is as wide as the longest option
	 * name of all groups plus two; descriptions wrap at {@value #WRAP_COLUMNS} columns; an option
	 * without a default shows {@code default: default}, as Fluent Bit's does.
	 */
	public static void plugin(PrintStream out, PluginSchema.Entry entry) {
		StringBuilder sb = new StringBuilder();
		sb.append(BOLD).append("HELP").append(RESET).append('\n');
		sb.append(entry.name()).append(' ').append(entry.type()).append(" plugin\n");
		if (entry.description() != null) {
			sb.append(BOLD).append("\nDESCRIPTION\n").append(RESET).append(entry.description()).append('\n');
		}
		int width = 0;
		for (PluginSchema.Group g : entry.groups()) {
			for (PluginSchema.Option o : g.options()) {
				width = Math.max(width, o.name().length());
			}
		}
		width += 2;
		for (PluginSchema.Group g : entry.groups()) {
			sb.append(BOLD).append('\n').append(g.key().toUpperCase(Locale.ROOT)).append('\n').append(RESET);
			for (PluginSchema.Option o : g.options()) {
				sb.append(o.name());
				sb.repeat(' ', width - o.name().length());
				wrap(sb, width, o.description());
				sb.repeat(' ', width);
				sb.append("> default: ").append((o.defaultValue() != null) ? o.defaultValue() : "default");
				sb.append(", type: ").append(o.type()).append("\n\n");
			}
		}
		out.print(sb);
		out.flush();
	}

	/**
	 * {@code help_plugin_description}: the first line continues the name column, later lines are
	 * indented by {@code padding}; a line breaks at the last space at or before
	 * {@code 90 - padding} characters, and the space is dropped. Reproduces Fluent Bit's
	 * arithmetic exactly, including its quirks: when no space falls within a line, all the rest
	 * of the text goes on that line, and a rest of exactly the line width is still broken at its
	 * last space.
	 */
	static void wrap(StringBuilder sb, int padding, String text) {
		if (text == null) {
			sb.append("no description available\n");
			return;
		}
		int max = WRAP_COLUMNS - padding;
		if (text.length() <= max) {
			sb.append(text).append('\n');
			return;
		}
		int end = text.length();
		int p = 0;
		boolean first = true;
		while (p < end) {
			int c;
			if (p + max > end) {
				c = end;
			}
			else {
				c = p + max;
				while (c > p && (c >= end || text.charAt(c) != ' ')) {
					c--;
				}
			}
			int len = (c == p) ? end - p : c - p;
			if (!first) {
				sb.repeat(' ', padding);
			}
			sb.append(text, p, p + len).append('\n');
			first = false;
			p += len + 1;
		}
	}
}
