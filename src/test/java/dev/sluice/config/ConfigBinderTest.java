package dev.sluice.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OptionType;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigBinderTest {

	static class Opts {
		@ConfigOption(name = "host", description = "h", defaultValue = "127.0.0.1")
		public String host;

		@ConfigOption(name = "port", description = "p", defaultValue = "24224")
		public int port;

		@ConfigOption(name = "compress", description = "c", defaultValue = "off")
		public boolean compress;

		@ConfigOption(name = "buffer_size", description = "b", defaultValue = "32k", type = OptionType.SIZE)
		public long bufferSize;

		@ConfigOption(name = "timeout", description = "t", defaultValue = "10s")
		public Duration timeout;

		@ConfigOption(name = "interval", description = "i", defaultValue = "1m", type = OptionType.TIME)
		public int interval;

		@ConfigOption(name = "ratio", description = "r", defaultValue = "0.5")
		public double ratio;

		@ConfigOption(name = "paths", description = "p", type = OptionType.CLIST)
		public List<String> paths;

		@ConfigOption(name = "header", description = "h", multiple = true)
		public List<String> headers;

		@ConfigOption(name = "rule", description = "r", type = OptionType.SLIST, multiple = true, maxSplit = 1)
		public List<List<String>> rules;

		@ConfigOption(name = "rdkafka.", description = "k", type = OptionType.PREFIX)
		public Map<String, String> rdkafka;

		@ConfigOption(name = "shared_key", description = "s", secret = true)
		public String sharedKey;
	}

	@Plugin(kind = PluginKind.OUTPUT, name = "fake", description = "test", config = Opts.class)
	static final class Fake implements OutputPlugin<Opts> {
		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.OK;
		}
	}

	private static PluginRegistry registry() {
		PluginRegistry r = new PluginRegistry();
		r.register(PluginDescriptor.of(Fake.class));
		return r;
	}

	private static ConfigDocument doc(String... kv) {
		ConfigDocument d = new ConfigDocument(null);
		ConfigSection s = new ConfigSection("output", new Origin("test.conf", 10));
		s.add("Name", "fake", new Origin("test.conf", 11));
		for (int i = 0; i < kv.length; i += 2) {
			s.add(kv[i], kv[i + 1], new Origin("test.conf", 12 + i / 2));
		}
		d.sections().add(s);
		return d;
	}

	@Test
	void bindsEveryTypeAndAppliesDefaults() {
		PipelineDefinition p = PipelineDefinition.build(doc("PORT", "9000", "Compress", "On", "paths", "a, b",
				"header", "X-A 1", "header", "X-B 2", "rule", "key  ^a b$", "rule", "k2 v", "rdkafka.acks", "all",
				"match", "*", "retry_limit", "no_limits"), registry());
		Opts o = (Opts) p.outputs().get(0).config();
		assertThat(o.host).isEqualTo("127.0.0.1");
		assertThat(o.port).isEqualTo(9000);
		assertThat(o.compress).isTrue();
		assertThat(o.bufferSize).isEqualTo(32_000);
		assertThat(o.timeout).isEqualTo(Duration.ofSeconds(10));
		assertThat(o.interval).isEqualTo(60);
		assertThat(o.ratio).isEqualTo(0.5);
		assertThat(o.paths).containsExactly("a", "b");
		assertThat(o.headers).containsExactly("X-A 1", "X-B 2");
		assertThat(o.rules).containsExactly(List.of("key", "^a b$"), List.of("k2", "v"));
		assertThat(o.rdkafka).containsEntry("acks", "all");
		OutputCommonConfig c = p.outputs().get(0).commonAs(OutputCommonConfig.class);
		assertThat(c.match).isEqualTo("*");
		assertThat(c.retryLimit).isEqualTo("no_limits");
		assertThat(p.outputs().get(0).name()).isEqualTo("fake.0");
	}

	@Test
	void everyErrorIsReportedWithFileLineAndNearestKey() {
		assertThatThrownBy(() -> PipelineDefinition.build(
				doc("prot", "1", "port", "many", "compress", "maybe", "host", "a", "host", "b", "shared_key", "s3cr3t",
						"timeout", "soon"),
				registry()))
			.isInstanceOfSatisfying(ConfigException.class, (ex) -> {
				assertThat(ex.errors()).hasSize(5);
				assertThat(ex.getMessage())
					.contains("error in test.conf:12: fake: unknown configuration property 'prot'. Did you mean 'port'?")
					.contains("The following properties are allowed: host, port, compress, buffer_size, timeout,"
							+ " interval, ratio, paths, header, rule, rdkafka., and shared_key.")
					.contains("error in test.conf:13: fake: invalid value for integer property 'port=many': expected an integer")
					.contains("test.conf:14: fake: invalid value for boolean property 'compress=maybe'")
					.contains("test.conf:16: fake: configuration property 'host' is set 2 times")
					.contains("test.conf:18: fake: invalid value for time property 'timeout=soon'")
					.doesNotContain("s3cr3t");
			});
	}

	@Test
	void unknownPluginNamesTheSectionAndSuggests() {
		ConfigDocument d = new ConfigDocument(null);
		ConfigSection s = new ConfigSection("output", new Origin("x.conf", 3));
		s.add("name", "fak", new Origin("x.conf", 4));
		d.sections().add(s);
		assertThatThrownBy(() -> PipelineDefinition.build(d, registry()))
			.hasMessageContaining("x.conf:4: section 'output' tried to instance a plugin name that doesn't exist: 'fak'"
					+ " (did you mean 'fake'?)");
	}

	@Test
	void serviceSectionIgnoresUnknownKeysAndBindsKnownOnes() {
		ConfigDocument d = new ConfigDocument(null);
		d.service().add("Flush", "0.5", Origin.DEFAULT).add("no_such_key", "x", Origin.DEFAULT).add("HTTP_Server", "On",
				Origin.DEFAULT);
		PipelineDefinition p = PipelineDefinition.build(d, registry());
		assertThat(p.service().flush).isEqualTo(0.5);
		assertThat(p.service().httpServer).isTrue();
		assertThat(p.service().httpPort).isEqualTo(2020);
		assertThat(p.service().grace).isEqualTo(5);
	}

	@Test
	void nearestKeyUsesEditDistance() {
		assertThat(ConfigBinder.levenshtein("kitten", "sitting")).isEqualTo(3);
		assertThat(ConfigBinder.levenshtein("", "abc")).isEqualTo(3);
		assertThat(ConfigBinder.levenshtein("port", "port")).isZero();
	}
}
