package dev.sluice.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;

/**
 * Parses Fluent Bit's command line the way its {@code getopt_long} loop does
 * ({@code src/fluent-bit.c}, optstring {@code b:c:dDf:C:i:m:o:R:r:F:p:e:t:T:l:vw:qVhJL:HP:s:SWYZ}):
 *
 * <ul>
 * <li>Short options may be clustered ({@code -vv}, {@code -Hv}); an option that takes a value
 * takes the rest of its word ({@code -cfile.conf}) or, when that is empty, the next word, even
 * one starting with {@code -} ({@code -c -odd-name.conf}).</li>
 * <li>Long options take their value after {@code =} or as the next word ({@code --config=FILE},
 * {@code --config FILE}) and may be abbreviated to any unambiguous prefix ({@code --conf}).</li>
 * <li>Words that are not options may appear anywhere and are ignored (with a warning); {@code --}
 * ends the options.</li>
 * <li>Options act in order. {@code -h}, {@code -J} and {@code -V} end parsing where they stand,
 * as Fluent Bit exits there: {@code -i tail -h} is tail's help, {@code -h -i tail} the general
 * help, and nothing after them is looked at. {@code -R} and {@code -e} check their file when they
 * are met.</li>
 * </ul>
 *
 * <p>{@code -i}, {@code -F} and {@code -o} start a section whose first property is {@code name};
 * {@code -p k=v} adds to the last section, {@code -t} sets its {@code tag}, {@code -m} the
 * {@code match} of the last filter or output. {@code -o tcp://127.0.0.1:5170} is Fluent Bit's
 * URL form: plugin {@code tcp} with {@code host} and {@code port} (and {@code uri} for a path);
 * the same form after {@code -i} sets {@code listen} and {@code port}.
 *
 * <p>Where Sluice is stricter than Fluent Bit (which silently ignores these): {@code -p} or
 * {@code -t} without a section to apply to, {@code -m} without a filter or output to apply to
 * (including right after an input), and {@code -p} without {@code =}, are errors. Flags for
 * features Sluice does not have: {@code -T} (stream processor) and {@code --enable-fips} are
 * errors; {@code -C} (custom) and {@code -r} (processor) name plugins
 * that do not exist, as in a Fluent Bit built without them; {@code -s}, {@code -S}, {@code -Z},
 * {@code --supervisor} and the {@code --trace*} options are accepted and ignored (all but
 * {@code -s} with a warning).
 */
public final class CommandLine {

	/** Short options that take a value. */
	private static final String WITH_VALUE = "bcfCimoRrFpetTlwLPs";

	/** Short options that take none. */
	private static final String FLAGS = "dDvqVhJHSWYZ";

	/**
	 * One row of the long-option table.
	 * @param name the long name
	 * @param hasValue whether it takes a value
	 * @param id the short letter it stands for, or its own id for long-only options
	 */
	private record LongOption(String name, boolean hasValue, String id) {
	}

	private static final List<LongOption> LONG_OPTIONS = List.of(
			new LongOption("storage_path", true, "b"),
			new LongOption("config", true, "c"),
			new LongOption("daemon", false, "d"),
			new LongOption("dry-run", false, "D"),
			new LongOption("flush", true, "f"),
			new LongOption("http", false, "H"),
			new LongOption("supervisor", false, "supervisor"),
			new LongOption("log_file", true, "l"),
			new LongOption("port", true, "P"),
			new LongOption("custom", true, "C"),
			new LongOption("input", true, "i"),
			new LongOption("processor", true, "r"),
			new LongOption("filter", true, "F"),
			new LongOption("output", true, "o"),
			new LongOption("match", true, "m"),
			new LongOption("parser", true, "R"),
			new LongOption("prop", true, "p"),
			new LongOption("plugin", true, "e"),
			new LongOption("tag", true, "t"),
			new LongOption("sp-task", true, "T"),
			new LongOption("version", false, "V"),
			new LongOption("verbose", false, "v"),
			new LongOption("workdir", true, "w"),
			new LongOption("quiet", false, "q"),
			new LongOption("help", false, "h"),
			new LongOption("help-json", false, "J"),
			new LongOption("coro_stack_size", true, "s"),
			new LongOption("sosreport", false, "S"),
			new LongOption("http_server", false, "H"),
			new LongOption("http_listen", true, "L"),
			new LongOption("http_port", true, "P"),
			new LongOption("enable-hot-reload", false, "Y"),
			new LongOption("enable-chunk-trace", false, "Z"),
			new LongOption("trace", true, "trace"),
			new LongOption("trace-input", true, "trace-input"),
			new LongOption("trace-output", true, "trace-output"),
			new LongOption("trace-output-property", true, "trace-output-property"),
			new LongOption("disable-thread-safety-on-hot-reload", false, "W"),
			// Fluent Bit's help spells it this way, but only accepts the name above.
			new LongOption("disable-thread-safety-on-hot-reloading", false, "W"),
			new LongOption("enable-fips", false, "enable-fips"));

