package dev.sluice.admin;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.config.ConfigValues;
import dev.sluice.engine.Engine;
import dev.sluice.engine.FilterInstance;
import dev.sluice.engine.InputInstance;
import dev.sluice.engine.Metrics;
import dev.sluice.engine.OutputInstance;
import dev.sluice.engine.ServiceMetrics;
import dev.sluice.plugin.MetricFamily;

/**
 * Renders Fluent Bit's monitoring documents from the running engine: {@code /api/v1/metrics}
 * (JSON), its Prometheus form (sorted, with millisecond timestamps), {@code /api/v2/metrics}
 * (cmetrics text) and {@code /api/v2/metrics/prometheus}, and {@code /api/v1/storage}. Names,
 * help texts and label sets are Fluent Bit 5.1.1's.
 */
public final class MonitoringRenderer {


	private MonitoringRenderer() {
	}

	static String hostname() {
		return ServiceMetrics.hostname();
	}

	static String json(String s) {
		StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				default -> {
					if (c < 0x20) {
						sb.append(String.format("\\u%04x", (int) c));
					}
					else {
						sb.append(c);
					}
				}
			}
		}
		return sb.append('"').toString();
	}

	/** {@code /api/v1/metrics}. */
	public static String v1Json(Engine e) {
		StringBuilder sb = new StringBuilder(512).append("{\"input\":{");
		boolean first = true;
		for (InputInstance in : e.inputs()) {
			sb.append(first ? "" : ",").append(json(in.displayName())).append(":{\"records\":")
				.append(in.metrics().records.sum()).append(",\"bytes\":").append(in.metrics().bytes.sum()).append('}');
			first = false;
		}
		sb.append("},\"filter\":{");
		first = true;
		for (FilterInstance f : e.filters()) {
			Metrics.Filter m = f.metrics();
			sb.append(first ? "" : ",").append(json(f.displayName())).append(":{\"drop_records\":")
				.append(m.dropRecords.sum()).append(",\"add_records\":").append(m.addRecords.sum())
				.append(",\"records\":").append(m.records.sum()).append(",\"bytes\":").append(m.bytes.sum())
				.append(",\"drop_bytes\":").append(m.dropBytes.sum()).append('}');
			first = false;
		}
		sb.append("},\"output\":{");
		first = true;
		for (OutputInstance o : e.outputs()) {
			Metrics.Output m = o.metrics();
			sb.append(first ? "" : ",").append(json(o.displayName())).append(":{\"proc_records\":")
				.append(m.procRecords.sum()).append(",\"proc_bytes\":").append(m.procBytes.sum())
				.append(",\"errors\":").append(m.errors.sum()).append(",\"retries\":").append(m.retries.sum())
				.append(",\"retries_failed\":").append(m.retriesFailed.sum()).append(",\"dropped_records\":")
				.append(m.droppedRecords.sum()).append(",\"retried_records\":").append(m.retriedRecords.sum()).append('}');
			first = false;
		}
		return sb.append("}}").toString();
	}

	private record Sample(String family, String help, String label, long value) {
	}

	/** {@code /api/v1/metrics/prometheus}: Prometheus 0.0.4 text with millisecond timestamps. */
	public static String v1Prometheus(Engine e, long uptimeSeconds, long processStartSeconds, String version) {
		List<Sample> samples = new ArrayList<>();
		for (FilterInstance f : e.filters()) {
			Metrics.Filter m = f.metrics();
			String n = f.displayName();
			samples.add(new Sample("fluentbit_filter_add_records_total", "Fluentbit metrics.", n, m.addRecords.sum()));
			samples.add(new Sample("fluentbit_filter_bytes_total", "Fluentbit metrics.", n, m.bytes.sum()));
			samples.add(new Sample("fluentbit_filter_drop_bytes_total", "Fluentbit metrics.", n, m.dropBytes.sum()));
			samples.add(new Sample("fluentbit_filter_drop_records_total", "Fluentbit metrics.", n, m.dropRecords.sum()));
			samples.add(new Sample("fluentbit_filter_records_total", "Fluentbit metrics.", n, m.records.sum()));
		}
		for (InputInstance in : e.inputs()) {
			String n = in.displayName();
			samples.add(new Sample("fluentbit_input_bytes_total", "Number of input bytes.", n, in.metrics().bytes.sum()));
			samples.add(new Sample("fluentbit_input_records_total", "Number of input records.", n, in.metrics().records.sum()));
		}
		for (OutputInstance o : e.outputs()) {
			Metrics.Output m = o.metrics();
			String n = o.displayName();
			samples.add(new Sample("fluentbit_output_dropped_records_total", "Number of dropped records.", n, m.droppedRecords.sum()));
			samples.add(new Sample("fluentbit_output_errors_total", "Number of output errors.", n, m.errors.sum()));
			samples.add(new Sample("fluentbit_output_proc_bytes_total", "Number of processed output bytes.", n, m.procBytes.sum()));
			samples.add(new Sample("fluentbit_output_proc_records_total", "Number of processed output records.", n, m.procRecords.sum()));
			samples.add(new Sample("fluentbit_output_retried_records_total", "Number of retried records.", n, m.retriedRecords.sum()));
			samples.add(new Sample("fluentbit_output_retries_failed_total",
					"Number of abandoned batches because the maximum number of re-tries was reached.", n, m.retriesFailed.sum()));
			samples.add(new Sample("fluentbit_output_retries_total", "Number of output retries.", n, m.retries.sum()));
		}
		samples.sort(Comparator.comparing(Sample::family).thenComparing(Sample::label));
		long ts = System.currentTimeMillis();
		StringBuilder sb = new StringBuilder(4096);
		String family = null;
		for (Sample s : samples) {
			if (!s.family.equals(family)) {
				family = s.family;
				sb.append("# HELP ").append(family).append(' ').append(s.help).append('\n');
				sb.append("# TYPE ").append(family).append(" counter\n");
			}
			sb.append(family).append("{name=").append(json(s.label)).append("} ").append(s.value).append(' ').append(ts)
				.append('\n');
		}
		sb.append("# HELP fluentbit_uptime Number of seconds that Fluent Bit has been running.\n");
		sb.append("# TYPE fluentbit_uptime counter\n");
		sb.append("fluentbit_uptime ").append(uptimeSeconds).append('\n');
		sb.append("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n");
		sb.append("# TYPE process_start_time_seconds gauge\n");
		sb.append("process_start_time_seconds ").append(processStartSeconds).append('\n');
		sb.append("# HELP fluentbit_build_info Build version information.\n");
		sb.append("# TYPE fluentbit_build_info gauge\n");
		sb.append("fluentbit_build_info{version=").append(json(version)).append(",edition=\"Community\"} 1\n");
		return sb.toString();
	}

	/** {@code /api/v2/metrics/prometheus}. */
	public static String v2Prometheus(Engine e, long uptimeSeconds, long processStartSeconds, int reloads, String version) {
		return prometheus(ServiceMetrics.families(e, uptimeSeconds, processStartSeconds, reloads, version), List.of());
	}

	/**
	 * Prometheus text of metric families, with extra labels added to every sample (the
	 * {@code prometheus_exporter} output's {@code add_label}); families without samples are left
	 * out.
	 */
	public static String prometheus(List<MetricFamily> families, List<String[]> extraLabels) {
		StringBuilder sb = new StringBuilder(8192);
		for (MetricFamily f : families) {
			if (f.samples().isEmpty()) {
				continue;
			}
			sb.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
			sb.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
			for (MetricFamily.Sample p : f.samples()) {
				sb.append(f.name());
				String labels = labels(p.labels(), extraLabels);
				if (!labels.isEmpty()) {
					sb.append('{').append(labels).append('}');
				}
				sb.append(' ').append(number(p.value())).append('\n');
			}
		}
		return sb.toString();
	}

	static String labels(Map<String, String> labels, List<String[]> extra) {
		StringBuilder sb = new StringBuilder();
		for (String[] kv : extra) {
			if (!labels.containsKey(kv[0])) {
				sb.append(sb.isEmpty() ? "" : ",").append(kv[0]).append('=').append(json(kv[1]));
			}
		}
		for (Map.Entry<String, String> l : labels.entrySet()) {
			sb.append(sb.isEmpty() ? "" : ",").append(l.getKey()).append('=').append(json(l.getValue()));
		}
		return sb.toString();
	}

	/** A value as Prometheus text: integers without a fraction. */
	static String number(double v) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return (v > 0) ? "+Inf" : "-Inf";
		}
		if (v == Math.rint(v) && Math.abs(v) < 1e18) {
			return Long.toString((long) v);
		}
		return Double.toString(v);
	}

	private static final DateTimeFormatter RFC3339_NANOS = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
		.withZone(java.time.ZoneOffset.UTC);

	/** {@code /api/v2/metrics}: cmetrics text, {@code <RFC3339 ns> name{labels} = value}. */
	public static String v2Text(Engine e, long uptimeSeconds, long processStartSeconds, int reloads, String version) {
		String ts = RFC3339_NANOS.format(Instant.now());
		StringBuilder sb = new StringBuilder(8192);
		for (MetricFamily f : ServiceMetrics.families(e, uptimeSeconds, processStartSeconds, reloads, version)) {
			for (MetricFamily.Sample p : f.samples()) {
				sb.append(ts).append(' ').append(f.name());
				String labels = labels(p.labels(), List.of());
				if (!labels.isEmpty()) {
					sb.append('{').append(labels).append('}');
				}
				sb.append(" = ").append(number(p.value())).append('\n');
			}
		}
		return sb.toString();
	}

	/** {@code /api/v1/storage}. */
	public static String storage(Engine e) {
		long mem = dev.sluice.engine.ServiceMetrics.memChunks(e);
		long fs = e.fsChunksUp() + e.fsChunksDown();
		StringBuilder sb = new StringBuilder(512);
		sb.append("{\"storage_layer\":{\"chunks\":{\"total_chunks\":").append(mem + fs).append(",\"mem_chunks\":").append(mem)
			.append(",\"fs_chunks\":").append(fs).append(",\"fs_chunks_up\":").append(e.fsChunksUp())
			.append(",\"fs_chunks_down\":").append(e.fsChunksDown()).append("}},\"input_chunks\":{");
		boolean first = true;
		for (InputInstance in : e.inputs()) {
			sb.append(first ? "" : ",").append(json(in.displayName())).append(":{\"status\":{\"overlimit\":")
				.append(in.pauseReasons().contains(InputInstance.PauseReason.MEM_BUF_LIMIT)).append(",\"mem_size\":")
				.append(json(ConfigValues.humanSize(in.bufferedBytes()))).append(",\"mem_limit\":")
				.append(json(ConfigValues.humanSize(in.memBufLimit()))).append("},\"chunks\":{\"total\":")
				.append(in.chunksUp() + in.chunksDown()).append(",\"up\":").append(in.chunksUp())
				.append(",\"down\":").append(in.chunksDown()).append(",\"busy\":").append(e.pendingTasks(in))
				.append(",\"busy_size\":")
				.append(json(ConfigValues.humanSize(in.bufferedBytes()))).append("}}");
			first = false;
		}
		return sb.append("}}").toString();
	}


	/** {@code /api/v1/uptime}'s sentence. */
	public static String uptimeJson(long secs) {
		long d = secs / 86400;
		long h = (secs % 86400) / 3600;
		long m = (secs % 3600) / 60;
		long s = secs % 60;
		return "{\"uptime_sec\":" + secs + ",\"uptime_hr\":\"Fluent Bit has been running:  " + d + " day" + plural(d) + ", "
				+ h + " hour" + plural(h) + ", " + m + " minute" + plural(m) + " and " + s + " second" + plural(s) + "\"}";
	}

	private static String plural(long n) {
		return (n > 1) ? "s" : "";
	}
}
