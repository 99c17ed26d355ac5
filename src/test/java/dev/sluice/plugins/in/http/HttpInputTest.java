package dev.sluice.plugins.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.InputInstance;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

class HttpInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final List<EmbeddedSluice> started = new ArrayList<>();

	private final List<HttpClient> clients = new ArrayList<>();

	private int port;

	@AfterEach
	void stop() {
		this.clients.forEach(HttpClient::close);
		this.started.forEach(EmbeddedSluice::close);
	}

	private EmbeddedSluice start(String... extra) {
		this.port = Ports.free();
		List<String> kv = new ArrayList<>(List.of("listen", "127.0.0.1", "port", String.valueOf(this.port)));
		kv.addAll(List.of(extra));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("http", kv.toArray(String[]::new)).output("lib", "match", "*").build();
		this.started.add(s);
		s.start();
		return s;
	}

	private HttpClient client(HttpClient.Version v) {
		HttpClient c = HttpClient.newBuilder().version(v).connectTimeout(Duration.ofSeconds(10)).build();
		this.clients.add(c);
		return c;
	}

	private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		return post(client(HttpClient.Version.HTTP_1_1), path, contentType, body.getBytes(StandardCharsets.UTF_8), null);
	}

	private HttpResponse<String> post(HttpClient c, String path, String contentType, byte[] body, String encoding)
			throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(DEADLINE)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			b.header("Content-Type", contentType);
		}
		if (encoding != null) {
			b.header("Content-Encoding", encoding);
		}
		return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	private static String tagOf(EmbeddedSluice s, int i) {
		return s.plugin("lib.0", LibOutput.class).events().get(i).toString();
	}

	@Test
	void jsonObjectIsOneRecordTaggedWithTheInputTag() throws Exception {
		EmbeddedSluice s = start("tag", "web");
		HttpResponse<String> r = post("/", "application/json", "{\"msg\":\"hello\",\"n\":1}");
		assertThat(r.statusCode()).isEqualTo(201);
		assertThat(r.body()).isEmpty();
		List<LogEvent> ev = events(s, 1);
		assertThat(ev.get(0).body()).containsExactly(Map.entry("msg", "hello"), Map.entry("n", 1L));
	}

	@Test
	void jsonArrayAndNdjsonAndTagFromPath() throws Exception {
		List<String> tags = new java.util.concurrent.CopyOnWriteArrayList<>();
		EmbeddedSluice s = start();
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			for (LogEvent e : chunk.decode()) {
				tags.add(chunk.tag() + ":" + e.body().get("a"));
			}
			return dev.sluice.plugin.FlushResult.OK;
		});
		assertThat(post("/app.log", "application/json", "[{\"a\":1},{\"a\":2}]").statusCode()).isEqualTo(201);
		assertThat(post("/x/y?q=1", "application/json; charset=utf-8", "{\"a\":3}\n{\"a\":4}\n").statusCode()).isEqualTo(201);
		Await.until(DEADLINE, "4 records", () -> tags.size() >= 4);
		assertThat(tags).containsExactlyInAnyOrder("app.log:1", "app.log:2", "x_y:3", "x_y:4");
	}

	@Test
	void tagKeyTakesTheTagFromTheRecord() throws Exception {
		List<String> tags = new java.util.concurrent.CopyOnWriteArrayList<>();
		EmbeddedSluice s = start("tag_key", "$kube['ns']");
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			chunk.decode().forEach((e) -> tags.add(chunk.tag()));
			return dev.sluice.plugin.FlushResult.OK;
		});
		assertThat(post("/fallback", "application/json",
				"[{\"kube\":{\"ns\":\"team/a\"}},{\"kube\":{\"ns\":7}},{\"other\":1}]").statusCode()).isEqualTo(201);
		Await.until(DEADLINE, "3 records", () -> tags.size() >= 3);
		assertThat(tags).containsExactlyInAnyOrder("team_a", "fallback", "fallback");
	}

	@Test
	void gzipBodiesAndFormBodies() throws Exception {
		EmbeddedSluice s = start();
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
			gz.write("{\"zipped\":true}".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(post(client(HttpClient.Version.HTTP_1_1), "/", "application/json", bos.toByteArray(), "gzip").statusCode())
			.isEqualTo(201);
		assertThat(events(s, 1).get(0).body()).containsExactly(Map.entry("zipped", true));
		assertThat(post("/", "application/x-www-form-urlencoded", "a=1&b=hello+world%21&=skip&c").statusCode()).isEqualTo(201);
		assertThat(events(s, 2).get(1).body()).containsExactly(Map.entry("a", "1"), Map.entry("b", "hello world!"));
	}

	@Test
	void successCodeAndHeaders() throws Exception {
		start("successful_response_code", "200", "success_header", "X-Custom value one", "success_header", "X-Two 2");
		HttpResponse<String> r = post("/", "application/json", "{\"a\":1}");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("X-Custom")).hasValue("value one");
		assertThat(r.headers().firstValue("X-Two")).hasValue("2");
		HttpResponse<String> bad = post("/", "application/json", "nope");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.headers().firstValue("X-Custom")).isEmpty();
	}

	@Test
	void code204() throws Exception {
		start("successful_response_code", "204");
		assertThat(post("/", "application/json", "{\"a\":1}").statusCode()).isEqualTo(204);
	}

	@Test
	void badRequestsAre400WithFluentBitsReasons() throws Exception {
		EmbeddedSluice s = start();
		HttpClient c = client(HttpClient.Version.HTTP_1_1);
		HttpResponse<String> r = post(c, "/", null, "{}".getBytes(), null);
		assertThat(r.statusCode()).isEqualTo(400);
		assertThat(r.body()).isEqualTo("error: header 'Content-Type' is not set\n");
		r = post("/", "text/plain", "{}");
		assertThat(r.statusCode()).isEqualTo(400);
		assertThat(r.body()).isEqualTo("error: invalid 'Content-Type'\n");
		r = post("/", "application/json", "");
		assertThat(r.statusCode()).isEqualTo(400);
		assertThat(r.body()).isEqualTo("error: no payload found\n");
		for (String bad : List.of("{\"a\":", "not json", "42", "\"s\"", "[1,2]", "[{\"a\":1},3]")) {
			r = post("/", "application/json", bad);
			assertThat(r.statusCode()).as(bad).isEqualTo(400);
			assertThat(r.body()).as(bad).isEqualTo("error: unable to process records\n");
		}
		HttpResponse<String> get = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(get.statusCode()).isEqualTo(400);
		assertThat(get.body()).isEqualTo("error: invalid HTTP method\n");
		// nothing was appended by any of these; a good request afterwards still works on the same client
		assertThat(post(c, "/", "application/json", "{\"ok\":1}".getBytes(), null).statusCode()).isEqualTo(201);
		assertThat(events(s, 1)).hasSize(1);
		assertThat(s.plugin("lib.0", LibOutput.class).events()).hasSize(1);
	}

	@Test
	void tooLargeBodyIs413AndNeverBuffered() throws Exception {
		start("buffer_max_size", "1k");
		String big = "{\"a\":\"" + "x".repeat(4000) + "\"}";
		HttpResponse<String> r = post("/", "application/json", big);
		assertThat(r.statusCode()).isEqualTo(413);
		// a gzip bomb is bounded too
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
			gz.write(big.getBytes(StandardCharsets.UTF_8));
		}
		r = post(client(HttpClient.Version.HTTP_1_1), "/", "application/json", bos.toByteArray(), "gzip");
		assertThat(r.statusCode()).isEqualTo(413);
	}

	@Test
	void pausedInputAnswers503AndAppendsNothing() throws Exception {
		EmbeddedSluice s = start();
		InputInstance in = s.input("http.0");
		in.pause(InputInstance.PauseReason.ADMIN, "test");
		HttpResponse<String> r = post("/", "application/json", "{\"a\":1}");
		assertThat(r.statusCode()).isEqualTo(503);
		in.resume(InputInstance.PauseReason.ADMIN, "test");
		assertThat(post("/", "application/json", "{\"a\":2}").statusCode()).isEqualTo(201);
		List<LogEvent> ev = events(s, 1);
		assertThat(ev).hasSize(1);
		assertThat(ev.get(0).body()).containsEntry("a", 2L);
	}

	@Test
	void remoteAddrFromXForwardedFor() throws Exception {
		EmbeddedSluice s = start("add_remote_addr", "true", "remote_addr_key", "ip");
		HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/"))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", " 10.1.2.3 , 192.168.0.1")
			.POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
			.build();
		assertThat(client(HttpClient.Version.HTTP_1_1).send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
		assertThat(events(s, 1).get(0).body()).containsExactly(Map.entry("a", 1L), Map.entry("ip", "10.1.2.3"));
	}

	@Test
	void keepAliveServesManyRequestsOnOneConnection() throws Exception {
		EmbeddedSluice s = start();
		// a raw socket: every response must come back on the same connection
		try (java.net.Socket sock = new java.net.Socket("127.0.0.1", this.port)) {
			sock.setSoTimeout(20_000);
			var out = sock.getOutputStream();
			var in = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream(), StandardCharsets.ISO_8859_1));
			for (int i = 0; i < 50; i++) {
				String body = "{\"i\":" + i + "}";
				out.write(("POST /ka HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
						+ "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				assertThat(in.readLine()).isEqualTo("HTTP/1.1 201 Created");
				String line;
				while (!(line = in.readLine()).isEmpty()) {
					assertThat(line.toLowerCase()).doesNotContain("connection: close");
				}
			}
		}
		assertThat(events(s, 50)).hasSize(50);
	}

	@Test
	void missingHostIs400() throws Exception {
		start();
		try (java.net.Socket sock = new java.net.Socket("127.0.0.1", this.port)) {
			sock.setSoTimeout(20_000);
			sock.getOutputStream().write("POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
				.getBytes(StandardCharsets.ISO_8859_1));
			String resp = new String(sock.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
			assertThat(resp).isEqualTo("HTTP/1.1 400");
		}
	}

	@Test
	void http2ByUpgrade() throws Exception {
		EmbeddedSluice s = start("enable_health_endpoint", "on");
		HttpClient c = client(HttpClient.Version.HTTP_2);
		// the JDK upgrades on a first request without a body
		HttpResponse<String> h = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/health")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(h.statusCode()).isEqualTo(200);
		assertThat(h.body()).contains("\"status\": \"ok\"");
		HttpResponse<String> r = post(c, "/h2.tag", "application/json", "[{\"v\":2}]".getBytes(), null);
		assertThat(r.statusCode()).isEqualTo(201);
		assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
		r = post(c, "/", "text/plain", "x".getBytes(), null);
		assertThat(r.statusCode()).isEqualTo(400);
		assertThat(r.body()).isEqualTo("error: invalid 'Content-Type'\n");
		assertThat(events(s, 1).get(0).body()).containsEntry("v", 2L);
	}

	@Test
	void http2Off() throws Exception {
		start("http2", "off");
		HttpResponse<String> r = post(client(HttpClient.Version.HTTP_2), "/", "application/json", "{\"a\":1}".getBytes(), null);
		assertThat(r.statusCode()).isEqualTo(201);
		assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
	}

	@Test
	void takenPortFailsStartWithTheAddress() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
			int p = taken.getLocalPort();
			EmbeddedSluice s = EmbeddedSluice.builder().service("flush", "0.05")
				.input("http", "listen", "127.0.0.1", "port", String.valueOf(p)).output("lib", "match", "*").build();
			this.started.add(s);
			assertThatThrownBy(s::start).hasStackTraceContaining("127.0.0.1:" + p);
		}
	}

	@Test
	void invalidSuccessCodeFailsStart() {
		EmbeddedSluice s = EmbeddedSluice.builder().service("flush", "0.05")
			.input("http", "listen", "127.0.0.1", "port", String.valueOf(Ports.free()), "successful_response_code", "202")
			.output("lib", "match", "*").build();
		this.started.add(s);
		assertThatThrownBy(s::start).hasStackTraceContaining("successful_response_code");
	}

	static String unused(EmbeddedSluice s) throws IOException {
		return tagOf(s, 0);
	}
}
