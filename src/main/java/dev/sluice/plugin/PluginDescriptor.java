package dev.sluice.plugin;

import java.lang.reflect.Constructor;
import java.util.List;

/**
 * A registered plugin type: what {@link Plugin} declares, its options, and how to make one
 * instance.
 *
 * @param kind input, filter or output
 * @param name the plugin name
 * @param description one line
 * @param configClass the configuration class
 * @param options the plugin's own options (not the common ones)
 * @param workers default concurrent flushes (outputs)
 * @param network whether {@code net.*}/{@code tls.*} apply
 * @param internal hidden from listings
 * @param implementation the plugin class
 * @param source where it came from: {@code builtin}, or a jar or shared object path
 * @param acceptsAnyKey whether the binder accepts keys the plugin does not declare (external
 *     Go/C plugins read arbitrary properties with {@code FLBPluginConfigKey})
 * @param factory makes one plugin object per instance, for plugins that are not annotated
 *     classes (null: the implementation's no-argument constructor)
 */
public record PluginDescriptor(PluginKind kind, String name, String description, Class<?> configClass,
		List<OptionSpec> options, int workers, boolean network, boolean internal, Class<?> implementation,
		String source, boolean acceptsAnyKey, java.util.function.Supplier<?> factory) {

	public PluginDescriptor(PluginKind kind, String name, String description, Class<?> configClass,
			List<OptionSpec> options, int workers, boolean network, boolean internal, Class<?> implementation,
			String source) {
		this(kind, name, description, configClass, options, workers, network, internal, implementation, source, false,
				null);
	}

	/** Reads the {@link Plugin} annotation of a plugin class. */
	public static PluginDescriptor of(Class<?> implementation, String source) {
		Plugin p = implementation.getAnnotation(Plugin.class);
		if (p == null) {
			throw new IllegalArgumentException(implementation.getName() + " has no @Plugin annotation");
		}
		Class<?> expected = switch (p.kind()) {
			case INPUT -> InputPlugin.class;
			case FILTER -> FilterPlugin.class;
			case OUTPUT -> OutputPlugin.class;
		};
		if (!expected.isAssignableFrom(implementation)) {
			throw new IllegalArgumentException(implementation.getName() + " is declared as " + p.kind().label()
					+ " plugin '" + p.name() + "' but does not implement " + expected.getSimpleName());
		}
		return new PluginDescriptor(p.kind(), p.name().toLowerCase(java.util.Locale.ROOT), p.description(),
				p.config(), OptionSpec.of(p.config()), p.workers(), p.network(), p.internal(), implementation, source);
	}

	public static PluginDescriptor of(Class<?> implementation) {
		return of(implementation, "builtin");
	}

	/** Makes a new plugin object for one instance. */
	public Object newPlugin() {
		if (this.factory != null) {
			return this.factory.get();
		}
		try {
			Constructor<?> c = this.implementation.getDeclaredConstructor();
			c.setAccessible(true);
			return c.newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot create " + this.kind.label() + " plugin '" + this.name + "': " + ex,
					ex);
		}
	}

	/** Makes an empty configuration object, to be filled by the binder. */
	public Object newConfig() {
		if (this.configClass == Plugin.NoConfig.class) {
			return new Plugin.NoConfig();
		}
		try {
			Constructor<?> c = this.configClass.getDeclaredConstructor();
			c.setAccessible(true);
			return c.newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot create configuration of plugin '" + this.name + "': " + ex, ex);
		}
	}
}