	private final String program;

	private final String[] args;

	private int next;

	private CliAction action = CliAction.RUN;

	private Path configFile;

	private final List<ConfigSection> sections = new ArrayList<>();

	/** The last -i/-F/-o/-C/-r section: what -p, -t and -m apply to. */
	private ConfigSection current;

	/** Customs and processors: Sluice has none, so any is an error when the pipeline runs. */
	private final List<String> missingPlugins = new ArrayList<>();

	private final ConfigSection service = new ConfigSection("service", Origin.COMMAND_LINE);

	private final List<Path> parserFiles = new ArrayList<>();

	private final List<Path> pluginFiles = new ArrayList<>();

	private boolean dryRun;

	private Verbosity verbosity = Verbosity.INFO;

	private boolean verbosityGiven;

	private Path workdir;

	private HelpTarget helpTarget;

	private final List<String> warnings = new ArrayList<>();

	private CommandLine(String program, String[] args) {
		this.program = program;
		this.args = args.clone();
	}

	/** Parses a command line, the program being called {@code sluice}. */
	public static CliOptions parse(String... args) {
		return parse("sluice", args);
	}

	/**
	 * Parses a command line.
	 * @param program the name the program was invoked as, for messages and the usage line
	 * @param args the arguments, without the program name
	 * @throws CliException when the command line cannot be acted on
	 */
	public static CliOptions parse(String program, String[] args) {
		return new CommandLine(program, args).run();
	}

	private CliOptions run() {
		List<String> operands = new ArrayList<>();
		while (this.next < this.args.length && this.action == CliAction.RUN) {
			String arg = this.args[this.next++];
			if (arg.equals("--")) {
				while (this.next < this.args.length) {
					operands.add(this.args[this.next++]);
				}
			}
			else if (arg.startsWith("--")) {
				longOption(arg);
			}
			else if (arg.startsWith("-") && arg.length() > 1) {
				shortOptions(arg);
			}
			else {
				operands.add(arg);
			}
		}
		if (this.action == CliAction.RUN) {
			if (!this.missingPlugins.isEmpty()) {
				throw CliException.error(missingPluginMessage(this.missingPlugins.get(0)),
						"configuration file contains errors, aborting.");
			}
			for (String operand : operands) {
				this.warnings.add("ignoring argument '" + operand + "': it is not an option");
			}
		}
		if (this.verbosityGiven) {
			this.service.add("log_level", this.verbosity.label(), Origin.COMMAND_LINE);
		}
		return new CliOptions(this.action, this.program, this.configFile, this.sections, this.service,
				this.parserFiles, this.pluginFiles, this.dryRun, this.verbosity, this.workdir, this.helpTarget,
				this.warnings);
	}

	/** Fluent Bit's error for a section naming a plugin that does not exist. */
	static String missingPluginMessage(String name) {
		return "[config] section '" + name + "' tried to instance a plugin name that doesn't exist";
	}

	private void shortOptions(String arg) {
		for (int i = 1; i < arg.length() && this.action == CliAction.RUN; i++) {
			char c = arg.charAt(i);
			if (WITH_VALUE.indexOf(c) >= 0) {
				String value;
				if (i + 1 < arg.length()) {
					value = arg.substring(i + 1);
				}
				else if (this.next < this.args.length) {
					value = this.args[this.next++];
				}
				else {
					throw CliException.usage("option requires an argument -- '" + c + "'");
				}
				apply(String.valueOf(c), value);
				return;
			}
			if (FLAGS.indexOf(c) < 0) {
				throw CliException.usage("invalid option -- '" + c + "'");
			}
			apply(String.valueOf(c), null);
		}
	}

