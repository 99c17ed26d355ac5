package dev.sluice.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.sluice.config.read.Expansion;
import dev.sluice.config.read.Glob;
import dev.sluice.config.read.SectionTypes;

/**
 * Reads Fluent Bit's classic configuration format ({@code .conf}) into a {@link ConfigDocument}.
 *
 * <p>Semantics (those of {@code flb_cf_fluentbit.c}, except where marked <b>Sluice</b>):
 * <ul>
 * <li>Lines end at LF; a CR before it is dropped. Empty lines are ignored; <b>Sluice</b> also
 * ignores lines made only of blanks (Fluent Bit rejects some of them as badly indented). A UTF-8
 * byte order mark at the start of a file is ignored.</li>
 * <li>{@code #} at column 0, or right after the indent, starts a comment line (<b>Sluice</b>: after
 * any blanks; Fluent Bit rejects a comment indented differently from the entries). There are no
 * end-of-line comments: {@code Key value # x} has the value {@code value # x}.</li>
 * <li>{@code [NAME]} at column 0 opens a section. Names are case-insensitive: {@code SERVICE},
 * {@code INPUT}, {@code FILTER}, {@code OUTPUT}, {@code CUSTOM} (plural forms are accepted, as in
 * Fluent Bit), {@code PARSER}, {@code MULTILINE_PARSER}, {@code PLUGINS}, {@code UPSTREAM},
 * {@code NODE}, {@code STREAM_TASK}. Text after the {@code ]} is ignored. <b>Sluice</b>: an
 * unknown name is an error (Fluent Bit keeps it as an unused "other" section and matches names by
 * prefix).</li>
 * <li>Entries are {@code Key Value}, indented. The first indented entry fixes the indent string of
 * the file; every entry must start with it ({@code invalid indentation level}, or
 * {@code inconsistent use of tab and space} when the blanks differ). The key ends at the first
 * space (a tab does not separate: {@code undefined value - check config is in valid classic
 * format}); the value is the rest of the line, trimmed; an empty value is an error ({@code key has
 * an empty value}). Keys are kept as written (Fluent Bit lower-cases them; {@link ConfigProperty#name()}
 * gives the lower-case form). A key given several times gives several properties.</li>
 * <li>An indented {@code [name]} inside a section opens a group: the following entries indented
 * by exactly twice the indent belong to it, kept as a child section in group {@code name} (lower
 * case) of the section. An entry back at the normal indent closes the group. As in Fluent Bit, an
 * entry at twice the indent with no open group belongs to the section itself; any other extra
 * indentation is an error. (Fluent Bit itself uses no groups in classic files in 5.1: processors
 * are YAML only.)</li>
 * <li>{@code @INCLUDE path} (column 0, case-insensitive): a relative path resolves against the
 * directory of the <em>main</em> file, whichever file includes it. A path containing {@code *} is
 * a glob (see {@link Glob}; sorted); one matching nothing is an error, as in Fluent Bit. Included
 * sections are inserted where the include is; their origin is the included file. A file read
 * twice (including the main file) is an error ({@code file already included}); a missing file is
 * an error at the including line. Include paths are not variable-expanded.</li>
 * <li>{@code @SET KEY=VALUE} (column 0) defines a variable; any other {@code @command} is an
 * error. Every variable applies to every value of the configuration whatever the order, since
 * Fluent Bit sets all of them before it reads any property; values are then expanded by
 * {@link Variables}. {@code @SET} values are stored raw in {@link ConfigDocument#variables()}.</li>
 * <li>{@code [PARSER]} and {@code [MULTILINE_PARSER]} are only allowed in a parsers file
 * ({@link #readParsersFile(Path)}); elsewhere Fluent Bit's error is reported.</li>
 * </ul>
 * Every error of every file read is collected and thrown as one {@link ConfigException}; each
 * names the file and line. Warnings (unset variables, sections without keys) are available from
 * {@link #warnings()} after a read. A reader is not thread-safe; use one per thread.
 */
public final class ClassicConfigReader {

	private final Map<String, String> environment;

	private List<String> warnings = List.of();

	/** A reader using the process environment. */
	public ClassicConfigReader() {
		this(System.getenv());
	}

	/** A reader using the given environment instead of the process one (for tests). */
	public ClassicConfigReader(Map<String, String> environment) {
		this.environment = Map.copyOf(environment);
	}

	/** Reads a main configuration file and everything it includes. */
	public ConfigDocument read(Path file) {
		return run(file, null, Mode.MAIN, Map.of());
	}

	/**
	 * Reads a main configuration from a string, as if it were the file {@code fileName} (used for
	 * origins, and to resolve relative includes against its directory).
	 */
	public ConfigDocument read(String content, String fileName) {
		return run(Path.of(fileName), content, Mode.MAIN, Map.of());
	}

