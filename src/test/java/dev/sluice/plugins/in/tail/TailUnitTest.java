package dev.sluice.plugins.in.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.Fixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TailUnitTest {

	@TempDir
	Path dir;

	@Test
	void optionsMatchFluentBitSchema() throws Exception {
		JsonNode schema = JsonMapper.builder().build().readTree(Fixtures.path("help/schema.json").toFile());
		JsonNode tail = null;
		for (JsonNode p : schema.get("inputs")) {
			if (p.get("name").asString().equals("tail")) {
				tail = p;
			}
		}
		assertThat(tail).isNotNull();
		PluginDescriptor d = PluginRegistry.builtin().find(PluginKind.INPUT, "tail");
		assertThat(d).isNotNull();
		assertThat(d.description()).isEqualTo(tail.get("description").asString());
		List<List<String>> expected = new ArrayList<>();
		for (JsonNode o : tail.get("properties").get("options")) {
			expected.add(java.util.Arrays.asList(o.get("name").asString(), o.get("type").asString(),
					o.get("default").isNull() ? null : o.get("default").asString(), o.get("description").asString()));
		}
		List<List<String>> actual = new ArrayList<>();
		for (OptionSpec s : d.options()) {
			if (s.listed()) {
				actual.add(java.util.Arrays.asList(s.declaredName(), s.typeLabel(), s.defaultValue(), s.description()));
			}
		}
		assertThat(actual).isEqualTo(expected);
	}

	@Test
	void helpMatchesFluentBitLineByLine() throws Exception {
		PluginDescriptor d = PluginRegistry.builtin().find(PluginKind.INPUT, "tail");
		dev.sluice.cli.PluginSchema.Entry entry = new dev.sluice.cli.PluginSchema().describe(d);
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		dev.sluice.cli.Help.plugin(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), entry);
		// the plugin's own OPTIONS section (the global options belong to the engine's common config)
		List<String> actual = ownOptions(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
		List<String> expected = ownOptions(Files.readString(Fixtures.path("help/input-tail.txt")));
		assertThat(expected).hasSizeGreaterThan(100);
		for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
			assertThat(actual.get(i)).as("line %d", i + 1).isEqualTo(expected.get(i));
		}
		assertThat(actual).hasSameSizeAs(expected);
	}

	private static List<String> ownOptions(String help) {
		List<String> lines = help.lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains("OPTIONS") && !lines.get(i).contains("GLOBAL")) {
				return lines.subList(i, lines.size());
			}
		}
		return List.of();
	}

	@Test
	void tagExpansionFollowsFluentBit() {
		assertThat(new TagComposer("kube.*", null).compose("/var/log/containers/x.log"))
			.isEqualTo("kube.var.log.containers.x.log");
		assertThat(new TagComposer("*", null).compose("/var/log/app.log")).isEqualTo("var.log.app.log");
		assertThat(new TagComposer("a.*.b", null).compose("/x//y:z\\w")).isEqualTo("a.x.y.z.w.b");
		assertThat(new TagComposer("pre.*.", null).compose("/f")).isEqualTo("pre.f");
		assertThat(new TagComposer("*.*", null).compose("/f")).isEqualTo("f");
		assertThat(new TagComposer("static", null).compose("/f")).isEqualTo("static");
		assertThat(new TagComposer("static", null).dynamic()).isFalse();
	}

	@Test
	void tagRegexSubstitutesNamedCaptures() {
		TagComposer t = new TagComposer("kube.<namespace_name>.<pod_name>.<missing>",
				"(?<pod_name>[a-z0-9-]+)_(?<namespace_name>[^_]+)_(?<container>.+)\\.log$");
		assertThat(t.dynamic()).isTrue();
		assertThat(t.compose("/var/log/containers/web-1_prod_nginx.log")).isEqualTo("kube.prod.web-1._");
		assertThat(t.compose("/nothing")).isNull();
		assertThatThrownBy(() -> new TagComposer("kube.<a", "(?<a>x)")).hasMessageContaining("missing closing angle bracket");
	}

	@Test
	void globAndExclude() throws Exception {
		Files.createDirectories(this.dir.resolve("a/b"));
		Files.createFile(this.dir.resolve("a/b/one.log"));
		Files.createFile(this.dir.resolve("a/two.log"));
		Files.createFile(this.dir.resolve("a/.hidden.log"));
		Files.createFile(this.dir.resolve("a/t3.txt"));
		assertThat(Glob.expand(this.dir + "/a/*.log")).containsExactly(this.dir.resolve("a/two.log"));
		assertThat(Glob.expand(this.dir + "/*/*/*.log")).containsExactly(this.dir.resolve("a/b/one.log"));
		assertThat(Glob.expand(this.dir + "/a/.*.log")).containsExactly(this.dir.resolve("a/.hidden.log"));
		assertThat(Glob.expand(this.dir + "/a/t[0-9].txt")).containsExactly(this.dir.resolve("a/t3.txt"));
		assertThat(Glob.expand(this.dir + "/a/two.log")).containsExactly(this.dir.resolve("a/two.log"));
		assertThat(Glob.expand(this.dir + "/none/*.log")).isEmpty();
		assertThat(Glob.fnmatch("*.gz").matcher("/var/log/a.gz").matches()).isTrue();
		assertThat(Glob.fnmatch("/var/*/x?.log").matcher("/var/a/b/x1.log").matches()).isTrue();
		assertThat(Glob.fnmatch("*[!a].log").matcher("/b.log").matches()).isTrue();
		assertThat(Glob.fnmatch("*[!a].log").matcher("/a.log").matches()).isFalse();
	}

	@Test
	void dbSettingsAreValidated() {
		assertThat(TailDb.syncLevel("Normal")).isEqualTo(1);
		assertThat(TailDb.syncLevel("extra")).isEqualTo(3);
		assertThat(TailDb.syncLevel("bogus")).isEqualTo(-1);
		assertThat(TailDb.validJournalMode("wal")).isTrue();
		assertThat(TailDb.validJournalMode("WAL; DROP TABLE x")).isFalse();
		assertThat(Map.of()).isEmpty();
	}
}
