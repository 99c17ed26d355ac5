package dev.sluice.plugin;

import java.util.List;

/**
 * The service a plugin jar provides (listed in
 * {@code META-INF/services/dev.sluice.plugin.PluginProvider}): the plugin classes it contains,
 * each annotated with {@link Plugin} and implementing the matching plugin interface. Sluice loads
 * each jar in its own class loader and registers its plugins like the built-in ones.
 */
public interface PluginProvider {

	/** The plugin classes of this jar. */
	List<Class<?>> plugins();
}
