package dev.sluice.plugins.otlp;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.plugin.MetricFamily;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;

/** OTLP metrics to and from Prometheus families: what {@code fluentbit_metrics} and {@code prometheus_exporter} use. */
public final class OtlpMetrics {

	private OtlpMetrics() {
	}

	/** Prometheus-style families (counters, gauges) as one OTLP export request. */
	public static ExportMetricsServiceRequest fromFamilies(List<MetricFamily> families, String scope) {
		long now = System.currentTimeMillis() * 1_000_000L;
		long start = ManagementFactory.getRuntimeMXBean().getStartTime() * 1_000_000L;
		ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope));
		for (MetricFamily f : families) {
			if (f.samples().isEmpty()) {
				continue;
			}
			Metric.Builder m = Metric.newBuilder().setName(f.name()).setDescription(f.help());
			List<NumberDataPoint> points = new ArrayList<>();
			for (MetricFamily.Sample s : f.samples()) {
				NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(now);
				if (s.value() == Math.rint(s.value()) && Math.abs(s.value()) < 9e18) {
					p.setAsInt((long) s.value());
				}
				else {
					p.setAsDouble(s.value());
				}
				for (Map.Entry<String, String> l : s.labels().entrySet()) {
					p.addAttributes(KeyValue.newBuilder().setKey(l.getKey()).setValue(Otlp.toAny(l.getValue())));
				}
				if ("counter".equals(f.type())) {
					p.setStartTimeUnixNano(start);
				}
				points.add(p.build());
			}
			if ("counter".equals(f.type())) {
				m.setSum(Sum.newBuilder()
					.setIsMonotonic(true)
					.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
					.addAllDataPoints(points));
			}
			else {
				m.setGauge(Gauge.newBuilder().addAllDataPoints(points));
			}
			sm.addMetrics(m);
		}
		return ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.getDefaultInstance()).addScopeMetrics(sm))
			.build();
	}

	/** A Prometheus metric name: characters other than letters, digits, {@code _} and {@code :} become {@code _}. */
	static String name(String n) {
		StringBuilder sb = new StringBuilder(n.length());
		for (int i = 0; i < n.length(); i++) {
			char c = n.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
			sb.append(ok ? c : '_');
		}
		return sb.isEmpty() ? "_" : sb.toString();
	}

	static String labelName(String n) {
		String s = name(n).replace(':', '_');
		return s;
	}

	static String escape(String v) {
		return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}

	static String number(double v) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return (v > 0) ? "+Inf" : "-Inf";
		}
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		return Double.toString(v);
	}

	/** One family of samples being rendered. */
	private static final class Family {

		String type;

		String help;

		final List<String> lines = new ArrayList<>();
	}

	/**
	 * Renders OTLP metrics requests as Prometheus text (0.0.4): counters (monotonic sums), gauges
	 * (gauges and non-monotonic sums), histograms and summaries; data point attributes become
	 * labels, {@code extraLabels} are added to every sample, {@code timestamps} appends the
	 * sample time in milliseconds. Samples of one name from several requests share one family.
	 */
	public static String toPrometheus(List<ExportMetricsServiceRequest> requests, List<String[]> extraLabels,
			boolean timestamps) {
		Map<String, Family> families = new LinkedHashMap<>();
		for (ExportMetricsServiceRequest req : requests) {
			for (ResourceMetrics rm : req.getResourceMetricsList()) {
				for (ScopeMetrics sm : rm.getScopeMetricsList()) {
					for (Metric m : sm.getMetricsList()) {
						render(m, families, extraLabels, timestamps);
					}
				}
			}
		}
		StringBuilder sb = new StringBuilder(4096);
		for (Map.Entry<String, Family> e : families.entrySet()) {
			Family f = e.getValue();
			if (f.help != null && !f.help.isEmpty()) {
				sb.append("# HELP ").append(e.getKey()).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n"))
					.append('\n');
			}
			sb.append("# TYPE ").append(e.getKey()).append(' ').append(f.type).append('\n');
			for (String l : f.lines) {
				sb.append(l).append('\n');
			}
		}
		return sb.toString();
	}

	private static void render(Metric m, Map<String, Family> families, List<String[]> extra, boolean ts) {
		String name = name(m.getName());
		String type;
		switch (m.getDataCase()) {
			case SUM -> type = m.getSum().getIsMonotonic() ? "counter" : "gauge";
			case GAUGE -> type = "gauge";
			case HISTOGRAM -> type = "histogram";
			case SUMMARY -> type = "summary";
			default -> {
				return; // exponential histograms have no Prometheus text form
			}
		}
		Family f = families.computeIfAbsent(name, (k) -> new Family());
		if (f.type == null) {
			f.type = type;
			f.help = m.getDescription();
		}
		else if (!f.type.equals(type)) {
			return;
		}
		switch (m.getDataCase()) {
			case SUM -> m.getSum().getDataPointsList().forEach((p) -> f.lines.add(sample(name, p.getAttributesList(), extra, null,
					value(p), p.getTimeUnixNano(), ts)));
			case GAUGE -> m.getGauge().getDataPointsList().forEach((p) -> f.lines.add(sample(name, p.getAttributesList(), extra,
					null, value(p), p.getTimeUnixNano(), ts)));
			case HISTOGRAM -> {
				for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
					long cumulative = 0;
					for (int i = 0; i < p.getBucketCountsCount(); i++) {
						cumulative += p.getBucketCounts(i);
						String le = (i < p.getExplicitBoundsCount()) ? number(p.getExplicitBounds(i)) : "+Inf";
						f.lines.add(sample(name + "_bucket", p.getAttributesList(), extra, le, cumulative, p.getTimeUnixNano(), ts));
					}
					if (p.getBucketCountsCount() <= p.getExplicitBoundsCount()) {
						f.lines.add(sample(name + "_bucket", p.getAttributesList(), extra, "+Inf", p.getCount(), p.getTimeUnixNano(), ts));
					}
					f.lines.add(sample(name + "_sum", p.getAttributesList(), extra, null, p.getSum(), p.getTimeUnixNano(), ts));
					f.lines.add(sample(name + "_count", p.getAttributesList(), extra, null, p.getCount(), p.getTimeUnixNano(), ts));
				}
			}
			case SUMMARY -> {
				for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
					for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
						f.lines.add(sample(name, p.getAttributesList(), extra, "q" + number(q.getQuantile()), q.getValue(),
								p.getTimeUnixNano(), ts));
					}
					f.lines.add(sample(name + "_sum", p.getAttributesList(), extra, null, p.getSum(), p.getTimeUnixNano(), ts));
					f.lines.add(sample(name + "_count", p.getAttributesList(), extra, null, p.getCount(), p.getTimeUnixNano(), ts));
				}
			}
			default -> {
			}
		}
	}

	private static double value(NumberDataPoint p) {
		return (p.getValueCase() == NumberDataPoint.ValueCase.AS_INT) ? p.getAsInt() : p.getAsDouble();
	}

	/** {@code bound}: a histogram bucket's {@code le}, or a summary quantile prefixed with {@code q}. */
	private static String sample(String name, List<KeyValue> attrs, List<String[]> extra, String bound, double value,
			long timeNanos, boolean ts) {
		StringBuilder sb = new StringBuilder(name);
		StringBuilder labels = new StringBuilder();
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (KeyValue kv : attrs) {
			String k = labelName(kv.getKey());
			if (seen.add(k)) {
				Object v = Otlp.toJava(kv.getValue());
				labels.append(labels.isEmpty() ? "" : ",").append(k).append("=\"").append(escape(String.valueOf(v))).append('"');
			}
		}
		for (String[] l : extra) {
			String k = labelName(l[0]);
			if (seen.add(k)) {
				labels.append(labels.isEmpty() ? "" : ",").append(k).append("=\"").append(escape(l[1])).append('"');
			}
		}
		if (bound != null) {
			String key = bound.startsWith("q") ? "quantile" : "le";
			String v = bound.startsWith("q") ? bound.substring(1) : bound;
			labels.append(labels.isEmpty() ? "" : ",").append(key).append("=\"").append(v).append('"');
		}
		if (!labels.isEmpty()) {
			sb.append('{').append(labels).append('}');
		}
		sb.append(' ').append(number(value));
		if (ts && timeNanos > 0) {
			sb.append(' ').append(timeNanos / 1_000_000L);
		}
		return sb.toString();
	}
}
