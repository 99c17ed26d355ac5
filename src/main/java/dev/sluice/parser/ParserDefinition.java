package dev.sluice.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;

/**
 * One {@code [PARSER]} section (or YAML {@code parsers:} entry), validated: every key Fluent Bit
 * 5.1 reads. Fluent Bit itself ignores keys it does not know; Sluice reports them (and values it
 * cannot use) as configuration errors naming the file and line.
 *
 * @param name {@code Name}
 * @param format {@code Format}
 * @param regex {@code Regex} (format regex)
 * @param timeKey {@code Time_Key} (null: {@code time})
 * @param timeFormat {@code Time_Format} (null: no time lookup)
 * @param timeKeep {@code Time_Keep}, default off
 * @param timeOffset {@code Time_Offset} or null
 * @param timeZone {@code Time_Zone} (IANA) or null
 * @param timeSystemTimezone {@code Time_System_Timezone}, default off
 * @param timeStrict {@code Time_Strict}, default on
 * @param types {@code Types}
 * @param skipEmptyValues {@code Skip_Empty_Values}, default on
 * @param decoders {@code Decode_Field} / {@code Decode_Field_As} rules in order
 * @param logfmtNoBareKeys {@code logfmt_no_bare_keys}, default off
 * @param origin where it was defined
 */
