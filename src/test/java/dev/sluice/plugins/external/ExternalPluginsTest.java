package dev.sluice.plugins.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ClassicConfigReader;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/** Where external plugins come from: plugins files, directories. */
class ExternalPluginsTest {

	@TempDir
	Path dir;

	@Test
	void loadsThePathsOfAPluginsFile() throws Exception {
		Path so = NativeBuild.c("cfile");
		Path file = this.dir.resolve("plugins.conf");
		Files.writeString(file, "[PLUGINS]\n    Path " + so + "\n");
		List<Path> paths = ExternalPlugins.paths(new ClassicConfigReader().readPluginsFile(file));
		assertThat(paths).containsExactly(so);
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, paths);
		assertThat(registry.find(PluginKind.OUTPUT, "cfile")).isNotNull();
	}

	@Test
	void aDirectoryLoadsItsSharedObjectsInNameOrder() throws Exception {
		Path plugins = Files.createDirectories(this.dir.resolve("plugins"));
		Files.copy(NativeBuild.c("cfile"), plugins.resolve("b_cfile.so"));
		Files.copy(NativeBuild.c("cflat", "NO_CTX"), plugins.resolve("a_cflat.so"));
		Files.writeString(plugins.resolve("README.txt"), "not a plugin");
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.Loaded loaded = ExternalPlugins.load(registry, List.of(plugins));
		assertThat(loaded.descriptors()).extracting((d) -> d.name()).containsExactly("cflat", "cfile");
		assertThat(loaded.descriptors()).extracting((d) -> d.source())
			.containsExactly(plugins.resolve("a_cflat.so").toString(), plugins.resolve("b_cfile.so").toString());
		loaded.close();
	}
}
