package dev.sluice.plugins.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.event.LogEvent;
import dev.sluice.event.RecordAccessor;
import dev.sluice.parser.Regex;

/**
 * A YAML {@code condition} block, as conditional routes and conditional processors use it:
 * {@code op} ({@code and}, the default, or {@code or}) over {@code rules}, each a record-accessor
 * {@code field}, a comparison {@code op} and a {@code value} (a list for {@code in}/{@code not_in}),
 * looked up in the record body or, with {@code context: metadata}, in the event metadata. A route's
 * condition may instead be {@code default: true}.
 *
 * <p>Comparisons: {@code eq}/{@code neq} compare a string field with the value as a string, a
 * number with the value as a number, a boolean with {@code true}/{@code false}; {@code gt},
 * {@code lt}, {@code gte}, {@code lte} are numeric (a numeric string field counts; anything else
 * never matches); {@code regex}/{@code not_regex} search a string (or number) field with an Onigmo
 * regex; {@code in}/{@code not_in} compare as {@code eq} with each value. A missing field makes
 * every rule false (so {@code neq}, {@code not_regex} and {@code not_in} need the field to exist).
 *
 * @param or whether the rules are combined with {@code or}
 * @param isDefault {@code default: true}
 * @param rules the rules in order
 */
public record Condition(boolean or, boolean isDefault, List<Rule> rules) {

	/** Contexts a rule may read. */
	static final List<String> CONTEXTS = List.of("body", "metadata");

	static final List<String> OPS = List.of("eq", "neq", "gt", "lt", "gte", "lte", "regex", "not_regex", "in",
			"not_in");

	/**
	 * One rule.
	 *
	 * @param field the record accessor
	 * @param op the comparison
	 * @param values the value (one) or values ({@code in}, {@code not_in})
	 * @param metadata whether the field is read from the metadata
	 * @param regex the compiled value for {@code regex}/{@code not_regex}
	 * @param number the value as a number, or null
	 */
	public record Rule(RecordAccessor field, String op, List<String> values, boolean metadata, Regex regex,
			Double number) {

		boolean matches(LogEvent e) {
			Map<String, ?> where = this.metadata ? e.metadata() : e.body();
			if (where == null || !this.field.exists(where)) {
				return false;
			}
			Object v = this.field.get(where);
			return switch (this.op) {
				case "eq" -> equal(v, this.values.get(0));
				case "neq" -> !equal(v, this.values.get(0));
				case "gt", "lt", "gte", "lte" -> compare(v);
				case "regex" -> text(v) != null && this.regex.find(text(v));
				case "not_regex" -> text(v) != null && !this.regex.find(text(v));
				case "in" -> in(v);
				case "not_in" -> !in(v);
				default -> false;
			};
		}

		private boolean in(Object v) {
			for (String s : this.values) {
				if (equal(v, s)) {
					return true;
				}
			}
			return false;
		}

		private boolean compare(Object v) {
			Double a = Condition.number(v);
			if (a == null || this.number == null) {
				return false;
			}
			int c = Double.compare(a, this.number);
			return switch (this.op) {
				case "gt" -> c > 0;
				case "lt" -> c < 0;
				case "gte" -> c >= 0;
				default -> c <= 0;
			};
		}
	}

	/** Whether the event meets the condition ({@code default} alone never does: routes handle it). */
	public boolean matches(LogEvent e) {
		if (this.rules.isEmpty()) {
			return false;
		}
		for (Rule r : this.rules) {
			boolean m = r.matches(e);
			if (this.or && m) {
				return true;
			}
			if (!this.or && !m) {
				return false;
			}
		}
		return !this.or;
	}

