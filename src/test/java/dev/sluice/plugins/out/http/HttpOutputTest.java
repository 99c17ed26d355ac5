package dev.sluice.plugins.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.Metrics;
import dev.sluice.event.EventTime;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The http output in a running pipeline against a real local HTTP server. */
class HttpOutputTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final EventTime T = new EventTime(1_795_314_975L, 103_472_000);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("output:http:http.0")).detachAppender(this.logs);
		}
	}

	private TestHttpServer server(int port) throws Exception {
		TestHttpServer s = new TestHttpServer(port);
		this.closeables.add(s);
		return s;
	}

	private EmbeddedSluice sluice(int port, String... options) {
		List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(port)));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.service("scheduler.base", "1").service("scheduler.cap", "1").input("lib", "tag", "t")
			.output("http", args.toArray(String[]::new)).build();
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("output:http:http.0")).addAppender(this.logs);
		s.start();
		this.closeables.add(s);
		return s;
	}

	private static void push(EmbeddedSluice s, int n) throws Exception {
		LibInput lib = s.plugin("lib.0", LibInput.class);
		lib.push(T, Map.of("n", (long) n));
	}

	private static Metrics.Output metrics(EmbeddedSluice s) {
		return s.output("http.0").metrics();
	}

	private List<String> messages() {
		return this.logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	@Test
	void serverErrorIsRetriedAndDeliveredOnce() throws Exception {
		TestHttpServer srv = server(0);
		srv.script.add(TestHttpServer.Answer.status(500, "boom"));
		EmbeddedSluice s = sluice(srv.port());
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1 && metrics(s).procRecords.sum() == 1);
		assertThat(srv.requests).hasSize(2);
		assertThat(srv.requests.get(0).body()).isEqualTo(srv.requests.get(1).body());
		assertThat(metrics(s).retries.sum()).isEqualTo(1);
		assertThat(metrics(s).errors.sum()).isZero();
		assertThat(messages()).contains("127.0.0.1:" + srv.port() + ", HTTP status=500\nboom",
				"127.0.0.1:" + srv.port() + ", HTTP status=200\n{\"status\":\"ok\"}");
	}

	@Test
	void tooManyRequestsAndRequestTimeoutAreRetried() throws Exception {
		TestHttpServer srv = server(0);
		srv.script.add(TestHttpServer.Answer.status(429, ""));
		srv.script.add(TestHttpServer.Answer.status(408, ""));
		EmbeddedSluice s = sluice(srv.port(), "retry_limit", "5");
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1 && metrics(s).procRecords.sum() == 1);
		assertThat(metrics(s).retries.sum()).isEqualTo(2);
		assertThat(messages()).contains("127.0.0.1:" + srv.port() + ", HTTP status=429");
	}

	@Test
	void badRequestIsAnErrorLoggedWithTheResponseBody() throws Exception {
		TestHttpServer srv = server(0);
		srv.script.add(TestHttpServer.Answer.status(400, "{\"error\":\"bad field\"}"));
		EmbeddedSluice s = sluice(srv.port());
		push(s, 1);
		Await.until(DEADLINE, "error counted", () -> metrics(s).errors.sum() == 1);
		assertThat(srv.requests).hasSize(1);
		assertThat(metrics(s).retries.sum()).isZero();
		assertThat(metrics(s).procRecords.sum()).isZero();
		String where = "127.0.0.1:" + srv.port();
		assertThat(messages()).contains(where + ", HTTP status=400\n{\"error\":\"bad field\"}",
				"could not flush records to " + where + " (http_do=0), chunk will not be retried");
		assertThat(this.logs.list.stream().filter((e) -> e.getFormattedMessage().contains("HTTP status=400")).findFirst()
			.orElseThrow().getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
	}

	@Test
	void logResponsePayloadOff() throws Exception {
		TestHttpServer srv = server(0);
		srv.script.add(TestHttpServer.Answer.status(404, "not here"));
		EmbeddedSluice s = sluice(srv.port(), "log_response_payload", "off");
		push(s, 1);
		Await.until(DEADLINE, "error counted", () -> metrics(s).errors.sum() == 1);
		assertThat(messages()).contains("127.0.0.1:" + srv.port() + ", HTTP status=404");
	}

	@Test
	void connectionRefusedThenServerUp() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = sluice(port);
		push(s, 7);
		Await.until(DEADLINE, "a retry", () -> metrics(s).retries.sum() >= 1);
		assertThat(messages()).contains("no upstream connections available to 127.0.0.1:" + port);
		TestHttpServer srv = server(port);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1 && metrics(s).procRecords.sum() == 1);
		assertThat(new String(srv.requests.get(0).body(), StandardCharsets.UTF_8))
			.isEqualTo("[{\"date\":1795314975.103472,\"n\":7}]");
	}

	@Test
	void slowResponseBeyondTheTimeoutIsRetried() throws Exception {
		TestHttpServer srv = server(0);
		srv.script.add(TestHttpServer.Answer.stalled());
		EmbeddedSluice s = sluice(srv.port(), "http.response_timeout", "300ms");
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1 && metrics(s).procRecords.sum() == 1);
		assertThat(srv.attempts.get()).isEqualTo(2);
		assertThat(metrics(s).retries.sum()).isEqualTo(1);
	}

	@Test
	void droppedConnectionIsRetried() throws Exception {
		TestHttpServer srv = server(0);
		srv.script.add(TestHttpServer.Answer.dropped());
		EmbeddedSluice s = sluice(srv.port());
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1 && metrics(s).procRecords.sum() == 1);
		assertThat(metrics(s).retries.sum()).isEqualTo(1);
	}

	@Test
	void connectionsAreKeptAlive() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port());
		for (int i = 0; i < 6; i++) {
			push(s, i);
			int want = i + 1;
			Await.until(DEADLINE, "request " + want, () -> srv.delivered().size() == want);
		}
		assertThat(srv.connectionCount()).isLessThanOrEqualTo(2);
	}

	@Test
	void gelfWithoutShortMessageIsAnError() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "format", "gelf");
		push(s, 1);
		Await.until(DEADLINE, "error counted", () -> metrics(s).errors.sum() == 1);
		assertThat(srv.attempts.get()).isZero();
		assertThat(messages()).containsSubsequence("[flb_msgpack_to_gelf] missing short_message key",
				"error encoding to GELF");
	}

	@Test
	void headersMethodAndDuplicates() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "http_method", "PUT", "uri", "in", "header", "X-A  1",
				"header", "X-A 2", "header", "Content-Type text/plain", "header_tag", "X-Tag");
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1);
		TestHttpServer.Request r = srv.requests.get(0);
		assertThat(r.method()).isEqualTo("PUT");
		assertThat(r.uri()).isEqualTo("/in");
		assertThat(r.headers().get("X-A")).containsExactly("1", "2");
		assertThat(r.headers().get("Content-Type")).containsExactly("application/json", "text/plain");
		assertThat(r.header("X-Tag")).isEqualTo("t");
	}

	@Test
	void noDuplicatedHeadersReplaces() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "allow_duplicated_headers", "false", "header", "X-A 1", "header",
				"X-A 2", "header", "Content-Type text/plain");
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1);
		TestHttpServer.Request r = srv.requests.get(0);
		assertThat(r.headers().get("X-A")).containsExactly("2");
		assertThat(r.headers().get("Content-Type")).containsExactly("text/plain");
	}

	@Test
	void bodyKeyAndHeadersKeySendEachRecord() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "body_key", "$body", "headers_key", "$headers");
		LibInput lib = s.plugin("lib.0", LibInput.class);
		lib.push(List.of(
				new dev.sluice.event.LogEvent(T, Map.of("body", "raw one", "headers", Map.of("X-Id", "1"))),
				new dev.sluice.event.LogEvent(T, Map.of("body", "raw two", "headers", Map.of("X-Id", "2")))));
		Await.until(DEADLINE, "2 requests", () -> srv.delivered().size() == 2);
		assertThat(srv.requests.stream().map((r) -> new String(r.body(), StandardCharsets.UTF_8)))
			.containsExactly("raw one", "raw two");
		assertThat(srv.requests.get(1).header("X-Id")).isEqualTo("2");
		assertThat(srv.requests.get(1).header("User-Agent")).isEqualTo("Fluent-Bit");
	}

	@Test
	void proxySendsTheAbsoluteUri() throws Exception {
		TestHttpServer proxy = server(0);
		List<String> args = List.of("match", "*", "host", "logs.example.invalid", "port", "8080", "uri", "/x",
				"proxy", "http://127.0.0.1:" + proxy.port());
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").input("lib", "tag", "t")
			.output("http", args.toArray(String[]::new)).build().start();
		this.closeables.add(s);
		push(s, 1);
		Await.until(DEADLINE, "delivered through the proxy", () -> proxy.delivered().size() == 1);
		assertThat(proxy.requests.get(0).uri()).isEqualTo("http://logs.example.invalid:8080/x");
		assertThat(proxy.requests.get(0).header("Host")).isEqualTo("logs.example.invalid:8080");
	}

	@Test
	void basicAuthWithEmptyPassword() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "http_user", "u");
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1);
		assertThat(srv.requests.get(0).header("Authorization")).isEqualTo("Basic dTo=");
	}

	@Test
	void unknownFormatFallsBackToMsgpackAndUnknownDateFormatToDouble() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "format", "yaml", "json_date_format", "weird");
		push(s, 1);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1);
		assertThat(srv.requests.get(0).header("Content-Type")).isEqualTo("application/msgpack");
		assertThat(messages()).contains("unrecognized 'format' option. Using 'msgpack'",
				"unrecognized 'json_date_format' option. Using 'double'.");
	}

	@Test
	void headerWithOnlyAName() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "header", "X-Solo", "json_date_key", "off", "format", "json_stream");
		push(s, 3);
		Await.until(DEADLINE, "delivered", () -> srv.delivered().size() == 1);
		assertThat(srv.requests.get(0).header("X-Solo")).isEqualTo("X-Solo");
		assertThat(new String(srv.requests.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":3}");
	}

	@Test
	void bodyKeyRecordWithoutTheKeysIsAnError() throws Exception {
		TestHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "body_key", "body", "headers_key", "headers");
		LibInput lib = s.plugin("lib.0", LibInput.class);
		lib.push(List.of(new dev.sluice.event.LogEvent(T, Map.of("body", "ok", "headers", Map.of())),
				new dev.sluice.event.LogEvent(T, Map.of("other", "x"))));
		Await.until(DEADLINE, "error counted", () -> metrics(s).errors.sum() == 1);
		assertThat(srv.delivered()).hasSize(1);
		assertThat(messages()).contains("failed to extract body/headers using patterns \"body\" and \"headers\"",
				"failed to post requests body key \"body\"");
	}
}
