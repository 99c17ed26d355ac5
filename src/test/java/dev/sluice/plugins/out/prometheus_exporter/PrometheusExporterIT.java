package dev.sluice.plugins.out.prometheus_exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.testing.Ports;

/**
 * What prometheus_exporter serves for fluentbit_metrics passes {@code promtool check metrics}
 * (Debian package {@code prometheus}, installed by {@code bin/verify}).
 */
class PrometheusExporterIT {

	private final PrometheusExporterTest pipeline = new PrometheusExporterTest();

	@AfterEach
	void close() throws Exception {
		this.pipeline.close();
	}

	@Test
	void scrapePassesPromtool() throws Exception {
		int port = Ports.free();
		this.pipeline.start(port);
		String text = PrometheusExporterTest.scrape(port);
		Process p;
		try {
			p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
		}
		catch (java.io.IOException ex) {
			throw new AssertionError("promtool is needed (Debian package prometheus; bin/verify installs it)", ex);
		}
		p.getOutputStream().write(text.getBytes());
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes());
		int code = p.waitFor();
		// exit 3 is lint only: Fluent Bit's own names fluentbit_uptime and fluentbit_hot_reloaded_times
		assertThat(code).as("promtool check metrics:\n%s\n%s", out, text).isIn(0, 3);
		List<String> problems = out.lines().filter((l) -> !l.isBlank()).toList();
		assertThat(problems).as("promtool lint").allMatch(
				(l) -> l.equals("fluentbit_uptime counter metrics should have \"_total\" suffix")
						|| l.equals("fluentbit_hot_reloaded_times counter metrics should have \"_total\" suffix"));
	}
}
