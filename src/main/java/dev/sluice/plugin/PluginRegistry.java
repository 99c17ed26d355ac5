package dev.sluice.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plugin types Sluice knows, by kind and name: the built-ins plus any loaded from plugin
 * jars or shared objects. Registration happens at start-up, before any configuration is bound;
 * afterwards the registry is only read.
 */
public final class PluginRegistry {

	private final Map<PluginKind, Map<String, PluginDescriptor>> plugins = new EnumMap<>(PluginKind.class);

	public PluginRegistry() {
		for (PluginKind k : PluginKind.values()) {
			this.plugins.put(k, new LinkedHashMap<>());
		}
	}

	/** A registry with every built-in plugin. */
	public static PluginRegistry builtin() {
		PluginRegistry r = new PluginRegistry();
		for (Class<?> c : dev.sluice.plugins.BuiltinPlugins.CLASSES) {
			r.register(PluginDescriptor.of(c));
		}
		return r;
	}

	/**
	 * Registers a plugin type.
	 * @throws IllegalArgumentException when one of that kind and name is already registered
	 */
	public synchronized void register(PluginDescriptor d) {
		Map<String, PluginDescriptor> m = this.plugins.get(d.kind());
		PluginDescriptor old = m.putIfAbsent(d.name(), d);
		if (old != null) {
			throw new IllegalArgumentException(d.kind().label() + " plugin '" + d.name() + "' from " + d.source()
					+ " is already registered from " + old.source());
		}
	}

	public PluginDescriptor find(PluginKind kind, String name) {
		return this.plugins.get(kind).get(name.toLowerCase(Locale.ROOT));
	}

	public Collection<PluginDescriptor> all(PluginKind kind) {
		return List.copyOf(this.plugins.get(kind).values());
	}

	public List<PluginDescriptor> all() {
		List<PluginDescriptor> out = new ArrayList<>();
		for (PluginKind k : PluginKind.values()) {
			out.addAll(this.plugins.get(k).values());
		}
		return out;
	}
}