	private void longOption(String arg) {
		String body = arg.substring(2);
		int eq = body.indexOf('=');
		String name = (eq >= 0) ? body.substring(0, eq) : body;
		LongOption option = findLong(name, arg);
		String value = null;
		if (option.hasValue()) {
			if (eq >= 0) {
				value = body.substring(eq + 1);
			}
			else if (this.next < this.args.length) {
				value = this.args[this.next++];
			}
			else {
				throw CliException.usage("option '--" + option.name() + "' requires an argument");
			}
		}
		else if (eq >= 0) {
			throw CliException.usage("option '--" + option.name() + "' doesn't allow an argument");
		}
		apply(option.id(), value);
	}

	/** getopt_long's lookup: an exact name, else the one option all matching prefixes stand for. */
	private static LongOption findLong(String name, String arg) {
		List<LongOption> matches = new ArrayList<>();
		for (LongOption o : LONG_OPTIONS) {
			if (o.name().equals(name)) {
				return o;
			}
			if (!name.isEmpty() && o.name().startsWith(name)) {
				matches.add(o);
			}
		}
		if (matches.isEmpty()) {
			throw CliException.usage("unrecognized option '" + arg + "'");
		}
		Set<String> ids = new LinkedHashSet<>();
		matches.forEach((o) -> ids.add(o.id() + (o.hasValue() ? ":" : "")));
		if (ids.size() > 1) {
			StringBuilder sb = new StringBuilder("option '--" + name + "' is ambiguous; possibilities:");
			matches.forEach((o) -> sb.append(" '--").append(o.name()).append('\''));
			throw CliException.usage(sb.toString());
		}
		return matches.get(0);
	}

	private void apply(String id, String value) {
		switch (id) {
			case "b" -> service("storage.path", value);
			case "c" -> this.configFile = path(value, "-c");
			case "d" -> service("daemon", "on");
			case "D" -> this.dryRun = true;
			case "e" -> this.pluginFiles.add(existing(value, "[plugin] cannot open plugin file '" + value + "'"));
			case "f" -> service("flush", value);
			case "C" -> section("custom", value);
			case "i" -> section("input", value);
			case "r" -> section("processor", value);
			case "F" -> section("filter", value);
			case "o" -> section("output", value);
			case "m" -> match(value);
			case "R" -> {
				this.parserFiles.add(existing(value, "could not open parser configuration file '" + value
						+ "', aborting."));
				service("parsers_file", value);
			}
			case "p" -> property(value);
			case "t" -> requireSection("-t").add("tag", value, Origin.COMMAND_LINE);
			case "T" -> throw CliException.error("[sp] stream processor tasks (-T) are not supported by Sluice");
			case "l" -> service("log_file", value);
			case "v" -> {
				this.verbosity = this.verbosity.louder();
				this.verbosityGiven = true;
			}
			case "w" -> this.workdir = path(value, "-w");
			case "q" -> {
				this.verbosity = Verbosity.OFF;
				this.verbosityGiven = true;
			}
			case "V" -> this.action = CliAction.VERSION;
			case "h" -> {
				this.action = (this.current == null) ? CliAction.HELP : CliAction.PLUGIN_HELP;
				this.helpTarget = target();
			}
			case "J" -> {
				this.action = CliAction.SCHEMA_JSON;
				this.helpTarget = target();
			}
			case "H" -> service("http_server", "on");
			case "L" -> service("http_listen", value);
			case "P" -> service("http_port", value);
			case "s" -> {
				// Coroutine stack size: Sluice has no coroutines (plugins run on virtual threads).
			}
			case "S" -> this.warnings.add("ignoring -S: there is no support report in Sluice");
			case "W" -> service("hot_reload.ensure_thread_safety", "off");
			case "Y" -> service("hot_reload", "on");
			case "Z" -> this.warnings.add("ignoring -Z: chunk tracing is not supported by Sluice");
			case "supervisor" -> this.warnings.add("ignoring --supervisor: Sluice has no supervisor process");
			case "trace", "trace-input", "trace-output", "trace-output-property" ->
				this.warnings.add("ignoring --" + id + ": chunk tracing is not supported by Sluice");
			case "enable-fips" -> throw CliException.error("[tls] FIPS mode (--enable-fips) is not supported by Sluice");
			default -> throw new IllegalStateException("unhandled option " + id);
		}
	}

