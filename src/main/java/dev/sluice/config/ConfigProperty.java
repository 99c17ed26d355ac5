package dev.sluice.config;

import java.util.Locale;

/**
 * One {@code key value} pair of a section, after variable expansion. A key given several times
 * (a repeatable property, or a YAML list) appears as several properties with the same key.
 *
 * @param key the key as written
 * @param value the value, never null
 * @param origin where it was written
 */
public record ConfigProperty(String key, String value, Origin origin) {

	/** The key lower-cased: keys are case-insensitive everywhere. */
	public String name() {
		return this.key.toLowerCase(Locale.ROOT);
	}
}
