package dev.sluice.plugins.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;

/**
 * A Go plugin built with {@code go build -buildmode=c-shared} (fluent-bit-go's out_multiinstance
 * pattern), loaded in-process: two instances with their own contexts, one answering RETRY first.
 * Needs {@code go} (Debian golang-go): fails, never skips, when it is missing.
 */
class GoPluginIT {

	@TempDir
	Path dir;

	@Test
	void registersWhatFlbPluginRegisterDeclares() {
		Path so = NativeBuild.go("out_multiinstance");
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(so));
		PluginDescriptor d = registry.find(PluginKind.OUTPUT, "multiinstance");
		assertThat(d.description()).isEqualTo("Testing multiple instances");
		assertThat(d.source()).isEqualTo(so.toAbsolutePath().toString());
		assertThat(d.acceptsAnyKey()).isTrue();
	}

	@Test
	void twoInstancesEachFlushWithTheirOwnContext() throws Exception {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.Loaded loaded = ExternalPlugins.load(registry, List.of(NativeBuild.go("out_multiinstance")));
		assertThat(loaded.libraries().get(0).hasFlushCtx()).isTrue();
		assertThat(loaded.libraries().get(0).proxy()).isEqualTo(11);
		Path cats = this.dir.resolve("cats.log");
		Path dogs = this.dir.resolve("dogs.log");
		EmbeddedSluice s = CPluginIT.builder(registry)
			.output("multiinstance", "match", "*", "id", "cats", "path", cats.toString())
			.output("multiinstance", "match", "*", "id", "dogs", "path", dogs.toString(), "retry_first", "1")
			.build()
			.start();
		try {
			LibInput lib = s.plugin("lib.0", LibInput.class);
			// one append: both records in one chunk
			lib.push(List.of(new LogEvent(new EventTime(1_700_000_000L, 123), Map.of("msg", "hello")),
					new LogEvent(new EventTime(1_700_000_001L, 0), Map.of("msg", "world", "n", 2L))));
			Await.until(Duration.ofSeconds(30), "both instances delivered",
					() -> CPluginIT.lines(cats).stream().anyMatch((l) -> l.endsWith("rc=OK"))
							&& CPluginIT.lines(dogs).stream().anyMatch((l) -> l.endsWith("rc=OK")));
		}
		finally {
			s.stop();
		}
		assertThat(CPluginIT.lines(cats)).containsExactly("init id=cats",
				"record id=cats tag=t ts=1700000000.000000123 msg=hello",
				"record id=cats tag=t ts=1700000001.000000000 msg=world n=2", "flush id=cats tag=t records=2 rc=OK",
				"exit id=cats");
		assertThat(CPluginIT.lines(dogs)).containsExactly("init id=dogs", "flush id=dogs tag=t records=2 rc=RETRY",
				"record id=dogs tag=t ts=1700000000.000000123 msg=hello",
				"record id=dogs tag=t ts=1700000001.000000000 msg=world n=2", "flush id=dogs tag=t records=2 rc=OK",
				"exit id=dogs");
	}

	@Test
	void listedInHelpAndSchemaLikeABuiltIn() {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(NativeBuild.go("out_multiinstance")));
		PluginDescriptor d = registry.find(PluginKind.OUTPUT, "multiinstance");
		assertThat(new dev.sluice.cli.PluginSchema().toTree(d)).containsEntry("name", "multiinstance");
		java.io.ByteArrayOutputStream help = new java.io.ByteArrayOutputStream();
		dev.sluice.cli.Help.usage(new java.io.PrintStream(help, true, java.nio.charset.StandardCharsets.UTF_8),
				"sluice", registry);
		assertThat(help.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("multiinstance")
			.contains("Testing multiple instances");
	}

	/**
	 * Concurrent FlushCtx calls on one instance (what {@code workers} &gt; 1 allows): the
	 * plugin's context lookup (a sync.Map) and its own lock make them safe; every record arrives.
	 */
	@Test
	void concurrentFlushesOfOneInstance() throws Exception {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(NativeBuild.go("out_multiinstance")));
		Path log = this.dir.resolve("concurrent.log");
		EmbeddedSluice s = CPluginIT.builder(registry)
			.output("multiinstance", "match", "*", "id", "w", "path", log.toString(), "workers", "4")
			.build()
			.start();
		int total = 0;
		try {
			LibInput lib = s.plugin("lib.0", LibInput.class);
			for (int i = 0; i < 40; i++) {
				lib.push(new EventTime(i, 0), Map.of("msg", "m" + i));
				total++;
				Thread.sleep(5); // pacing, not a wait for an outcome: spread the records over several chunks
			}
			int expected = total;
			Await.until(Duration.ofSeconds(30), "all records", () -> CPluginIT.lines(log).stream()
				.filter((l) -> l.startsWith("record id=w ")).count() == expected);
		}
		finally {
			s.stop();
		}
		assertThat(s.output("multiinstance.0").workers()).isEqualTo(4);
		assertThat(CPluginIT.lines(log)).filteredOn((l) -> l.startsWith("record"))
			.extracting((l) -> l.substring(l.lastIndexOf(' ') + 1))
			.containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, total)
				.mapToObj((i) -> "msg=m" + i)
				.toList());
	}

	@Test
	void initErrorNamesThePlugin() {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(NativeBuild.go("out_multiinstance")));
		Path ok = this.dir.resolve("ok.log");
		EmbeddedSluice s = CPluginIT.builder(registry)
			.output("multiinstance", "match", "*", "id", "fine", "path", ok.toString())
			.output("multiinstance", "match", "*")
			.build();
		assertThatThrownBy(s::start).isInstanceOf(ConfigException.class)
			.hasMessageContaining("multiinstance.1")
			.hasMessageContaining("plugin 'multiinstance' failed to initialize (FLBPluginInit returned 0)");
		assertThat(CPluginIT.lines(ok)).containsExactly("init id=fine", "exit id=fine");
	}
}
