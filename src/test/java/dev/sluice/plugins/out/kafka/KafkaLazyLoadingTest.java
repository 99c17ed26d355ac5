package dev.sluice.plugins.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;

/**
 * The Kafka client is loaded only when a kafka plugin is configured: a fresh JVM runs a pipeline
 * with class loading logged, without and then with a kafka output.
 */
class KafkaLazyLoadingTest {

	/** Runs a pipeline: dummy → null, or dummy → kafka (to an unreachable broker) with "kafka". */
	public static void main(String[] args) throws Exception {
		EmbeddedSluice.Builder b = EmbeddedSluice.builder().service("flush", "0.2").input("dummy", "tag", "t");
		if (args.length > 0 && args[0].equals("kafka")) {
			b.output("kafka", "match", "*", "brokers", "127.0.0.1:9", "topics", "t");
		}
		else {
			b.output("null", "match", "*");
		}
		try (EmbeddedSluice s = b.build()) {
			s.start();
		}
	}

	private static String loadedClasses(String mode) throws IOException, InterruptedException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xlog:class+load=info:stdout", "-cp",
				System.getProperty("java.class.path"), KafkaLazyLoadingTest.class.getName()));
		if (mode != null) {
			cmd.add(mode);
		}
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		assertThat(out).contains("dev.sluice.plugins.out.kafka.KafkaOutput ");
		return out;
	}

	@Test
	void noKafkaClassIsLoadedWithoutAKafkaPlugin() throws Exception {
		assertThat(loadedClasses(null)).doesNotContain("org.apache.kafka.");
	}

	@Test
	void aKafkaOutputLoadsTheClient() throws Exception {
		assertThat(loadedClasses("kafka")).contains("org.apache.kafka.clients.producer.KafkaProducer ");
	}
}
