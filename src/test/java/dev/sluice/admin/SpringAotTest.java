package dev.sluice.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sluice.plugin.PluginRegistry;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring started from the bean definitions the build generated (Spring AOT, used with the HTTP
 * server when target/classes holds them, i.e. after {@code ./mvnw package}) serves what Spring
 * started the ordinary way ({@code -Dsluice.spring.aot=false}) serves: the same actuator
 * endpoints, health components and groups, and meters. Without generated classes both runs are
 * ordinary ones.
 */
class SpringAotTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@Test
	void generatedAndOrdinaryStartServeTheSame() throws Exception {
		Map<String, Object> ordinary = observe("false");
		Map<String, Object> generated = observe(null);
		assertThat(generated).isEqualTo(ordinary);
		assertThat(ordinary.get("health components").toString()).contains("engine", "pipeline", "livenessState",
				"readinessState", "diskSpace", "ping");
		assertThat(ordinary.get("meters").toString()).contains("fluentbit_input_records_total", "jvm_memory_used_bytes",
				"process_cpu_usage");
	}

	private Map<String, Object> observe(String springAot) throws Exception {
		String before = System.getProperty("sluice.spring.aot");
		if (springAot != null) {
			System.setProperty("sluice.spring.aot", springAot);
		}
		int port = Ports.free();
		Path conf = Files.createTempFile(this.dir, "sluice", ".conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush        0.1
				    HTTP_Server  On
				    HTTP_Listen  127.0.0.1
				    HTTP_Port    %d

				[INPUT]
				    Name   dummy
				    Tag    app

				[OUTPUT]
				    Name   null
				    Match  *
				""".formatted(port));
		try (RunningService service = new RunningService(conf, port, PluginRegistry.builtin())) {
			Map<String, Object> seen = new TreeMap<>();
			JsonNode links = JSON.readTree(Http.bodyOrNull(service.url("/actuator"))).get("_links");
			seen.put("actuator links", new TreeSet<>(links.propertyNames()));
			JsonNode health = JSON.readTree(Http.bodyOrNull(service.url("/actuator/health")));
			seen.put("health components", new TreeSet<>(health.get("components").propertyNames()));
			seen.put("health groups", health.get("groups").toString());
			for (String probe : new String[] { "liveness", "readiness" }) {
				JsonNode p = JSON.readTree(Http.bodyOrNull(service.url("/actuator/health/" + probe)));
				seen.put(probe, new TreeSet<>(p.get("components").propertyNames()) + " " + p.get("status"));
			}
			seen.put("info", Http.bodyOrNull(service.url("/actuator/info")));
			seen.put("meters", meterNames(Http.bodyOrNull(service.url("/actuator/prometheus"))));
			var unknown = Http.get(service.url("/api/v1/nope"));
			seen.put("unknown path", unknown.statusCode() + " '" + unknown.body() + "'");
			return seen;
		}
		finally {
			if (before == null) {
				System.clearProperty("sluice.spring.aot");
			}
			else {
				System.setProperty("sluice.spring.aot", before);
			}
		}
	}

	/** The meter families, less those that only appear once something happened (a collection). */
	private static Set<String> meterNames(String exposition) {
		return Arrays.stream(exposition.split("\n"))
			.filter((l) -> !l.startsWith("#") && !l.isBlank())
			.map((l) -> l.replaceAll("[{ ].*", ""))
			.filter((n) -> !n.startsWith("jvm_gc_pause"))
			.collect(Collectors.toCollection(TreeSet::new));
	}
}
