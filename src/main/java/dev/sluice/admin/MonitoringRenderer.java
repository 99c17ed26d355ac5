package dev.sluice.admin;

import java.net.InetAddress;
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

/**
 * Renders Fluent Bit's monitoring documents from the running engine: {@code /api/v1/metrics}
 * (JSON), its Prometheus form (sorted, with millisecond timestamps), {@code /api/v2/metrics}
 * (cmetrics text) and {@code /api/v2/metrics/prometheus}, and {@code /api/v1/storage}. Names,
 * help texts and label sets are Fluent Bit 5.1.1's.
 */
public final class MonitoringRenderer {

	private static final String HOSTNAME = hostname();

	private MonitoringRenderer() {
	}

	static String hostname() {
		String h = System.getenv("HOSTNAME");
		if (h != null && !h.isBlank()) {
			return h;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "localhost";
		}
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

	/** A metric family of the v2 (cmetrics) set. */
	private record Family(String name, String help, String type, List<String[]> points) {
		Family(String name, String help, String type) {
			this(name, help, type, new ArrayList<>());
		}

		Family add(String labels, long value) {
			this.points.add(new String[] { labels, Long.toString(value) });
			return this;
		}
	}

	private static List<Family> v2Families(Engine e, long uptimeSeconds, long processStartSeconds, int reloads,
			String version) {
		String host = "hostname=" + json(HOSTNAME);
		List<Family> fams = new ArrayList<>();
		fams.add(new Family("fluentbit_uptime", "Number of seconds that Fluent Bit has been running.", "counter")
			.add(host, uptimeSeconds));
		fams.add(new Family("fluentbit_hot_reloaded_times", "Collect the count of hot reloaded times.", "counter")
			.add(host, reloads));
		Family rr = new Family("fluentbit_routing_logs_records_total", "Total log records routed from input to output", "counter");
		Family rb = new Family("fluentbit_routing_logs_bytes_total", "Total bytes routed from input to output (logs)", "counter");
		Family rdr = new Family("fluentbit_routing_logs_drop_records_total", "Total log records dropped during routing", "counter");
		Family rdb = new Family("fluentbit_routing_logs_drop_bytes_total", "Total bytes dropped during routing (logs)", "counter");
		for (OutputInstance o : e.outputs()) {
			for (Map.Entry<String, Metrics.Route> r : o.routeMetrics().entrySet()) {
				String l = "input=" + json(r.getKey()) + ",output=" + json(o.displayName());
				Metrics.Route m = r.getValue();
				if (m.records.sum() > 0) {
					rr.add(l, m.records.sum());
					rb.add(l, m.bytes.sum());
				}
				if (m.dropRecords.sum() > 0) {
					rdr.add(l, m.dropRecords.sum());
					rdb.add(l, m.dropBytes.sum());
				}
			}
		}
		fams.addAll(List.of(rr, rb, rdr, rdb));
		Family ib = new Family("fluentbit_input_bytes_total", "Number of input bytes.", "counter");
		Family ir = new Family("fluentbit_input_records_total", "Number of input records.", "counter");
		Family ip = new Family("fluentbit_input_ingestion_paused", "Is the input paused or not?", "gauge");
		Family io = new Family("fluentbit_input_storage_overlimit", "Is the input memory usage overlimit ?.", "gauge");
		Family im = new Family("fluentbit_input_storage_memory_bytes", "Memory bytes used by the chunks.", "gauge");
		for (InputInstance in : e.inputs()) {
			String l = "name=" + json(in.displayName());
			ib.add(l, in.metrics().bytes.sum());
			ir.add(l, in.metrics().records.sum());
			ip.add(l, in.isPaused() ? 1 : 0);
			io.add(l, in.pauseReasons().contains(InputInstance.PauseReason.MEM_BUF_LIMIT) ? 1 : 0);
			im.add(l, in.bufferedBytes());
		}
		fams.addAll(List.of(ib, ir));
		Family fr = new Family("fluentbit_filter_records_total", "Total number of new records processed.", "counter");
		Family fb = new Family("fluentbit_filter_bytes_total", "Total number of new bytes processed.", "counter");
		Family fa = new Family("fluentbit_filter_add_records_total", "Total number of new added records.", "counter");
		Family fd = new Family("fluentbit_filter_drop_records_total", "Total number of dropped records.", "counter");
		Family fdb = new Family("fluentbit_filter_drop_bytes_total", "Total number of dropped bytes.", "counter");
		for (FilterInstance f : e.filters()) {
			String l = "name=" + json(f.displayName());
			fr.add(l, f.metrics().records.sum());
			fb.add(l, f.metrics().bytes.sum());
			fa.add(l, f.metrics().addRecords.sum());
			fd.add(l, f.metrics().dropRecords.sum());
			fdb.add(l, f.metrics().dropBytes.sum());
		}
		fams.addAll(List.of(fr, fb, fa, fd, fdb));
		Family opr = new Family("fluentbit_output_proc_records_total", "Number of processed output records.", "counter");
		Family opb = new Family("fluentbit_output_proc_bytes_total", "Number of processed output bytes.", "counter");
		Family oe = new Family("fluentbit_output_errors_total", "Number of output errors.", "counter");
		Family ort = new Family("fluentbit_output_retries_total", "Number of output retries.", "counter");
		Family orf = new Family("fluentbit_output_retries_failed_total",
				"Number of abandoned batches because the maximum number of re-tries was reached.", "counter");
		Family od = new Family("fluentbit_output_dropped_records_total", "Number of dropped records.", "counter");
		Family orr = new Family("fluentbit_output_retried_records_total", "Number of retried records.", "counter");
		for (OutputInstance o : e.outputs()) {
			String l = "name=" + json(o.displayName());
			Metrics.Output m = o.metrics();
			opr.add(l, m.procRecords.sum());
			opb.add(l, m.procBytes.sum());
			oe.add(l, m.errors.sum());
			ort.add(l, m.retries.sum());
			orf.add(l, m.retriesFailed.sum());
			od.add(l, m.droppedRecords.sum());
			orr.add(l, m.retriedRecords.sum());
		}
		fams.addAll(List.of(opr, opb, oe, ort, orf, od, orr));
		fams.add(new Family("fluentbit_process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
				"gauge").add(host, processStartSeconds));
		fams.add(new Family("fluentbit_build_info", "Build version information.", "gauge")
			.add(host + ",version=" + json(version) + ",os=\"linux\"", 1));
		long memChunks = memChunks(e);
		long fsChunks = e.fsChunksUp() + e.fsChunksDown();
		fams.add(new Family("fluentbit_storage_chunks", "Total number of chunks in the storage layer.", "gauge").add("",
				memChunks + fsChunks));
		fams.add(new Family("fluentbit_storage_mem_chunks", "Total number of memory chunks.", "gauge").add("", memChunks));
		if (e.storage() != null) {
			fams.add(new Family("fluentbit_storage_fs_chunks", "Total number of filesystem chunks.", "gauge").add("", fsChunks));
			fams.add(new Family("fluentbit_storage_fs_chunks_up", "Total number of filesystem chunks up in memory.", "gauge")
				.add("", e.fsChunksUp()));
			fams.add(new Family("fluentbit_storage_fs_chunks_down", "Total number of filesystem chunks down.", "gauge").add("",
					e.fsChunksDown()));
		}
		fams.addAll(List.of(ip, io, im));
		if (e.storage() != null) {
			Family ic = new Family("fluentbit_input_storage_chunks", "Total number of chunks.", "gauge");
			Family iu = new Family("fluentbit_input_storage_chunks_up", "Total number of chunks up in memory.", "gauge");
			Family idn = new Family("fluentbit_input_storage_chunks_down", "Total number of chunks down.", "gauge");
			Family ibz = new Family("fluentbit_input_storage_chunks_busy", "Total number of chunks in a busy state.", "gauge");
			Family ibb = new Family("fluentbit_input_storage_chunks_busy_bytes",
					"Total number of bytes used by chunks in a busy state.", "gauge");
			for (InputInstance in : e.inputs()) {
				String l = "name=" + json(in.displayName());
				ic.add(l, in.chunksUp() + in.chunksDown());
				iu.add(l, in.chunksUp());
				idn.add(l, in.chunksDown());
				ibz.add(l, in.pendingChunks());
				ibb.add(l, in.bufferedBytes());
			}
			fams.addAll(List.of(ic, iu, idn, ibz, ibb));
			dev.sluice.storage.FilesystemStorage st = e.storage();
			fams.add(new Family("sluice_storage_quarantined_chunks_total",
					"Damaged chunk files moved to the quarantine (or deleted) at start.", "counter").add("",
							st.quarantinedChunks.get()));
			fams.add(new Family("sluice_storage_salvaged_records_total", "Records recovered from damaged chunk files.",
					"counter").add("", st.salvagedRecords.get()));
			fams.add(new Family("sluice_storage_evicted_chunks_total",
					"Chunks evicted from an output queue by storage.total_limit_size.", "counter").add("", e.evictedChunks()));
			fams.add(new Family("sluice_storage_rejected_chunks_total",
					"Chunks kept in the rejected path (storage.keep.rejected).", "counter").add("", st.rejectedChunks.get()));
		}
		return fams;
	}

	/** {@code /api/v2/metrics/prometheus}. */
	public static String v2Prometheus(Engine e, long uptimeSeconds, long processStartSeconds, int reloads, String version) {
		StringBuilder sb = new StringBuilder(8192);
		for (Family f : v2Families(e, uptimeSeconds, processStartSeconds, reloads, version)) {
			if (f.points.isEmpty()) {
				continue;
			}
			sb.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
			sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
			for (String[] p : f.points) {
				sb.append(f.name);
				if (!p[0].isEmpty()) {
					sb.append('{').append(p[0]).append('}');
				}
				sb.append(' ').append(p[1]).append('\n');
			}
		}
		return sb.toString();
	}

	private static final DateTimeFormatter RFC3339_NANOS = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
		.withZone(java.time.ZoneOffset.UTC);

	/** {@code /api/v2/metrics}: cmetrics text, {@code <RFC3339 ns> name{labels} = value}. */
	public static String v2Text(Engine e, long uptimeSeconds, long processStartSeconds, int reloads, String version) {
		String ts = RFC3339_NANOS.format(Instant.now());
		StringBuilder sb = new StringBuilder(8192);
		for (Family f : v2Families(e, uptimeSeconds, processStartSeconds, reloads, version)) {
			for (String[] p : f.points) {
				sb.append(ts).append(' ').append(f.name);
				if (!p[0].isEmpty()) {
					sb.append('{').append(p[0]).append('}');
				}
				sb.append(" = ").append(p[1]).append('\n');
			}
		}
		return sb.toString();
	}

	/** {@code /api/v1/storage}. */
	public static String storage(Engine e) {
		long mem = memChunks(e);
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

	/** Sealed chunks not finished that live in memory only. */
	private static long memChunks(Engine e) {
		long n = 0;
		for (InputInstance in : e.inputs()) {
			if (!in.filesystem()) {
				n += in.pendingChunks();
			}
		}
		return n;
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
