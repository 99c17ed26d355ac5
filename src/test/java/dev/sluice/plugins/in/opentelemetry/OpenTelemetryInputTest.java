package dev.sluice.plugins.in.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventDecoder;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.otlp.Otlp;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The opentelemetry input receiving from the OpenTelemetry Java SDK's OTLP exporters (HTTP
 * protobuf, gzip, gRPC) and hand-made OTLP/JSON and bad requests.
 */
class OpenTelemetryInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(30);

	static final Resource RESOURCE = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout"));

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private int port;

	/** What reached the output: tag, event type and every event including group markers. */
	record Received(String tag, int type, List<LogEvent> events, EventBytes raw) {
	}

	private final List<Received> received = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	private EmbeddedSluice start(String... extra) {
		this.port = Ports.free();
		List<String> kv = new ArrayList<>(List.of("listen", "127.0.0.1", "port", String.valueOf(this.port)));
		kv.addAll(List.of(extra));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("opentelemetry", kv.toArray(String[]::new)).output("lib", "match", "*").build();
		this.closeables.add(s);
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			this.received.add(new Received(chunk.tag(), chunk.eventType(), all(chunk.events()), chunk.events()));
			return FlushResult.OK;
		});
		s.start();
		return s;
	}

	/** Every event including group markers. */
	static List<LogEvent> all(EventBytes b) throws Exception {
		List<LogEvent> out = new ArrayList<>();
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b.data(), b.offset(), b.length())) {
			while (u.hasNext()) {
				out.add(EventDecoder.readEvent(u));
			}
		}
		return out;
	}

	private List<LogEvent> logEvents(int records) {
		return Await.value(DEADLINE, records + " log records", () -> {
			List<LogEvent> l = new ArrayList<>();
			for (Received r : this.received) {
				if (r.type == 0) {
					l.addAll(r.events);
				}
			}
			return l;
		}, (l) -> l.stream().filter((e) -> e.time().seconds() >= 0).count() >= records);
	}

	private void emitLogs(LogRecordExporter exporter, String... bodies) {
		SdkLoggerProvider p = SdkLoggerProvider.builder()
			.setResource(RESOURCE)
			.addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
			.build();
		try {
			var logger = p.loggerBuilder("shop.cart").setInstrumentationVersion("1.2.3").build();
			for (String b : bodies) {
				logger.logRecordBuilder()
					.setBody(b)
					.setSeverity(Severity.WARN)
					.setSeverityText("WARN")
					.setAttribute(AttributeKey.stringKey("user"), "ann")
					.setTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
					.emit();
			}
			CompletableResultCode r = p.forceFlush().join(20, TimeUnit.SECONDS);
			assertThat(r.isSuccess()).as("export succeeded").isTrue();
		}
		finally {
			p.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	private void assertOtlpLogs(List<LogEvent> events, String... bodies) {
		// group start, records, group end
		LogEvent start = events.get(0);
		assertThat(start.time().seconds()).isEqualTo(-1);
		assertThat(start.metadata()).containsEntry("schema", "otlp").containsEntry("resource_id", 0L).containsEntry("scope_id", 0L);
		@SuppressWarnings("unchecked")
		Map<String, Object> resource = (Map<String, Object>) start.body().get("resource");
		assertThat(resource.get("attributes")).isInstanceOf(Map.class);
		assertThat(((Map<?, ?>) resource.get("attributes")).get("service.name")).isEqualTo("checkout");
		assertThat(start.body().get("scope")).isEqualTo(Map.of("name", "shop.cart", "version", "1.2.3"));
		// SimpleLogRecordProcessor exports each record alone: one group per request
		List<LogEvent> records = events.stream().filter((e) -> e.time().seconds() >= 0).toList();
		assertThat(records).hasSize(bodies.length);
		// the SDK exports records concurrently: their requests may arrive in any order
		assertThat(records.stream().map(LogEvent::body).toList())
			.containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(bodies).map((b) -> Map.<String, Object>of("log", b)).toList());
		for (int i = 0; i < bodies.length; i++) {
			LogEvent r = records.get(i);
			assertThat(r.time().seconds()).isEqualTo(1_700_000_000L);
			assertThat(r.time().nanos()).isEqualTo(123_456_789);
			@SuppressWarnings("unchecked")
			Map<String, Object> otlp = (Map<String, Object>) r.metadata().get("otlp");
			assertThat(otlp).containsEntry("severity_number", 13L)
				.containsEntry("severity_text", "WARN")
				.containsEntry("timestamp", 1_700_000_000_123_456_789L)
				.containsEntry("attributes", Map.of("user", "ann"))
				.containsEntry("trace_flags", 0L);
		}
		assertThat(events.get(1).time().seconds()).isGreaterThanOrEqualTo(0);
		assertThat(events.get(2).time().seconds()).isEqualTo(-2);
		assertThat(events.getLast().time().seconds()).isEqualTo(-2);
	}

	@Test
	void logsOverHttpProtobufFromTheSdkBecomeGroupedRecords() throws Exception {
		start();
		LogRecordExporter e = OtlpHttpLogRecordExporter.builder()
			.setEndpoint("http://127.0.0.1:" + this.port + "/v1/logs")
			.build();
		emitLogs(e, "hello", "world");
		List<LogEvent> events = logEvents(2);
		assertOtlpLogs(events, "hello", "world");
		assertThat(this.received.get(0).tag()).isEqualTo("v1_logs");
		assertThat(this.received.stream().mapToInt((r) -> r.raw().records()).sum()).as("group markers are not counted")
			.isEqualTo(2);
	}

	@Test
	void logsOverHttpGzip() throws Exception {
		start("tag", "otel", "tag_from_uri", "off");
		LogRecordExporter e = OtlpHttpLogRecordExporter.builder()
			.setEndpoint("http://127.0.0.1:" + this.port + "/v1/logs")
			.setCompression("gzip")
			.build();
		emitLogs(e, "zipped");
		assertOtlpLogs(logEvents(1), "zipped");
		assertThat(this.received.get(0).tag()).isEqualTo("otel");
	}

	@Test
	void logsOverGrpcFromTheSdk() throws Exception {
		start();
		LogRecordExporter e = OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + this.port).build();
		emitLogs(e, "via grpc");
		assertOtlpLogs(logEvents(1), "via grpc");
	}

	@Test
	void logsOverGrpcGzip() throws Exception {
		start();
		LogRecordExporter e = OtlpGrpcLogRecordExporter.builder()
			.setEndpoint("http://127.0.0.1:" + this.port)
			.setCompression("gzip")
			.build();
		emitLogs(e, "grpc zipped");
		assertOtlpLogs(logEvents(1), "grpc zipped");
	}

	private void emitMetric(MetricExporter exporter) {
		SdkMeterProvider p = SdkMeterProvider.builder()
			.setResource(RESOURCE)
			.registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
			.build();
		try {
			p.get("shop.meter").counterBuilder("orders_placed").build().add(7, Attributes.of(AttributeKey.stringKey("shop"), "a"));
			assertThat(p.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
		}
		finally {
			p.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	private ExportMetricsServiceRequest receivedMetrics() throws Exception {
		Received r = Await.value(DEADLINE, "a metrics chunk",
				() -> this.received.stream().filter((x) -> x.type == 1).findFirst().orElse(null), (x) -> x != null);
		assertThat(r.tag()).isEqualTo("v1_metrics");
		List<byte[]> payloads = Otlp.payloads(r.raw());
		// one event per request; the SDK's shutdown may export a second time into the same chunk
		assertThat(payloads).isNotEmpty();
		assertThat(r.raw().records()).isEqualTo(payloads.size());
		return ExportMetricsServiceRequest.parseFrom(payloads.get(0));
	}

	@Test
	void metricsOverHttpTravelAsMetricsEventsHoldingTheRequest() throws Exception {
		start();
		emitMetric(OtlpHttpMetricExporter.builder().setEndpoint("http://127.0.0.1:" + this.port + "/v1/metrics").build());
		ExportMetricsServiceRequest req = receivedMetrics();
		var metric = req.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
		assertThat(metric.getName()).isEqualTo("orders_placed");
		assertThat(metric.getSum().getDataPoints(0).getAsInt()).isEqualTo(7);
		assertThat(req.getResourceMetrics(0).getResource().getAttributesList())
			.anyMatch((kv) -> kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals("checkout"));
	}

	@Test
	void metricsOverGrpc() throws Exception {
		start();
		emitMetric(OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + this.port).build());
		assertThat(receivedMetrics().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getName())
			.isEqualTo("orders_placed");
	}

	private void emitSpan(SpanExporter exporter) {
		SdkTracerProvider p = SdkTracerProvider.builder()
			.setResource(RESOURCE)
			.addSpanProcessor(SimpleSpanProcessor.create(exporter))
			.build();
		try {
			Span span = p.get("shop.tracer").spanBuilder("checkout").startSpan();
			span.setAttribute("items", 3);
			span.end();
			assertThat(p.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
		}
		finally {
			p.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	private ExportTraceServiceRequest receivedTraces() throws Exception {
		Received r = Await.value(DEADLINE, "a traces chunk",
				() -> this.received.stream().filter((x) -> x.type == 2).findFirst().orElse(null), (x) -> x != null);
		assertThat(r.tag()).isEqualTo("v1_traces");
		return ExportTraceServiceRequest.parseFrom(Otlp.payloads(r.raw()).get(0));
	}

	@Test
	void tracesOverHttpAndGrpcTravelAsTracesEvents() throws Exception {
		start();
		emitSpan(OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + this.port + "/v1/traces").build());
		assertThat(receivedTraces().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("checkout");
		this.received.clear();
		emitSpan(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + this.port).build());
		var span = receivedTraces().getResourceSpans(0).getScopeSpans(0).getSpans(0);
		assertThat(span.getName()).isEqualTo("checkout");
		assertThat(span.getTraceId().size()).isEqualTo(16);
	}

	private HttpResponse<String> post(HttpClient.Version v, String path, String type, byte[] body) throws Exception {
		try (HttpClient c = HttpClient.newBuilder().version(v).build()) {
			return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Content-Type", type)
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

	static final String JSON_LOGS = """
			{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
			 "scopeLogs":[{"scope":{"name":"shop.cart","version":"1.2.3"},"logRecords":[
			  {"timeUnixNano":"1700000000123456789","severityNumber":13,"severityText":"WARN",
			   "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
			   "body":{"kvlistValue":{"values":[{"key":"msg","value":{"stringValue":"structured"}},{"key":"n","value":{"intValue":"5"}}]}},
			   "attributes":[{"key":"user","value":{"stringValue":"ann"}}]}]}]}]}
			""";

	@Test
	void otlpJsonOverHttp2WithHexIdsAndAKvlistBody() throws Exception {
		start();
		HttpResponse<String> r = post(HttpClient.Version.HTTP_2, "/v1/logs", "application/json",
				JSON_LOGS.getBytes(StandardCharsets.UTF_8));
		assertThat(r.statusCode()).isEqualTo(201);
		List<LogEvent> ev = logEvents(1);
		assertThat(ev.get(1).body()).containsExactly(Map.entry("msg", "structured"), Map.entry("n", 5L));
		@SuppressWarnings("unchecked")
		Map<String, Object> otlp = (Map<String, Object>) ev.get(1).metadata().get("otlp");
		assertThat(java.util.HexFormat.of().formatHex((byte[]) otlp.get("trace_id"))).isEqualTo("5b8efff798038103d269b633813fc60c");
		assertThat(java.util.HexFormat.of().formatHex((byte[]) otlp.get("span_id"))).isEqualTo("eee19b7ec3c1b174");
	}

	@Test
	void logsBodyKeyAndTagKey() throws Exception {
		start("logs_body_key", "message", "tag_key", "$msg");
		String json = JSON_LOGS.replace("\"structured\"", "\"routed.tag\"");
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/json", json.getBytes(StandardCharsets.UTF_8))
			.statusCode()).isEqualTo(201);
		// with logs_body_key the kvlist body is nested under it, and $msg is not at the top: default tag
		List<LogEvent> ev = logEvents(1);
		assertThat(ev.get(1).body()).containsOnlyKeys("message");
		assertThat(this.received.get(0).tag()).isEqualTo("v1_logs");
		this.received.clear();
		stop();
		this.closeables.clear();
		start("tag_key", "$msg");
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/json", json.getBytes(StandardCharsets.UTF_8))
			.statusCode()).isEqualTo(201);
		logEvents(1);
		assertThat(this.received.get(0).tag()).isEqualTo("routed.tag");
	}

	@Test
	void badPayloadsAreRefusedWith400AndTheInputKeepsServing() throws Exception {
		EmbeddedSluice s = start();
		HttpResponse<String> r = post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/x-protobuf",
				new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3 });
		assertThat(r.statusCode()).isEqualTo(400);
		assertThat(r.body()).contains("invalid OTLP logs payload");
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/json", "{not json".getBytes()).statusCode())
			.isEqualTo(400);
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/other", "application/json", "{}".getBytes()).statusCode())
			.isEqualTo(400);
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "text/plain", "x".getBytes()).statusCode()).isEqualTo(400);
		assertThat(s.plugin("opentelemetry.0", OpenTelemetryInput.class).badRequests.sum()).isEqualTo(4);
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/json", JSON_LOGS.getBytes()).statusCode())
			.isEqualTo(201);
		logEvents(1);
	}

	@Test
	void rawTracesAreLogRecordsHoldingTheOtlpJson() throws Exception {
		start("raw_traces", "on");
		emitSpan(OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + this.port + "/v1/traces").build());
		List<LogEvent> ev = logEvents(1);
		String json = (String) ev.get(0).body().get("trace");
		assertThat(json).startsWith("{\"resourceSpans\":").contains("\"name\":\"checkout\"");
		assertThat(this.received).allMatch((r) -> r.type() == 0);
	}

	@Test
	void pausedInputAnswers503() throws Exception {
		EmbeddedSluice s = start();
		s.input("opentelemetry.0").pause(dev.sluice.engine.InputInstance.PauseReason.ADMIN, "test");
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/json", JSON_LOGS.getBytes()).statusCode())
			.isEqualTo(503);
		s.input("opentelemetry.0").resume(dev.sluice.engine.InputInstance.PauseReason.ADMIN, "test");
		assertThat(post(HttpClient.Version.HTTP_1_1, "/v1/logs", "application/json", JSON_LOGS.getBytes()).statusCode())
			.isEqualTo(201);
	}
}
