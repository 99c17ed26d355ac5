package dev.sluice.plugins.out.es;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.es.RecordingHttpServer.Answer;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The es output in a running pipeline against a real local HTTP server answering bulk requests. */
class EsOutputTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	/** 2026-11-22T02:36:15.103472000Z */
	private static final EventTime T = new EventTime(1_795_314_975L, 103_472_000);

	private static final String DOC_LINE = "{\"create\":{\"_index\":\"fluent-bit\",\"_type\":\"_doc\"}}\n";

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	private String loggerName;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger(this.loggerName)).detachAppender(this.logs);
		}
	}

	private RecordingHttpServer server(int port) throws Exception {
		RecordingHttpServer s = new RecordingHttpServer(port,
				(r) -> Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> 201)));
		this.closeables.add(s);
		return s;
	}

	private EmbeddedSluice sluice(String plugin, int port, String... options) {
		List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(port)));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.service("scheduler.base", "1").service("scheduler.cap", "1").input("lib", "tag", "t")
			.output(plugin, args.toArray(String[]::new)).build();
		this.loggerName = "output:" + plugin + ":" + plugin + ".0";
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger(this.loggerName)).addAppender(this.logs);
		s.start();
		this.closeables.add(s);
		return s;
	}

	private EmbeddedSluice sluice(int port, String... options) {
		return sluice("es", port, options);
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	/** Pushes the records as one append, so they land in one chunk. */
	static void push(EmbeddedSluice s, List<Map<String, Object>> records) throws Exception {
		List<LogEvent> events = new ArrayList<>();
		for (Map<String, Object> r : records) {
			events.add(new LogEvent(T, r));
		}
		s.plugin("lib.0", LibInput.class).push(events);
	}

	private static Metrics.Output metrics(EmbeddedSluice s, String instance) {
		return s.output(instance).metrics();
	}

	private List<String> messages() {
		return this.logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private static String doc(String json) {
		return DOC_LINE + json + "\n";
	}

	@Test
	void bulkBodyHeadersAndAuthAreFluentBits() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "http_user", "elastic", "http_passwd", "secret");
		push(s, List.of(rec("msg", "a", "n", 1L), rec("msg", "caf\u00e9 \"x\"", "ok", true, "f", 0.5)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 2);
		assertThat(srv.requests).hasSize(1);
		RecordingHttpServer.Request r = srv.requests.get(0);
		assertThat(r.method()).isEqualTo("POST");
		assertThat(r.uri()).isEqualTo("/_bulk");
		assertThat(r.header("Content-Type")).isEqualTo("application/x-ndjson");
		assertThat(r.header("User-Agent")).isEqualTo("Fluent-Bit");
		assertThat(r.header("Authorization"))
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString("elastic:secret".getBytes(StandardCharsets.UTF_8)));
		assertThat(r.text()).isEqualTo(doc("{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"msg\":\"a\",\"n\":1}")
				+ doc("{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"msg\":\"caf\\u00e9 \\\"x\\\"\",\"ok\":true,\"f\":0.5}"));
		assertThat(s.plugin("es.0", EsOutput.class).writer().indexedRecords.sum()).isEqualTo(2);
	}

	@Test
	void logstashFormatTagKeyNanosSuppressedTypeAndReplacedDots() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "logstash_format", "on", "logstash_prefix", "app",
				"include_tag_key", "on", "tag_key", "tag", "time_key_nanos", "on", "suppress_type_name", "on",
				"replace_dots", "on", "time_key", "ts");
		push(s, List.of(rec("a.b", rec("c.d", 1L), "l", List.of(rec("x.y", "z")))));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 1);
		assertThat(srv.requests.get(0).text()).isEqualTo("{\"create\":{\"_index\":\"app-2026.11.22\"}}\n"
				+ "{\"ts\":\"2026-11-22T02:36:15.103472000Z\",\"tag\":\"t\",\"a_b\":{\"c_d\":1},\"l\":[{\"x_y\":\"z\"}]}\n");
	}

	@Test
	void logstashPrefixKeySeparatorDateformatPathAndPipeline() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "logstash_format", "on", "logstash_prefix_key", "$k8s['ns']",
				"logstash_prefix_separator", "_", "logstash_dateformat", "%Y%m%d-%H", "path", "/search",
				"pipeline", "geo", "time_key_format", "%Y-%m-%d %H:%M:%S", "index", "ignored");
		push(s, List.of(rec("k8s", rec("ns", "team"), "m", 1L), rec("m", 2L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 2);
		RecordingHttpServer.Request r = srv.requests.get(0);
		assertThat(r.uri()).isEqualTo("/search/_bulk/?pipeline=geo");
		assertThat(r.text()).isEqualTo("{\"create\":{\"_index\":\"team_20261122-02\",\"_type\":\"_doc\"}}\n"
				+ "{\"@timestamp\":\"2026-11-22 02:36:15.103Z\",\"k8s\":{\"ns\":\"team\"},\"m\":1}\n"
				+ "{\"create\":{\"_index\":\"logstash_20261122-02\",\"_type\":\"_doc\"}}\n"
				+ "{\"@timestamp\":\"2026-11-22 02:36:15.103Z\",\"m\":2}\n");
	}

	@Test
	void generateIdGivesEachRecordAStableId() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> (r.seq() == 0) ? Answer.of(503, "busy")
				: Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> 201)));
		EmbeddedSluice s = sluice(srv.port(), "generate_id", "on", "index", "logs", "retry_limit", "3");
		push(s, List.of(rec("m", "a"), rec("m", "b")));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 2);
		assertThat(srv.requests).hasSize(2);
		String[] lines = srv.requests.get(0).text().split("\n");
		assertThat(lines[0]).matches(
				"\\{\"create\":\\{\"_index\":\"logs\",\"_type\":\"_doc\",\"_id\":\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"}}");
		assertThat(lines[0]).isNotEqualTo(lines[2]);
		// the retry carries the same ids: the cluster can drop what it already has
		assertThat(srv.requests.get(1).text()).isEqualTo(srv.requests.get(0).text());
		// the id is the MurmurHash3 of the document's msgpack, as Fluent Bit computes it
		org.msgpack.core.MessageBufferPacker p = org.msgpack.core.MessagePack.newDefaultBufferPacker();
		p.packMapHeader(2).packString("@timestamp").packString("2026-11-22T02:36:15.103Z").packString("m").packString("a");
		byte[] mp = p.toByteArray();
		assertThat(lines[0]).contains("\"_id\":\"" + Murmur3.documentId(mp, 0, mp.length) + "\"");
	}

	@Test
	void updateAndUpsertWrapTheDocumentAndUseTheIdKey() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "write_operation", "upsert", "id_key", "$id", "suppress_type_name", "on");
		push(s, List.of(rec("id", "doc-1", "m", 1L), rec("m", 2L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 2);
		assertThat(srv.requests.get(0).text()).isEqualTo(
				"{\"update\":{\"_index\":\"fluent-bit\",\"_id\":\"doc-1\"}}\n"
						+ "{\"doc_as_upsert\":true,\"doc\":{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"id\":\"doc-1\",\"m\":1}}\n"
						+ "{\"update\":{\"_index\":\"fluent-bit\"}}\n"
						+ "{\"doc_as_upsert\":true,\"doc\":{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"m\":2}}\n");
		assertThat(messages()).contains("the value of $id is missing");
	}

	@Test
	void updateWithoutAnIdIsRefused() {
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice(Ports.free(), "write_operation", "update"))
			.hasStackTraceContaining("Id_Key or Generate_Id must be set when Write_Operation update or upsert");
	}

	@Test
	void partialFailureRetriesOnlyTheFailedItemsAndDropsMappingErrors() throws Exception {
		RecordingHttpServer srv = server(0);
		// first bulk: created, mapping error, rejected (429), created; the retry: created
		srv.handler((r) -> Answer.of(200, RecordingHttpServer.bulkResponse(r,
				(i) -> (r.seq() > 0) ? 201 : switch (i) {
					case 1 -> 400;
					case 2 -> 429;
					default -> 201;
				})));
		EmbeddedSluice s = sluice(srv.port(), "retry_limit", "3");
		push(s, List.of(rec("n", 0L), rec("n", 1L, "status", "abc"), rec("n", 2L), rec("n", 3L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() > 0);
		assertThat(srv.requests).hasSize(2);
		String[] first = srv.requests.get(0).text().split("\n");
		assertThat(first).hasSize(8);
		// only record 2 is sent again, byte for byte as before
		assertThat(srv.requests.get(1).text()).isEqualTo(first[4] + "\n" + first[5] + "\n");
		BulkWriter w = s.plugin("es.0", EsOutput.class).writer();
		assertThat(w.droppedRecords.sum()).isEqualTo(1);
		assertThat(w.indexedRecords.sum()).isEqualTo(3);
		assertThat(w.retriedRecords.sum()).isEqualTo(1);
		assertThat(w.chunksInProgress()).isZero();
		assertThat(metrics(s, "es.0").retries.sum()).isEqualTo(1);
		assertThat(metrics(s, "es.0").errors.sum()).isZero();
		assertThat(messages()).contains("record dropped: bulk item 1 status=400 index=fluent-bit "
				+ "type=mapper_parsing_exception reason=failed to parse field [status] of type [integer] in document "
				+ "with id 'id1' caused_by=number_format_exception: For input string: \"abc\"",
				"bulk request: 2 indexed, 1 dropped, 1 to retry");
	}

	@Test
	void conflictMeansAnEarlierAttemptCreatedTheDocument() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> (i == 0) ? 409 : 201)));
		EmbeddedSluice s = sluice(srv.port(), "generate_id", "on");
		push(s, List.of(rec("n", 0L), rec("n", 1L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 2);
		assertThat(srv.requests).hasSize(1);
		assertThat(s.plugin("es.0", EsOutput.class).writer().droppedRecords.sum()).isZero();
	}

	@Test
	void aChunkWhoseRecordsAreAllRefusedIsAnError() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> 400)));
		EmbeddedSluice s = sluice(srv.port(), "trace_error", "on");
		push(s, List.of(rec("status", "abc"), rec("status", "def")));
		Await.until(DEADLINE, "error", () -> metrics(s, "es.0").errors.sum() == 1);
		assertThat(srv.requests).hasSize(1);
		assertThat(metrics(s, "es.0").retries.sum()).isZero();
		assertThat(s.plugin("es.0", EsOutput.class).writer().droppedRecords.sum()).isEqualTo(2);
		assertThat(messages()).anyMatch((m) -> m.startsWith("error: Output\n{\"took\":3,\"errors\":true"));
	}

	@Test
	void wholeRequestFailuresRetryTheSameBody() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> switch (r.seq()) {
			case 0 -> Answer.of(500, "boom");
			case 1 -> Answer.of(429, "");
			case 2 -> Answer.reset();
			case 3 -> Answer.of(400, "{\"error\":\"bad\"}");
			case 4 -> Answer.of(200, "not json");
			default -> Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> 201));
		});
		EmbeddedSluice s = sluice(srv.port(), "retry_limit", "10");
		push(s, List.of(rec("n", 1L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 1);
		assertThat(srv.requests).hasSize(6);
		assertThat(srv.requests).allSatisfy((r) -> assertThat(r.text())
			.isEqualTo(doc("{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"n\":1}")));
		assertThat(metrics(s, "es.0").retries.sum()).isEqualTo(5);
		assertThat(messages()).contains("HTTP status=500 URI=/_bulk, response:\nboom\n", "HTTP status=429 URI=/_bulk",
				"HTTP status=400 URI=/_bulk, response:\n{\"error\":\"bad\"}\n", "could not pack/validate JSON response\nnot json");
	}

	@Test
	void slowResponseIsRetried() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> (r.seq() == 0) ? Answer.stall() : Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> 201)));
		EmbeddedSluice s = sluice(srv.port(), "net.io_timeout", "1s", "retry_limit", "5");
		push(s, List.of(rec("n", 1L)));
		Await.until(DEADLINE, "delivered " + srv.requests, () -> metrics(s, "es.0").procRecords.sum() == 1);
		assertThat(srv.requests).hasSize(2);
		assertThat(metrics(s, "es.0").retries.sum()).isEqualTo(1);
		assertThat(messages()).anyMatch((m) -> m.startsWith("http_do=-1 URI=/_bulk: no response within"));
	}

	@Test
	void nodeDownThenUpDeliversOnce() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = sluice(port, "retry_limit", "no_limits");
		push(s, List.of(rec("n", 7L)));
		Await.until(DEADLINE, "a retry", () -> metrics(s, "es.0").retries.sum() >= 1);
		assertThat(messages()).contains("no upstream connections available to 127.0.0.1:" + port);
		RecordingHttpServer srv = server(port);
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 1);
		assertThat(srv.requests).hasSize(1);
	}

	@Test
	void gzipAndApiKey() throws Exception {
		RecordingHttpServer srv = server(0);
		EmbeddedSluice s = sluice(srv.port(), "compress", "gzip", "http_api_key", "a2V5OnNlY3JldA==");
		push(s, List.of(rec("n", 1L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "es.0").procRecords.sum() == 1);
		RecordingHttpServer.Request r = srv.requests.get(0);
		assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(r.header("Authorization")).isEqualTo("ApiKey a2V5OnNlY3JldA==");
		assertThat(r.rawBody()).isNotEqualTo(r.body());
		assertThat(r.text()).isEqualTo(doc("{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"n\":1}"));
	}

	@Test
	void opensearchSharesTheWriter() throws Exception {
		RecordingHttpServer srv = server(0);
		srv.handler((r) -> Answer.of(200, RecordingHttpServer.bulkResponse(r, (i) -> (r.seq() == 0 && i == 0) ? 503 : 201)));
		EmbeddedSluice s = sluice("opensearch", srv.port(), "index", "os-%Y", "suppress_type_name", "on",
				"write_operation", "index", "retry_limit", "3");
		push(s, List.of(rec("n", 1L), rec("n", 2L)));
		Await.until(DEADLINE, "delivered", () -> metrics(s, "opensearch.0").procRecords.sum() == 2);
		String year = String.valueOf(java.time.Year.now(java.time.ZoneOffset.UTC).getValue());
		assertThat(srv.requests.get(0).text()).isEqualTo("{\"index\":{\"_index\":\"os-" + year + "\"}}\n"
				+ "{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"n\":1}\n" + "{\"index\":{\"_index\":\"os-" + year
				+ "\"}}\n" + "{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"n\":2}\n");
		assertThat(srv.requests.get(1).text()).isEqualTo("{\"index\":{\"_index\":\"os-" + year + "\"}}\n"
				+ "{\"@timestamp\":\"2026-11-22T02:36:15.103Z\",\"n\":1}\n");
	}
}