	/** Reads a parsers file ({@code Parsers_File}), where {@code [PARSER]} and {@code [MULTILINE_PARSER]} are allowed. */
	public ConfigDocument readParsersFile(Path file) {
		return run(file, null, Mode.PARSERS, Map.of());
	}

	/**
	 * Reads a parsers file, expanding values with the main configuration's variables as well as the
	 * environment.
	 */
	public ConfigDocument readParsersFile(Path file, Map<String, String> variables) {
		return run(file, null, Mode.PARSERS, variables);
	}

	/** Reads a parsers file from a string, as if it were the file {@code fileName}. */
	public ConfigDocument readParsersFile(String content, String fileName) {
		return run(Path.of(fileName), content, Mode.PARSERS, Map.of());
	}

	/** Reads a plugins file ({@code Plugins_File}: {@code [PLUGINS]} sections with {@code Path} entries). */
	public ConfigDocument readPluginsFile(Path file) {
		return run(file, null, Mode.PLUGINS, Map.of());
	}

	/** Warnings of the last read: unset variables, sections without keys. */
	public List<String> warnings() {
		return this.warnings;
	}

	private ConfigDocument run(Path file, String content, Mode mode, Map<String, String> extraVariables) {
		Run run = new Run(file, mode);
		run.readMain(file, content);
		Map<String, String> all = new LinkedHashMap<>(extraVariables);
		all.putAll(run.document.variables());
		Expansion.expand(run.document, new Variables(all, this.environment), run.warnings);
		this.warnings = List.copyOf(run.warnings);
		if (!run.errors.isEmpty()) {
			throw new ConfigException(run.errors);
		}
		return run.document;
	}

	/** What kind of file is read: which sections it may hold. */
	private enum Mode {

		MAIN, PARSERS, PLUGINS

	}

	/** The state of one read: the document, the files seen, errors and warnings. */
	private static final class Run {

		private final ConfigDocument document;

		private final Mode mode;

		private final Path rootDir;

		private final dev.sluice.config.read.IncludedFiles included = new dev.sluice.config.read.IncludedFiles();

		private final List<ConfigError> errors = new ArrayList<>();

		private final List<String> warnings = new ArrayList<>();

		Run(Path mainFile, Mode mode) {
			this.document = new ConfigDocument(mainFile);
			this.mode = mode;
			Path parent = mainFile.toAbsolutePath().normalize().getParent();
			this.rootDir = (parent != null) ? parent : Path.of("").toAbsolutePath();
		}

		void readMain(Path file, String content) {
			if (content == null) {
				readFile(file, new Origin(file.toString(), 0));
			}
			else {
				markSeen(file);
				this.document.files().add(file);
				parse(file.toString(), content);
			}
		}

		/** Reads one file, reporting problems opening it at {@code at}. */
		private void readFile(Path file, Origin at) {
			String text = this.included.read(file, at, this.errors, this.document);
			if (text != null) {
				parse(file.toString(), text);
			}
		}

		/** Records a file as read; false when it was already. */
		private boolean markSeen(Path file) {
			return this.included.markSeen(file);
		}

		private void parse(String fileName, String text) {
			FileState state = new FileState();
			if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
				text = text.substring(1);
			}
			int lineNo = 0;
			int pos = 0;
			int n = text.length();
			while (pos < n) {
				int nl = text.indexOf('\n', pos);
				int end = (nl < 0) ? n : nl;
				String line = text.substring(pos, end);
				pos = (nl < 0) ? n : nl + 1;
				lineNo++;
				if (line.endsWith("\r")) {
					line = line.substring(0, line.length() - 1);
				}
				parseLine(state, line, new Origin(fileName, lineNo));
			}
			state.closeSection(this.warnings);
		}

		private void parseLine(FileState state, String line, Origin origin) {
			if (line.isBlank()) {
				return;
			}
			char first = line.charAt(0);
			if (line.stripLeading().startsWith("#")) {
				return;
			}
			if (first == '@') {
				meta(line, origin);
				return;
			}
			if (first == '[') {
				header(state, line, origin);
				return;
			}
			if (!isBlank(first)) {
				error(origin, (state.section == null) ? "entry outside of a section" : "invalid indentation level");
				return;
			}
			entry(state, line, origin);
		}

		private void meta(String line, Origin origin) {
			if (line.length() > 9 && line.regionMatches(true, 0, "@INCLUDE ", 0, 9)) {
				include(line.substring(9).strip(), origin);
				return;
			}
			int sp = line.indexOf(' ');
			String command = (sp < 0) ? line.substring(1) : line.substring(1, sp);
			String argument = (sp < 0) ? "" : line.substring(sp + 1).strip();
			if (command.equalsIgnoreCase("SET")) {
				int eq = argument.indexOf('=');
				String name = (eq < 0) ? "" : argument.substring(0, eq).strip();
				if (name.isEmpty()) {
					error(origin, "invalid @SET command, expected @SET KEY=VALUE");
					return;
				}
				this.document.variables().put(name, argument.substring(eq + 1).strip());
			}
			else if (command.equalsIgnoreCase("INCLUDE")) {
				error(origin, "@INCLUDE needs a file path");
			}
			else {
				error(origin, "unknown command '@" + command + "'");
			}
		}

