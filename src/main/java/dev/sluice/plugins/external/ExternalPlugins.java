package dev.sluice.plugins.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginRegistry;

/**
 * Loads external plugins into a registry at start-up, from {@code -e path}, a plugins file's
 * {@code [PLUGINS] Path} entries or YAML {@code plugins:}:
 * <ul>
 * <li>a {@code .jar} is a Java plugin jar ({@link JarPluginLoader});</li>
 * <li>any other file is a Fluent Bit proxy output plugin shared object, Go or C
 * ({@link GoPluginLoader});</li>
 * <li>a directory loads its {@code .jar} and {@code .so} files, in name order.</li>
 * </ul>
 * The first failure stops loading with an {@link ExternalPluginException} naming the file.
 */
public final class ExternalPlugins {

	private ExternalPlugins() {
	}

	/**
	 * What was loaded: the registered descriptors and the shared objects (whose
	 * {@code FLBPluginUnregister} {@link #close()} calls at shutdown).
	 */
	public record Loaded(List<PluginDescriptor> descriptors, List<NativeOutputLibrary> libraries)
			implements AutoCloseable {

		@Override
		public void close() {
			for (NativeOutputLibrary lib : this.libraries) {
				lib.unregister();
			}
		}
	}

	/**
	 * The {@code Path} entries of a document's {@code plugins} sections (a plugins file's
	 * {@code [PLUGINS]}, YAML {@code plugins:}), in order, as written (a relative path is relative
	 * to the working directory).
	 */
	public static List<Path> paths(dev.sluice.config.ConfigDocument doc) {
		List<Path> out = new ArrayList<>();
		for (dev.sluice.config.ConfigSection s : doc.sections("plugins")) {
			for (dev.sluice.config.ConfigProperty p : s.properties()) {
				if (!p.name().equals("path")) {
					continue;
				}
				out.add(Path.of(p.value().trim()));
			}
		}
		return out;
	}

	public static Loaded load(PluginRegistry registry, List<Path> paths) {
		List<PluginDescriptor> descriptors = new ArrayList<>();
		List<NativeOutputLibrary> libraries = new ArrayList<>();
		for (Path path : paths) {
			if (Files.isDirectory(path)) {
				for (Path f : directory(path)) {
					loadOne(registry, f, descriptors, libraries);
				}
			}
			else {
				loadOne(registry, path, descriptors, libraries);
			}
		}
		return new Loaded(List.copyOf(descriptors), List.copyOf(libraries));
	}

	private static void loadOne(PluginRegistry registry, Path f, List<PluginDescriptor> descriptors,
			List<NativeOutputLibrary> libraries) {
		if (isJar(f)) {
			descriptors.addAll(JarPluginLoader.load(registry, f));
		}
		else {
			NativeOutputLibrary lib = GoPluginLoader.load(registry, f);
			libraries.add(lib);
			descriptors.add(registry.find(dev.sluice.plugin.PluginKind.OUTPUT, lib.name()));
		}
	}

	private static List<Path> directory(Path dir) {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(Files::isRegularFile).filter((f) -> isJar(f) || isSharedObject(f)).sorted().toList();
		}
		catch (IOException ex) {
			throw new ExternalPluginException("cannot read plugins directory " + dir + ": " + ex.getMessage(), ex);
		}
	}

	static boolean isJar(Path f) {
		return f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
	}

	static boolean isSharedObject(Path f) {
		String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".so") || n.contains(".so.") || n.endsWith(".dylib");
	}
}
