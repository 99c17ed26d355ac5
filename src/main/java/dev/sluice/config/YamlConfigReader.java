package dev.sluice.config;

import java.io.IOException;
import java.io.StringReader;
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

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.sluice.config.read.Expansion;
import dev.sluice.config.read.Glob;
import dev.sluice.config.read.SectionTypes;

/**
 * Reads Fluent Bit's YAML configuration format ({@code .yaml}, {@code .yml}) into the same
 * {@link ConfigDocument} model as {@link ClassicConfigReader}. Every property's origin is the file
 * and line of its key.
 *
 * <p>Top-level sections (names case-insensitive; a key may appear several times, e.g. several
 * {@code pipeline} sections, which merge):
 * <ul>
 * <li>{@code env}: a map {@code NAME: value}, or a list of {@code {name, value}} /
 * {@code {name, uri: file://path, refresh_interval}} (the file's content, without its trailing
 * newline, is the value; <b>Sluice</b> reads it once, {@code refresh_interval} is ignored here).
 * Values are stored raw in {@link ConfigDocument#variables()} and win over the process
 * environment.</li>
 * <li>{@code includes}: a list of paths (or a single path), relative to the <em>including</em>
 * file, never variable-expanded; {@code *} makes a glob (sorted). Included files are read at the
 * point of the include. A file read twice is an error ({@code file already included}).</li>
 * <li>{@code service}: one map; a second {@code service} (in any file) is Fluent Bit's error
 * {@code duplicated definition of 'service'}.</li>
 * <li>{@code pipeline}: {@code inputs}, {@code filters}, {@code outputs} (and, leniently,
 * {@code customs}), each a list of maps with a {@code name}.</li>
 * <li>{@code customs}, {@code parsers}, {@code multiline_parsers}: lists of maps with a
 * {@code name}. A multiline parser's {@code rules: [{state, regex, next_state}]} become child
 * sections (type {@code rule}) in group {@code rules}, <em>and</em> {@code rule} properties with
 * the classic value {@code "state" "regex" "next_state"} (a {@code "} inside a field is written
 * {@code \"}; backslashes are kept as they are, as in a classic {@code rule} line).</li>
 * <li>{@code plugins}: a list of shared-object paths, read as one {@code plugins} section with a
 * {@code path} property per entry (the classic {@code [PLUGINS] Path x.so} shape).</li>
 * <li>{@code upstream_servers}: a list of {@code {name, ..., nodes: [{name, host, port, ...}]}};
 * each becomes an {@code upstream} section followed by one {@code node} section per node, the
 * shape of a classic upstream file.</li>
 * <li>{@code stream_processor}: a list of {@code {name, exec}}, read as {@code stream_task}
 * sections.</li>
 * <li>{@code extensions}: ignored (free-form, for external tools). Any other top-level key is
 * ignored with a warning, as Fluent Bit keeps it as an unused section.</li>
 * </ul>
 *
 * <p>Values: scalars are kept exactly as written ({@code on} stays {@code on}, {@code 1.0} stays
 * {@code 1.0}; an empty value is an empty string); a list of scalars is a repeated property.
 * Nested maps are only valid in these places:
 * <ul>
 * <li>{@code processors: {logs: [...], metrics: [...], traces: [...]}} on a plugin: each entry is
 * a child section of type {@code processor} in group {@code processors.logs} (and so on);</li>
 * <li>{@code routes} on a plugin, and anything inside a processor or route entry. These are
 * flattened: a nested map gives dotted keys ({@code condition: {op: and}} gives
 * {@code condition.op and}); a list of scalars gives a repeated property; a list of maps gives
 * child sections in a group named by the dotted path relative to the section holding it, of the
 * type named by the path's last part without its plural {@code s} ({@code route} for anything under
 * {@code routes}). So
 * {@code routes: {logs: [{name: r, condition: {op: and, rules: [{field: $a, op: eq, value: 1}]},
 * to: {outputs: [o1]}}]}} gives a child {@code route} in group {@code routes.logs} with properties
 * {@code name}, {@code condition.op}, {@code to.outputs}, and a child {@code rule} in its group
 * {@code condition.rules}.</li>
 * </ul>
 * Any other nested map in a section is Fluent Bit 5.1's error {@code variant values are only valid
 * in the extensions section}.
 *
 * <p>Keys: a key that starts with a lowercase ASCII letter and contains no {@code _} is converted
 * from camelCase to snake_case ({@code logLevel} becomes {@code log_level}); one that starts with a
 * lowercase letter and contains {@code _} is lower-cased; others are kept as written (Fluent Bit's
 * {@code flb_cf_key_translate}). {@code env} names are never changed.
 *
 * <p>Values are expanded with {@link Variables} after the whole configuration is read. Errors (YAML
 * syntax errors with their line, a missing {@code name}, wrong shapes) are collected and thrown as
 * one {@link ConfigException}. Not thread-safe.
 */
