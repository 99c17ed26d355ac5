package dev.sluice.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.config.ServiceConfig;
import dev.sluice.plugin.OptionSpec;

/**
 * A parsed command line ({@link CommandLine#parse}). Immutable: the sections it holds are copied
 * in and copied out.
 *
 * <p>The service keys the flags set, in {@link #service()}: {@code -f} {@code flush}, {@code -l}
 * {@code log_file}, {@code -b} {@code storage.path}, {@code -R} {@code parsers_file} (one per
 * {@code -R}), {@code -H} {@code http_server}, {@code -P} {@code http_port}, {@code -L}
 * {@code http_listen}, {@code -Y} {@code hot_reload}, {@code -W}
 * {@code hot_reload.ensure_thread_safety}, {@code -d} {@code daemon}, and {@code log_level} when
 * {@code -v} or {@code -q} was given.
 *
 * @param action what was asked for
 * @param programName the name the program was invoked as (Fluent Bit prints {@code argv[0]})
 * @param configFile {@code -c}, or null; relative to the working directory, see {@link #resolve}
 * @param sections the {@code -i}/{@code -F}/{@code -o} sections in order (type {@code input},
 * {@code filter} or {@code output}, origin {@link Origin#COMMAND_LINE}, {@code name} first)
 * @param service the service keys the flags set (type {@code service}), possibly empty
 * @param parserFiles the {@code -R} files, in order; they are also {@code parsers_file} entries
 * of {@link #service()}, so a runner that loads the merged service's parsers files must not load
 * these again
 * @param pluginFiles the {@code -e} files, in order
 * @param dryRun {@code -D}: validate the configuration and exit
 * @param verbosity the log level {@code -v}/{@code -vv}/{@code -q} ask for ({@link Verbosity#INFO}
 * without them)
 * @param workdir {@code -w}, or null
 * @param helpTarget for {@link CliAction#PLUGIN_HELP}, and {@link CliAction#SCHEMA_JSON} of one
 * plugin: which plugin; null otherwise
 * @param warnings flags accepted but ignored, and stray arguments, one message each
 */
public record CliOptions(CliAction action, String programName, Path configFile, List<ConfigSection> sections,
		ConfigSection service, List<Path> parserFiles, List<Path> pluginFiles, boolean dryRun, Verbosity verbosity,
		Path workdir, HelpTarget helpTarget, List<String> warnings) {

	public CliOptions {
		sections = sections.stream().map(CliOptions::copy).toList();
		service = copy(service);
		parserFiles = List.copyOf(parserFiles);
		pluginFiles = List.copyOf(pluginFiles);
		warnings = List.copyOf(warnings);
	}

	/** Copies of the command-line sections (changing them does not change these options). */
	@Override
	public List<ConfigSection> sections() {
		return this.sections.stream().map(CliOptions::copy).toList();
	}

	/** A copy of the service keys the flags set. */
	@Override
	public ConfigSection service() {
		return copy(this.service);
	}

	/** Whether {@code -q} turned logging off (no banner either). */
	public boolean quiet() {
		return this.verbosity == Verbosity.OFF;
	}

	/**
	 * A path given on the command line as the program sees it after {@code -w}: Fluent Bit
	 * changes directory to the working directory before it opens the configuration file, so a
	 * relative {@code -c} is relative to {@code -w}.
	 */
	public Path resolve(Path path) {
		return (this.workdir == null || path.isAbsolute()) ? path : this.workdir.resolve(path);
	}

	/** {@link #configFile()} resolved against {@link #workdir()}, or null. */
	public Path resolvedConfigFile() {
		return (this.configFile != null) ? resolve(this.configFile) : null;
	}

	/**
	 * Merges the command line into a configuration read from a file, or into an empty one: the
	 * result has the file's variables, files and sections in order, except that all of its
	 * {@code service} sections become one, at the place of the first, holding the file's service
	 * keys with the command line's applied on top (a key the command line sets replaces every
	 * value of it from the file; a repeatable key such as {@code parsers_file} is added instead);
	 * then the command line's sections after all of the file's. The argument is not changed.
	 * @param fileDocOrNull the configuration read from {@link #configFile()}, or null
	 */
	public ConfigDocument applyTo(ConfigDocument fileDocOrNull) {
		ConfigDocument out = new ConfigDocument((fileDocOrNull != null) ? fileDocOrNull.mainFile() : null);
		List<ConfigSection> fileServices = List.of();
		if (fileDocOrNull != null) {
			out.variables().putAll(fileDocOrNull.variables());
			out.files().addAll(fileDocOrNull.files());
			fileServices = fileDocOrNull.sections("service");
		}
		ConfigSection merged = null;
		if (!fileServices.isEmpty() || !this.service.properties().isEmpty()) {
			merged = new ConfigSection("service",
					fileServices.isEmpty() ? Origin.COMMAND_LINE : fileServices.get(0).origin());
			for (ConfigSection s : fileServices) {
				merged.properties().addAll(s.properties());
			}
			Set<String> repeatable = repeatableServiceKeys();
			for (ConfigProperty p : this.service.properties()) {
				if (repeatable.contains(p.name())) {
					merged.add(p.key(), p.value(), p.origin());
				}
				else {
					merged.set(p.key(), p.value(), p.origin());
				}
			}
		}
		boolean serviceAdded = false;
		if (fileDocOrNull != null) {
			for (ConfigSection s : fileDocOrNull.sections()) {
				if (s.type().equals("service")) {
					if (!serviceAdded) {
						out.sections().add(merged);
						serviceAdded = true;
					}
					continue;
				}
				out.sections().add(copy(s));
			}
		}
		if (merged != null && !serviceAdded) {
			out.sections().add(0, merged);
		}
		for (ConfigSection s : this.sections) {
			out.sections().add(copy(s));
		}
		return out;
	}

	private static Set<String> repeatableServiceKeys() {
		return OptionSpec.of(ServiceConfig.class)
			.stream()
			.filter(OptionSpec::multiple)
			.map(OptionSpec::name)
			.collect(Collectors.toUnmodifiableSet());
	}

	/** A deep copy of a section: its properties and nested groups. */
	static ConfigSection copy(ConfigSection s) {
		ConfigSection c = new ConfigSection(s.type(), s.origin());
		c.properties().addAll(s.properties());
		for (Map.Entry<String, List<ConfigSection>> e : s.children().entrySet()) {
			for (ConfigSection child : e.getValue()) {
				c.addChild(e.getKey(), copy(child));
			}
		}
		return c;
	}

	@Override
	public String toString() {
		List<String> parts = new ArrayList<>();
		parts.add(this.action.name());
		if (this.configFile != null) {
			parts.add("config=" + this.configFile);
		}
		this.sections.forEach((s) -> parts.add(s.type() + s.properties()));
		if (!this.service.properties().isEmpty()) {
			parts.add("service" + this.service.properties());
		}
		return "CliOptions" + parts;
	}
}
