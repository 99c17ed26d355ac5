package dev.sluice.plugins.out.prometheus_exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.otlp.Otlp;
import dev.sluice.plugins.otlp.OtlpMetrics;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/** fluentbit_metrics into prometheus_exporter, scraped over HTTP; and the OTLP to Prometheus text rendering. */
class PrometheusExporterTest {

	static final Duration DEADLINE = Duration.ofSeconds(30);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	/** dummy into null, and fluentbit_metrics (tag {@code internal}) into a prometheus_exporter on {@code port}. */
	EmbeddedSluice start(int port) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.1")
			.input("dummy", "tag", "app", "rate", "20")
			.input("fluentbit_metrics", "tag", "internal", "scrape_interval", "1", "scrape_on_start", "on")
			.output("null", "match", "app")
			.output("prometheus_exporter", "match", "internal", "host", "127.0.0.1", "port", String.valueOf(port),
					"add_label", "app sluice", "add_label", "env test")
			.build();
		this.closeables.add(s);
		return s.start();
	}

	static HttpResponse<String> get(int port, String path) throws Exception {
		try (HttpClient c = HttpClient.newHttpClient()) {
			return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
	}

	/** Scrapes until the dummy input's record counter is above 0. */
	static String scrape(int port) {
		return Await.value(DEADLINE, "a scrape counting dummy.0's records", () -> {
			try {
				return get(port, "/metrics").body();
			}
			catch (Exception ex) {
				return "";
			}
		}, (b) -> b.lines().anyMatch((l) -> l.startsWith("fluentbit_input_records_total{name=\"dummy.0\"") && !l.endsWith(" 0")));
	}

	@Test
	void servesSluicesOwnMetricsWithAddedLabels() throws Exception {
		int port = Ports.free();
		start(port);
		String body = scrape(port);
		assertThat(body).contains("# HELP fluentbit_input_records_total Number of input records.\n"
				+ "# TYPE fluentbit_input_records_total counter\n");
		assertThat(body).containsPattern("fluentbit_input_records_total\\{name=\"dummy.0\",app=\"sluice\",env=\"test\"\\} [1-9]\\d*\n");
		assertThat(body).contains("# TYPE fluentbit_uptime counter").contains("# TYPE fluentbit_input_ingestion_paused gauge");
		assertThat(body).containsPattern("fluentbit_build_info\\{hostname=\"[^\"]*\",version=\"[^\"]+\",os=\"linux\",app=\"sluice\",env=\"test\"\\} 1");
		HttpResponse<String> r = get(port, "/metrics");
		assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
		assertThat(get(port, "/other").statusCode()).isEqualTo(404);
	}

	@Test
	void aTakenPortIsBoundOnceItIsFreeAsDuringAHotReload() throws Exception {
		int port = Ports.free();
		try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
			taken.bind(new java.net.InetSocketAddress("127.0.0.1", port));
			start(port);
		}
		assertThat(scrape(port)).contains("fluentbit_input_records_total");
	}

	@Test
	void fluentbitMetricsEmitsMetricsEventsHoldingAnOtlpRequest() throws Exception {
		List<ExportMetricsServiceRequest> got = new CopyOnWriteArrayList<>();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.1")
			.input("fluentbit_metrics", "tag", "internal", "scrape_on_start", "on")
			.output("lib", "match", "*").build();
		this.closeables.add(s);
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			assertThat(chunk.eventType()).isEqualTo(1);
			for (byte[] p : Otlp.payloads(chunk.events())) {
				got.add(ExportMetricsServiceRequest.parseFrom(p));
			}
			return FlushResult.OK;
		});
		s.start();
		Await.until(DEADLINE, "a scrape", () -> !got.isEmpty());
		List<String> names = got.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
			.map(Metric::getName).toList();
		assertThat(names).contains("fluentbit_uptime", "fluentbit_input_records_total", "fluentbit_output_proc_records_total");
		Metric records = got.get(0).getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
			.filter((m) -> m.getName().equals("fluentbit_input_records_total")).findFirst().orElseThrow();
		assertThat(records.getSum().getIsMonotonic()).isTrue();
		assertThat(records.getSum().getDataPoints(0).getAttributes(0).getKey()).isEqualTo("name");
		assertThat(records.getSum().getDataPoints(0).getAttributes(0).getValue().getStringValue()).isEqualTo("fluentbit_metrics.0");
	}

	@Test
	void histogramsRenderAsCumulativeBuckets() {
		ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
				.addMetrics(Metric.newBuilder().setName("http.latency").setDescription("Latency.")
					.setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder()
						.addAttributes(KeyValue.newBuilder().setKey("route").setValue(AnyValue.newBuilder().setStringValue("/a")))
						.addExplicitBounds(0.1).addExplicitBounds(1)
						.addBucketCounts(2).addBucketCounts(3).addBucketCounts(1)
						.setCount(6).setSum(4.5))))))
			.build();
		assertThat(OtlpMetrics.toPrometheus(List.of(req), List.of(), false)).isEqualTo("""
				# HELP http_latency Latency.
				# TYPE http_latency histogram
				http_latency_bucket{route="/a",le="0.1"} 2
				http_latency_bucket{route="/a",le="1"} 5
				http_latency_bucket{route="/a",le="+Inf"} 6
				http_latency_sum{route="/a"} 4.5
				http_latency_count{route="/a"} 6
				""");
	}
}
