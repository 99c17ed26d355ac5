package dev.sluice.plugin;

/** Fluent Bit's config-map types, with the label help and schemas print for each. */
public enum OptionType {

	/** Inferred from the field's Java type. */
	AUTO(""),
	STR("string"),
	INT("integer"),
	BOOL("boolean"),
	DOUBLE("double"),
	/** A byte size with decimal units: {@code 5M} is 5,000,000. */
	SIZE("size"),
	/** Seconds, or a number with {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}. */
	TIME("time"),
	/** Comma-separated strings, trimmed. */
	CLIST("multiple comma delimited strings"),
	/** Space-separated strings, honouring quotes. */
	SLIST("multiple space delimited strings"),
	/** A family of keys sharing a prefix, such as {@code rdkafka.*}. */
	PREFIX("prefixed string"),
	/** Accepted with a warning and otherwise ignored. */
	DEPRECATED("deprecated");

	private final String label;

	OptionType(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}
}
