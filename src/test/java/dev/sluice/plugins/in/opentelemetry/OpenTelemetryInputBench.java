package dev.sluice.plugins.in.opentelemetry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.testing.Ports;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Not a test: OTLP/HTTP protobuf logs into the opentelemetry input, into {@code null}, in
 * records/s. Requests of 1000 records (about 90 bytes of protobuf each), sent one after the other on one
 * keep-alive connection. Run:
 * {@code java -cp "$(bench/classpath.sh)" dev.sluice.plugins.in.opentelemetry.OpenTelemetryInputBench 300}
 */
public final class OpenTelemetryInputBench {

	public static void main(String[] args) throws Exception {
		int requests = (args.length > 0) ? Integer.parseInt(args[0]) : 300;
		ScopeLogs.Builder sl = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("bench"));
		for (int i = 0; i < 1000; i++) {
			sl.addLogRecords(LogRecord.newBuilder()
				.setTimeUnixNano(1_700_000_000_000_000_000L + i)
				.setSeverityNumberValue(9)
				.setSeverityText("INFO")
				.addAttributes(KeyValue.newBuilder().setKey("user").setValue(AnyValue.newBuilder().setStringValue("u" + i)))
				.setBody(AnyValue.newBuilder().setStringValue("GET /api/v1/items/" + i + " 200 12ms user-agent=curl/8.5.0")));
		}
		byte[] body = ExportLogsServiceRequest.newBuilder()
			.addResourceLogs(ResourceLogs.newBuilder()
				.setResource(Resource.newBuilder()
					.addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("bench"))))
				.addScopeLogs(sl))
			.build()
			.toByteArray();
		int port = Ports.free();
		try (EmbeddedSluice s = EmbeddedSluice.builder().service("flush", "0.2")
			.input("opentelemetry", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("null", "match", "*").build(); HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			s.start();
			HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs"))
				.header("Content-Type", "application/x-protobuf")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build();
			for (int i = 0; i < 20; i++) {
				c.send(req, HttpResponse.BodyHandlers.discarding());
			}
			while (s.output("null.0").metrics().procRecords.sum() < 20_000) {
				Thread.sleep(10);
			}
			long start = System.nanoTime();
			for (int i = 0; i < requests; i++) {
				int code = c.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (code != 201) {
					throw new IllegalStateException("status " + code);
				}
			}
			long want = 20_000L + requests * 1000L;
			while (s.output("null.0").metrics().procRecords.sum() < want) {
				Thread.sleep(5);
			}
			double secs = (System.nanoTime() - start) / 1e9;
			double mib = (double) body.length * requests / (1024 * 1024);
			System.out.printf("%d requests of 1000 records (%d bytes each): %.2f s, %.0f records/s, %.1f MiB/s of OTLP%n",
					requests, body.length, secs, requests * 1000 / secs, mib / secs);
		}
	}
}
