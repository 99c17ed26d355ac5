package dev.sluice.plugins.external;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginProvider;
import dev.sluice.plugin.PluginRegistry;

/**
 * Loads a Java plugin jar: its own {@link URLClassLoader} (parent: Sluice's), the
 * {@link PluginProvider} services the jar declares in
 * {@code META-INF/services/dev.sluice.plugin.PluginProvider}, and each plugin class they return,
 * registered like a built-in with the jar as its source. Every plugin of the jar is checked
 * before any is registered, so a broken jar registers nothing.
 */
public final class JarPluginLoader {

	private JarPluginLoader() {
	}

	/**
	 * Loads the jar and registers its plugins.
	 * @return the registered descriptors
	 * @throws ExternalPluginException naming the jar: no provider, a provider that fails, a class
	 *     that is not a plugin, or a name already registered
	 */
	public static List<PluginDescriptor> load(PluginRegistry registry, Path jar) {
		Path p = jar.toAbsolutePath().normalize();
		if (!Files.isRegularFile(p)) {
			throw new ExternalPluginException("cannot load plugin jar " + jar + ": no such file");
		}
		URL url;
		try {
			url = p.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new ExternalPluginException("cannot load plugin jar " + jar + ": " + ex.getMessage(), ex);
		}
		URLClassLoader loader = new URLClassLoader("sluice-plugin:" + p.getFileName(), new URL[] { url },
				PluginProvider.class.getClassLoader());
		boolean ok = false;
		try {
			List<PluginDescriptor> found = descriptors(jar, p, loader);
			for (PluginDescriptor d : found) {
				try {
					registry.register(d);
				}
				catch (IllegalArgumentException ex) {
					throw new ExternalPluginException("cannot load plugin jar " + jar + ": " + ex.getMessage(), ex);
				}
			}
			ok = true;
			return found;
		}
		finally {
			if (!ok) {
				closeQuietly(loader);
			}
		}
	}

	private static List<PluginDescriptor> descriptors(Path jar, Path p, URLClassLoader loader) {
		List<PluginProvider> providers = new ArrayList<>();
		try {
			Iterator<ServiceLoader.Provider<PluginProvider>> it = ServiceLoader.load(PluginProvider.class, loader)
				.stream()
				.iterator();
			while (it.hasNext()) {
				ServiceLoader.Provider<PluginProvider> provider = it.next();
				// providers visible through the parent loader belong to someone else
				if (provider.type().getClassLoader() != loader) {
					continue;
				}
				providers.add(provider.get());
			}
		}
		catch (ServiceConfigurationError | LinkageError ex) {
			throw new ExternalPluginException("cannot load plugin jar " + jar + ": bad "
					+ PluginProvider.class.getName() + " service: " + message(ex), ex);
		}
		if (providers.isEmpty()) {
			throw new ExternalPluginException("cannot load plugin jar " + jar + ": it declares no "
					+ PluginProvider.class.getName() + " service (META-INF/services/" + PluginProvider.class.getName()
					+ ")");
		}
		List<PluginDescriptor> out = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (PluginProvider provider : providers) {
			List<Class<?>> classes;
			try {
				classes = provider.plugins();
			}
			catch (RuntimeException | LinkageError ex) {
				throw new ExternalPluginException("cannot load plugin jar " + jar + ": "
						+ provider.getClass().getName() + ".plugins() failed: " + message(ex), ex);
			}
			if (classes == null || classes.isEmpty()) {
				throw new ExternalPluginException("cannot load plugin jar " + jar + ": "
						+ provider.getClass().getName() + " returns no plugin classes");
			}
			for (Class<?> c : classes) {
				PluginDescriptor d;
				try {
					d = PluginDescriptor.of(c, p.toString());
					OptionSpecCheck.check(d);
				}
				catch (RuntimeException | LinkageError ex) {
					throw new ExternalPluginException("cannot load plugin jar " + jar + ": class "
							+ ((c != null) ? c.getName() : "null") + ": " + message(ex), ex);
				}
				if (!names.add(d.kind().label() + ":" + d.name())) {
					throw new ExternalPluginException("cannot load plugin jar " + jar + ": " + d.kind().label()
							+ " plugin '" + d.name() + "' is declared twice");
				}
				out.add(d);
			}
		}
		return out;
	}

	private static String message(Throwable ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
	}

	private static void closeQuietly(URLClassLoader loader) {
		try {
			loader.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	/** Checks that a plugin's configuration class can be instantiated, as the binder will. */
	private static final class OptionSpecCheck {

		static void check(PluginDescriptor d) {
			d.newConfig();
		}
	}
}
