package dev.sluice.plugins.filter.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubernetes filter in a running pipeline (lib input → kubernetes → lib output) against
 * {@link FakeKubeApi}, a local HTTP(S) server answering with recorded API objects: a real API
 * server cannot run in this test environment. Covers the cache (one API call per pod, TTL,
 * failures remembered), TLS with a test CA and a token file, {@code buffer_size}, journal mode,
 * dummy metadata and tags the regex does not match.
 */
class KubernetesFilterTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final String ID = "c9898099f6d235126d564ed38a020007ea7a6fac6e25e718de683c9dd0076c16";

	private static final EventTime T = new EventTime(1_700_000_000L, 0);

	@TempDir
	static Path dir;

	static Path data;

	static TestCertificates certs;

	static TestCertificates otherCerts;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	@BeforeAll
	static void setUp() throws Exception {
		data = SharedFixtures.path("kubernetes/data");
		certs = TestCertificates.make(dir, "api", "SAN=ip:127.0.0.1,dns:localhost");
		otherCerts = TestCertificates.make(dir, "other", "SAN=ip:127.0.0.1,dns:localhost");
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("filter:kubernetes:kubernetes.0")).detachAppender(this.logs);
		}
	}

	private FakeKubeApi api(boolean tls) throws Exception {
		FakeKubeApi a = new FakeKubeApi(data.resolve("meta"), tls ? certs.server() : null);
		this.closeables.add(a);
		return a;
	}

	private final Map<String, Integer> inputs = new LinkedHashMap<>();

	private EmbeddedSluice sluice;

	/** Pushes one record with a tag (one lib input per tag, declared in {@link #start}). */
	private void push(String tag, Map<String, Object> record) throws Exception {
		this.sluice.plugin("lib." + this.inputs.get(tag), LibInput.class).push(T, record);
	}

	private EmbeddedSluice start(List<String> tags, String... filterOptions) throws Exception {
		List<String> opts = new ArrayList<>(List.of("match", "*", "kube_namespace_file",
				dir.resolve("no-namespace").toString()));
		if (!List.of(filterOptions).contains("kube_token_file")) {
			opts.addAll(List.of("kube_token_file", data.resolve("local/token").toString()));
		}
		opts.addAll(List.of(filterOptions));
		EmbeddedSluice.Builder b = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.service("parsers_file", data.resolve("parsers.conf").toString());
		for (String t : tags) {
			this.inputs.put(t, this.inputs.size());
			b.input("lib", "tag", t);
		}
		EmbeddedSluice s = b.filter("kubernetes", opts.toArray(String[]::new)).output("lib", "match", "*").build();
		this.sluice = s;
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("filter:kubernetes:kubernetes.0")).addAppender(this.logs);
		this.closeables.add(s);
		s.start();
		return s;
	}

	/** The tag in_tail gives a container log file. */
	private static String tag(String pod, String ns, String container) {
		return "kube.var.log.containers." + pod + "_" + ns + "_" + container + "-" + ID + ".log";
	}

	private static List<LogEvent> await(EmbeddedSluice s, int n) {
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, n + " records", () -> out.events().size() >= n);
		return out.events();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> kube(LogEvent e) {
		return (Map<String, Object>) e.body().get("kubernetes");
	}

	private static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private List<String> logLines() {
		return this.logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	@Test
	void oneApiCallPerPodNotPerRecord() throws Exception {
		FakeKubeApi api = api(false);
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit"), tag("base", "core", "sidecar"), tag("base-with-owner-references", "core", "fluent-bit")), "kube_url", "http://127.0.0.1:" + api.port());
		for (int i = 0; i < 100; i++) {
			push(tag("base", "core", "fluent-bit"), rec("log", "line " + i, "stream", "stdout"));
			push(tag("base", "core", "sidecar"), rec("log", "side " + i, "stream", "stdout"));
			push(tag("base-with-owner-references", "core", "fluent-bit"), rec("log", "o " + i, "stream", "stdout"));
		}
		List<LogEvent> out = await(s, 300);
		assertThat(out).allSatisfy(e -> assertThat(kube(e)).containsKeys("pod_name", "namespace_name", "pod_id"));
		assertThat(kube(out.get(0))).containsEntry("pod_name", "base").containsEntry("container_name", "fluent-bit")
			.containsEntry("docker_id", ID).containsEntry("host", "ip-10-49-18-80.eu-west-1.compute.internal");
		assertThat(api.requests("/api/v1/namespaces/core/pods/base")).isEqualTo(1);
		assertThat(api.requests("/api/v1/namespaces/core/pods/base-with-owner-references")).isEqualTo(1);
		assertThat(api.totalRequests()).isEqualTo(2);
	}

	@Test
	void cacheTtlRefetchesAfterExpiry() throws Exception {
		FakeKubeApi api = api(false);
		String path = "/api/v1/namespaces/ttl/pods/web";
		api.put(path, "{\"metadata\":{\"uid\":\"u1\",\"labels\":{\"v\":\"1\"}}}");
		EmbeddedSluice s = start(List.of(tag("web", "ttl", "c")), "kube_url", "http://127.0.0.1:" + api.port(), "kube_meta_cache_ttl", "1s");
		push(tag("web", "ttl", "c"), rec("log", "a"));
		push(tag("web", "ttl", "c"), rec("log", "b"));
		assertThat(kube(await(s, 2).get(1))).containsEntry("labels", Map.of("v", "1"));
		assertThat(api.requests(path)).isEqualTo(1);
		api.put(path, "{\"metadata\":{\"uid\":\"u1\",\"labels\":{\"v\":\"2\"}}}");
		long expired = System.nanoTime() + Duration.ofMillis(1100).toNanos();
		Await.until(DEADLINE, "the cache TTL to pass", () -> System.nanoTime() - expired > 0);
		push(tag("web", "ttl", "c"), rec("log", "c"));
		assertThat(kube(await(s, 3).get(2))).containsEntry("labels", Map.of("v", "2"));
		assertThat(api.requests(path)).isEqualTo(2);
	}

	@Test
	void failedLookupIsRememberedAndRecordsPassWithoutMetadata() throws Exception {
		FakeKubeApi api = api(false);
		EmbeddedSluice s = start(List.of(tag("missing", "nowhere", "c")), "kube_url", "http://127.0.0.1:" + api.port());
		for (int i = 0; i < 20; i++) {
			push(tag("missing", "nowhere", "c"), rec("log", "x" + i));
		}
		List<LogEvent> out = await(s, 20);
		assertThat(out).allSatisfy(e -> assertThat(e.body()).isEqualTo(rec("log", e.body().get("log"))));
		assertThat(api.requests("/api/v1/namespaces/nowhere/pods/missing")).isEqualTo(1);
		assertThat(logLines()).anyMatch(l -> l.contains("pod nowhere/missing") && l.contains("404"));
	}

	@Test
	void tlsWithTestCaAndTokenFile() throws Exception {
		FakeKubeApi api = api(true);
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit")), "kube_url", "https://127.0.0.1:" + api.port(), "kube_ca_file",
				certs.caFile().toString(), "tls.verify", "on");
		push(tag("base", "core", "fluent-bit"), rec("log", "hello"));
		LogEvent e = await(s, 1).get(0);
		assertThat(kube(e)).containsEntry("pod_id", "e9f2963f-55f2-11e9-84c5-02e422b8a84a");
		assertThat(api.authorizations).containsExactly("Bearer test-token");
	}

	@Test
	void tlsVerifyRejectsAServerTheCaDidNotSign() throws Exception {
		FakeKubeApi api = api(true);
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit")), "kube_url", "https://127.0.0.1:" + api.port(), "kube_ca_file",
				otherCerts.caFile().toString(), "tls.verify", "on");
		push(tag("base", "core", "fluent-bit"), rec("log", "hello"));
		LogEvent e = await(s, 1).get(0);
		assertThat(e.body()).isEqualTo(rec("log", "hello"));
		assertThat(api.totalRequests()).isZero();
		assertThat(logLines()).anyMatch(l -> l.contains("kube api upstream connection error (pod core/base)"));
	}

	@Test
	void tlsVerifyOffAcceptsAnyServer() throws Exception {
		FakeKubeApi api = api(true);
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit")), "kube_url", "https://127.0.0.1:" + api.port(), "kube_ca_file",
				otherCerts.caFile().toString(), "tls.verify", "off");
		push(tag("base", "core", "fluent-bit"), rec("log", "hello"));
		assertThat(kube(await(s, 1).get(0))).containsEntry("pod_name", "base");
	}

	@Test
	void tokenCommandProvidesTheToken() throws Exception {
		FakeKubeApi api = api(false);
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit")), "kube_url", "http://127.0.0.1:" + api.port(), "kube_token_command",
				"echo from-command");
		push(tag("base", "core", "fluent-bit"), rec("log", "hello"));
		await(s, 1);
		assertThat(api.authorizations).containsExactly("Bearer from-command");
	}

	@Test
	void metadataLargerThanBufferSizeIsAClearWarningNotSilentLoss() throws Exception {
		FakeKubeApi api = api(false);
		String big = "x".repeat(40_000);
		api.put("/api/v1/namespaces/big/pods/fat", "{\"metadata\":{\"uid\":\"u\",\"annotations\":{\"a\":\"" + big + "\"}}}");
		EmbeddedSluice s = start(List.of(tag("fat", "big", "c")), "kube_url", "http://127.0.0.1:" + api.port(), "buffer_size", "32768");
		push(tag("fat", "big", "c"), rec("log", "one"));
		push(tag("fat", "big", "c"), rec("log", "two"));
		List<LogEvent> out = await(s, 2);
		assertThat(out).extracting(LogEvent::body).containsExactly(rec("log", "one"), rec("log", "two"));
		assertThat(logLines()).filteredOn(l -> l.contains("larger than buffer_size")).hasSize(1).first().asString()
			.contains("pod big/fat").contains("32768").contains("raise buffer_size");
		assertThat(api.requests("/api/v1/namespaces/big/pods/fat")).isEqualTo(1);
	}

	@Test
	void bufferSizeZeroMeansNoLimit() throws Exception {
		FakeKubeApi api = api(false);
		String big = "x".repeat(40_000);
		api.put("/api/v1/namespaces/big/pods/fat", "{\"metadata\":{\"uid\":\"u\",\"annotations\":{\"a\":\"" + big + "\"}}}");
		EmbeddedSluice s = start(List.of(tag("fat", "big", "c")), "kube_url", "http://127.0.0.1:" + api.port(), "buffer_size", "0");
		push(tag("fat", "big", "c"), rec("log", "one"));
		assertThat(kube(await(s, 1).get(0))).containsEntry("annotations", Map.of("a", big));
	}

	@Test
	void journalModeReadsContainerNameFromEachRecord() throws Exception {
		FakeKubeApi api = api(false);
		EmbeddedSluice s = start(List.of("kube.journal"), "kube_url", "http://127.0.0.1:" + api.port(), "use_journal", "on", "merge_log", "on");
		push("kube.journal", rec("CONTAINER_NAME",
				"k8s_kairosdb_kairosdb-914055854-b63vq_default_d6c53deb-05a4-11e8-a8c4-080027435fb7_23", "MESSAGE",
				"08:58:45.839 [qtp151442075-47] DEBUG [HttpParser.java:281] - filled 157/157"));
		String json = KubernetesFilterFixturesTest.json(await(s, 1).get(0));
		String expected = Files.readString(data.resolve("out/kairosdb-914055854-b63vq.out")).strip();
		assertThat(json.substring(json.indexOf("\"kubernetes\":")))
			.isEqualTo(expected.substring(expected.indexOf("\"kubernetes\":")));
	}

	@Test
	void dummyMetaNeedsNoServer() throws Exception {
		EmbeddedSluice s = start(List.of("anything"), "dummy_meta", "on");
		push("anything", rec("log", "x"));
		assertThat(kube(await(s, 1).get(0))).containsOnlyKeys("dummy");
	}

	@Test
	void tagNotMatchingTheRegexPassesUntouched() throws Exception {
		FakeKubeApi api = api(false);
		EmbeddedSluice s = start(List.of("kube.var.log.containers.not-a-container-file"), "kube_url", "http://127.0.0.1:" + api.port());
		push("kube.var.log.containers.not-a-container-file", rec("log", "x"));
		assertThat(await(s, 1).get(0).body()).isEqualTo(rec("log", "x"));
		assertThat(api.totalRequests()).isZero();
		assertThat(logLines()).anyMatch(l -> l.contains("invalid pattern for given tag"));
	}

	@Test
	void mergeLogMapValueAndMergeParser() throws Exception {
		FakeKubeApi api = api(false);
		api.put("/api/v1/namespaces/m/pods/p", "{\"metadata\":{\"uid\":\"u\"}}");
		EmbeddedSluice s = start(List.of(tag("p", "m", "c")), "kube_url", "http://127.0.0.1:" + api.port(), "merge_log", "on", "merge_parser",
				"regex-parser-without-time", "keep_log", "off", "labels", "off");
		push(tag("p", "m", "c"), rec("log", "plain text\n", "stream", "stdout"));
		LogEvent e = await(s, 1).get(0);
		assertThat(new ArrayList<>(e.body().keySet())).containsExactly("stream", "message", "kubernetes");
		assertThat(e.body()).containsEntry("message", "plain text");
	}

	@Test
	void preloadCacheDirectoryIsReadBeforeTheApi() throws Exception {
		FakeKubeApi api = api(false);
		Path pre = dir.resolve("preload");
		Files.createDirectories(pre);
		Files.writeString(pre.resolve("core_base.meta"), "{\"metadata\":{\"uid\":\"from-file\"}}");
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit")), "kube_url", "http://127.0.0.1:" + api.port(),
				"kube_meta_preload_cache_dir", pre.toString());
		push(tag("base", "core", "fluent-bit"), rec("log", "x"));
		assertThat(kube(await(s, 1).get(0))).containsEntry("pod_id", "from-file");
		assertThat(api.totalRequests()).isZero();
	}

	@Test
	void namespaceExcludeAnnotationDropsItsPodsUnlessThePodSaysOtherwise() throws Exception {
		FakeKubeApi api = api(false);
		api.put("/api/v1/namespaces/quiet", "{\"metadata\":{\"annotations\":{\"fluentbit.io/exclude\":\"true\"}}}");
		api.put("/api/v1/namespaces/quiet/pods/muted", "{\"metadata\":{\"uid\":\"m\"}}");
		api.put("/api/v1/namespaces/quiet/pods/loud",
				"{\"metadata\":{\"uid\":\"l\",\"annotations\":{\"fluentbit.io/exclude\":\"false\"}}}");
		EmbeddedSluice s = start(List.of(tag("muted", "quiet", "c"), tag("loud", "quiet", "c")), "kube_url",
				"http://127.0.0.1:" + api.port(), "namespace_exclude", "on", "k8s-logging.exclude", "on");
		push(tag("muted", "quiet", "c"), rec("log", "dropped", "stream", "stdout"));
		push(tag("loud", "quiet", "c"), rec("log", "kept", "stream", "stdout"));
		Await.until(DEADLINE, "both records filtered", () -> s.filter("kubernetes.0").metrics().records.sum() == 2);
		List<LogEvent> out = await(s, 1);
		assertThat(out).extracting(e -> e.body().get("log")).containsExactly("kept");
		assertThat(s.filter("kubernetes.0").metrics().dropRecords.sum()).isEqualTo(1);
	}

	@Test
	void kubeletOverTlsFindsThePodInItsList() throws Exception {
		FakeKubeApi kubelet = api(true);
		kubelet.kubeletPods = data.resolve("meta/options_use-kubelet-enabled.meta");
		EmbeddedSluice s = start(List.of(tag("use-kubelet-enabled", "options", "fluent-bit"), tag("absent", "options", "c")),
				"kube_url", "http://127.0.0.1:1", "use_kubelet", "on", "kubelet_port", String.valueOf(kubelet.port()),
				"kube_ca_file", certs.caFile().toString());
		push(tag("use-kubelet-enabled", "options", "fluent-bit"), rec("log", "x"));
		assertThat(kube(await(s, 1).get(0))).containsEntry("pod_id", "e9f2963f-55f2-11e9-84c5-02e422b8a84a")
			.containsEntry("container_image", "fluent/fluent-bit:latest");
		push(tag("absent", "options", "c"), rec("log", "y"));
		assertThat(kube(await(s, 2).get(1))).containsOnlyKeys("pod_name", "namespace_name", "container_name", "docker_id");
		assertThat(kubelet.requests("/pods")).isEqualTo(2);
		assertThat(kubelet.authorizations).containsOnly("Bearer test-token");
	}

	@Test
	void mapLogIsMergedUnderMergeLogKey() throws Exception {
		FakeKubeApi api = api(false);
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit")), "kube_url", "http://127.0.0.1:" + api.port(),
				"merge_log", "on", "merge_log_key", "data", "labels", "off", "annotations", "off");
		push(tag("base", "core", "fluent-bit"), rec("log", rec("a", 1L, "b", "two"), "stream", "stdout"));
		LogEvent e = await(s, 1).get(0);
		assertThat(new ArrayList<>(e.body().keySet())).containsExactly("log", "stream", "data", "kubernetes");
		assertThat(e.body().get("data")).isEqualTo(rec("a", 1L, "b", "two"));
		assertThat(new ArrayList<>(kube(e).keySet())).containsExactly("pod_name", "namespace_name", "pod_id", "host",
				"pod_ip", "container_name", "docker_id", "container_hash", "container_image");
	}

	@Test
	void tokenIsReReadAfterKubeTokenTtl() throws Exception {
		FakeKubeApi api = api(false);
		Path token = dir.resolve("rotating-token");
		Files.writeString(token, "first\n");
		EmbeddedSluice s = start(List.of(tag("base", "core", "fluent-bit"), tag("unescaping", "core", "json")), "kube_url",
				"http://127.0.0.1:" + api.port(), "kube_token_file", token.toString(), "kube_token_ttl", "1s");
		push(tag("base", "core", "fluent-bit"), rec("log", "x"));
		await(s, 1);
		Files.writeString(token, "second\n");
		long expired = System.nanoTime() + Duration.ofMillis(1100).toNanos();
		Await.until(DEADLINE, "the token TTL to pass", () -> System.nanoTime() - expired > 0);
		push(tag("unescaping", "core", "json"), rec("log", "y"));
		await(s, 2);
		assertThat(api.authorizations).containsExactly("Bearer first", "Bearer second");
	}

	@Test
	void podAssociationInstancesStartAndStopCleanly() throws Exception {
		// upstream's kube_pod_association_multiple_instances: two instances with dummy metadata
		try (EmbeddedSluice s = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.input("dummy", "tag", "application.test", "samples", "1")
			.filter("kubernetes", "match", "application.*", "dummy_meta", "on", "use_pod_association", "on",
					"aws_pod_service_preload_cache_dir", data.resolve("pod-service.map").getParent().toString(),
					"aws_pod_service_map_refresh_interval", "1")
			.filter("kubernetes", "match", "dataplane.*", "dummy_meta", "on", "use_pod_association", "on",
					"aws_pod_service_preload_cache_dir", data.resolve("pod-service.map").getParent().toString(),
					"aws_pod_service_map_refresh_interval", "1")
			.output("lib", "match", "*")
			.build()
			.start()) {
			assertThat(kube(await(s, 1).get(0))).containsOnlyKeys("dummy");
		}
	}
}
