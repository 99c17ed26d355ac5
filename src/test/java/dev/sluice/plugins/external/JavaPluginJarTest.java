package dev.sluice.plugins.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;

/** Java plugin jars built during the test, discovered with ServiceLoader, each in its own loader. */
class JavaPluginJarTest {

	private static final String PLUGIN = """
			package acme;

			import java.nio.file.*;
			import dev.sluice.plugin.*;
			import dev.sluice.event.LogEvent;

			@Plugin(kind = PluginKind.OUTPUT, name = "%s", description = "Writes records to a file", config = FileLines.Config.class)
			public class FileLines implements OutputPlugin<FileLines.Config> {

				public static class Config {
					@ConfigOption(name = "path", description = "the file", required = true)
					public String path;
				}

				private Path path;

				@Override
				public void init(Config config, OutputContext context) {
					this.path = Path.of(config.path);
				}

				@Override
				public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
					StringBuilder sb = new StringBuilder();
					for (LogEvent e : chunk.decode()) {
						sb.append(chunk.tag()).append(' ').append(e.body().get("msg")).append('\\n');
					}
					Files.writeString(this.path, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
					return FlushResult.OK;
				}
			}
			""";

	private static final String PROVIDER = """
			package acme;

			import java.util.List;

			public class Provider implements dev.sluice.plugin.PluginProvider {
				@Override
				public List<Class<?>> plugins() {
					return List.of(%s);
				}
			}
			""";

	@TempDir
	Path dir;

	/** Compiles the sources and jars them, with the service file when given. */
	Path jar(String name, Map<String, String> sources, String serviceFile) throws IOException {
		Path src = Files.createDirectories(this.dir.resolve(name + "-src"));
		Path classes = Files.createDirectories(this.dir.resolve(name + "-classes"));
		List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
				System.getProperty("java.class.path"), "-proc:none"));
		for (Map.Entry<String, String> e : sources.entrySet()) {
			Path f = src.resolve(e.getKey().replace('.', File.separatorChar) + ".java");
			Files.createDirectories(f.getParent());
			Files.writeString(f, e.getValue());
			args.add(f.toString());
		}
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertThat(javac).as("system Java compiler").isNotNull();
		assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac").isZero();
		Path jarDir = Files.createDirectories(this.dir.resolve("plugins"));
		Path jar = jarDir.resolve(name + ".jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
				Stream<Path> files = Files.walk(classes)) {
			for (Path f : files.filter(Files::isRegularFile).toList()) {
				out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
				Files.copy(f, out);
				out.closeEntry();
			}
			if (serviceFile != null) {
				out.putNextEntry(new JarEntry("META-INF/services/dev.sluice.plugin.PluginProvider"));
				OutputStream o = out;
				o.write(serviceFile.getBytes(StandardCharsets.UTF_8));
				out.closeEntry();
			}
		}
		return jar;
	}

	@Test
	void loadsAJarFromAPluginsDirectoryAndDeliversRecords() throws Exception {
		Path jar = jar("filelines", Map.of("acme.FileLines", PLUGIN.formatted("filelines"), "acme.Provider",
				PROVIDER.formatted("FileLines.class")), "acme.Provider\n");
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.Loaded loaded = ExternalPlugins.load(registry, List.of(jar.getParent()));
		PluginDescriptor d = registry.find(PluginKind.OUTPUT, "filelines");
		assertThat(loaded.descriptors()).containsExactly(d);
		assertThat(d.source()).isEqualTo(jar.toAbsolutePath().toString());
		assertThat(d.implementation().getClassLoader()).isNotSameAs(getClass().getClassLoader());
		assertThat(d.options()).extracting((o) -> o.name()).contains("path");
		// listed like a built-in: the registry serves -J and the admin API
		assertThat(registry.all(PluginKind.OUTPUT)).contains(d);
		Path out = this.dir.resolve("out.txt");
		EmbeddedSluice s = CPluginIT.builder(registry).output("filelines", "match", "*", "path", out.toString())
			.build()
			.start();
		try {
			LibInput lib = s.plugin("lib.0", LibInput.class);
			lib.push(new EventTime(1, 0), Map.of("msg", "one"));
			lib.push(new EventTime(2, 0), Map.of("msg", "two"));
			Await.until(Duration.ofSeconds(20), "two records", () -> CPluginIT.lines(out).size() == 2);
		}
		finally {
			s.stop();
		}
		assertThat(CPluginIT.lines(out)).containsExactly("t one", "t two");
	}

	@Test
	void aJarWithoutProviderIsAClearError() throws Exception {
		Path jar = jar("noprovider", Map.of("acme.FileLines", PLUGIN.formatted("np")), null);
		PluginRegistry registry = PluginRegistry.builtin();
		assertThatThrownBy(() -> ExternalPlugins.load(registry, List.of(jar)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessage("cannot load plugin jar " + jar + ": it declares no dev.sluice.plugin.PluginProvider service"
					+ " (META-INF/services/dev.sluice.plugin.PluginProvider)");
	}

	@Test
	void aBadClassIsAClearErrorAndNothingOfTheJarIsRegistered() throws Exception {
		Path jar = jar("badclass", Map.of("acme.FileLines", PLUGIN.formatted("goodone"), "acme.NotAPlugin",
				"package acme; public class NotAPlugin {}", "acme.Provider",
				PROVIDER.formatted("FileLines.class, NotAPlugin.class")), "acme.Provider\n");
		PluginRegistry registry = PluginRegistry.builtin();
		assertThatThrownBy(() -> ExternalPlugins.load(registry, List.of(jar)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining("cannot load plugin jar " + jar)
			.hasMessageContaining("class acme.NotAPlugin: acme.NotAPlugin has no @Plugin annotation");
		assertThat(registry.find(PluginKind.OUTPUT, "goodone")).isNull();
	}

	@Test
	void aProviderNamingAMissingClassIsAClearError() throws Exception {
		Path jar = jar("missing", Map.of("acme.FileLines", PLUGIN.formatted("x")), "acme.NoSuchProvider\n");
		assertThatThrownBy(() -> ExternalPlugins.load(PluginRegistry.builtin(), List.of(jar)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining("cannot load plugin jar " + jar + ": bad dev.sluice.plugin.PluginProvider service")
			.hasMessageContaining("acme.NoSuchProvider");
	}

	@Test
	void aDuplicateNameIsAClearError() throws Exception {
		Path jar = jar("dup", Map.of("acme.FileLines", PLUGIN.formatted("stdout"), "acme.Provider",
				PROVIDER.formatted("FileLines.class")), "acme.Provider\n");
		assertThatThrownBy(() -> ExternalPlugins.load(PluginRegistry.builtin(), List.of(jar)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining("cannot load plugin jar " + jar)
			.hasMessageContaining("output plugin 'stdout' from " + jar.toAbsolutePath()
					+ " is already registered from builtin");
	}
}
