package dev.sluice.engine;

import java.util.concurrent.TimeUnit;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.config.PipelineDefinition;
import dev.sluice.plugin.PluginRegistry;

/**
 * Sluice embedded in a Java program, without Spring or the command line: Fluent Bit's library
 * mode ({@code flb_create}, {@code flb_input}, {@code flb_output_set}, {@code flb_start}). Used by
 * runtime tests to run real pipelines in-process.
 *
 * <pre>{@code
 * try (EmbeddedSluice s = EmbeddedSluice.builder()
 *         .service("flush", "0.2")
 *         .input("lib", "tag", "app")
 *         .output("lib", "match", "*")
 *         .build()) {
 *     s.start();
 *     s.plugin("lib.0", LibInput.class).push(EventTime.now(), Map.of("a", 1));
 * }
 * }</pre>
 */
public final class EmbeddedSluice implements AutoCloseable {

	private final Engine engine;

	private boolean started;

	private EmbeddedSluice(Engine engine) {
		this.engine = engine;
	}

	/** Binds and validates a configuration document (throws ConfigException with every error). */
	public static EmbeddedSluice of(ConfigDocument doc, PluginRegistry registry, long unitMillis) {
		return new EmbeddedSluice(new Engine(PipelineDefinition.build(doc, registry), unitMillis));
	}

	public static EmbeddedSluice of(ConfigDocument doc) {
		return of(doc, PluginRegistry.builtin(), 1000);
	}

	public static Builder builder() {
		return new Builder();
	}

	public Engine engine() {
		return this.engine;
	}

	public EmbeddedSluice start() {
		this.engine.start();
		this.started = true;
		return this;
	}

	/** The plugin object of an instance, by name ({@code lib.0}) or alias, and type. */
	public <T> T plugin(String instance, Class<T> type) {
		for (InstanceBase b : instances()) {
			if ((b.name().equals(instance) || b.displayName().equals(instance)) && type.isInstance(b.plugin())) {
				return type.cast(b.plugin());
			}
		}
		throw new IllegalArgumentException("no instance named '" + instance + "'");
	}

	public InputInstance input(String instance) {
		return this.engine.inputs().stream()
			.filter((i) -> i.name().equals(instance) || i.displayName().equals(instance))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no input named '" + instance + "'"));
	}

	public OutputInstance output(String instance) {
		return this.engine.outputs().stream()
			.filter((i) -> i.name().equals(instance) || i.displayName().equals(instance))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no output named '" + instance + "'"));
	}

	public FilterInstance filter(String instance) {
		return this.engine.filters().stream()
			.filter((i) -> i.name().equals(instance) || i.displayName().equals(instance))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no filter named '" + instance + "'"));
	}

	private java.util.List<InstanceBase> instances() {
		java.util.List<InstanceBase> all = new java.util.ArrayList<>();
		all.addAll(this.engine.inputs());
		all.addAll(this.engine.filters());
		all.addAll(this.engine.outputs());
		return all;
	}

	/** Stops gracefully (flushing within the grace period) and waits. */
	public void stop() {
		if (this.started) {
			this.engine.shutdown();
			this.started = false;
		}
	}

	public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
		return this.engine.awaitStopped(timeout, unit);
	}

	@Override
	public void close() {
		stop();
	}

	/** Builds a configuration section by section, as the command line does. */
	public static final class Builder {

		private final ConfigDocument doc = new ConfigDocument(null);

		private PluginRegistry registry;

		private long unitMillis = 1000;

		private ConfigSection last;

		private Builder() {
		}

		public Builder service(String key, String value) {
			this.doc.service().set(key, value, Origin.COMMAND_LINE);
			return this;
		}

		public Builder input(String name, String... keyValues) {
			return section("input", name, keyValues);
		}

		public Builder filter(String name, String... keyValues) {
			return section("filter", name, keyValues);
		}

		public Builder output(String name, String... keyValues) {
			return section("output", name, keyValues);
		}

		/** Adds a {@code [PARSER]} (as a YAML {@code parsers:} entry) named {@code name}. */
		public Builder parser(String name, String... keyValues) {
			return section("parser", name, keyValues);
		}

		/** Adds a {@code [MULTILINE_PARSER]} named {@code name}; add rules with {@link #property}. */
		public Builder multilineParser(String name, String... keyValues) {
			return section("multiline_parser", name, keyValues);
		}

		/** Adds a property to the last section (repeatable keys may be added several times). */
		public Builder property(String key, String value) {
			this.last.add(key, value, Origin.COMMAND_LINE);
			return this;
		}

		public Builder registry(PluginRegistry registry) {
			this.registry = registry;
			return this;
		}

		/** Length of a retry/grace "second", for tests. */
		public Builder unitMillis(long unitMillis) {
			this.unitMillis = unitMillis;
			return this;
		}

		private Builder section(String type, String name, String... keyValues) {
			if (keyValues.length % 2 != 0) {
				throw new IllegalArgumentException("key/value pairs expected");
			}
			ConfigSection s = new ConfigSection(type, Origin.COMMAND_LINE);
			s.add("name", name, Origin.COMMAND_LINE);
			for (int i = 0; i < keyValues.length; i += 2) {
				s.add(keyValues[i], keyValues[i + 1], Origin.COMMAND_LINE);
			}
			this.doc.sections().add(s);
			this.last = s;
			return this;
		}

		public ConfigDocument document() {
			return this.doc;
		}

		public EmbeddedSluice build() {
			return EmbeddedSluice.of(this.doc, (this.registry != null) ? this.registry : PluginRegistry.builtin(),
					this.unitMillis);
		}
	}
}
