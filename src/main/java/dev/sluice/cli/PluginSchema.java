package dev.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.config.FilterCommonConfig;
import dev.sluice.config.InputCommonConfig;
import dev.sluice.config.OutputCommonConfig;
import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.OptionType;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * Plugin schemas in Fluent Bit's shape ({@code src/flb_help.c}): what {@code -J} prints, what
 * per-plugin {@code -h} renders as text, and what the admin API serves.
 *
 * <p>One plugin is {@code {"type","name","description","properties":{…}}}, where
 * {@code properties} holds, in this order: {@code global_options} (the listed common options of
 * the kind), {@code options} (the plugin's own listed options; absent for a plugin declared
 * without a configuration class, as Fluent Bit omits it for a plugin without a config map), and
 * {@code networking} and {@code network_tls} when the {@link NetworkOptions} given says the
 * plugin has them. Each option is {@code {"name","description","default","type"}} with
 * {@code default} null when there is none and {@code type} Fluent Bit's label. The catalogue is
 * {@code {"fluent-bit":{"version","schema_version","os"},"customs":[],"inputs":[…],
 * "processors":[],"filters":[…],"outputs":[…]}} and lists internal plugins too.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PluginSchema {

	/** Fluent Bit's {@code FLB_HELP_SCHEMA_VERSION}. */
	public static final String SCHEMA_VERSION = "1";

	/**
	 * The {@code net.*} and {@code tls.*} options of network plugins, which are not declared by
	 * the plugins themselves. A method returning null means the plugin has no such group (it is
	 * then left out); an empty list gives an empty group.
	 */
	public interface NetworkOptions {

		/** No network groups for any plugin: what Sluice has until the network layer declares its options. */
		NetworkOptions NONE = new NetworkOptions() {
		};

		/** The {@code networking} group ({@code net.*}), or null. */
		default List<OptionSpec> networking(PluginDescriptor plugin) {
			return null;
		}

		/** The {@code network_tls} group ({@code tls.*}), or null. */
		default List<OptionSpec> networkTls(PluginDescriptor plugin) {
			return null;
		}
	}

	/**
	 * One option as listed.
	 *
	 * @param name the key (for a prefixed family, the prefix, as Fluent Bit lists it)
	 * @param description one line, possibly empty
	 * @param defaultValue the default as written, or null
	 * @param type Fluent Bit's type label, e.g. {@code string}, {@code size}
	 */
	public record Option(String name, String description, String defaultValue, String type) {
	}

	/**
	 * A group of options.
	 *
	 * @param key {@code global_options}, {@code options}, {@code networking} or {@code network_tls}
	 * @param options the options in declaration order
	 */
	public record Group(String key, List<Option> options) {

		public Group {
			options = List.copyOf(options);
		}
	}

	/**
	 * One plugin's schema.
	 *
	 * @param type {@code input}, {@code filter} or {@code output}
	 * @param name the plugin name
	 * @param description one line
	 * @param groups the option groups in order
	 */
	public record Entry(String type, String name, String description, List<Group> groups) {

		public Entry {
			groups = List.copyOf(groups);
		}
	}

	private final String fluentBitVersion;

	private final String os;

	private final NetworkOptions network;

	/** A schema for this build and OS, without network groups. */
	public PluginSchema() {
		this(SluiceVersion.current().fluentBitVersion(), osName(System.getProperty("os.name", "")),
				NetworkOptions.NONE);
	}

	/**
	 * @param fluentBitVersion the version printed under {@code fluent-bit}
	 * @param os the OS name printed under {@code fluent-bit}, e.g. {@code linux}
	 * @param network where the network groups come from
	 */
	public PluginSchema(String fluentBitVersion, String os, NetworkOptions network) {
		this.fluentBitVersion = fluentBitVersion;
		this.os = os;
		this.network = network;
	}

	/** This schema with network groups taken from another source. */
	public PluginSchema withNetworkOptions(NetworkOptions network) {
		return new PluginSchema(this.fluentBitVersion, this.os, network);
	}

	/** Fluent Bit's {@code flb_utils_get_os_name} names for a Java {@code os.name}. */
	static String osName(String javaOsName) {
		String n = javaOsName.toLowerCase(Locale.ROOT);
		if (n.startsWith("linux")) {
			return "linux";
		}
		if (n.startsWith("mac") || n.startsWith("darwin")) {
			return "macos";
		}
		if (n.startsWith("windows")) {
			return "windows";
		}
		if (n.startsWith("freebsd")) {
			return "freebsd";
		}
		if (n.startsWith("netbsd")) {
			return "netbsd";
		}
		if (n.startsWith("openbsd")) {
			return "openbsd";
		}
		return "unknown";
	}

	/** The listed common options of a kind (Fluent Bit's global config map of inputs, filters or outputs). */
	public static List<OptionSpec> commonOptions(PluginKind kind) {
		Class<?> c = switch (kind) {
			case INPUT -> InputCommonConfig.class;
			case FILTER -> FilterCommonConfig.class;
			case OUTPUT -> OutputCommonConfig.class;
		};
		return OptionSpec.of(c).stream().filter(OptionSpec::listed).toList();
	}

	/** Fluent Bit's type label for an option ({@code pack_config_map_entry} in {@code flb_help.c}). */
	public static String typeLabel(OptionSpec o) {
		return o.typeLabel();
	}

	/** One plugin's schema. */
	public Entry describe(PluginDescriptor plugin) {
		List<Group> groups = new ArrayList<>();
		groups.add(group("global_options", commonOptions(plugin.kind())));
		if (plugin.configClass() != Plugin.NoConfig.class) {
			groups.add(group("options", plugin.options().stream().filter(OptionSpec::listed).toList()));
		}
		List<OptionSpec> net = this.network.networking(plugin);
		if (net != null) {
			groups.add(group("networking", net));
		}
		List<OptionSpec> tls = this.network.networkTls(plugin);
		if (tls != null) {
			groups.add(group("network_tls", tls));
		}
		return new Entry(plugin.kind().label(), plugin.name(), plugin.description(), groups);
	}

	private static Group group(String key, List<OptionSpec> specs) {
		return new Group(key, specs.stream()
			.map((o) -> new Option(o.declaredName(), o.description(), o.defaultValue(), typeLabel(o)))
			.toList());
	}

	/** One plugin's schema as a JSON-shaped tree of ordered maps, lists and strings. */
	public Map<String, Object> toTree(PluginDescriptor plugin) {
		return toTree(describe(plugin));
	}

	/** A schema as a JSON-shaped tree of ordered maps, lists and strings. */
	public static Map<String, Object> toTree(Entry entry) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (Group g : entry.groups()) {
			List<Object> options = new ArrayList<>();
			for (Option o : g.options()) {
				Map<String, Object> m = new LinkedHashMap<>();
				m.put("name", o.name());
				m.put("description", (o.description() != null) ? o.description() : "");
				m.put("default", o.defaultValue());
				m.put("type", o.type());
				options.add(m);
			}
			properties.put(g.key(), options);
		}
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("type", entry.type());
		m.put("name", entry.name());
		m.put("description", entry.description());
		m.put("properties", properties);
		return m;
	}

	/** The whole catalogue ({@code -J}) as a JSON-shaped tree. */
	public Map<String, Object> catalogue(PluginRegistry registry) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("version", this.fluentBitVersion);
		header.put("schema_version", SCHEMA_VERSION);
		header.put("os", this.os);
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("fluent-bit", header);
		root.put("customs", List.of());
		root.put("inputs", trees(registry, PluginKind.INPUT));
		root.put("processors", List.of());
		root.put("filters", trees(registry, PluginKind.FILTER));
		root.put("outputs", trees(registry, PluginKind.OUTPUT));
		return root;
	}

	private List<Object> trees(PluginRegistry registry, PluginKind kind) {
		List<Object> out = new ArrayList<>();
		for (PluginDescriptor d : registry.all(kind)) {
			out.add(toTree(d));
		}
		return out;
	}

	/** One plugin's schema as one line of JSON (no newline). */
	public String pluginJson(PluginDescriptor plugin) {
		return toJson(toTree(plugin));
	}

	/** The whole catalogue as one line of JSON (no newline), as {@code fluent-bit -J} prints it. */
	public String catalogueJson(PluginRegistry registry) {
		return toJson(catalogue(registry));
	}

	/**
	 * Writes a tree of maps, lists, strings, numbers, booleans and nulls as compact JSON, the way
	 * Fluent Bit does: no spaces, and every character outside printable ASCII escaped as
	 * {@code \}{@code uXXXX} (so the output is ASCII whatever the descriptions hold).
	 */
	public static String toJson(Object value) {
		StringBuilder sb = new StringBuilder();
		write(sb, value);
		return sb.toString();
	}

	private static void write(StringBuilder sb, Object value) {
		if (value == null) {
			sb.append("null");
		}
		else if (value instanceof String s) {
			writeString(sb, s);
		}
		else if (value instanceof Map<?, ?> map) {
			sb.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> e : map.entrySet()) {
				if (!first) {
					sb.append(',');
				}
				first = false;
				writeString(sb, String.valueOf(e.getKey()));
				sb.append(':');
				write(sb, e.getValue());
			}
			sb.append('}');
		}
		else if (value instanceof Iterable<?> list) {
			sb.append('[');
			boolean first = true;
			for (Object o : list) {
				if (!first) {
					sb.append(',');
				}
				first = false;
				write(sb, o);
			}
			sb.append(']');
		}
		else if (value instanceof Number || value instanceof Boolean) {
			sb.append(value);
		}
		else {
			writeString(sb, value.toString());
		}
	}

	private static void writeString(StringBuilder sb, String s) {
		sb.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				case '\b' -> sb.append("\\b");
				case '\f' -> sb.append("\\f");
				default -> {
					if (c < 0x20 || c > 0x7e) {
						sb.append(String.format("\\u%04x", (int) c));
					}
					else {
						sb.append(c);
					}
				}
			}
		}
		sb.append('"');
	}
}
