package dev.sluice.plugins.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.config.ConfigException;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;

/** A C shared object exporting fluent-bit-go's symbols, loaded and run through the FFM proxy. */
class CPluginIT {

	@TempDir
	Path dir;

	static EmbeddedSluice.Builder builder(PluginRegistry registry) {
		return EmbeddedSluice.builder().registry(registry).unitMillis(20).service("flush", "0.05")
			.service("scheduler.base", "1").service("scheduler.cap", "2").service("grace", "5")
			.input("lib", "tag", "t");
	}

	static List<String> lines(Path p) {
		try {
			return Files.exists(p) ? Files.readAllLines(p) : List.of();
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	@Test
	void registersNameDescriptionAndSource() {
		Path so = NativeBuild.c("cfile");
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.Loaded loaded = ExternalPlugins.load(registry, List.of(so));
		PluginDescriptor d = registry.find(PluginKind.OUTPUT, "cfile");
		assertThat(d).isNotNull();
		assertThat(d.description()).isEqualTo("C test output");
		assertThat(d.source()).isEqualTo(so.toString());
		assertThat(d.acceptsAnyKey()).isTrue();
		assertThat(d.workers()).isEqualTo(1);
		assertThat(loaded.descriptors()).containsExactly(d);
		assertThat(loaded.libraries()).singleElement().satisfies((lib) -> {
			assertThat(lib.type()).isEqualTo(2);
			assertThat(lib.proxy()).isEqualTo(11);
			assertThat(lib.hasFlushCtx()).isTrue();
		});
	}

	@Test
	void deliversRecordsToTwoInstancesEachWithItsOwnContext() throws Exception {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(NativeBuild.c("cfile")));
		Path a = this.dir.resolve("a.log");
		Path b = this.dir.resolve("b.log");
		EmbeddedSluice s = builder(registry)
			.output("cfile", "match", "*", "id", "first", "path", a.toString())
			.output("cfile", "match", "*", "id", "second", "path", b.toString(), "retry_first", "1")
			.build()
			.start();
		try {
			LibInput lib = s.plugin("lib.0", LibInput.class);
			// one append: both records in one chunk
			lib.push(List.of(new LogEvent(new EventTime(1_700_000_000L, 5), Map.of("msg", "hello")),
					new LogEvent(new EventTime(1_700_000_001L, 0), Map.of("msg", "world", "n", 2L))));
			Await.until(Duration.ofSeconds(20), "both instances delivered",
					() -> lines(a).stream().anyMatch((l) -> l.contains("rc=1"))
							&& lines(b).stream().anyMatch((l) -> l.contains("rc=1")));
		}
		finally {
			s.stop();
		}
		assertThat(lines(a)).first().isEqualTo("init id=first unset=null");
		assertThat(lines(a)).filteredOn((l) -> l.startsWith("flush")).allMatch((l) -> l.contains("id=first tag=t"));
		assertThat(lines(a)).last().isEqualTo("exit id=first");
		// the second instance answered RETRY once, then OK with the same chunk
		List<String> flushesB = lines(b).stream().filter((l) -> l.startsWith("flush")).toList();
		assertThat(flushesB).hasSize(2);
		assertThat(flushesB.get(0)).startsWith("flush id=second tag=t").endsWith("rc=2");
		assertThat(flushesB.get(1)).startsWith("flush id=second tag=t").endsWith("rc=1");
		assertThat(lines(b)).last().isEqualTo("exit id=second");
		for (Path p : List.of(a, b)) {
			List<LogEvent> events = EventDecoder.decode(Files.readAllBytes(Path.of(p + ".bin")));
			assertThat(events).extracting((e) -> e.body().get("msg")).containsExactly("hello", "world");
			assertThat(events.get(0).time()).isEqualTo(new EventTime(1_700_000_000L, 5));
			assertThat(events.get(1).body()).containsEntry("n", 2L);
		}
	}

	@Test
	void usesFlushAndExitWithoutContextWhenFlushCtxIsNotExported() throws Exception {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.Loaded loaded = ExternalPlugins.load(registry, List.of(NativeBuild.c("cflat", "NO_CTX")));
		assertThat(loaded.libraries().get(0).hasFlushCtx()).isFalse();
		Path a = this.dir.resolve("flat.log");
		EmbeddedSluice s = builder(registry).output("cflat", "match", "*", "id", "flat", "path", a.toString())
			.build()
			.start();
		try {
			s.plugin("lib.0", LibInput.class).push(new EventTime(1, 0), Map.of("msg", "x"));
			Await.until(Duration.ofSeconds(20), "delivered", () -> lines(a).stream().anyMatch((l) -> l.contains("rc=1")));
		}
		finally {
			s.stop();
		}
		assertThat(lines(a)).contains("flush id=flat tag=t bytes=" + Files.size(Path.of(a + ".bin")) + " rc=1");
		assertThat(lines(a)).last().isEqualTo("exit (no context)");
	}

	@Test
	void initFailureIsAnErrorOfThatInstanceNamingThePlugin() {
		PluginRegistry registry = PluginRegistry.builtin();
		ExternalPlugins.load(registry, List.of(NativeBuild.c("cfile")));
		Path ok = this.dir.resolve("ok.log");
		EmbeddedSluice s = builder(registry).output("cfile", "match", "*", "id", "good", "path", ok.toString())
			.output("cfile", "match", "*", "id", "bad", "fail_init", "yes")
			.build();
		assertThatThrownBy(s::start).isInstanceOf(ConfigException.class)
			.hasMessageContaining("cfile.1")
			.hasMessageContaining("plugin 'cfile' failed to initialize")
			.hasMessageNotContaining("cfile.0");
		// the healthy instance was initialised, and exited when start-up was abandoned
		assertThat(lines(ok)).containsExactly("init id=good unset=null", "exit id=good");
	}

	@Test
	void rejectsSharedObjectsThatAreNotOutputPlugins() {
		PluginRegistry registry = PluginRegistry.builtin();
		Path none = NativeBuild.cSource("notaplugin", "int something(void) { return 1; }\n");
		assertThatThrownBy(() -> ExternalPlugins.load(registry, List.of(none)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining(none.toString())
			.hasMessageContaining("FLBPluginRegister not found");
		Path input = NativeBuild.cSource("ginput", """
				#include <string.h>
				struct def { int type; int proxy; int flags; char *name; char *description; };
				int FLBPluginRegister(void *p) { struct def *d = p; d->type = 1; d->proxy = 11;
				    d->name = strdup("gin"); d->description = strdup("in"); return 0; }
				int FLBPluginInit(void *p) { return 1; }
				""");
		assertThatThrownBy(() -> ExternalPlugins.load(registry, List.of(input)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining("'gin' is an input plugin");
		assertThatThrownBy(() -> ExternalPlugins.load(registry, List.of(this.dir.resolve("missing.so"))))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining("missing.so: no such file");
	}

	@Test
	void aNameAlreadyRegisteredIsAnError() {
		PluginRegistry registry = PluginRegistry.builtin();
		Path stdout = NativeBuild.c("stdout");
		assertThatThrownBy(() -> ExternalPlugins.load(registry, List.of(stdout)))
			.isInstanceOf(ExternalPluginException.class)
			.hasMessageContaining(stdout.toString())
			.hasMessageContaining("already registered from builtin");
	}
}
