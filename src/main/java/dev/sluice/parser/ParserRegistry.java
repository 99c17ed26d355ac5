package dev.sluice.parser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.config.ClassicConfigReader;
import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.parser.multiline.MultilineParser;

/**
 * The parsers and multiline parsers a pipeline knows, by name (case-sensitive, as Fluent Bit's
 * {@code flb_parser_get}): the built-in multiline parsers ({@code docker}, {@code cri},
 * {@code go}, {@code python}, {@code java}, {@code ruby}) plus every {@code [PARSER]} and
 * {@code [MULTILINE_PARSER]} from the parsers files and the main document (YAML {@code parsers:}
 * and {@code multiline_parsers:}). Built once per pipeline generation, read-only afterwards;
 * thread-safe to read.
 */
public final class ParserRegistry {

	private final Map<String, Parser> parsers = new LinkedHashMap<>();

	private final Map<String, MultilineParser> multiline = new LinkedHashMap<>();

	private ParserRegistry() {
		for (MultilineParser p : MultilineParser.builtins()) {
			this.multiline.put(p.name(), p);
		}
	}

	/** Only the built-in multiline parsers. */
	public static ParserRegistry builtin() {
		return new ParserRegistry();
	}

	/** The built-ins plus Fluent Bit's stock {@code parsers.conf} ({@link StockParsers}). */
	public static ParserRegistry stock() {
		ParserRegistry r = new ParserRegistry();
		ConfigDocument doc = new ClassicConfigReader(Map.of()).readParsersFile(StockParsers.CONTENT,
				StockParsers.FILE_NAME);
		r.addAll(List.of(doc));
		return r;
	}

	/**
	 * A registry for a configuration: the parser sections of the main document and of each parsers
	 * file. A relative file name is used as given when it exists, else against the main file's
	 * directory (Fluent Bit's {@code conf_path}).
	 * @throws ConfigException with every error found
	 */
	public static ParserRegistry load(ConfigDocument main, List<String> parsersFiles, ConfigLoader loader) {
		List<ConfigError> errors = new ArrayList<>();
		List<ConfigDocument> docs = new ArrayList<>();
		docs.add(main);
		for (String f : (parsersFiles != null) ? parsersFiles : List.<String>of()) {
			Path p = Path.of(f);
			if (!Files.exists(p) && !p.isAbsolute() && main.mainFile() != null
					&& main.mainFile().toAbsolutePath().getParent() != null) {
				p = main.mainFile().toAbsolutePath().getParent().resolve(f);
			}
			try {
				docs.add(loader.loadParsersFile(p, main.variables()));
			}
			catch (ConfigException ex) {
				errors.addAll(ex.errors());
			}
		}
		ParserRegistry r = new ParserRegistry();
		errors.addAll(r.addAll(docs));
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		return r;
	}

	/** Builds from documents holding parser sections; throws with every error. */
	public static ParserRegistry of(ConfigDocument... docs) {
		ParserRegistry r = new ParserRegistry();
		List<ConfigError> errors = r.addAll(List.of(docs));
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		return r;
	}

	/**
	 * Adds the parser sections of the documents (all {@code parser} sections first, then the
	 * {@code multiline_parser} ones, which may name parsers from any document). Returns errors.
	 */
	private List<ConfigError> addAll(List<ConfigDocument> docs) {
		List<ConfigError> errors = new ArrayList<>();
		for (ConfigDocument d : docs) {
			for (ConfigSection s : d.sections("parser")) {
				ParserDefinition def = ParserDefinition.fromSection(s, errors);
				if (def == null) {
					continue;
				}
				if (this.parsers.containsKey(def.name())) {
					ConfigProperty np = s.property("name");
					errors.add(new ConfigError((np != null) ? np.origin() : s.origin(),
							"[parser] parser named '" + def.name() + "' already exists"));
					continue;
				}
				this.parsers.put(def.name(), Parser.create(def));
			}
		}
		for (ConfigDocument d : docs) {
			for (ConfigSection s : d.sections("multiline_parser")) {
				MultilineParser mp = MultilineParser.fromSection(s, this.parsers::get, errors);
				if (mp == null) {
					continue;
				}
				if (this.multiline.containsKey(mp.name())) {
					ConfigProperty np = s.property("name");
					errors.add(new ConfigError((np != null) ? np.origin() : s.origin(),
							"[multiline_parser] multiline parser named '" + mp.name() + "' already exists"));
					continue;
				}
				this.multiline.put(mp.name(), mp);
			}
		}
		return errors;
	}

	/** Adds a compiled parser (for code and tests). */
	public ParserRegistry add(Parser p) {
		if (this.parsers.putIfAbsent(p.name(), p) != null) {
			throw new ConfigException(p.definition().origin(), "[parser] parser named '" + p.name() + "' already exists");
		}
		return this;
	}

	/** Adds a multiline parser (for code and tests). */
	public ParserRegistry add(MultilineParser p) {
		if (this.multiline.putIfAbsent(p.name(), p) != null) {
			throw new ConfigException(Origin.DEFAULT, "multiline parser named '" + p.name() + "' already exists");
		}
		return this;
	}

	/** A parser by name, or null. */
	public Parser parser(String name) {
		return this.parsers.get(name);
	}

	/** A multiline parser by name, or null. */
	public MultilineParser multilineParser(String name) {
		return this.multiline.get(name);
	}

	public Collection<Parser> parsers() {
		return this.parsers.values();
	}

	public Collection<MultilineParser> multilineParsers() {
		return this.multiline.values();
	}
}