public final class YamlConfigReader {

	/** Fluent Bit 5.1's message for a nested map outside {@code extensions}. */
	public static final String VARIANT_ERROR = "variant values are only valid in the extensions section";

	private final Map<String, String> environment;

	private List<String> warnings = List.of();

	/** A reader using the process environment. */
	public YamlConfigReader() {
		this(System.getenv());
	}

	/** A reader using the given environment instead of the process one (for tests). */
	public YamlConfigReader(Map<String, String> environment) {
		this.environment = Map.copyOf(environment);
	}

	/** Reads a YAML configuration file and everything it includes. */
	public ConfigDocument read(Path file) {
		return run(file, null, Map.of());
	}

	/**
	 * Reads a YAML configuration from a string, as if it were the file {@code fileName} (used for
	 * origins, and to resolve relative includes against its directory).
	 */
	public ConfigDocument read(String content, String fileName) {
		return run(Path.of(fileName), content, Map.of());
	}

	/**
	 * Reads a YAML parsers file (top-level {@code parsers} and {@code multiline_parsers}), expanding
	 * values with the given variables as well as the environment.
	 */
	public ConfigDocument readParsersFile(Path file, Map<String, String> variables) {
		return run(file, null, variables);
	}

	/** Warnings of the last read: unset variables, ignored sections. */
	public List<String> warnings() {
		return this.warnings;
	}

	private ConfigDocument run(Path file, String content, Map<String, String> extraVariables) {
		Run run = new Run(file);
		if (content == null) {
			run.readFile(file, new Origin(file.toString(), 0));
		}
		else {
			run.markSeen(file);
			run.document.files().add(file);
			run.parse(file, content);
		}
		Map<String, String> all = new LinkedHashMap<>(extraVariables);
		all.putAll(run.document.variables());
		Expansion.expand(run.document, new Variables(all, this.environment), run.warnings);
		this.warnings = List.copyOf(run.warnings);
		if (!run.errors.isEmpty()) {
			throw new ConfigException(run.errors);
		}
		return run.document;
	}

