package dev.sluice.admin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;
import dev.sluice.testing.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fluent Bit's monitoring endpoints and Spring actuator over real HTTP, against the responses a
 * real Fluent Bit 5.1.1 gave ({@code shared/fixtures/monitoring}): status, content type, JSON
 * shape; the Prometheus texts are checked by {@code promtool check metrics}.
 */
class MonitoringApiIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dir;

	static RunningService service;

	static JsonNode captured;

	@BeforeAll
	static void start() throws Exception {
		int port = Ports.free();
		Path conf = dir.resolve("fluent-bit.conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush                  0.2
				    HTTP_Server            On
				    HTTP_Listen            127.0.0.1
				    HTTP_Port              %d
				    Health_Check           On
				    HC_Errors_Count        5
				    HC_Retry_Failure_Count 1
				    HC_Period              5
				    Hot_Reload             On

				[INPUT]
				    Name   dummy
				    Alias  dummy_app
				    Tag    app.log
				    Dummy  {"level":"info","msg":"hello"}
				    Rate   20

				[INPUT]
				    Name   dummy
				    Tag    app.debug
				    Rate   5

				[OUTPUT]
				    Name   null
				    Match  *

				[OUTPUT]
				    Name   lib
				    Alias  kept
				    Match  app.log
				""".formatted(port));
		service = new RunningService(conf, port, TestPlugins.registry());
		captured = JSON.readTree(SharedFixtures.path("monitoring/full/summary.json").toFile());
		Await.until(Duration.ofSeconds(30), "records flowing", () -> {
			String m = Http.bodyOrNull(service.url("/api/v1/metrics"));
			return m != null && !m.contains("\"proc_records\":0,");
		});
	}

	@AfterAll
	static void stop() throws Exception {
		if (service != null) {
			service.close();
			assertThat(service.exitCode()).isZero();
		}
	}

	static JsonNode capture(String name) {
		for (JsonNode c : captured) {
			if (c.get("name").asString().equals(name)) {
				return c;
			}
		}
		throw new AssertionError("no capture " + name);
	}

	static HttpResponse<String> request(String method, String path) {
		return Http.send(HttpRequest.newBuilder(URI.create(service.url(path)))
			.method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}"))
			.build());
	}

	/** Same status and content type as the capture, and (for JSON) the same keys at every level. */
	static HttpResponse<String> assertLikeCapture(String method, String path, String captureName) {
		HttpResponse<String> r = request(method, path);
		JsonNode c = capture(captureName);
		assertThat(r.statusCode()).as("%s status", path).isEqualTo(c.get("status").asInt());
		Optional<String> ct = r.headers().firstValue("content-type");
		if (c.get("content_type").isNull()) {
			assertThat(ct).as("%s content type", path).isEmpty();
		}
		else {
			assertThat(ct).as("%s content type", path).contains(c.get("content_type").asString());
		}
		if (c.has("body_json")) {
			assertSameShape(path, c.get("body_json"), JSON.readTree(r.body()));
		}
		return r;
	}

	/** Keys of objects, recursively; instance-keyed maps compare by the keys of their values. */
	static void assertSameShape(String where, JsonNode expected, JsonNode actual) {
		assertThat(actual.getNodeType()).as(where).isEqualTo(expected.getNodeType());
		if (expected.isObject()) {
			assertThat(names(actual)).as(where + " keys").containsExactlyElementsOf(names(expected));
			for (String k : names(expected)) {
				assertSameShape(where + "." + k, expected.get(k), actual.get(k));
			}
		}
	}

	static List<String> names(JsonNode n) {
		List<String> l = new ArrayList<>();
		Iterator<String> it = n.propertyNames().iterator();
		it.forEachRemaining(l::add);
		return l;
	}

	@Test
	void root() {
		HttpResponse<String> r = request("GET", "/");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("content-type")).contains("application/json");
		JsonNode j = JSON.readTree(r.body());
		assertThat(j.get("fluent-bit").get("version").asString()).isEqualTo("5.1.1");
		assertThat(j.get("fluent-bit").get("edition").asString()).isEqualTo("Community");
		assertThat(j.get("fluent-bit").get("flags").isArray()).isTrue();
	}

	@Test
	void uptime() {
		HttpResponse<String> r = assertLikeCapture("GET", "/api/v1/uptime", "11-uptime");
		assertThat(r.body()).matches("\\{\"uptime_sec\":\\d+,\"uptime_hr\":\"Fluent Bit has been running:  0 day, 0 hour, 0 minute and \\d+ seconds?\"\\}");
	}

	@Test
	void v1MetricsHaveFluentBitsKeysPerInstance() {
		HttpResponse<String> r = request("GET", "/api/v1/metrics");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("content-type")).contains("application/json");
		JsonNode got = JSON.readTree(r.body());
		JsonNode exp = capture("12-v1-metrics").get("body_json");
		assertThat(names(got)).containsExactly("input", "filter", "output");
		assertThat(names(got.get("input"))).containsExactly("dummy_app", "dummy.1");
		assertThat(names(got.get("output"))).containsExactly("null.0", "kept");
		assertThat(names(got.get("input").get("dummy_app"))).containsExactlyElementsOf(names(exp.get("input").get("dummy_app")));
		assertThat(names(got.get("output").get("kept"))).containsExactlyElementsOf(names(exp.get("output").get("stdout.0")));
		assertThat(got.get("output").get("kept").get("proc_records").asLong()).isPositive();
		// Fluent Bit does not check the method of this endpoint
		assertThat(request("POST", "/api/v1/metrics").statusCode()).isEqualTo(200);
	}

	@Test
	void prometheusTextsPassPromtool() throws Exception {
		HttpResponse<String> v1 = assertLikeCapture("GET", "/api/v1/metrics/prometheus", "13-v1-metrics-prometheus");
		assertThat(v1.body()).contains("fluentbit_input_records_total{name=\"dummy_app\"} ")
			.contains("# TYPE fluentbit_output_proc_records_total counter")
			.containsPattern("fluentbit_output_proc_records_total\\{name=\"kept\"\\} \\d+ \\d{13}\n")
			.contains("fluentbit_build_info{version=\"5.1.1\",edition=\"Community\"} 1");
		HttpResponse<String> v2 = assertLikeCapture("GET", "/api/v2/metrics/prometheus", "15-v2-metrics-prometheus");
		assertThat(v2.body()).contains("fluentbit_uptime{hostname=")
			.contains("fluentbit_routing_logs_records_total{input=\"dummy_app\",output=\"kept\"} ")
			.contains("fluentbit_output_proc_records_total{name=\"null.0\"} ");
		promtool(v1.body());
		promtool(v2.body());
	}

	/**
	 * {@code promtool check metrics} must parse the text (exit 1 is a format error). Its lint
	 * (exit 3) may only object to the names Fluent Bit itself uses and clients depend on
	 * ({@code fluentbit_uptime} is a counter without {@code _total}).
	 */
	static void promtool(String text) throws Exception {
		Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
		p.getOutputStream().write(text.getBytes());
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes());
		int code = p.waitFor();
		assertThat(code).as("promtool check metrics:\n%s", out).isIn(0, 3);
		List<String> problems = out.lines().filter((l) -> !l.isBlank()).toList();
		assertThat(problems).as("promtool lint").allMatch(
				(l) -> l.equals("fluentbit_uptime counter metrics should have \"_total\" suffix")
						|| l.equals("fluentbit_hot_reloaded_times counter metrics should have \"_total\" suffix"));
	}

	@Test
	void v2MetricsIsCmetricsTextWithoutContentType() {
		HttpResponse<String> r = assertLikeCapture("GET", "/api/v2/metrics", "14-v2-metrics");
		assertThat(r.body().lines().findFirst().orElseThrow())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z fluentbit_uptime\\{hostname=\".*\"\\} = \\d+");
	}

	@Test
	void health() {
		HttpResponse<String> v1 = assertLikeCapture("GET", "/api/v1/health", "01-health-early");
		assertThat(v1.body()).isEqualTo("ok\n");
		HttpResponse<String> v2 = assertLikeCapture("GET", "/api/v2/health", "02-v2-health-early");
		assertThat(v2.body()).isEqualTo(
				"{\"status\":\"ok\",\"errors\":0,\"retries_failed\":0,\"error_limit\":5,\"retry_failure_limit\":1,\"period_limit\":5}");
	}

	@Test
	void storageIsNotServedWithoutStoragePath() {
		assertThat(request("GET", "/api/v1/storage").statusCode()).isEqualTo(404);
	}

	@Test
	void plugins() {
		HttpResponse<String> r = assertLikeCapture("GET", "/api/v1/plugins", "19-plugins");
		assertThat(r.body()).contains("\"dummy\"").contains("\"stdout\"");
	}

	@Test
	void unknownPathsAreEmpty404s() {
		HttpResponse<String> r = assertLikeCapture("GET", "/api/v1/does-not-exist", "20-not-found");
		assertThat(r.body()).isEmpty();
		assertThat(request("GET", "/api/v1/uptime/").statusCode()).isEqualTo(404);
	}

	@Test
	void reloadEndpointMethods() {
		HttpResponse<String> get = assertLikeCapture("GET", "/api/v2/reload", "21-reload-get-before");
		assertThat(get.body()).matches("\\{\"hot_reload_count\":\\d+\\}");
		HttpResponse<String> del = assertLikeCapture("DELETE", "/api/v2/reload", "22-reload-delete");
		assertThat(del.headers().firstValue("allow")).contains("GET, POST, PUT");
		assertThat(del.body()).isEmpty();
	}

	@Test
	void actuatorProbesInfoAndPrometheus() {
		HttpResponse<String> live = request("GET", "/actuator/health/liveness");
		assertThat(live.statusCode()).isEqualTo(200);
		assertThat(live.body()).contains("\"status\":\"UP\"");
		HttpResponse<String> ready = request("GET", "/actuator/health/readiness");
		assertThat(ready.statusCode()).isEqualTo(200);
		assertThat(ready.body()).contains("\"status\":\"UP\"");
		HttpResponse<String> info = request("GET", "/actuator/info");
		assertThat(info.body()).contains("\"fluent-bit-compatibility\":\"5.1.1\"");
		HttpResponse<String> prom = request("GET", "/actuator/prometheus");
		assertThat(prom.statusCode()).isEqualTo(200);
		assertThat(prom.body()).contains("fluentbit_input_records_total{name=\"dummy_app\"");
	}
}
