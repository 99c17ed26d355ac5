package dev.sluice.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The packaged binary with the OpenTelemetry and metrics plugins: OTLP in (gRPC from the SDK,
 * HTTP protobuf), OTLP out to a recording HTTP server, and fluentbit_metrics served by
 * prometheus_exporter.
 */
class OpenTelemetryBinaryIT {

	@TempDir
	Path dir;

	@Test
	void otlpInOtlpOutAndPrometheusExporter() throws Exception {
		Map<String, List<byte[]>> got = new ConcurrentHashMap<>();
		HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
		peer.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		peer.createContext("/", (ex) -> {
			got.computeIfAbsent(ex.getRequestURI().getPath(), (k) -> new CopyOnWriteArrayList<>())
				.add(ex.getRequestBody().readAllBytes());
			ex.sendResponseHeaders(200, -1);
			ex.close();
		});
		peer.start();
		int otlpPort = Ports.free();
		int promPort = Ports.free();
		Path conf = this.dir.resolve("fluent-bit.conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush      0.2

				[INPUT]
				    Name     opentelemetry
				    Listen   127.0.0.1
				    Port     %d

				[INPUT]
				    Name            fluentbit_metrics
				    Tag             internal
				    Scrape_Interval 1
				    Scrape_On_Start on

				[OUTPUT]
				    Name   opentelemetry
				    Match  v1_*
				    Host   127.0.0.1
				    Port   %d

				[OUTPUT]
				    Name       prometheus_exporter
				    Match      internal
				    Host       127.0.0.1
				    Port       %d
				    Add_Label  role sidecar
				""".formatted(otlpPort, peer.getAddress().getPort(), promPort));
		try (SluiceProcess p = SluiceProcess.start(this.dir, "-c", conf.toString())) {
			p.awaitStderr("the OTLP listener", (s) -> s.contains("[input:opentelemetry:opentelemetry.0] listening on"));
			byte[] metrics = ExportMetricsServiceRequest.newBuilder()
				.addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
					.addMetrics(Metric.newBuilder().setName("queue_depth").setGauge(Gauge.newBuilder()
						.addDataPoints(NumberDataPoint.newBuilder().setAsInt(42)
							.addAttributes(KeyValue.newBuilder().setKey("q").setValue(AnyValue.newBuilder().setStringValue("a"))))))))
				.build()
				.toByteArray();
			try (HttpClient c = HttpClient.newHttpClient()) {
				HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpPort + "/v1/metrics"))
					.header("Content-Type", "application/x-protobuf")
					.POST(HttpRequest.BodyPublishers.ofByteArray(metrics))
					.build(), HttpResponse.BodyHandlers.discarding());
				assertThat(r.statusCode()).isEqualTo(201);
			}
			SdkLoggerProvider logs = SdkLoggerProvider.builder()
				.setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")))
				.addLogRecordProcessor(SimpleLogRecordProcessor.create(
						OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + otlpPort).build()))
				.build();
			try {
				logs.get("it").logRecordBuilder().setBody("from the sdk").emit();
				assertThat(logs.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
			}
			finally {
				logs.shutdown().join(10, TimeUnit.SECONDS);
			}
			Await.until(Duration.ofSeconds(30), "metrics and logs at the peer",
					() -> !got.getOrDefault("/v1/metrics", List.of()).isEmpty()
							&& !got.getOrDefault("/v1/logs", List.of()).isEmpty());
			assertThat(got.get("/v1/metrics").get(0)).isEqualTo(metrics);
			ExportLogsServiceRequest sent = ExportLogsServiceRequest.parseFrom(got.get("/v1/logs").get(0));
			assertThat(sent.getResourceLogs(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("checkout");
			assertThat(sent.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getKvlistValue().getValues(0)
				.getValue().getStringValue()).isEqualTo("from the sdk");

			String scrape = Await.value(Duration.ofSeconds(30), "opentelemetry.0 counted at /metrics", () -> {
				try (HttpClient c = HttpClient.newHttpClient()) {
					return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + "/metrics")).build(),
							HttpResponse.BodyHandlers.ofString()).body();
				}
				catch (Exception ex) {
					return "";
				}
			}, (s) -> s.contains("fluentbit_input_records_total{name=\"opentelemetry.0\",role=\"sidecar\"} 2"));
			assertThat(scrape).contains("# TYPE fluentbit_output_proc_records_total counter");
			p.terminate();
			assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
		}
		finally {
			peer.stop(0);
		}
	}
}
