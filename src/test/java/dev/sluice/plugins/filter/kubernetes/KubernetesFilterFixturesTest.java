package dev.sluice.plugins.filter.kubernetes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.Metrics;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.filter.FilterEvents;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.SharedFixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code KUBE_TAIL} case of Fluent Bit's own kubernetes filter test
 * ({@code tests/runtime/filter_kubernetes.c}, data in {@code shared/fixtures/kubernetes/}), run the
 * way upstream runs it: {@code tail} (parser {@code docker}, {@code docker_mode}, a
 * {@code tag_regex} naming namespace, pod and container) → {@code kubernetes} filter
 * ({@code regex_parser kubernetes-tag}, {@code kube_tag_prefix kube.}, the case's options) →
 * {@code lib} output; a record passes when the expected {@code .out} text is a substring of its
 * JSON rendering ({@code [time,{record}]}, time as {@code %f}, as Fluent Bit's lib output prints
 * it), counting only records of the case's stream.
 *
 * <p>A real Kubernetes API server cannot run here (no cluster and no container runtime in the
 * test environment), so instead of upstream's preload-cache directory the filter talks HTTP to
 * {@link FakeKubeApi}, a local server answering {@code /api/v1/namespaces/<ns>/pods/<pod>} and
 * {@code /api/v1/namespaces/<ns>} with the recorded API responses of the fixtures, and (for the
 * {@code use_kubelet} cases) HTTPS {@code /pods} with the recorded kubelet pod list, verified
 * against a test CA ({@code tls.verify on}).
 *
 * <p>A case expecting no record (an {@code exclude} annotation) waits until the filter has seen
 * every line of the file and the output has received every record the filter let through, then
 * checks that none of them is of the case's stream.
 */
class KubernetesFilterFixturesTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	static Path dir;

	static Path data;

	static FakeKubeApi api;

	static FakeKubeApi kubelet;

	static TestCertificates certs;

	record Case(String name, String log, String stream, int expected, String out, List<String> options) {

		@Override
		public String toString() {
			return this.name;
		}
	}

	private static Case c(String name, String log, String stream, int expected, String out, String... options) {
		return new Case(name, log, stream, expected, out, List.of(options));
	}

	static Stream<Case> cases() {
		return Stream.of(
			c("kube_core_base", "core/core_base_fluent-bit", null, 1, "core/core_base_fluent-bit"),
			c("kube_core_no_meta", "core/core_no-meta_text", null, 1, "core/core_no-meta_text"),
			c("kube_core_unescaping_text", "core/core_unescaping_text", null, 1, "core/core_unescaping_text"),
			c("kube_core_unescaping_json", "core/core_unescaping_json", null, 1, "core/core_unescaping_json"),
			c("kube_core_base_with_namespace_labels_and_annotations", "core/core_base-with-namespace-labels-and-annotations_fluent-bit", null, 1, "core/core_base-with-namespace-labels-and-annotations_fluent-bit", "Namespace_labels", "On", "Namespace_annotations", "On"),
			c("kube_core_base_with_owner_references", "core/core_base-with-owner-references_fluent-bit", null, 1, "core/core_base-with-owner-references_fluent-bit", "Labels", "Off", "Annotations", "Off", "Owner_References", "On"),
			c("kube_options_use-kubelet_enabled_json", "options/options_use-kubelet-enabled_fluent-bit", null, 1, "options/options_use-kubelet-enabled_fluent-bit", "use_kubelet", "true", "kubelet_port", "8002"),
			c("kube_options_use-kubelet_disabled_json", "options/options_use-kubelet-disabled_fluent-bit", null, 1, "options/options_use-kubelet-disabled_fluent-bit", "use_kubelet", "false", "kubelet_port", "8002"),
			c("kube_options_merge_log_enabled_text", "options/options_merge-log-enabled_text", null, 1, "options/options_merge-log-enabled_text", "Merge_Log", "On"),
			c("kube_options_merge_log_enabled_json", "options/options_merge-log-enabled_json", null, 1, "options/options_merge-log-enabled_json", "Merge_Log", "On"),
			c("kube_options_merge_log_enabled_invalid_json", "options/options_merge-log-enabled_invalid-json", null, 1, "options/options_merge-log-enabled_invalid-json", "Merge_Log", "On"),
			c("kube_options_merge_log_disabled_json", "options/options_merge-log-disabled_json", null, 1, "options/options_merge-log-disabled_json"),
			c("kube_options_merge_log_trim_enabled_json", "options/options_merge-log-trim-enabled_json", null, 1, "options/options_merge-log-trim-enabled_json", "Merge_Log", "On"),
			c("kube_options_merge_log_trim_disabled_json", "options/options_merge-log-trim-disabled_json", null, 1, "options/options_merge-log-trim-disabled_json", "Merge_Log", "On", "Merge_Log_Trim", "Off"),
			c("kube_options_merge_log_key_json", "options/options_merge-log-key_json", null, 1, "options/options_merge-log-key_json", "Merge_Log", "On", "Merge_Log_Key", "merge-log-key"),
			c("kube_options_keep_log_enabled_json", "options/options_keep-log-enabled_json", null, 1, "options/options_keep-log-enabled_json", "Merge_Log", "On"),
			c("kube_options_keep_log_disabled_json", "options/options_keep-log-disabled_json", null, 1, "options/options_keep-log-disabled_json", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_options_k8s_logging_parser_disabled_text_stdout", "options/options_k8s-logging-parser-disabled_text", "stdout", 1, "options/options_k8s-logging-parser-disabled_text_stdout", "Merge_Log", "On"),
			c("kube_options_k8s_logging_parser_disabled_text_stderr", "options/options_k8s-logging-parser-disabled_text", "stderr", 1, "options/options_k8s-logging-parser-disabled_text_stderr", "Merge_Log", "On"),
			c("kube_options_k8s_logging_exclude_disabled_text_stdout", "options/options_k8s-logging-exclude-disabled_text", "stdout", 1, "options/options_k8s-logging-exclude-disabled_text_stdout", "Merge_Log", "On"),
			c("kube_options_k8s_logging_exclude_disabled_text_stderr", "options/options_k8s-logging-exclude-disabled_text", "stderr", 1, "options/options_k8s-logging-exclude-disabled_text_stderr", "Merge_Log", "On"),
			c("kube_annotations_invalid_text", "annotations/annotations_invalid_text", null, 1, "annotations/annotations_invalid_text", "K8s-Logging.Parser", "On", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_parser_regex_with_time_text", "annotations-parser/annotations-parser_regex-with-time_text", null, 1, "annotations-parser/annotations-parser_regex-with-time_text", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_regex_with_time_invalid_text_1", "annotations-parser/annotations-parser_regex-with-time_invalid-text-1", null, 1, "annotations-parser/annotations-parser_regex-with-time_invalid-text-1", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_json_with_time_json", "annotations-parser/annotations-parser_json-with-time_json", null, 1, "annotations-parser/annotations-parser_json-with-time_json", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_json_with_time_invalid_json_1", "annotations-parser/annotations-parser_json-with-time_invalid-json-1", null, 1, "annotations-parser/annotations-parser_json-with-time_invalid-json-1", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_invalid_text_stdout", "annotations-parser/annotations-parser_invalid_text", "stdout", 1, "annotations-parser/annotations-parser_invalid_text_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_invalid_text_stderr", "annotations-parser/annotations-parser_invalid_text", "stderr", 1, "annotations-parser/annotations-parser_invalid_text_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_stdout_text_stdout", "annotations-parser/annotations-parser_stdout_text", "stdout", 1, "annotations-parser/annotations-parser_stdout_text_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_stdout_text_stderr", "annotations-parser/annotations-parser_stdout_text", "stderr", 1, "annotations-parser/annotations-parser_stdout_text_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_stderr_text_stdout", "annotations-parser/annotations-parser_stderr_text", "stdout", 1, "annotations-parser/annotations-parser_stderr_text_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_stderr_text_stderr", "annotations-parser/annotations-parser_stderr_text", "stderr", 1, "annotations-parser/annotations-parser_stderr_text_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_1_stdout", "annotations-parser/annotations-parser_multiple-1_container-1", "stdout", 1, "annotations-parser/annotations-parser_multiple-1_container-1_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_order_multiple_1_container_1_stdout", "annotations-parser/annotations-parser-order_multiple-1_container-1", "stdout", 1, "annotations-parser/annotations-parser-order_multiple-1_container-1_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_1_stderr", "annotations-parser/annotations-parser_multiple-1_container-1", "stderr", 1, "annotations-parser/annotations-parser_multiple-1_container-1_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_2_stdout", "annotations-parser/annotations-parser_multiple-1_container-2", "stdout", 1, "annotations-parser/annotations-parser_multiple-1_container-2_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_2_stderr", "annotations-parser/annotations-parser_multiple-1_container-2", "stderr", 1, "annotations-parser/annotations-parser_multiple-1_container-2_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_3_stdout", "annotations-parser/annotations-parser_multiple-1_container-3", "stdout", 1, "annotations-parser/annotations-parser_multiple-1_container-3_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_3_stderr", "annotations-parser/annotations-parser_multiple-1_container-3", "stderr", 1, "annotations-parser/annotations-parser_multiple-1_container-3_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_4_stdout", "annotations-parser/annotations-parser_multiple-1_container-4", "stdout", 1, "annotations-parser/annotations-parser_multiple-1_container-4_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_4_stderr", "annotations-parser/annotations-parser_multiple-1_container-4", "stderr", 1, "annotations-parser/annotations-parser_multiple-1_container-4_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_5_stdout", "annotations-parser/annotations-parser_multiple-1_container-5", "stdout", 1, "annotations-parser/annotations-parser_multiple-1_container-5_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_1_container_5_stderr", "annotations-parser/annotations-parser_multiple-1_container-5", "stderr", 1, "annotations-parser/annotations-parser_multiple-1_container-5_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_1_stdout", "annotations-parser/annotations-parser_multiple-2_container-1", "stdout", 1, "annotations-parser/annotations-parser_multiple-2_container-1_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_1_stderr", "annotations-parser/annotations-parser_multiple-2_container-1", "stderr", 1, "annotations-parser/annotations-parser_multiple-2_container-1_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_2_stdout", "annotations-parser/annotations-parser_multiple-2_container-2", "stdout", 1, "annotations-parser/annotations-parser_multiple-2_container-2_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_2_stderr", "annotations-parser/annotations-parser_multiple-2_container-2", "stderr", 1, "annotations-parser/annotations-parser_multiple-2_container-2_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_3_stdout", "annotations-parser/annotations-parser_multiple-2_container-3", "stdout", 1, "annotations-parser/annotations-parser_multiple-2_container-3_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_3_stderr", "annotations-parser/annotations-parser_multiple-2_container-3", "stderr", 1, "annotations-parser/annotations-parser_multiple-2_container-3_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_4_stdout", "annotations-parser/annotations-parser_multiple-2_container-4", "stdout", 1, "annotations-parser/annotations-parser_multiple-2_container-4_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_4_stderr", "annotations-parser/annotations-parser_multiple-2_container-4", "stderr", 1, "annotations-parser/annotations-parser_multiple-2_container-4_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_5_stdout", "annotations-parser/annotations-parser_multiple-2_container-5", "stdout", 1, "annotations-parser/annotations-parser_multiple-2_container-5_stdout", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_parser_multiple_2_container_5_stderr", "annotations-parser/annotations-parser_multiple-2_container-5", "stderr", 1, "annotations-parser/annotations-parser_multiple-2_container-5_stderr", "K8s-Logging.Parser", "On", "Merge_Log", "On", "Keep_Log", "Off"),
			c("kube_annotations_exclude_default_text", "annotations-exclude/annotations-exclude_default_text", null, 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_invalid_text_stdout", "annotations-exclude/annotations-exclude_invalid_text", "stdout", 1, "annotations-exclude/annotations-exclude_invalid_text_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_invalid_text_stderr", "annotations-exclude/annotations-exclude_invalid_text", "stderr", 1, "annotations-exclude/annotations-exclude_invalid_text_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_stdout_text_stdout", "annotations-exclude/annotations-exclude_stdout_text", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_stdout_text_stderr", "annotations-exclude/annotations-exclude_stdout_text", "stderr", 1, "annotations-exclude/annotations-exclude_stdout_text_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_stderr_text_stdout", "annotations-exclude/annotations-exclude_stderr_text", "stdout", 1, "annotations-exclude/annotations-exclude_stderr_text_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_stderr_text_stderr", "annotations-exclude/annotations-exclude_stderr_text", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_1_stdout", "annotations-exclude/annotations-exclude_multiple-1_container-1", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_1_stderr", "annotations-exclude/annotations-exclude_multiple-1_container-1", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_2_stdout", "annotations-exclude/annotations-exclude_multiple-1_container-2", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_2_stderr", "annotations-exclude/annotations-exclude_multiple-1_container-2", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-1_container-2_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_3_stdout", "annotations-exclude/annotations-exclude_multiple-1_container-3", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-1_container-3_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_3_stderr", "annotations-exclude/annotations-exclude_multiple-1_container-3", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_4_stdout", "annotations-exclude/annotations-exclude_multiple-1_container-4", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-1_container-4_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_1_container_4_stderr", "annotations-exclude/annotations-exclude_multiple-1_container-4", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-1_container-4_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_1_stdout", "annotations-exclude/annotations-exclude_multiple-2_container-1", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_1_stderr", "annotations-exclude/annotations-exclude_multiple-2_container-1", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_2_stdout", "annotations-exclude/annotations-exclude_multiple-2_container-2", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_2_stderr", "annotations-exclude/annotations-exclude_multiple-2_container-2", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-2_container-2_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_3_stdout", "annotations-exclude/annotations-exclude_multiple-2_container-3", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-2_container-3_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_3_stderr", "annotations-exclude/annotations-exclude_multiple-2_container-3", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_4_stdout", "annotations-exclude/annotations-exclude_multiple-2_container-4", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-2_container-4_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_2_container_4_stderr", "annotations-exclude/annotations-exclude_multiple-2_container-4", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-2_container-4_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_1_stdout", "annotations-exclude/annotations-exclude_multiple-3_container-1", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_1_stderr", "annotations-exclude/annotations-exclude_multiple-3_container-1", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_2_stdout", "annotations-exclude/annotations-exclude_multiple-3_container-2", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_2_stderr", "annotations-exclude/annotations-exclude_multiple-3_container-2", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-3_container-2_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_3_stdout", "annotations-exclude/annotations-exclude_multiple-3_container-3", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-3_container-3_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_3_stderr", "annotations-exclude/annotations-exclude_multiple-3_container-3", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_4_stdout", "annotations-exclude/annotations-exclude_multiple-3_container-4", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-3_container-4_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_3_container_4_stderr", "annotations-exclude/annotations-exclude_multiple-3_container-4", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-3_container-4_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_1_stdout", "annotations-exclude/annotations-exclude_multiple-4_container-1", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_1_stderr", "annotations-exclude/annotations-exclude_multiple-4_container-1", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_2_stdout", "annotations-exclude/annotations-exclude_multiple-4_container-2", "stdout", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_2_stderr", "annotations-exclude/annotations-exclude_multiple-4_container-2", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-4_container-2_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_3_stdout", "annotations-exclude/annotations-exclude_multiple-4_container-3", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-4_container-3_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_3_stderr", "annotations-exclude/annotations-exclude_multiple-4_container-3", "stderr", 0, null, "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_4_stdout", "annotations-exclude/annotations-exclude_multiple-4_container-4", "stdout", 1, "annotations-exclude/annotations-exclude_multiple-4_container-4_stdout", "K8s-Logging.Exclude", "On"),
			c("kube_annotations_exclude_multiple_4_container_4_stderr", "annotations-exclude/annotations-exclude_multiple-4_container-4", "stderr", 1, "annotations-exclude/annotations-exclude_multiple-4_container-4_stderr", "K8s-Logging.Exclude", "On"),
			c("kube_short_prefix_uat_podname", "core/core_uat-myapp-12345_fluent-bit", null, 1, "core/core_uat-myapp-12345_fluent-bit", "Use_Tag_For_Meta", "On")
		);
	}

	@BeforeAll
	static void servers() throws Exception {
		data = SharedFixtures.path("kubernetes/data");
		api = new FakeKubeApi(data.resolve("meta"), null);
		certs = TestCertificates.make(dir, "kubelet", "SAN=ip:127.0.0.1,dns:localhost");
		kubelet = new FakeKubeApi(data.resolve("meta"), certs.server());
		kubelet.kubeletPods = data.resolve("meta/options_use-kubelet-enabled.meta");
	}

	@AfterAll
	static void stop() {
		if (api != null) {
			api.close();
		}
		if (kubelet != null) {
			kubelet.close();
		}
	}

	/** Fluent Bit's lib output JSON of one event: {@code [time,{record}]}. */
	static String json(LogEvent e) {
		double t = e.time().seconds() + e.time().nanos() / 1e9;
		return "[" + String.format(Locale.ROOT, "%f", t) + "," + FilterEvents.toJson(e.body()) + "]";
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void fluentBitCase(Case tc) throws Exception {
		Path log = data.resolve("log/" + tc.log + ".log");
		List<String> opts = new ArrayList<>(List.of("match", "kube.*", "kube_url", "http://127.0.0.1:" + api.port(),
				"regex_parser", "kubernetes-tag", "kube_tag_prefix", "kube.", "kube_namespace_file",
				dir.resolve("no-namespace").toString(), "kube_token_file", data.resolve("local/token").toString(),
				"kube_ca_file", certs.caFile().toString()));
		for (int i = 0; i < tc.options.size(); i += 2) {
			String k = tc.options.get(i);
			opts.add(k);
			opts.add(k.equalsIgnoreCase("kubelet_port") ? String.valueOf(kubelet.port()) : tc.options.get(i + 1));
		}
		long lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count();
		String streamText = (tc.stream != null) ? "\"stream\":\"" + tc.stream + "\"" : null;
		try (EmbeddedSluice s = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.service("parsers_file", data.resolve("parsers.conf").toString())
			.input("tail", "path", log.toString(), "parser", "docker", "docker_mode", "on", "read_from_head", "on",
					"tag", "kube.<namespace>.<pod>.<container>", "tag_regex",
					"^" + data.resolve("log") + "/(?:[^/]+/)?(?<namespace>.+)_(?<pod>.+)_(?<container>.+)\\.log$")
			.filter("kubernetes", opts.toArray(String[]::new))
			.output("lib", "match", "kube.*")
			.build()
			.start()) {
			LibOutput out = s.plugin("lib.0", LibOutput.class);
			Metrics.Filter fm = s.filter("kubernetes.0").metrics();
			Await.until(DEADLINE, "all " + lines + " lines filtered and delivered", () -> fm.records.sum() >= lines
					&& out.events().size() >= fm.records.sum() - fm.dropRecords.sum());
			List<String> records = out.events().stream().map(KubernetesFilterFixturesTest::json)
				.filter(j -> streamText == null || j.contains(streamText)).toList();
			assertThat(records).as("records of the case's stream").hasSize(tc.expected);
			if (tc.out != null) {
				String expected = Files.readString(data.resolve("out/" + tc.out + ".out")).replaceAll("[\\r\\n]+$", "");
				assertThat(records.get(0)).contains(expected);
			}
		}
	}
}