	static boolean equal(Object v, String value) {
		return switch (v) {
			case null -> false;
			case String s -> s.equals(value);
			case byte[] b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).equals(value);
			case Boolean b -> b.toString().equals(value.strip().toLowerCase(Locale.ROOT));
			case Number n -> {
				Double d = parse(value);
				yield d != null && d.doubleValue() == n.doubleValue();
			}
			default -> false;
		};
	}

	static String text(Object v) {
		return switch (v) {
			case String s -> s;
			case byte[] b -> new String(b, java.nio.charset.StandardCharsets.UTF_8);
			case Long l -> l.toString();
			case Double d -> d.toString();
			case Boolean b -> b.toString();
			case null, default -> null;
		};
	}

	static Double number(Object v) {
		return switch (v) {
			case Number n -> n.doubleValue();
			case String s -> parse(s);
			case null, default -> null;
		};
	}

	static Double parse(String s) {
		if (s == null) {
			return null;
		}
		try {
			return Double.valueOf(s.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Reads the {@code condition.*} properties and {@code condition.rules} children of a route or
	 * processor section; returns null when it has none. Problems go to {@code errors} with their
	 * file and line.
	 */
	public static Condition read(ConfigSection s, List<ConfigError> errors) {
		ConfigProperty opProp = s.property("condition.op");
		ConfigProperty defProp = s.property("condition.default");
		List<ConfigSection> ruleSections = s.children().getOrDefault("condition.rules", List.of());
		if (opProp == null && defProp == null && ruleSections.isEmpty()) {
			return null;
		}
		for (ConfigProperty p : s.properties()) {
			if (p.name().startsWith("condition.") && !p.name().equals("condition.op")
					&& !p.name().equals("condition.default")) {
				errors.add(new ConfigError(p.origin(), "unknown condition property '" + p.name() + "'"));
			}
		}
		boolean or = false;
		if (opProp != null) {
			String op = opProp.value().strip().toLowerCase(Locale.ROOT);
			if (op.equals("or")) {
				or = true;
			}
			else if (!op.equals("and")) {
				errors.add(new ConfigError(opProp.origin(), "invalid condition op '" + opProp.value()
						+ "' (expected 'and' or 'or')"));
			}
		}
		boolean isDefault = false;
		if (defProp != null) {
			String v = defProp.value().strip().toLowerCase(Locale.ROOT);
			if (v.equals("true") || v.equals("on") || v.equals("yes")) {
				isDefault = true;
			}
			else if (!(v.equals("false") || v.equals("off") || v.equals("no"))) {
				errors.add(new ConfigError(defProp.origin(), "invalid value for boolean property 'condition.default="
						+ defProp.value() + "'"));
			}
		}
		List<Rule> rules = new ArrayList<>();
		for (ConfigSection r : ruleSections) {
			Rule rule = readRule(r, errors);
			if (rule != null) {
				rules.add(rule);
			}
		}
		return new Condition(or, isDefault, List.copyOf(rules));
	}

	private static Rule readRule(ConfigSection r, List<ConfigError> errors) {
		Origin at = r.origin();
		for (ConfigProperty p : r.properties()) {
			if (!List.of("field", "op", "value", "context").contains(p.name())) {
				errors.add(new ConfigError(p.origin(), "unknown condition rule property '" + p.name() + "'"));
			}
		}
		String fieldText = r.get("field");
		ConfigProperty opProp = r.property("op");
		List<String> values = r.getAll("value");
		if (fieldText == null || fieldText.isBlank()) {
			errors.add(new ConfigError(at, "condition rule has no 'field'"));
			return null;
		}
		if (opProp == null) {
			errors.add(new ConfigError(at, "condition rule has no 'op'"));
			return null;
		}
		String op = opProp.value().strip().toLowerCase(Locale.ROOT);
		if (!OPS.contains(op)) {
			errors.add(new ConfigError(opProp.origin(), "invalid condition rule op '" + opProp.value()
					+ "' (expected one of " + String.join(", ", OPS) + ")"));
			return null;
		}
		if (values.isEmpty()) {
			errors.add(new ConfigError(at, "condition rule has no 'value'"));
			return null;
		}
		RecordAccessor field;
		try {
			field = RecordAccessor.parse(fieldText.strip().startsWith("$") ? fieldText.strip() : "$" + fieldText.strip());
		}
		catch (IllegalArgumentException ex) {
			errors.add(new ConfigError(r.property("field").origin(), "invalid condition rule field '" + fieldText
					+ "': " + ex.getMessage()));
			return null;
		}
		boolean metadata = false;
		ConfigProperty ctx = r.property("context");
		if (ctx != null) {
			String c = ctx.value().strip().toLowerCase(Locale.ROOT);
			if (c.equals("metadata")) {
				metadata = true;
			}
			else if (!c.equals("body")) {
				errors.add(new ConfigError(ctx.origin(), "condition rule context '" + ctx.value()
						+ "' is not supported (Sluice supports: body, metadata)"));
				return null;
			}
		}
		Regex regex = null;
		if (op.equals("regex") || op.equals("not_regex")) {
			try {
				regex = Regex.compile(values.get(0));
			}
			catch (IllegalArgumentException ex) {
				errors.add(new ConfigError(r.property("value").origin(), "invalid condition rule regex '"
						+ values.get(0) + "': " + ex.getMessage()));
				return null;
			}
		}
		return new Rule(field, op, List.copyOf(values), metadata, regex, parse(values.get(0)));
	}
}
