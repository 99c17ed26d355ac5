package dev.sluice.plugins.out.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.otlp.Otlp;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The opentelemetry output against a real HTTP server that records requests (and can answer
 * errors), and Sluice to Sluice: opentelemetry in, opentelemetry out (HTTP and gRPC).
 */
class OpenTelemetryOutputTest {

	static final Duration DEADLINE = Duration.ofSeconds(30);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	/** A real HTTP server: records each request and answers from a script of status codes, then 200. */
	static final class Recorder implements AutoCloseable {

		record Request(String path, Headers headers, byte[] body, int status) {

			byte[] decoded() throws IOException {
				if ("gzip".equals(this.headers.getFirst("Content-Encoding"))) {
					return new GZIPInputStream(new ByteArrayInputStream(this.body)).readAllBytes();
				}
				return this.body;
			}
		}

		final List<Request> requests = new CopyOnWriteArrayList<>();

		final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();

		private final HttpServer server;

		Recorder() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
			this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			this.server.createContext("/", (ex) -> {
				byte[] body = ex.getRequestBody().readAllBytes();
				Integer s = this.script.poll();
				int status = (s != null) ? s : 200;
				this.requests.add(new Request(ex.getRequestURI().getPath(), ex.getRequestHeaders(), body, status));
				byte[] out = (status == 200) ? new byte[0] : ("status " + status).getBytes(StandardCharsets.UTF_8);
				ex.sendResponseHeaders(status, (out.length == 0) ? -1 : out.length);
				if (out.length > 0) {
					ex.getResponseBody().write(out);
				}
				ex.close();
			});
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		List<Request> ok(String path) {
			return this.requests.stream().filter((r) -> r.status == 200 && r.path.equals(path)).toList();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}
	}

	private Recorder recorder() throws IOException {
		Recorder r = new Recorder();
		this.closeables.add(r);
		return r;
	}