	/**
	 * Fluent Bit's YAML key translation: camelCase to snake_case for keys starting with a lowercase
	 * letter and without {@code _}; lower case for keys starting with a lowercase letter and
	 * containing {@code _}; others unchanged.
	 */
	public static String normalizeKey(String key) {
		if (key.isEmpty() || !isLower(key.charAt(0))) {
			return key;
		}
		if (key.indexOf('_') >= 0) {
			return key.toLowerCase(Locale.ROOT);
		}
		StringBuilder out = new StringBuilder(key.length() + 4);
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c >= 'A' && c <= 'Z') {
				if (i > 0) {
					out.append('_');
				}
				out.append((char) (c + ('a' - 'A')));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static boolean isLower(char c) {
		return c >= 'a' && c <= 'z';
	}

	/** The state of one read. */
	private static final class Run {

		private final ConfigDocument document;

		private final dev.sluice.config.read.IncludedFiles included = new dev.sluice.config.read.IncludedFiles();

		private final List<ConfigError> errors = new ArrayList<>();

		private final List<String> warnings = new ArrayList<>();

		private boolean serviceSeen;

		/** The file being parsed (its label for origins) and its directory. */
		private String fileName;

		private Path fileDir;

		Run(Path mainFile) {
			this.document = new ConfigDocument(mainFile);
		}

		boolean markSeen(Path file) {
			return this.included.markSeen(file);
		}

		void readFile(Path file, Origin at) {
			String text = this.included.read(file, at, this.errors, this.document);
			if (text != null) {
				parse(file, text);
			}
		}

		void parse(Path file, String text) {
			String savedName = this.fileName;
			Path savedDir = this.fileDir;
			this.fileName = file.toString();
			Path parent = file.toAbsolutePath().normalize().getParent();
			this.fileDir = (parent != null) ? parent : Path.of("").toAbsolutePath();
			try {
				LoaderOptions options = new LoaderOptions();
				options.setAllowDuplicateKeys(true);
				Yaml yaml = new Yaml(options);
				for (Node root : yaml.composeAll(new StringReader(text))) {
					document(root);
				}
			}
			catch (MarkedYAMLException ex) {
				Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
				int line = (mark != null) ? mark.getLine() + 1 : 0;
				String problem = (ex.getProblem() != null) ? ex.getProblem() : ex.getMessage();
				String context = (ex.getContext() != null) ? ex.getContext() + ": " : "";
				String message = (context + problem).replaceAll("\\s*\\R\\s*", " ").strip();
				if (context.contains("alias")) {
					message += " (a bare * starts a YAML alias: quote it, as in match: '*')";
				}
				error(new Origin(this.fileName, line), "invalid YAML: " + message);
			}
			catch (YAMLException ex) {
				error(new Origin(this.fileName, 0), "invalid YAML: " + ex.getMessage());
			}
			finally {
				this.fileName = savedName;
				this.fileDir = savedDir;
			}
		}

		private void document(Node root) {
			if (isNull(root)) {
				return;
			}
			if (!(root instanceof MappingNode map)) {
				error(root, "a configuration must be a map of sections (service, pipeline, ...)");
				return;
			}
			for (NodeTuple tuple : map.getValue()) {
				String key = key(tuple);
				if (key == null) {
					continue;
				}
				Node value = tuple.getValueNode();
				Node keyNode = tuple.getKeyNode();
				switch (key.toLowerCase(Locale.ROOT)) {
					case "env" -> env(value);
					case "includes" -> includes(value);
					case "service" -> service(keyNode, value);
					case "pipeline" -> pipeline(value);
					case "customs" -> sectionList("customs", value, "custom");
					case "parsers" -> sectionList("parsers", value, "parser");
					case "multiline_parsers" -> sectionList("multiline_parsers", value, "multiline_parser");
					case "stream_processor" -> sectionList("stream_processor", value, "stream_task");
					case "plugins" -> plugins(keyNode, value);
					case "upstream_servers" -> upstreamServers(value);
					case "extensions" -> {
						// free-form, for tools around Sluice: not part of the pipeline
					}
					default -> this.warnings.add(origin(keyNode) + ": unknown section '" + key + "' is ignored");
				}
			}
		}

		// ---- env

		private void env(Node value) {
			if (isNull(value)) {
				return;
			}
			if (value instanceof MappingNode map) {
				for (NodeTuple tuple : map.getValue()) {
					String name = key(tuple);
					if (name == null) {
						continue;
					}
					if (tuple.getValueNode() instanceof ScalarNode scalar) {
						this.document.variables().put(name, scalar.getValue());
					}
					else {
						error(tuple.getKeyNode(), "env variable '" + name + "' must have a single value");
					}
				}
			}
			else if (value instanceof SequenceNode list) {
				for (Node item : list.getValue()) {
					envEntry(item);
				}
			}
			else {
				error(value, "'env' must be a map of variables or a list of {name, value}");
			}
		}

		private void envEntry(Node item) {
			if (!(item instanceof MappingNode map)) {
				error(item, "each entry of 'env' must be a map with 'name' and 'value' or 'uri'");
				return;
			}
			String name = null;
			String value = null;
			String uri = null;
			Node uriNode = null;
			for (NodeTuple tuple : map.getValue()) {
				String key = key(tuple);
				if (key == null) {
					continue;
				}
				String text = scalar(tuple, "env");
				if (text == null) {
					continue;
				}
				switch (key.toLowerCase(Locale.ROOT)) {
					case "name" -> name = text;
					case "value" -> value = text;
					case "uri" -> {
						uri = text;
						uriNode = tuple.getValueNode();
					}
					case "refresh_interval", "refreshinterval" -> {
						// Sluice reads the file once
					}
					default -> this.warnings.add(origin(tuple.getKeyNode()) + ": unknown env key '" + key + "' ignored");
				}
			}
			if (name == null || name.isEmpty()) {
				error(item, "env entry without 'name'");
				return;
			}
			if (value == null && uri != null) {
				value = readUri(uri, uriNode);
				if (value == null) {
					return;
				}
			}
			if (value == null) {
				error(item, "env variable '" + name + "' needs a 'value' or a 'uri'");
				return;
			}
			this.document.variables().put(name, value);
		}

		private String readUri(String uri, Node at) {
			if (!uri.startsWith("file://")) {
				error(at, "unsupported env uri '" + uri + "': only file:// is supported");
				return null;
			}
			Path path = this.fileDir.resolve(uri.substring("file://".length()));
			try {
				String text = Files.readString(path, StandardCharsets.UTF_8);
				int end = text.length();
				while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
					end--;
				}
				this.document.files().add(path);
				return text.substring(0, end);
			}
			catch (IOException ex) {
				error(at, "cannot read env uri '" + uri + "': " + ex.getMessage());
				return null;
			}
		}

		// ---- includes

		private void includes(Node value) {
			if (isNull(value)) {
				return;
			}
			List<Node> items = (value instanceof SequenceNode list) ? list.getValue() : List.of(value);
			for (Node item : items) {
				if (!(item instanceof ScalarNode scalar)) {
					error(item, "'includes' must be a list of file paths");
					continue;
				}
				String path = scalar.getValue();
				Origin at = origin(item);
				Path target = this.fileDir.resolve(path);
				if (Glob.isPattern(path)) {
					List<Path> matches = Glob.expand(target.normalize());
					if (matches.isEmpty()) {
						error(at, "no file matches the include pattern '" + path + "'");
					}
					for (Path match : matches) {
						readFile(match, at);
					}
				}
				else {
					readFile(target, at);
				}
			}
		}

		// ---- service

		private void service(Node keyNode, Node value) {
			if (this.serviceSeen) {
				error(keyNode, "duplicated definition of 'service'");
				return;
			}
			this.serviceSeen = true;
			ConfigSection section = new ConfigSection("service", origin(keyNode));
			this.document.sections().add(section);
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof MappingNode map)) {
				error(value, "'service' must be a map");
				return;
			}
			fill(section, map, Place.PLAIN);
		}

		// ---- pipeline

		private void pipeline(Node value) {
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof MappingNode map)) {
				error(value, "'pipeline' must be a map with inputs, filters and outputs");
				return;
			}
			for (NodeTuple tuple : map.getValue()) {
				String key = key(tuple);
				if (key == null) {
					continue;
				}
				switch (key.toLowerCase(Locale.ROOT)) {
					case "inputs" -> sectionList(key, tuple.getValueNode(), "input");
					case "filters" -> sectionList(key, tuple.getValueNode(), "filter");
					case "outputs" -> sectionList(key, tuple.getValueNode(), "output");
					case "customs" -> sectionList(key, tuple.getValueNode(), "custom");
					default -> error(tuple.getKeyNode(), "the pipeline component '" + key
							+ "' is not valid. Try one of these values: customs, inputs, filters or outputs.");
				}
			}
		}

		/** A list of maps, each one section of {@code type}. */
		private void sectionList(String what, Node value, String type) {
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof SequenceNode list)) {
				error(value, "'" + what + "' must be a list");
				return;
			}
			for (Node item : list.getValue()) {
				if (!(item instanceof MappingNode map)) {
					error(item, "each entry of '" + what + "' must be a map");
					continue;
				}
				ConfigSection section = new ConfigSection(type, origin(item));
				this.document.sections().add(section);
				Place place = switch (type) {
					case "input", "filter", "output", "custom" -> Place.PLUGIN;
					case "multiline_parser" -> Place.MULTILINE_PARSER;
					default -> Place.PLAIN;
				};
				fill(section, map, place);
				requireName(section, what);
			}
		}

		private void requireName(ConfigSection section, String what) {
			String name = section.get("name");
			if (SectionTypes.NAMED.contains(section.type()) && (name == null || name.isBlank())) {
				error(section.origin(), "missing 'name' in an entry of '" + what + "'");
			}
		}

		// ---- plugins, upstream servers

		private void plugins(Node keyNode, Node value) {
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof SequenceNode list)) {
				error(value, "'plugins' must be a list of plugin paths");
				return;
			}
			ConfigSection section = new ConfigSection("plugins", origin(keyNode));
			this.document.sections().add(section);
			for (Node item : list.getValue()) {
				if (item instanceof ScalarNode scalar) {
					section.add("path", scalar.getValue(), origin(item));
				}
				else {
					error(item, "'plugins' must be a list of plugin paths");
				}
			}
		}

		private void upstreamServers(Node value) {
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof SequenceNode list)) {
				error(value, "'upstream_servers' must be a list");
				return;
			}
			for (Node item : list.getValue()) {
				if (!(item instanceof MappingNode map)) {
					error(item, "each entry of 'upstream_servers' must be a map");
					continue;
				}
				ConfigSection upstream = new ConfigSection("upstream", origin(item));
				this.document.sections().add(upstream);
				Node nodes = null;
				List<NodeTuple> rest = new ArrayList<>();
				for (NodeTuple tuple : map.getValue()) {
					String key = key(tuple);
					if ("nodes".equalsIgnoreCase(key)) {
						nodes = tuple.getValueNode();
					}
					else if (key != null) {
						rest.add(tuple);
					}
				}
				fill(upstream, new MappingNode(map.getTag(), rest, map.getFlowStyle()), Place.PLAIN);
				if (nodes == null || isNull(nodes)) {
					continue;
				}
				if (!(nodes instanceof SequenceNode nodeList)) {
					error(nodes, "'nodes' must be a list");
					continue;
				}
				for (Node n : nodeList.getValue()) {
					if (!(n instanceof MappingNode nodeMap)) {
						error(n, "each entry of 'nodes' must be a map");
						continue;
					}
					ConfigSection node = new ConfigSection("node", origin(n));
					this.document.sections().add(node);
					fill(node, nodeMap, Place.PLAIN);
				}
			}
		}

		// ---- section content

		/** Where a map's entries are read: what nested values are allowed there. */
		private enum Place {

			/** Only scalars and lists of scalars. */
			PLAIN,
			/** A plugin: also {@code processors} and {@code routes}. */
			PLUGIN,
			/** A multiline parser: also {@code rules}. */
			MULTILINE_PARSER,
			/** Inside a processor or route entry: anything, flattened. */
			VARIANT

		}

		private void fill(ConfigSection section, MappingNode map, Place place) {
			for (NodeTuple tuple : map.getValue()) {
				String raw = key(tuple);
				if (raw == null) {
					continue;
				}
				String key = normalizeKey(raw);
				Node value = tuple.getValueNode();
				Origin origin = origin(tuple.getKeyNode());
				String lower = key.toLowerCase(Locale.ROOT);
				if (place == Place.PLUGIN && lower.equals("processors")) {
					processors(section, value);
				}
				else if (place == Place.PLUGIN && lower.equals("routes")) {
					flatten(section, key, value, origin);
				}
				else if (place == Place.MULTILINE_PARSER && lower.equals("rules")) {
					rules(section, value);
				}
				else if (place == Place.VARIANT) {
					flatten(section, key, value, origin);
				}
				else if (value instanceof ScalarNode scalar) {
					section.add(key, scalar.getValue(), origin);
				}
				else if (value instanceof SequenceNode list && allScalars(list)) {
					for (Node item : list.getValue()) {
						section.add(key, ((ScalarNode) item).getValue(), origin);
					}
				}
				else {
					error(tuple.getKeyNode(), VARIANT_ERROR + " (key '" + raw + "')");
				}
			}
		}

		private void processors(ConfigSection plugin, Node value) {
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof MappingNode map)) {
				error(value, "'processors' must be a map with 'logs', 'metrics' or 'traces' lists");
				return;
			}
			for (NodeTuple tuple : map.getValue()) {
				String signal = key(tuple);
				if (signal == null) {
					continue;
				}
				String lower = signal.toLowerCase(Locale.ROOT);
				if (!lower.equals("logs") && !lower.equals("metrics") && !lower.equals("traces")) {
					error(tuple.getKeyNode(), "unknown processor type '" + signal + "': use logs, metrics or traces");
					continue;
				}
				Node list = tuple.getValueNode();
				if (isNull(list)) {
					continue;
				}
				if (!(list instanceof SequenceNode entries)) {
					error(list, "processors '" + signal + "' must be a list");
					continue;
				}
				for (Node item : entries.getValue()) {
					if (!(item instanceof MappingNode entry)) {
						error(item, "each processor must be a map with a 'name'");
						continue;
					}
					ConfigSection processor = new ConfigSection("processor", origin(item));
					plugin.addChild("processors." + lower, processor);
					fill(processor, entry, Place.VARIANT);
					requireName(processor, "processors." + lower);
				}
			}
		}

		private void rules(ConfigSection parser, Node value) {
			if (isNull(value)) {
				return;
			}
			if (!(value instanceof SequenceNode list)) {
				error(value, "'rules' must be a list of {state, regex, next_state}");
				return;
			}
			for (Node item : list.getValue()) {
				if (!(item instanceof MappingNode map)) {
					error(item, "each rule must be a map with 'state', 'regex' and 'next_state'");
					continue;
				}
				ConfigSection rule = new ConfigSection("rule", origin(item));
				parser.addChild("rules", rule);
				fill(rule, map, Place.PLAIN);
				String state = rule.get("state");
				String regex = rule.get("regex");
				String next = rule.get("next_state");
				if (state == null || regex == null || next == null) {
					error(item, "a multiline parser rule needs 'state', 'regex' and 'next_state'");
					continue;
				}
				parser.add("rule", quote(state) + " " + quote(regex) + " " + quote(next), origin(item));
			}
		}

		private static String quote(String field) {
			return "\"" + field.replace("\"", "\\\"") + "\"";
		}

		/** Nested values of a route or processor: dotted keys, repeated keys and child sections. */
		private void flatten(ConfigSection target, String path, Node value, Origin origin) {
			if (value instanceof ScalarNode scalar) {
				target.add(path, scalar.getValue(), origin);
			}
			else if (value instanceof MappingNode map) {
				for (NodeTuple tuple : map.getValue()) {
					String key = key(tuple);
					if (key != null) {
						flatten(target, path + "." + normalizeKey(key), tuple.getValueNode(), origin(tuple.getKeyNode()));
					}
				}
			}
			else if (value instanceof SequenceNode list) {
				for (Node item : list.getValue()) {
					if (item instanceof ScalarNode scalar) {
						target.add(path, scalar.getValue(), origin);
					}
					else if (item instanceof MappingNode map) {
						ConfigSection child = new ConfigSection(childType(path), origin(item));
						target.addChild(path, child);
						fill(child, map, Place.VARIANT);
					}
					else {
						error(item, "nested lists are not supported (key '" + path + "')");
					}
				}
			}
		}

		private static String childType(String path) {
			if (path.equals("routes") || path.startsWith("routes.")) {
				return "route";
			}
			String last = path.substring(path.lastIndexOf('.') + 1);
			return (last.length() > 1 && last.endsWith("s")) ? last.substring(0, last.length() - 1) : last;
		}

		// ---- node helpers

		private String key(NodeTuple tuple) {
			Node k = tuple.getKeyNode();
			if (k instanceof ScalarNode scalar) {
				return scalar.getValue();
			}
			error(k, "a key must be a plain value");
			return null;
		}

		private String scalar(NodeTuple tuple, String what) {
			if (tuple.getValueNode() instanceof ScalarNode scalar) {
				return scalar.getValue();
			}
			error(tuple.getValueNode(), "'" + what + "' values must be plain values");
			return null;
		}

		private static boolean allScalars(SequenceNode list) {
			for (Node item : list.getValue()) {
				if (!(item instanceof ScalarNode)) {
					return false;
				}
			}
			return true;
		}

		/** An absent value: {@code key:} with nothing, or {@code ~} / {@code null}. */
		private static boolean isNull(Node node) {
			return node == null || (node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue())
					&& (scalar.getValue().isEmpty() || scalar.getValue().equals("~") || scalar.getValue().equalsIgnoreCase("null")));
		}

		private Origin origin(Node node) {
			return new Origin(this.fileName, node.getStartMark().getLine() + 1);
		}

		private void error(Node at, String message) {
			error(origin(at), message);
		}

		private void error(Origin at, String message) {
			this.errors.add(new ConfigError(at, message));
		}

	}

}
