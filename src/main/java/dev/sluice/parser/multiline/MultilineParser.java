package dev.sluice.parser.multiline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.parser.Parser;
import dev.sluice.parser.ParserDefinition;

/**
 * A multiline parser ({@code [MULTILINE_PARSER]}, YAML {@code multiline_parsers:}, or built-in):
 * how lines are grouped. Immutable; {@link #withKeyContent} makes the per-user instance a plugin
 * uses (Fluent Bit's {@code flb_ml_parser_instance_set}).
 *
 * @param name the name
 * @param type regex, endswith or equal
 * @param matchString for endswith / equal
 * @param negate invert the endswith / equal match
 * @param flushTimeoutMillis {@code flush_timeout}
 * @param keyContent the field holding the text (null: the raw line, field {@code log} on output)
 * @param keyPattern the field tested by endswith / equal instead of the content
 * @param keyGroup the field separating groups within a stream (e.g. {@code stream})
 * @param parser parses the text into a record first, or null
 * @param rules regex rules, linked
 * @param origin where it was defined
 */
public record MultilineParser(String name, Type type, byte[] matchString, boolean negate, int flushTimeoutMillis,
		String keyContent, String keyPattern, String keyGroup, Parser parser, List<MultilineRule> rules,
		Origin origin) {

	/** Fluent Bit's {@code FLB_ML_FLUSH_TIMEOUT}. */
	public static final int DEFAULT_FLUSH_TIMEOUT_MILLIS = 4000;

	/** Multiline types. */
	public enum Type {
		REGEX, ENDSWITH, EQUAL
	}

	/** The keys a multiline parser section may have. */
	public static final Set<String> KEYS = Set.of("name", "type", "match_string", "negate", "key_content",
			"key_pattern", "key_group", "parser", "flush_timeout", "rule");

	public MultilineParser {
		rules = List.copyOf(rules);
	}

	/** The same parser reading its text from another field. */
	public MultilineParser withKeyContent(String key) {
		return new MultilineParser(this.name, this.type, this.matchString, this.negate, this.flushTimeoutMillis, key,
				this.keyPattern, this.keyGroup, this.parser, this.rules, this.origin);
	}

	/** The rules that may start a group. */
	List<MultilineRule> startRules() {
		return this.rules.stream().filter(MultilineRule::isStartState).toList();
	}

	/**
	 * Builds a regex parser from rules given as {@code {from, regex, to}} triples.
	 * @throws IllegalArgumentException when a rule is invalid or a to-state is not registered
	 */
	public static MultilineParser regex(String name, int flushMillis, String keyContent, String[]... rules) {
		List<MultilineRule> list = new ArrayList<>();
		for (String[] r : rules) {
			list.add(new MultilineRule(r[0], r[1], r[2]));
		}
		MultilineRule.link(list);
		return new MultilineParser(name, Type.REGEX, null, false, flushMillis, keyContent, null, null, null, list,
				Origin.DEFAULT);
	}

	/** The built-in multiline parsers: docker, cri, go, python, java, ruby. */
	public static List<MultilineParser> builtins() {
		List<MultilineParser> l = new ArrayList<>();
		ParserDefinition docker = ParserDefinition.of("_ml_json_docker", ParserDefinition.Format.JSON, null)
			.withTime("time", "%Y-%m-%dT%H:%M:%S.%L", true, false);
		l.add(new MultilineParser("docker", Type.ENDSWITH, "\n".getBytes(StandardCharsets.UTF_8), false,
				DEFAULT_FLUSH_TIMEOUT_MILLIS, "log", null, "stream", Parser.create(docker), List.of(), Origin.DEFAULT));
		ParserDefinition cri = ParserDefinition
			.of("_ml_cri", ParserDefinition.Format.REGEX, "^(?<time>.+?) (?<stream>stdout|stderr) (?<_p>F|P) (?<log>.*)$")
			.withTime("time", "%Y-%m-%dT%H:%M:%S.%L%z", true, false)
			.withSkipEmptyValues(false);
		l.add(new MultilineParser("cri", Type.EQUAL, "F".getBytes(StandardCharsets.UTF_8), false,
				DEFAULT_FLUSH_TIMEOUT_MILLIS, "log", "_p", "stream", Parser.create(cri), List.of(), Origin.DEFAULT));
		l.add(regex("go", DEFAULT_FLUSH_TIMEOUT_MILLIS, null,
				new String[] { "start_state", "/\\bpanic: /", "go_after_panic" },
				new String[] { "start_state", "/http: panic serving/", "go_goroutine" },
				new String[] { "go_after_panic", "/^$/", "go_goroutine" },
				new String[] { "go_after_panic, go_after_signal, go_frame_1", "/^$/", "go_goroutine" },
				new String[] { "go_after_panic", "/^\\[signal /", "go_after_signal" },
				new String[] { "go_goroutine", "/^goroutine \\d+ \\[[^\\]]+\\]:$/", "go_frame_1" },
				new String[] { "go_frame_1", "/^(?:[^\\s.:]+\\.)*[^\\s.():]+\\(|^created by /", "go_frame_2" },
				new String[] { "go_frame_2", "/^\\s/", "go_frame_1" }));
		l.add(regex("python", DEFAULT_FLUSH_TIMEOUT_MILLIS, null,
				new String[] { "start_state", "/^Traceback \\(most recent call last\\):$/", "python" },
				new String[] { "python", "/^[\\t ]+File /", "python_code" },
				new String[] { "python_code", "/[^\\t ]/", "python" },
				new String[] { "python", "/^(?:[^\\s.():]+\\.)*[^\\s.():]+:/", "start_state" }));
		l.add(regex("java", DEFAULT_FLUSH_TIMEOUT_MILLIS, null,
				new String[] { "start_state, java_start_exception",
						"/(.)(?:Exception|Error|Throwable|V8 errors stack trace)[:\\r\\n]/", "java_after_exception" },
				new String[] { "java_after_exception", "/^[\\t ]*nested exception is:[\\t ]*/", "java_start_exception" },
				new String[] { "java_after_exception", "/^[\\r\\n]*$/", "java_after_exception" },
				new String[] { "java_after_exception, java", "/^[\\t ]+(?:eval )?at /", "java" },
				new String[] { "java_after_exception, java", "/^[\\t ]+--- End of inner exception stack trace ---$/",
						"java" },
				new String[] { "java_after_exception, java",
						"/^--- End of stack trace from previous (?x:)location where exception was thrown ---$/", "java" },
				new String[] { "java_after_exception, java", "/^[\\t ]*(?:Caused by|Suppressed):/",
						"java_after_exception" },
				new String[] { "java_after_exception, java", "/^[\\t ]*... \\d+ (?:more|common frames omitted)/",
						"java" }));
		l.add(regex("ruby", DEFAULT_FLUSH_TIMEOUT_MILLIS, null,
				new String[] { "start_state, ruby_start_exception", "/^.+:\\d+:in\\s+.*/", "ruby_after_exception" },
				new String[] { "ruby_after_exception, ruby", "/^\\s+from\\s+.*:\\d+:in\\s+.*/", "ruby" }));
		return l;
	}

	/**
	 * Reads a {@code multiline_parser} section; parsers named by {@code parser} are looked up with
	 * {@code parsers}. Adds problems to {@code errors}; returns null when unusable.
	 */
	public static MultilineParser fromSection(ConfigSection s, Function<String, Parser> parsers,
			List<ConfigError> errors) {
		int before = errors.size();
		for (ConfigProperty p : s.properties()) {
			if (!KEYS.contains(p.name())) {
				errors.add(new ConfigError(p.origin(), "multiline_parser: unknown configuration property '" + p.key()
						+ "'. The following properties are allowed: name, type, match_string, negate, key_content, "
						+ "key_pattern, key_group, parser, flush_timeout, and rule."));
			}
		}
		String name = value(s, "name");
		String where = (name != null) ? "[multiline parser: " + name + "] " : "[multiline_parser] ";
		if (name == null) {
			errors.add(new ConfigError(s.origin(), "[multiline_parser] no 'name' defined"));
		}
		String typeText = value(s, "type");
		Type type = null;
		if (typeText == null) {
			errors.add(new ConfigError(s.origin(), where + "no 'type' defined"));
		}
		else {
			type = switch (typeText.toLowerCase(Locale.ROOT)) {
				case "regex" -> Type.REGEX;
				case "endswith" -> Type.ENDSWITH;
				case "equal", "eq" -> Type.EQUAL;
				default -> null;
			};
			if (type == null) {
				errors.add(new ConfigError(origin(s, "type"), where + "invalid type '" + typeText + "'"));
			}
		}
		String match = value(s, "match_string");
		if ((type == Type.ENDSWITH || type == Type.EQUAL) && match == null) {
			errors.add(new ConfigError(s.origin(), where + "'match_string' is required for type '" + typeText + "'"));
		}
		boolean negate = false;
		String neg = value(s, "negate");
		if (neg != null) {
			switch (neg.toLowerCase(Locale.ROOT)) {
				case "true", "on", "yes" -> negate = true;
				case "false", "off", "no" -> negate = false;
				default -> errors.add(new ConfigError(origin(s, "negate"),
						where + "invalid value for boolean property 'negate=" + neg + "'"));
			}
		}
		int flush = DEFAULT_FLUSH_TIMEOUT_MILLIS;
		String ft = value(s, "flush_timeout");
		if (ft != null) {
			try {
				flush = Integer.parseInt(ft.strip());
			}
			catch (NumberFormatException ex) {
				errors.add(new ConfigError(origin(s, "flush_timeout"), where + "invalid flush_timeout '" + ft
						+ "' (milliseconds expected)"));
			}
			if (flush <= 0) {
				flush = DEFAULT_FLUSH_TIMEOUT_MILLIS;
			}
		}
		Parser parser = null;
		String parserName = value(s, "parser");
		if (parserName != null) {
			parser = parsers.apply(parserName);
			if (parser == null) {
				errors.add(new ConfigError(origin(s, "parser"), "multiline parser '" + name
						+ "' points to an undefined parser '" + parserName + "'"));
			}
		}
		List<MultilineRule> rules = new ArrayList<>();
		if (type == Type.REGEX) {
			List<ConfigSection> groups = s.children().getOrDefault("rules", List.of());
			if (!groups.isEmpty()) {
				for (ConfigSection g : groups) {
					addRule(rules, g.get("state"), g.get("regex"), g.get("next_state"), g.origin(), where, errors);
				}
			}
			else {
				for (ConfigProperty p : s.properties()) {
					if (!p.name().equals("rule")) {
						continue;
					}
					List<String> tokens = tokens(p.value());
					if (tokens.size() < 2) {
						errors.add(new ConfigError(p.origin(), where + "a rule needs \"from_state\" \"regex\" [\"to_state\"]"));
						continue;
					}
					addRule(rules, tokens.get(0), tokens.get(1), (tokens.size() > 2) ? tokens.get(2) : null, p.origin(),
							where, errors);
				}
			}
			if (rules.isEmpty() && errors.size() == before) {
				errors.add(new ConfigError(s.origin(), where + "a regex multiline parser needs at least one rule"));
			}
			try {
				MultilineRule.link(rules);
			}
			catch (IllegalArgumentException ex) {
				errors.add(new ConfigError(s.origin(), where + ex.getMessage()
						+ "; invalid mapping rules, check the states"));
			}
		}
		if (errors.size() > before) {
			return null;
		}
		return new MultilineParser(name, type, (match != null) ? match.getBytes(StandardCharsets.UTF_8) : null, negate,
				flush, value(s, "key_content"), value(s, "key_pattern"), value(s, "key_group"), parser, rules,
				s.origin());
	}

	private static void addRule(List<MultilineRule> rules, String from, String regex, String to, Origin origin,
			String where, List<ConfigError> errors) {
		if (from == null || regex == null) {
			errors.add(new ConfigError(origin, where + "a rule needs 'state' and 'regex'"));
			return;
		}
		try {
			rules.add(new MultilineRule(from, regex, to));
		}
		catch (IllegalArgumentException ex) {
			errors.add(new ConfigError(origin, where + "error creating rule: " + ex.getMessage()));
		}
	}

	/** Fluent Bit's {@code flb_slist_split_tokens}: space-separated, double quotes group. */
	static List<String> tokens(String s) {
		List<String> out = new ArrayList<>();
		int i = 0;
		int n = s.length();
		while (i < n) {
			while (i < n && Character.isWhitespace(s.charAt(i))) {
				i++;
			}
			if (i >= n) {
				break;
			}
			StringBuilder sb = new StringBuilder();
			if (s.charAt(i) == '"') {
				i++;
				while (i < n && s.charAt(i) != '"') {
					if (s.charAt(i) == '\\' && i + 1 < n && s.charAt(i + 1) == '"') {
						sb.append('"');
						i += 2;
						continue;
					}
					sb.append(s.charAt(i++));
				}
				i++;
			}
			else {
				while (i < n && !Character.isWhitespace(s.charAt(i))) {
					sb.append(s.charAt(i++));
				}
			}
			out.add(sb.toString());
		}
		return out;
	}

	private static String value(ConfigSection s, String key) {
		String v = s.get(key);
		return (v == null || v.isEmpty()) ? null : v;
	}

	private static Origin origin(ConfigSection s, String key) {
		ConfigProperty p = s.property(key);
		return (p != null) ? p.origin() : s.origin();
	}

	@Override
	public String toString() {
		return "multiline parser " + this.name + " (" + this.type.name().toLowerCase(Locale.ROOT) + ")";
	}
}
