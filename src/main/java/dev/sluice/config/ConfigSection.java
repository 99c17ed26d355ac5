package dev.sluice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One section of a configuration: {@code [INPUT]} or a YAML {@code pipeline.inputs} entry, and so
 * on. {@code type} is lower case: {@code service}, {@code input}, {@code filter}, {@code output},
 * {@code parser}, {@code multiline_parser}, {@code plugins}, {@code custom}, {@code upstream},
 * {@code node}. Nested groups (YAML {@code processors}, {@code routes}, classic sub-sections) are
 * kept in {@link #children()}, keyed by the group name (e.g. {@code processors.logs}).
 */
public final class ConfigSection {

	private final String type;

	private final Origin origin;

	private final List<ConfigProperty> properties = new ArrayList<>();

	private final Map<String, List<ConfigSection>> children = new LinkedHashMap<>();

	public ConfigSection(String type, Origin origin) {
		this.type = type.toLowerCase(Locale.ROOT);
		this.origin = origin;
	}

	public String type() {
		return this.type;
	}

	public Origin origin() {
		return this.origin;
	}

	/** All properties in the order written. */
	public List<ConfigProperty> properties() {
		return this.properties;
	}

	public Map<String, List<ConfigSection>> children() {
		return this.children;
	}

	public ConfigSection add(String key, String value, Origin origin) {
		this.properties.add(new ConfigProperty(key, value, origin));
		return this;
	}

	public void addChild(String group, ConfigSection child) {
		this.children.computeIfAbsent(group, (g) -> new ArrayList<>()).add(child);
	}

	/** The last value of a key (case-insensitive), or null. */
	public String get(String key) {
		ConfigProperty p = property(key);
		return (p != null) ? p.value() : null;
	}

	/** The last property with this key (case-insensitive), or null. */
	public ConfigProperty property(String key) {
		String k = key.toLowerCase(Locale.ROOT);
		ConfigProperty found = null;
		for (ConfigProperty p : this.properties) {
			if (p.name().equals(k)) {
				found = p;
			}
		}
		return found;
	}

	/** Every value of a key, in order. */
	public List<String> getAll(String key) {
		String k = key.toLowerCase(Locale.ROOT);
		List<String> values = new ArrayList<>();
		for (ConfigProperty p : this.properties) {
			if (p.name().equals(k)) {
				values.add(p.value());
			}
		}
		return values;
	}

	/** Sets a key, replacing every earlier value. */
	public ConfigSection set(String key, String value, Origin origin) {
		String k = key.toLowerCase(Locale.ROOT);
		this.properties.removeIf((p) -> p.name().equals(k));
		return add(key, value, origin);
	}

	@Override
	public String toString() {
		return "[" + this.type + "] at " + this.origin + " " + this.properties;
	}
}
