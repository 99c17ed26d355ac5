package dev.sluice.admin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

/** Sluice's own admin endpoints and the bearer token, over real HTTP. */
class AdminApiTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String TOKEN = "t0ps3cret-admin";

	@TempDir
	static Path dir;

	static RunningService service;

	@BeforeAll
	static void start() throws Exception {
		int port = Ports.free();
		Path conf = dir.resolve("sluice.conf");
		Files.writeString(conf, """
				[SERVICE]
				    Flush        0.1
				    HTTP_Server  On
				    HTTP_Listen  127.0.0.1
				    HTTP_Port    %d
				    Hot_Reload   On
				    admin.token  %s

				[INPUT]
				    Name   dummy
				    Alias  app
				    Tag    app.web
				    Rate   50

				[INPUT]
				    Name   dummy
				    Tag    other
				    Rate   1

				[OUTPUT]
				    Name        secretive
				    Match       app.*
				    Shared_Key  hunter2
				    HTTP_Passwd swordfish

				[OUTPUT]
				    Name   null
				    Match  *
				""".formatted(port, TOKEN));
		service = new RunningService(conf, port, TestPlugins.registry());
	}

	@AfterAll
	static void stop() throws Exception {
		service.close();
	}

	static HttpResponse<String> call(String method, String path, String token) {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.url(path)))
			.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
		if (token != null) {
			b.header("Authorization", "Bearer " + token);
		}
		return Http.send(b.build());
	}

	@Test
	void pluginRegistryServesTheSameSchemaAsDashJ() {
		HttpResponse<String> r = call("GET", "/api/sluice/plugins", null);
		assertThat(r.statusCode()).isEqualTo(200);
		JsonNode j = JSON.readTree(r.body());
		assertThat(j.get("fluent-bit").get("version").asString()).isEqualTo("5.1.1");
		assertThat(r.body()).isEqualTo(new dev.sluice.cli.PluginSchema().catalogueJson(TestPlugins.registry()));
		HttpResponse<String> one = call("GET", "/api/sluice/plugins/output/file", null);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(one.body()).get("name").asString()).isEqualTo("file");
		assertThat(call("GET", "/api/sluice/plugins/output/nope", null).statusCode()).isEqualTo(404);
	}

	@Test
	void pipelineShowsInstancesRoutesStateAndCountersWithSecretsMasked() {
		HttpResponse<String> r = call("GET", "/api/sluice/pipeline", null);
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).doesNotContain("hunter2").doesNotContain("swordfish").doesNotContain(TOKEN);
		JsonNode j = JSON.readTree(r.body());
		JsonNode app = j.get("inputs").get(0);
		assertThat(app.get("name").asString()).isEqualTo("dummy.0");
		assertThat(app.get("alias").asString()).isEqualTo("app");
		assertThat(app.get("tag").asString()).isEqualTo("app.web");
		assertThat(app.get("state").asString()).isIn("running", "paused");
		assertThat(app.get("routes").toString()).isEqualTo("[\"secretive.0\",\"null.1\"]");
		assertThat(j.get("inputs").get(1).get("routes").toString()).isEqualTo("[\"null.1\"]");
		JsonNode secretive = j.get("outputs").get(0);
		assertThat(secretive.get("properties").get("shared_key").asString()).isEqualTo("******");
		assertThat(secretive.get("properties").get("http_passwd").asString()).isEqualTo("******");
		assertThat(secretive.get("origin").asString()).endsWith("sluice.conf:20");
		assertThat(secretive.get("metrics").has("proc_records")).isTrue();
	}

	@Test
	void mutatingEndpointsNeedTheTokenReadOnlyOnesDoNot() {
		assertThat(call("POST", "/api/sluice/inputs/other/pause", null).statusCode()).isEqualTo(401);
		assertThat(call("POST", "/api/sluice/inputs/other/pause", "wrong").statusCode()).isEqualTo(401);
		assertThat(call("POST", "/api/v2/reload", null).statusCode()).isEqualTo(401);
		assertThat(call("PUT", "/api/v2/reload", "nope").statusCode()).isEqualTo(401);
		assertThat(call("GET", "/api/sluice/tap?instance=app&limit=1&seconds=1", null).statusCode()).isEqualTo(401);
		assertThat(call("GET", "/api/v2/reload", null).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/api/v1/metrics", null).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/api/sluice/pipeline", null).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
	}

	@Test
	void pauseAndResumeAnInput() {
		HttpResponse<String> p = call("POST", "/api/sluice/inputs/dummy.1/pause", TOKEN);
		assertThat(p.statusCode()).isEqualTo(200);
		assertThat(p.body()).contains("\"paused\":true").contains("admin");
		JsonNode pipeline = JSON.readTree(call("GET", "/api/sluice/pipeline", null).body());
		assertThat(pipeline.get("inputs").get(1).get("state").asString()).isEqualTo("paused");
		assertThat(pipeline.get("inputs").get(1).get("paused_reasons").toString()).isEqualTo("[\"admin\"]");
		assertThat(call("GET", "/actuator/health/readiness", null).body()).contains("\"dummy.1\":[\"admin\"]");
		HttpResponse<String> r = call("POST", "/api/sluice/inputs/dummy.1/resume", TOKEN);
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).contains("\"paused\":false");
		assertThat(call("POST", "/api/sluice/inputs/nope/pause", TOKEN).statusCode()).isEqualTo(404);
	}

	@Test
	void tapStreamsTheEventsPassingAnInstanceAsNdjson() {
		HttpResponse<String> r = call("GET", "/api/sluice/tap?instance=app&match=app.*&limit=5&seconds=20", TOKEN);
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("content-type")).hasValueSatisfying((v) -> assertThat(v).startsWith("application/x-ndjson"));
		List<String> lines = r.body().lines().toList();
		assertThat(lines).hasSize(6);
		for (String l : lines.subList(0, 5)) {
			JsonNode j = JSON.readTree(l);
			assertThat(j.get("point").asString()).isEqualTo("input:app");
			assertThat(j.get("tag").asString()).isEqualTo("app.web");
			assertThat(j.get("record").get("message").asString()).isEqualTo("dummy");
		}
		assertThat(lines.get(5)).startsWith("{\"tap\":\"end\",\"events\":5,");
		HttpResponse<String> out = call("GET", "/api/sluice/tap?instance=null.1&match=other&limit=1&seconds=20", TOKEN);
		assertThat(out.body().lines().findFirst().orElseThrow()).contains("\"point\":\"output:null.1\"").contains("\"tag\":\"other\"");
		HttpResponse<String> none = call("GET", "/api/sluice/tap?instance=app&match=nothing&limit=5&seconds=0.5", TOKEN);
		assertThat(none.body()).isEqualTo("{\"tap\":\"end\",\"events\":0,\"dropped\":0}\n");
		assertThat(call("GET", "/api/sluice/tap?instance=missing", TOKEN).statusCode()).isEqualTo(404);
	}

	@Test
	void reloadWithTheToken() {
		HttpResponse<String> r = call("POST", "/api/v2/reload", TOKEN);
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).isEqualTo("{\"reload\":\"done\",\"status\":0}");
		Await.until(Duration.ofSeconds(10), "pipeline answering after reload",
				() -> call("GET", "/api/sluice/pipeline", null).statusCode() == 200);
	}
}