public record ParserDefinition(String name, Format format, String regex, String timeKey, String timeFormat,
		boolean timeKeep, String timeOffset, String timeZone, boolean timeSystemTimezone, boolean timeStrict,
		List<TypeRule> types, boolean skipEmptyValues, List<DecoderRule> decoders, boolean logfmtNoBareKeys,
		Origin origin) {

	/** Parser formats. */
	public enum Format {
		JSON, REGEX, LTSV, LOGFMT, TSKV
	}

	/** {@code Types} target types. */
	public enum ValueType {
		STRING, INTEGER, FLOAT, BOOL, HEX
	}

	/** One {@code key:type} of {@code Types}. */
	public record TypeRule(String key, ValueType type) {
	}

	/** Decoder backends. */
	public enum Backend {
		JSON, ESCAPED, ESCAPED_UTF8, MYSQL_QUOTED
	}

	/** What a decoder rule does after it ran. */
	public enum Action {
		NONE, TRY_NEXT, DO_NEXT
	}

	/**
	 * One {@code Decode_Field[_As] <backend> <field> [action]} rule.
	 * @param as {@code Decode_Field_As} (replace the value) rather than {@code Decode_Field}
	 * (merge the decoded map into the record)
	 */
	public record DecoderRule(boolean as, Backend backend, String field, Action action) {
	}

	/** The keys a parser section may have. */
	public static final Set<String> KEYS = Set.of("name", "format", "regex", "time_key", "time_format", "time_keep",
			"time_offset", "time_zone", "time_system_timezone", "time_strict", "types", "skip_empty_values",
			"decode_field", "decode_field_as", "logfmt_no_bare_keys");

	public ParserDefinition {
		types = List.copyOf(types);
		decoders = List.copyOf(decoders);
	}

	/** A definition with defaults, for code (built-in parsers, tests). */
	public static ParserDefinition of(String name, Format format, String regex) {
		return new ParserDefinition(name, format, regex, null, null, false, null, null, false, true, List.of(), true,
				List.of(), false, Origin.DEFAULT);
	}

	public ParserDefinition withTime(String key, String format, boolean keep, boolean strict) {
		return new ParserDefinition(this.name, this.format, this.regex, key, format, keep, this.timeOffset,
				this.timeZone, this.timeSystemTimezone, strict, this.types, this.skipEmptyValues, this.decoders,
				this.logfmtNoBareKeys, this.origin);
	}

	public ParserDefinition withSkipEmptyValues(boolean skip) {
		return new ParserDefinition(this.name, this.format, this.regex, this.timeKey, this.timeFormat, this.timeKeep,
				this.timeOffset, this.timeZone, this.timeSystemTimezone, this.timeStrict, this.types, skip,
				this.decoders, this.logfmtNoBareKeys, this.origin);
	}

	/**
	 * Reads a {@code parser} section.
	 * @throws ConfigException with every problem found, each at its line
	 */
	public static ParserDefinition fromSection(ConfigSection s) {
		List<ConfigError> errors = new ArrayList<>();
		ParserDefinition d = fromSection(s, errors);
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		return d;
	}

	/** Reads a {@code parser} section, adding problems to {@code errors}; null when unusable. */
	public static ParserDefinition fromSection(ConfigSection s, List<ConfigError> errors) {
		int before = errors.size();
		for (ConfigProperty p : s.properties()) {
			if (!KEYS.contains(p.name())) {
				errors.add(new ConfigError(p.origin(), "parser: unknown configuration property '" + p.key()
						+ "'. The following properties are allowed: " + String.join(", ", sortedKeys()) + "."));
			}
		}
		String name = value(s, "name");
		String where = (name != null) ? "[parser:" + name + "] " : "[parser] ";
		if (name == null) {
			errors.add(new ConfigError(s.origin(), "[parser] no parser 'name' found"));
		}
		String formatText = value(s, "format");
		Format format = null;
		if (formatText == null) {
			errors.add(new ConfigError(s.origin(), where + "no parser 'format' found"));
		}
		else {
			format = switch (formatText.toLowerCase(Locale.ROOT)) {
				case "json" -> Format.JSON;
				case "regex" -> Format.REGEX;
				case "ltsv" -> Format.LTSV;
				case "logfmt" -> Format.LOGFMT;
				default -> formatText.equals("tskv") ? Format.TSKV : null;
			};
			if (format == null) {
				errors.add(new ConfigError(origin(s, "format"), where + "Invalid format " + formatText));
			}
		}
		String regex = value(s, "regex");
		if (regex == null && format == Format.REGEX) {
			errors.add(new ConfigError(s.origin(), where + "no parser 'regex' found"));
		}
		boolean skipEmpty = bool(s, "skip_empty_values", true, where, errors);
		boolean timeKeep = bool(s, "time_keep", false, where, errors);
		boolean timeStrict = bool(s, "time_strict", true, where, errors);
		boolean systemTz = bool(s, "time_system_timezone", false, where, errors);
		boolean noBare = bool(s, "logfmt_no_bare_keys", false, where, errors);
		String timeFormat = value(s, "time_format");
		String timeKey = value(s, "time_key");
		String timeOffset = value(s, "time_offset");
		String timeZone = value(s, "time_zone");
		if (timeZone != null && timeFormat == null) {
			errors.add(new ConfigError(origin(s, "time_zone"), where + "time_zone requires time_format"));
		}
		List<TypeRule> types = new ArrayList<>();
		String typesText = value(s, "types");
		if (typesText != null) {
			for (String entry : typesText.split(" ")) {
				if (entry.isEmpty()) {
					continue;
				}
				int colon = entry.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String t = entry.substring(colon + 1).toLowerCase(Locale.ROOT);
				ValueType vt = switch (t) {
					case "integer" -> ValueType.INTEGER;
					case "bool" -> ValueType.BOOL;
					case "float" -> ValueType.FLOAT;
					case "hex" -> ValueType.HEX;
					case "string" -> ValueType.STRING;
					default -> null;
				};
				if (vt == null) {
					errors.add(new ConfigError(origin(s, "types"), where + "invalid type '" + entry.substring(colon + 1)
							+ "' for key '" + entry.substring(0, colon)
							+ "' (expected integer, float, bool, hex or string)"));
					continue;
				}
				types.add(new TypeRule(entry.substring(0, colon), vt));
			}
		}
		List<DecoderRule> decoders = new ArrayList<>();
		for (ConfigProperty p : s.properties()) {
			boolean as;
			if (p.name().equals("decode_field")) {
				as = false;
			}
			else if (p.name().equals("decode_field_as")) {
				as = true;
			}
			else {
				continue;
			}
			String[] parts = p.value().strip().split(" +", 3);
			if (parts.length < 2) {
				errors.add(new ConfigError(p.origin(), "[parser] invalid number of parameters in decoder"));
				continue;
			}
			Backend b = switch (parts[0].toLowerCase(Locale.ROOT)) {
				case "json" -> Backend.JSON;
				case "escaped" -> Backend.ESCAPED;
				case "escaped_utf8" -> Backend.ESCAPED_UTF8;
				case "mysql_quoted" -> Backend.MYSQL_QUOTED;
				default -> null;
			};
			if (b == null) {
				errors.add(new ConfigError(p.origin(), "[parser] field decoder '" + parts[0] + "' unknown"));
				continue;
			}
			Action action = Action.NONE;
			if (parts.length == 3) {
				String a = parts[2].strip().toLowerCase(Locale.ROOT);
				if (a.equals("try_next")) {
					action = Action.TRY_NEXT;
				}
				else if (a.equals("do_next")) {
					action = Action.DO_NEXT;
				}
				else {
					errors.add(new ConfigError(p.origin(), "[parser] invalid decoder action '" + parts[2]
							+ "' (expected try_next or do_next)"));
				}
			}
			decoders.add(new DecoderRule(as, b, parts[1], action));
		}
		if (errors.size() > before) {
			return null;
		}
		ParserDefinition d = new ParserDefinition(name, format, regex, timeKey, timeFormat, timeKeep, timeOffset,
				timeZone, systemTz, timeStrict, types, skipEmpty, decoders, noBare, s.origin());
		try {
			Parser.create(d);
		}
		catch (IllegalArgumentException ex) {
			errors.add(new ConfigError(s.origin(), where + ex.getMessage()));
			return null;
		}
		return d;
	}

	private static List<String> sortedKeys() {
		return List.of("name", "format", "regex", "time_key", "time_format", "time_keep", "time_offset", "time_zone",
				"time_system_timezone", "time_strict", "types", "skip_empty_values", "decode_field", "decode_field_as",
				"logfmt_no_bare_keys");
	}

	/** Fluent Bit's {@code get_parser_key}: the last value, null when unset or empty. */
	static String value(ConfigSection s, String key) {
		String v = s.get(key);
		return (v == null || v.isEmpty()) ? null : v;
	}

	static Origin origin(ConfigSection s, String key) {
		ConfigProperty p = s.property(key);
		return (p != null) ? p.origin() : s.origin();
	}

	static boolean bool(ConfigSection s, String key, boolean dflt, String where, List<ConfigError> errors) {
		String v = value(s, key);
		if (v == null) {
			return dflt;
		}
		switch (v.toLowerCase(Locale.ROOT)) {
			case "true", "on", "yes" -> {
				return true;
			}
			case "false", "off", "no" -> {
				return false;
			}
			default -> {
				errors.add(new ConfigError(origin(s, key), where + "invalid value for boolean property '" + key + "="
						+ v + "'"));
				return dflt;
			}
		}
	}
}