	private EmbeddedSluice libToOtel(int port, String... options) {
		List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(port)));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.service("scheduler.base", "1").service("scheduler.cap", "1").input("lib", "tag", "app")
			.output("opentelemetry", args.toArray(String[]::new)).build();
		this.closeables.add(s);
		return s.start();
	}

	private static Map<String, Object> map(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	@Test
	void logsAreSentAsOtlpProtobufWithHeadersAndBasicAuth() throws Exception {
		Recorder r = recorder();
		EmbeddedSluice s = libToOtel(r.port(), "header", "X-Tenant acme", "http_user", "u", "http_passwd", "p");
		s.plugin("lib.0", LibInput.class).push(new EventTime(1_700_000_000L, 5), map("msg", "hi", "n", 3L));
		Recorder.Request req = Await.value(DEADLINE, "a logs request", () -> r.ok("/v1/logs"), (l) -> !l.isEmpty()).get(0);
		assertThat(req.headers().getFirst("Content-Type")).isEqualTo("application/x-protobuf");
		assertThat(req.headers().getFirst("X-Tenant")).isEqualTo("acme");
		assertThat(req.headers().getFirst("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("u:p".getBytes()));
		ExportLogsServiceRequest logs = ExportLogsServiceRequest.parseFrom(req.decoded());
		LogRecord rec = logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
		assertThat(rec.getTimeUnixNano()).isEqualTo(1_700_000_000_000_000_005L);
		assertThat(Otlp.toJava(rec.getBody())).isEqualTo(map("msg", "hi", "n", 3L));
	}

	@Test
	void jsonFormatGzipAndLogsBodyKey() throws Exception {
		Recorder r = recorder();
		EmbeddedSluice s = libToOtel(r.port(), "format", "json", "compress", "gzip", "logs_body_key", "$message",
				"logs_uri", "/otlp/v1/logs");
		s.plugin("lib.0", LibInput.class).push(new EventTime(1_700_000_000L, 0), map("message", "the body", "other", 1L));
		Recorder.Request req = Await.value(DEADLINE, "a logs request", () -> r.ok("/otlp/v1/logs"), (l) -> !l.isEmpty())
			.get(0);
		assertThat(req.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
		assertThat(req.headers().getFirst("Content-Type")).isEqualTo("application/json");
		String json = new String(req.decoded(), StandardCharsets.UTF_8);
		assertThat(json).contains("\"resourceLogs\"").contains("\"stringValue\":\"the body\"");
		ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
		Otlp.mergeJson(json, b);
		assertThat(b.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue()).isEqualTo("the body");
	}

	@Test
	void batchSizeSplitsLogs() throws Exception {
		Recorder r = recorder();
		EmbeddedSluice s = libToOtel(r.port(), "batch_size", "2");
		List<LogEvent> events = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			events.add(new LogEvent(new EventTime(1_700_000_000L + i, 0), map("i", (long) i)));
		}
		s.plugin("lib.0", LibInput.class).push(events);
		List<Recorder.Request> reqs = Await.value(DEADLINE, "5 records", () -> r.ok("/v1/logs"),
				(l) -> l.stream().mapToInt(this::count).sum() >= 5);
		assertThat(reqs).hasSize(3);
		assertThat(reqs.stream().mapToInt(this::count)).containsExactly(2, 2, 1);
	}

	private int count(Recorder.Request req) {
		try {
			return ExportLogsServiceRequest.parseFrom(req.decoded()).getResourceLogs(0).getScopeLogs(0).getLogRecordsCount();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void a503IsRetriedAndA400IsDropped() throws Exception {
		Recorder r = recorder();
		r.script.add(503);
		EmbeddedSluice s = libToOtel(r.port());
		s.plugin("lib.0", LibInput.class).push(new EventTime(1_700_000_000L, 0), map("try", "again"));
		Await.until(DEADLINE, "the retried request", () -> r.ok("/v1/logs").size() == 1);
		assertThat(r.requests).hasSize(2);
		assertThat(r.requests.get(0).status()).isEqualTo(503);
		assertThat(r.requests.get(1).body()).isEqualTo(r.requests.get(0).body());
		Await.until(DEADLINE, "retry counted", () -> s.output("opentelemetry.0").metrics().retries.sum() == 1);

		r.script.add(400);
		s.plugin("lib.0", LibInput.class).push(new EventTime(1_700_000_001L, 0), map("bad", "request"));
		Await.until(DEADLINE, "the error counted", () -> s.output("opentelemetry.0").metrics().errors.sum() == 1);
		assertThat(r.requests).hasSize(3);
	}

	@Test
	void aPeerThatIsDownIsRetriedUntilItIsUp() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = libToOtel(port);
		s.plugin("lib.0", LibInput.class).push(new EventTime(1_700_000_000L, 0), map("late", "peer"));
		Await.until(DEADLINE, "a retry", () -> s.output("opentelemetry.0").metrics().retries.sum() >= 1);
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 8);
		List<byte[]> got = new CopyOnWriteArrayList<>();
		server.createContext("/", (ex) -> {
			got.add(ex.getRequestBody().readAllBytes());
			ex.sendResponseHeaders(200, -1);
			ex.close();
		});
		server.start();
		this.closeables.add(() -> server.stop(0));
		Await.until(DEADLINE, "delivery once the peer is up", () -> got.size() == 1);
	}

	// ---- Sluice to Sluice

	private int otelInToOtelOut(int peerPort, String... outOptions) {
		int port = Ports.free();
		List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(peerPort)));
		args.addAll(List.of(outOptions));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.input("opentelemetry", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("opentelemetry", args.toArray(String[]::new)).build();
		this.closeables.add(s);
		s.start();
		return port;
	}

	static final byte[] TRACE_ID = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");

	static ExportLogsServiceRequest sampleLogs() {
		return ExportLogsServiceRequest.newBuilder()
			.addResourceLogs(ResourceLogs.newBuilder()
				.setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout")))
				.addScopeLogs(ScopeLogs.newBuilder()
					.setScope(InstrumentationScope.newBuilder().setName("shop.cart").setVersion("1.2.3"))
					.addLogRecords(LogRecord.newBuilder()
						.setTimeUnixNano(1_700_000_000_123_456_789L)
						.setSeverityNumberValue(17)
						.setSeverityText("ERROR")
						.setTraceId(ByteString.copyFrom(TRACE_ID))
						.addAttributes(kv("user", "ann"))
						.setBody(AnyValue.newBuilder().setStringValue("payment failed")))))
			.build();
	}

	static KeyValue kv(String k, String v) {
		return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
	}

	static ExportMetricsServiceRequest sampleMetrics() {
		return ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder()
				.setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout")))
				.addScopeMetrics(ScopeMetrics.newBuilder()
					.addMetrics(Metric.newBuilder().setName("queue_depth").setGauge(Gauge.newBuilder()
						.addDataPoints(NumberDataPoint.newBuilder().setAsInt(42).setTimeUnixNano(1_700_000_000_000_000_000L))))))
			.build();
	}

	static ExportTraceServiceRequest sampleTraces() {
		return ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(ResourceSpans.newBuilder()
				.addScopeSpans(ScopeSpans.newBuilder()
					.addSpans(Span.newBuilder()
						.setName("checkout")
						.setTraceId(ByteString.copyFrom(TRACE_ID))
						.setSpanId(ByteString.copyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }))
						.setStartTimeUnixNano(1)
						.setEndTimeUnixNano(2))))
			.build();
	}

	static int post(int port, String path, byte[] body) throws Exception {
		try (HttpClient c = HttpClient.newHttpClient()) {
			return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.header("Content-Type", "application/x-protobuf")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
	}

	@Test
	void otelInToOtelOutSendsMetricsAndTracesUnchangedAndRebuildsLogs() throws Exception {
		Recorder r = recorder();
		int in = otelInToOtelOut(r.port());
		byte[] metrics = sampleMetrics().toByteArray();
		byte[] traces = sampleTraces().toByteArray();
		assertThat(post(in, "/v1/metrics", metrics)).isEqualTo(201);
		assertThat(post(in, "/v1/traces", traces)).isEqualTo(201);
		assertThat(post(in, "/v1/logs", sampleLogs().toByteArray())).isEqualTo(201);
		Await.until(DEADLINE, "three requests", () -> r.requests.size() >= 3);
		assertThat(r.ok("/v1/metrics").get(0).body()).as("metrics request bytes unchanged").isEqualTo(metrics);
		assertThat(r.ok("/v1/traces").get(0).body()).as("traces request bytes unchanged").isEqualTo(traces);
		ExportLogsServiceRequest logs = ExportLogsServiceRequest.parseFrom(r.ok("/v1/logs").get(0).body());
		assertLogsRoundTrip(logs);
	}

	static void assertLogsRoundTrip(ExportLogsServiceRequest logs) {
		ResourceLogs rl = logs.getResourceLogs(0);
		assertThat(rl.getResource().getAttributesList()).containsExactly(kv("service.name", "checkout"));
		assertThat(rl.getScopeLogs(0).getScope().getName()).isEqualTo("shop.cart");
		assertThat(rl.getScopeLogs(0).getScope().getVersion()).isEqualTo("1.2.3");
		LogRecord rec = rl.getScopeLogs(0).getLogRecords(0);
		LogRecord want = sampleLogs().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
		assertThat(rec.getTimeUnixNano()).isEqualTo(want.getTimeUnixNano());
		assertThat(rec.getSeverityNumberValue()).isEqualTo(17);
		assertThat(rec.getSeverityText()).isEqualTo("ERROR");
		assertThat(rec.getTraceId()).isEqualTo(want.getTraceId());
		assertThat(rec.getAttributesList()).containsExactly(kv("user", "ann"));
		// a string body arrives as {"log": ...} in Sluice; sent back as that record
		assertThat(Otlp.toJava(rec.getBody())).isEqualTo(Map.of("log", "payment failed"));
	}

	@Test
	void metricsAndTracesAreNotRoutedToLogsOnlyOutputs() throws Exception {
		Recorder r = recorder();
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.input("opentelemetry", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("stdout", "match", "*")
			.output("opentelemetry", "match", "*", "host", "127.0.0.1", "port", String.valueOf(r.port()))
			.build();
		this.closeables.add(s);
		s.start();
		assertThat(post(port, "/v1/metrics", sampleMetrics().toByteArray())).isEqualTo(201);
		assertThat(post(port, "/v1/traces", sampleTraces().toByteArray())).isEqualTo(201);
		assertThat(post(port, "/v1/logs", sampleLogs().toByteArray())).isEqualTo(201);
		Await.until(DEADLINE, "three requests", () -> r.requests.size() >= 3);
		Await.until(DEADLINE, "stdout flushed the logs", () -> s.output("stdout.0").metrics().procRecords.sum() == 1);
		assertThat(s.output("stdout.0").metrics().errors.sum()).isZero();
	}

	@Test
	void grpcOutputToSluicesGrpcInput() throws Exception {
		Recorder r = recorder();
		int last = otelInToOtelOut(r.port());
		int first = otelInToOtelOut(last, "grpc", "on", "compress", "gzip");
		byte[] metrics = sampleMetrics().toByteArray();
		assertThat(post(first, "/v1/metrics", metrics)).isEqualTo(201);
		assertThat(post(first, "/v1/logs", sampleLogs().toByteArray())).isEqualTo(201);
		Await.until(DEADLINE, "two requests at the end", () -> r.requests.size() >= 2);
		assertThat(r.ok("/v1/metrics").get(0).body()).isEqualTo(metrics);
		ExportLogsServiceRequest logs = ExportLogsServiceRequest.parseFrom(r.ok("/v1/logs").get(0).body());
		assertThat(logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSeverityText()).isEqualTo("ERROR");
	}

	@Test
	void addLabelAddsAttributesToMetricDataPoints() throws Exception {
		Recorder r = recorder();
		int in = otelInToOtelOut(r.port(), "add_label", "cluster prod");
		assertThat(post(in, "/v1/metrics", sampleMetrics().toByteArray())).isEqualTo(201);
		Recorder.Request req = Await.value(DEADLINE, "metrics", () -> r.ok("/v1/metrics"), (l) -> !l.isEmpty()).get(0);
		NumberDataPoint dp = ExportMetricsServiceRequest.parseFrom(req.body()).getResourceMetrics(0).getScopeMetrics(0)
			.getMetrics(0).getGauge().getDataPoints(0);
		assertThat(dp.getAttributesList()).containsExactly(kv("cluster", "prod"));
		assertThat(dp.getAsInt()).isEqualTo(42);
	}
}
