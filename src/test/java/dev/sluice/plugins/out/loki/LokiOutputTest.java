package dev.sluice.plugins.out.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.Metrics;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.es.RecordingHttpServer;
import dev.sluice.plugins.out.es.RecordingHttpServer.Answer;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The loki output in a running pipeline against a real local HTTP server. */
class LokiOutputTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final EventTime T = new EventTime(1_795_314_975L, 103_472_000);

	private static final String NS = "1795314975103472000";

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	@TempDir
	Path dir;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("output:loki:loki.0")).detachAppender(this.logs);
		}
	}

	private RecordingHttpServer server(int port) throws Exception {
		RecordingHttpServer s = new RecordingHttpServer(port, (r) -> Answer.of(204, ""));
		this.closeables.add(s);
		return s;
	}

	private EmbeddedSluice sluice(int port, String... options) {
		List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(port)));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.service("scheduler.base", "1").service("scheduler.cap", "1").input("lib", "tag", "t")
			.output("loki", args.toArray(String[]::new)).build();
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("output:loki:loki.0")).addAppender(this.logs);
		s.start();
		this.closeables.add(s);
		return s;
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	static void push(EmbeddedSluice s, List<Map<String, Object>> records) throws Exception {
		List<LogEvent> events = new ArrayList<>();
		for (Map<String, Object> r : records) {
			events.add(new LogEvent(T, r));
		}
		s.plugin("lib.0", LibInput.class).push(events);
	}

	private static Metrics.Output metrics(EmbeddedSluice s) {
		return s.output("loki.0").metrics();
	}

	private List<String> messages() {
		return this.logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private RecordingHttpServer.Request one(RecordingHttpServer srv, EmbeddedSluice s) {
		Await.until(DEADLINE, "delivered", () -> metrics(s).procRecords.sum() > 0);
		assertThat(srv.requests).hasSize(1);
		return srv.requests.get(0);
	}

	@Test
	void staticLabelsMakeOneStreamAndTheRequestIsFluentBits() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "labels", "job=fluentbit, env=prod", "tenant_id", "acme",
				"header", "X-Extra  yes", "bearer_token", "tok");
		push(s, List.of(rec("log", "hello", "n", 1L), rec("log", "x\"y")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.method()).isEqualTo("POST");
		assertThat(r.uri()).isEqualTo("/loki/api/v1/push");
		assertThat(r.header("Content-Type")).isEqualTo("application/json");
		assertThat(r.header("User-Agent")).isEqualTo("Fluent-Bit");
		assertThat(r.header("X-Scope-OrgID")).isEqualTo("acme");
		assertThat(r.header("X-Extra")).isEqualTo("yes");
		assertThat(r.header("Authorization")).isEqualTo("Bearer tok");
		assertThat(r.text()).isEqualTo("{\"streams\":[{\"stream\":{\"job\":\"fluentbit\",\"env\":\"prod\"},\"values\":["
				+ "[\"" + NS + "\",\"{\\\"log\\\":\\\"hello\\\",\\\"n\\\":1}\"],"
				+ "[\"" + NS + "\",\"{\\\"log\\\":\\\"x\\\\\\\"y\\\"}\"]]}]}");
	}

	@Test
	void defaultLabelIsJobFluentBit() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "uri", "/custom/push", "http_user", "u", "http_passwd", "p",
				"compress", "gzip");
		push(s, List.of(rec("log", "m")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.uri()).isEqualTo("/custom/push");
		assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(r.header("Authorization"))
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)));
		assertThat(r.header("X-Scope-OrgID")).isNull();
		assertThat(r.text()).isEqualTo("{\"streams\":[{\"stream\":{\"job\":\"fluent-bit\"},\"values\":[[\"" + NS
				+ "\",\"{\\\"log\\\":\\\"m\\\"}\"]]}]}");
	}

	@Test
	void recordAccessorLabelsMakeAStreamPerRecordAndLeaveTheLine() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "labels", "job=fluentbit, $sub['stream']", "label_keys", "$host");
		push(s, List.of(rec("sub", rec("stream", "stdout", "x", 1L), "host", "h1", "log", "m"),
				rec("sub", rec("stream", "stderr"), "log", "m2")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.text()).isEqualTo("{\"streams\":["
				+ "{\"stream\":{\"job\":\"fluentbit\",\"sub_stream\":\"stdout\",\"host\":\"h1\"},\"values\":[[\"" + NS
				+ "\",\"{\\\"sub\\\":{\\\"x\\\":1},\\\"log\\\":\\\"m\\\"}\"]]},"
				+ "{\"stream\":{\"job\":\"fluentbit\",\"sub_stream\":\"stderr\"},\"values\":[[\"" + NS
				+ "\",\"{\\\"sub\\\":{},\\\"log\\\":\\\"m2\\\"}\"]]}]}");
	}

	@Test
	void keyValueLinesAndRemoveKeys() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "line_format", "key_value", "remove_keys", "n, $m['drop']");
		push(s, List.of(rec("log", "a b", "n", 1L, "f", 1.5, "i", 2.0, "arr", List.of(1L, "x"), "m",
				rec("k", "v", "drop", 1L), "z", null, "b", true)));
		RecordingHttpServer.Request r = one(srv, s);
		String line = "log=\"a b\" f=1.5 i=2.0 arr=\"[1 \"x\"]\" m=\"map[k:\"v\"]\" z=null b=true";
		assertThat(r.text()).isEqualTo("{\"streams\":[{\"stream\":{\"job\":\"fluent-bit\"},\"values\":[[\"" + NS
				+ "\",\"" + line.replace("\"", "\\\"") + "\"]]}]}");
	}

	@Test
	void dropSingleKeyOnQuotesAndRawDoesNot() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "drop_single_key", "on", "remove_keys", "stream");
		push(s, List.of(rec("log", "hello", "stream", "stdout")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.text()).contains("[\"" + NS + "\",\"\\\"hello\\\"\"]");
		s.close();

		RecordingHttpServer srv2 = server(0);
		EmbeddedSluice s2 = sluice(srv2.port(), "drop_single_key", "raw");
		push(s2, List.of(rec("log", "hello")));
		assertThat(one(srv2, s2).text()).contains("[\"" + NS + "\",\"hello\"]");
	}

	@Test
	void structuredMetadataIsTheThirdValue() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "structured_metadata", "trace=$trace_id, static=1",
				"structured_metadata_map_keys", "$meta");
		push(s, List.of(rec("trace_id", "abc", "meta", rec("a", "b", "c", 2L), "log", "m")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.text()).isEqualTo("{\"streams\":[{\"stream\":{\"job\":\"fluent-bit\"},\"values\":[[\"" + NS
				+ "\",\"{\\\"log\\\":\\\"m\\\"}\",{\"a\":\"b\",\"c\":\"2\",\"trace\":\"abc\",\"static\":\"1\"}]]}]}");
	}

	@Test
	void kubernetesLabelsAndLabelMap() throws Exception {
		Path map = this.dir.resolve("labelmap.json");
		Files.writeString(map, "{\"kubernetes\": {\"namespace_name\": \"namespace\", \"container_name\": \"container\"}}");
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "auto_kubernetes_labels", "on", "label_map_path", map.toString());
		push(s, List.of(rec("kubernetes", rec("labels", rec("app.kubernetes.io/name", "web", "1x", "y"),
				"namespace_name", "ns1", "container_name", "c"), "log", "m")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.text()).isEqualTo("{\"streams\":[{\"stream\":{\"namespace\":\"ns1\",\"container\":\"c\","
				+ "\"app_kubernetes_io_name\":\"web\",\"_1x\":\"y\"},\"values\":[[\"" + NS
				+ "\",\"{\\\"kubernetes\\\":{\\\"labels\\\":{\\\"app.kubernetes.io/name\\\":\\\"web\\\",\\\"1x\\\":\\\"y\\\"}},\\\"log\\\":\\\"m\\\"}\"]]}]}");
	}

	@Test
	void tenantFromTheRecordWins() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "tenant_id", "default", "tenant_id_key", "tenant");
		push(s, List.of(rec("tenant", "t1", "log", "m")));
		RecordingHttpServer.Request r = one(srv, s);
		assertThat(r.header("X-Scope-OrgID")).isEqualTo("t1");
		assertThat(r.text()).contains("{\\\"tenant\\\":\\\"t1\\\",\\\"log\\\":\\\"m\\\"}");
	}

	@Test
	void badRequestIsDroppedWithTheBodyInTheLog() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> Answer.of(400, "entry out of order"));
		EmbeddedSluice s = sluice(srv.port());
		push(s, List.of(rec("log", "m")));
		Await.until(DEADLINE, "error", () -> metrics(s).errors.sum() == 1);
		assertThat(srv.requests).hasSize(1);
		assertThat(metrics(s).retries.sum()).isZero();
		assertThat(messages()).contains("127.0.0.1:" + srv.port() + ", HTTP status=400 Not retrying.\nentry out of order");
	}

	@Test
	void serverErrorsTooManyRequestsResetsAndStallsAreRetried() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> switch (r.seq()) {
			case 0 -> Answer.of(500, "boom");
			case 1 -> Answer.of(429, "slow down");
			case 2 -> Answer.reset();
			case 3 -> Answer.stall();
			default -> Answer.of(204, "");
		});
		EmbeddedSluice s = sluice(srv.port(), "retry_limit", "10", "net.io_timeout", "1s");
		push(s, List.of(rec("log", "m")));
		Await.until(DEADLINE, "delivered", () -> metrics(s).procRecords.sum() == 1);
		assertThat(srv.requests).hasSize(5);
		assertThat(srv.requests).allSatisfy((r) -> assertThat(r.text()).isEqualTo(srv.requests.get(0).text()));
		assertThat(metrics(s).retries.sum()).isEqualTo(4);
		String where = "127.0.0.1:" + srv.port();
		assertThat(messages()).contains("could not flush records to " + where + " HTTP status=500",
				where + ", HTTP status=429\nslow down");
	}

	@Test
	void lokiDownThenUp() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = sluice(port, "retry_limit", "no_limits");
		push(s, List.of(rec("log", "m")));
		Await.until(DEADLINE, "a retry", () -> metrics(s).retries.sum() >= 1);
		assertThat(messages()).contains("no upstream connections available");
		RecordingHttpServer srv = server(port);
		Await.until(DEADLINE, "delivered", () -> metrics(s).procRecords.sum() == 1);
		assertThat(srv.requests).hasSize(1);
	}

	@Test
	void invalidSettingsAreRefused() {
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice(Ports.free(), "line_format", "xml"))
			.hasStackTraceContaining("invalid 'line_format' value: xml");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice(Ports.free(), "label_keys", "host"))
			.hasStackTraceContaining("invalid label key, the name must start with '$'");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice(Ports.free(), "labels", "job"))
			.hasStackTraceContaining("invalid key value pair on 'job'");
	}
}
