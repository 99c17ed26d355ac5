package dev.sluice.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.plugin.MetricFamily;

/**
 * The service's own metrics as Fluent Bit 5.1.1's cmetrics names them (the set of
 * {@code /api/v2/metrics} and {@code /api/v2/metrics/prometheus}, and what the
 * {@code fluentbit_metrics} input emits): names, help texts, types and label sets.
 */
public final class ServiceMetrics {

	private static final String HOSTNAME = hostname();

	private ServiceMetrics() {
	}

	/** The host name Fluent Bit labels its metrics with ({@code HOSTNAME}, else the local host's). */
	public static String hostname() {
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

	private static Map<String, String> labels(String... kv) {
		Map<String, String> m = new LinkedHashMap<>();
		for (int i = 0; i + 1 < kv.length; i += 2) {
			m.put(kv[i], kv[i + 1]);
		}
		return m;
	}

	private static final class Fam {

		final String name;

		final String help;

		final String type;

		final List<MetricFamily.Sample> samples = new ArrayList<>();

		Fam(String name, String help, String type) {
			this.name = name;
			this.help = help;
			this.type = type;
		}

		Fam add(Map<String, String> labels, long value) {
			this.samples.add(new MetricFamily.Sample(labels, value));
			return this;
		}
	}

	/** Every family, in Fluent Bit's order, read now. */
	public static List<MetricFamily> families(Engine e, long uptimeSeconds, long processStartSeconds, int reloads,
			String version) {
		Map<String, String> host = Map.of("hostname", HOSTNAME);
		List<Fam> fams = new ArrayList<>();
		fams.add(new Fam("fluentbit_uptime", "Number of seconds that Fluent Bit has been running.", "counter")
			.add(host, uptimeSeconds));
		fams.add(new Fam("fluentbit_hot_reloaded_times", "Collect the count of hot reloaded times.", "counter")
			.add(host, reloads));
		Fam rr = new Fam("fluentbit_routing_logs_records_total", "Total log records routed from input to output", "counter");
		Fam rb = new Fam("fluentbit_routing_logs_bytes_total", "Total bytes routed from input to output (logs)", "counter");
		Fam rdr = new Fam("fluentbit_routing_logs_drop_records_total", "Total log records dropped during routing", "counter");
		Fam rdb = new Fam("fluentbit_routing_logs_drop_bytes_total", "Total bytes dropped during routing (logs)", "counter");
		for (OutputInstance o : e.outputs()) {
			for (Map.Entry<String, Metrics.Route> r : o.routeMetrics().entrySet()) {
				Map<String, String> l = labels("input", r.getKey(), "output", o.displayName());
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
		Fam ib = new Fam("fluentbit_input_bytes_total", "Number of input bytes.", "counter");
		Fam ir = new Fam("fluentbit_input_records_total", "Number of input records.", "counter");
		Fam ip = new Fam("fluentbit_input_ingestion_paused", "Is the input paused or not?", "gauge");
		Fam io = new Fam("fluentbit_input_storage_overlimit", "Is the input memory usage overlimit ?.", "gauge");
		Fam im = new Fam("fluentbit_input_storage_memory_bytes", "Memory bytes used by the chunks.", "gauge");
		for (InputInstance in : e.inputs()) {
			Map<String, String> l = labels("name", in.displayName());
			ib.add(l, in.metrics().bytes.sum());
			ir.add(l, in.metrics().records.sum());
			ip.add(l, in.isPaused() ? 1 : 0);
			io.add(l, in.pauseReasons().contains(InputInstance.PauseReason.MEM_BUF_LIMIT) ? 1 : 0);
			im.add(l, in.bufferedBytes());
		}
		fams.addAll(List.of(ib, ir));
		Fam fr = new Fam("fluentbit_filter_records_total", "Total number of new records processed.", "counter");
		Fam fb = new Fam("fluentbit_filter_bytes_total", "Total number of new bytes processed.", "counter");
		Fam fa = new Fam("fluentbit_filter_add_records_total", "Total number of new added records.", "counter");
		Fam fd = new Fam("fluentbit_filter_drop_records_total", "Total number of dropped records.", "counter");
		Fam fdb = new Fam("fluentbit_filter_drop_bytes_total", "Total number of dropped bytes.", "counter");
		for (FilterInstance f : e.filters()) {
			Map<String, String> l = labels("name", f.displayName());
			fr.add(l, f.metrics().records.sum());
			fb.add(l, f.metrics().bytes.sum());
			fa.add(l, f.metrics().addRecords.sum());
			fd.add(l, f.metrics().dropRecords.sum());
			fdb.add(l, f.metrics().dropBytes.sum());
		}
		fams.addAll(List.of(fr, fb, fa, fd, fdb));
		Fam opr = new Fam("fluentbit_output_proc_records_total", "Number of processed output records.", "counter");
		Fam opb = new Fam("fluentbit_output_proc_bytes_total", "Number of processed output bytes.", "counter");
		Fam oe = new Fam("fluentbit_output_errors_total", "Number of output errors.", "counter");
		Fam ort = new Fam("fluentbit_output_retries_total", "Number of output retries.", "counter");
		Fam orf = new Fam("fluentbit_output_retries_failed_total",
				"Number of abandoned batches because the maximum number of re-tries was reached.", "counter");
		Fam od = new Fam("fluentbit_output_dropped_records_total", "Number of dropped records.", "counter");
		Fam orr = new Fam("fluentbit_output_retried_records_total", "Number of retried records.", "counter");
		for (OutputInstance o : e.outputs()) {
			Map<String, String> l = labels("name", o.displayName());
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
		fams.add(new Fam("fluentbit_process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
				"gauge").add(host, processStartSeconds));
		fams.add(new Fam("fluentbit_build_info", "Build version information.", "gauge")
			.add(labels("hostname", HOSTNAME, "version", version, "os", "linux"), 1));
		long memChunks = memChunks(e);
		long fsChunks = e.fsChunksUp() + e.fsChunksDown();
		fams.add(new Fam("fluentbit_storage_chunks", "Total number of chunks in the storage layer.", "gauge")
			.add(Map.of(), memChunks + fsChunks));
		fams.add(new Fam("fluentbit_storage_mem_chunks", "Total number of memory chunks.", "gauge").add(Map.of(), memChunks));
		if (e.storage() != null) {
			fams.add(new Fam("fluentbit_storage_fs_chunks", "Total number of filesystem chunks.", "gauge").add(Map.of(), fsChunks));
			fams.add(new Fam("fluentbit_storage_fs_chunks_up", "Total number of filesystem chunks up in memory.", "gauge")
				.add(Map.of(), e.fsChunksUp()));
			fams.add(new Fam("fluentbit_storage_fs_chunks_down", "Total number of filesystem chunks down.", "gauge")
				.add(Map.of(), e.fsChunksDown()));
		}
		fams.addAll(List.of(ip, io, im));
		if (e.storage() != null) {
			Fam ic = new Fam("fluentbit_input_storage_chunks", "Total number of chunks.", "gauge");
			Fam iu = new Fam("fluentbit_input_storage_chunks_up", "Total number of chunks up in memory.", "gauge");
			Fam idn = new Fam("fluentbit_input_storage_chunks_down", "Total number of chunks down.", "gauge");
			Fam ibz = new Fam("fluentbit_input_storage_chunks_busy", "Total number of chunks in a busy state.", "gauge");
			Fam ibb = new Fam("fluentbit_input_storage_chunks_busy_bytes",
					"Total number of bytes used by chunks in a busy state.", "gauge");
			for (InputInstance in : e.inputs()) {
				Map<String, String> l = labels("name", in.displayName());
				ic.add(l, in.chunksUp() + in.chunksDown());
				iu.add(l, in.chunksUp());
				idn.add(l, in.chunksDown());
				ibz.add(l, in.pendingChunks());
				ibb.add(l, in.bufferedBytes());
			}
			fams.addAll(List.of(ic, iu, idn, ibz, ibb));
			dev.sluice.storage.FilesystemStorage st = e.storage();
			fams.add(new Fam("sluice_storage_quarantined_chunks_total",
					"Damaged chunk files moved to the quarantine (or deleted) at start.", "counter")
				.add(Map.of(), st.quarantinedChunks.get()));
			fams.add(new Fam("sluice_storage_salvaged_records_total", "Records recovered from damaged chunk files.",
					"counter").add(Map.of(), st.salvagedRecords.get()));
			fams.add(new Fam("sluice_storage_evicted_chunks_total",
					"Chunks evicted from an output queue by storage.total_limit_size.", "counter")
				.add(Map.of(), e.evictedChunks()));
			fams.add(new Fam("sluice_storage_rejected_chunks_total",
					"Chunks kept in the rejected path (storage.keep.rejected).", "counter").add(Map.of(), st.rejectedChunks.get()));
		}
		List<MetricFamily> out = new ArrayList<>(fams.size());
		for (Fam f : fams) {
			out.add(new MetricFamily(f.name, f.help, f.type, List.copyOf(f.samples)));
		}
		return out;
	}

	/** Sealed chunks not finished that live in memory only. */
	public static long memChunks(Engine e) {
		long n = 0;
		for (InputInstance in : e.inputs()) {
			if (!in.filesystem()) {
				n += in.pendingChunks();
			}
		}
		return n;
	}
}
