package dev.sluice.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * The command line's entry point: parses the arguments, answers {@code -h}, {@code -J} and
 * {@code -V} itself, and hands a pipeline to run (or, with {@code -D}, to validate) to a
 * {@link Runner}, printing the start-up banner to stderr first unless {@code -q} was given.
 *
 * <p>Exit codes and streams follow Fluent Bit: help, schemas and the version go to stdout with
 * exit code 0; per-plugin help also writes the banner to stderr; an unknown option is reported
 * on stderr, getopt-style, followed by the help on stdout, exit code 1; other command-line errors
 * and an unknown plugin in {@code -o NAME -h} are error log lines on stderr, exit code 1.
 */
public final class CliMain {

	/** The system property the launcher sets to the name it was invoked as ({@code $0}). */
	public static final String PROGRAM_PROPERTY = "sluice.program";

	private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");

	private CliMain() {
	}

	/** The program name for messages: {@value #PROGRAM_PROPERTY}, else {@code sluice}. */
	public static String programName() {
		String p = System.getProperty(PROGRAM_PROPERTY);
		return (p == null || p.isBlank()) ? "sluice" : p;
	}

	/**
	 * Acts on a command line.
	 * @param args the arguments, without the program name
	 * @param out standard output
	 * @param err standard error
	 * @param registry the plugins help and schemas list
	 * @param runner what runs a pipeline
	 * @return the process exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err, PluginRegistry registry, Runner runner) {
		return run(args, out, err, registry, new PluginSchema(), runner);
	}

	/** As {@link #run(String[], PrintStream, PrintStream, PluginRegistry, Runner)}, with the schema to show. */
	public static int run(String[] args, PrintStream out, PrintStream err, PluginRegistry registry,
			PluginSchema schema, Runner runner) {
		return run(args, out, err, registry, schema, runner, programName(), SluiceVersion.current(),
				Clock.systemDefaultZone());
	}

	static int run(String[] args, PrintStream out, PrintStream err, PluginRegistry registry, PluginSchema schema,
			Runner runner, String program, SluiceVersion version, Clock clock) {
		try {
			CliOptions options;
			try {
				options = CommandLine.parse(program, args);
			}
			catch (CliException ex) {
				if (ex.usage()) {
					err.print(program + ": " + ex.lines().get(0) + "\n");
					err.flush();
					Help.usage(out, program, registry);
				}
				else {
					ex.lines().forEach((line) -> log(err, clock, "error", line));
				}
				return ex.exitCode();
			}
			return switch (options.action()) {
				case VERSION -> {
					Help.version(out, version);
					yield 0;
				}
				case HELP -> {
					Help.usage(out, program, registry);
					yield 0;
				}
				case PLUGIN_HELP, SCHEMA_JSON -> describe(options, out, err, registry, schema, version, clock);
				case RUN -> start(options, err, runner, version, clock);
			};
		}
		finally {
			out.flush();
			err.flush();
		}
	}

	private static int describe(CliOptions options, PrintStream out, PrintStream err, PluginRegistry registry,
			PluginSchema schema, SluiceVersion version, Clock clock) {
		HelpTarget target = options.helpTarget();
		if (target == null) {
			out.print(schema.catalogueJson(registry) + "\n");
			return 0;
		}
		Help.banner(err, version);
		PluginKind kind = target.pluginKind();
		PluginDescriptor d = (kind != null) ? registry.find(kind, target.name()) : null;
		if (d == null) {
			// Fluent Bit says so, carries on with start-up, and fails on the same section there.
			err.print("invalid " + target.kind() + " plugin '" + target.name() + "'");
			if (!options.quiet()) {
				Help.banner(err, version);
			}
			log(err, clock, "error", CommandLine.missingPluginMessage(target.name()));
			log(err, clock, "error", "configuration file contains errors, aborting.");
			return 1;
		}
		if (options.action() == CliAction.PLUGIN_HELP) {
			Help.plugin(out, schema.describe(d));
		}
		else {
			out.print(schema.pluginJson(d) + "\n");
		}
		return 0;
	}

	private static int start(CliOptions options, PrintStream err, Runner runner, SluiceVersion version,
			Clock clock) {
		if (!options.quiet()) {
			Help.banner(err, version);
		}
		for (String w : options.warnings()) {
			log(err, clock, " warn", "[cli] " + w);
		}
		try {
			return runner.run(options);
		}
		catch (ConfigException ex) {
			for (ConfigError e : ex.errors()) {
				log(err, clock, "error", "[config] " + e.message() + " (" + e.origin() + ")");
			}
			log(err, clock, "error", "configuration file contains errors, aborting.");
			return 1;
		}
	}

	/** One line in Fluent Bit's log format: {@code [YYYY/MM/DD HH:MM:SS.mmm] [level] message}. */
	static void log(PrintStream err, Clock clock, String level, String message) {
		err.print("[" + LOG_TIME.format(LocalDateTime.now(clock)) + "] [" + level + "] " + message + "\n");
		err.flush();
	}
}