	private HelpTarget target() {
		return (this.current == null) ? null : new HelpTarget(this.current.type(), this.current.get("name"));
	}

	private void service(String key, String value) {
		this.service.add(key, value, Origin.COMMAND_LINE);
	}

	private void section(String type, String value) {
		ConfigSection s = new ConfigSection(type, Origin.COMMAND_LINE);
		int scheme = value.indexOf("://");
		if (scheme > 0 && (type.equals("input") || type.equals("output"))) {
			PluginUrl url = PluginUrl.parse(value, scheme);
			s.add("name", url.plugin(), Origin.COMMAND_LINE);
			if (type.equals("output")) {
				s.add("host", url.host(), Origin.COMMAND_LINE);
			}
			else {
				s.add("listen", url.host(), Origin.COMMAND_LINE);
			}
			if (url.port() != null) {
				s.add("port", url.port(), Origin.COMMAND_LINE);
			}
			if (url.uri() != null) {
				s.add("uri", url.uri(), Origin.COMMAND_LINE);
			}
		}
		else {
			s.add("name", value, Origin.COMMAND_LINE);
		}
		this.current = s;
		if (type.equals("custom") || type.equals("processor")) {
			this.missingPlugins.add(value);
		}
		else {
			this.sections.add(s);
		}
	}

	private ConfigSection requireSection(String flag) {
		if (this.current == null) {
			throw CliException.error("[cli] " + flag + " must follow the -i, -F or -o it applies to");
		}
		return this.current;
	}

	private void property(String kv) {
		ConfigSection s = requireSection("-p");
		int eq = kv.indexOf('=');
		if (eq <= 0) {
			throw CliException.error("[cli] invalid property '" + kv + "' for -p: expected KEY=VALUE");
		}
		s.add(kv.substring(0, eq), kv.substring(eq + 1), Origin.COMMAND_LINE);
	}

	private void match(String pattern) {
		if (this.current == null
				|| !(this.current.type().equals("filter") || this.current.type().equals("output"))) {
			throw CliException.error("[cli] -m must follow the -F or -o it applies to");
		}
		this.current.add("match", pattern, Origin.COMMAND_LINE);
	}

	private static Path path(String value, String flag) {
		try {
			return Path.of(value);
		}
		catch (InvalidPathException ex) {
			throw CliException.error("[cli] invalid path for " + flag + ": '" + value + "'");
		}
	}

	private static Path existing(String value, String message) {
		Path p = path(value, "");
		if (!Files.exists(p)) {
			throw CliException.error(message);
		}
		return p;
	}

	/**
	 * Fluent Bit's {@code plugin://host:port/path} form of {@code -i}/{@code -o}
	 * ({@code flb_net_host_set}): {@code host} may be a bracketed IPv6 address, {@code port} is
	 * read as C's {@code atoi} reads it, and the path is kept when it is more than {@code /}.
	 */
	record PluginUrl(String plugin, String host, String port, String uri) {

		static PluginUrl parse(String value, int scheme) {
			String plugin = value.substring(0, scheme);
			String rest = value.substring(scheme + 3);
			String host;
			int i;
			if (rest.startsWith("[")) {
				int close = rest.indexOf(']');
				if (close < 0) {
					throw invalid(value);
				}
				host = rest.substring(1, close);
				i = close + 1;
			}
			else {
				i = 0;
				while (i < rest.length() && rest.charAt(i) != ':' && rest.charAt(i) != '/') {
					i++;
				}
				host = rest.substring(0, i);
			}
			if (host.isEmpty()) {
				throw invalid(value);
			}
			String port = null;
			if (i < rest.length() && rest.charAt(i) == ':') {
				int start = ++i;
				while (i < rest.length() && Character.isDigit(rest.charAt(i))) {
					i++;
				}
				port = (i > start) ? rest.substring(start, i) : "0";
			}
			String uri = null;
			int slash = rest.indexOf('/', i);
			if (slash >= 0 && slash < rest.length() - 1) {
				uri = rest.substring(slash);
			}
			return new PluginUrl(plugin, host, port, uri);
		}

		private static CliException invalid(String value) {
			return CliException.error("[cli] invalid plugin address '" + value
					+ "': expected PLUGIN://HOST[:PORT][/PATH]");
		}
	}
}