		private void include(String path, Origin origin) {
			if (path.isEmpty()) {
				error(origin, "@INCLUDE needs a file path");
				return;
			}
			Path target = this.rootDir.resolve(path);
			if (Glob.isPattern(path)) {
				List<Path> matches = Glob.expand(target.normalize());
				if (matches.isEmpty()) {
					error(origin, "no file matches the include pattern '" + path + "'");
				}
				for (Path match : matches) {
					readFile(match, origin);
				}
			}
			else {
				readFile(target, origin);
			}
		}

		private void header(FileState state, String line, Origin origin) {
			state.closeSection(this.warnings);
			int end = line.indexOf(']');
			String name = (end < 0) ? "" : line.substring(1, end).strip();
			if (name.isEmpty()) {
				error(origin, "bad header definition");
				state.section = new ConfigSection("invalid", origin);
				return;
			}
			String type = SectionTypes.classicType(name);
			ConfigSection section = new ConfigSection((type != null) ? type : "invalid", origin);
			state.section = section;
			if (type == null) {
				error(origin, "unknown section '[" + name + "]'");
				return;
			}
			if (this.mode == Mode.MAIN && SectionTypes.PARSER_TYPES.contains(type)) {
				error(origin, SectionTypes.PARSERS_IN_MAIN);
				return;
			}
			this.document.sections().add(section);
		}

		private void entry(FileState state, String line, Origin origin) {
			if (state.indent == null) {
				int i = 0;
				while (i < line.length() && isBlank(line.charAt(i))) {
					i++;
				}
				state.indent = line.substring(0, i);
			}
			String indent = state.indent;
			int i = 0;
			while (i < indent.length() && i < line.length() && line.charAt(i) == indent.charAt(i)) {
				i++;
			}
			if (i < indent.length()) {
				boolean blank = i < line.length() && isBlank(line.charAt(i));
				error(origin, blank ? "inconsistent use of tab and space" : "invalid indentation level");
				return;
			}
			int extra = 0;
			while (i + extra < line.length() && isBlank(line.charAt(i + extra))) {
				extra++;
			}
			String content = line.substring(i + extra);
			boolean groupLevel = false;
			if (extra > 0) {
				if (extra != indent.length()) {
					error(origin, "invalid indentation level");
					return;
				}
				groupLevel = true;
			}
			if (state.section == null) {
				error(origin, "entry outside of a section");
				return;
			}
			if (content.startsWith("[")) {
				group(state, content, origin);
				return;
			}
			if (!groupLevel) {
				state.group = null;
			}
			int sp = content.indexOf(' ');
			if (sp < 0) {
				error(origin, "undefined value - check config is in valid classic format");
				return;
			}
			String key = content.substring(0, sp).strip();
			String value = content.substring(sp + 1).strip();
			if (value.isEmpty()) {
				error(origin, "key has an empty value");
				return;
			}
			if (groupLevel && state.group != null) {
				state.group.add(key, value, origin);
				state.groupKeys++;
			}
			else {
				state.section.add(key, value, origin);
			}
		}

		private void group(FileState state, String content, Origin origin) {
			int end = content.indexOf(']');
			String name = (end < 0) ? "" : content.substring(1, end).strip();
			if (name.isEmpty()) {
				error(origin, "expected a valid group name: [..]");
				return;
			}
			if (state.group != null && state.groupKeys == 0) {
				error(state.group.origin(), "previous group did not have keys");
			}
			ConfigSection group = new ConfigSection(name, origin);
			state.section.addChild(name.toLowerCase(Locale.ROOT), group);
			state.group = group;
			state.groupKeys = 0;
		}

		private void error(Origin origin, String message) {
			this.errors.add(new ConfigError(origin, message));
		}

		private static boolean isBlank(char c) {
			return c == ' ' || c == '\t';
		}

	}

	/** Per-file parsing state: Fluent Bit keeps the indent and current section per file. */
	private static final class FileState {

		private String indent;

		private ConfigSection section;

		private ConfigSection group;

		private int groupKeys;

		void closeSection(List<String> warnings) {
			if (this.section != null && this.section.properties().isEmpty() && this.section.children().isEmpty()
					&& !this.section.type().equals("invalid")) {
				warnings.add(this.section.origin() + ": section [" + this.section.type().toUpperCase(Locale.ROOT)
						+ "] has no keys");
			}
			this.section = null;
			this.group = null;
			this.groupKeys = 0;
		}

	}

}
