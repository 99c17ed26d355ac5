package dev.sluice.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.sluice.cli.PluginSchema;
import dev.sluice.config.FilterCommonConfig;
import dev.sluice.config.InstanceDefinition;
import dev.sluice.config.OutputCommonConfig;
import dev.sluice.engine.Engine;
import dev.sluice.engine.FilterInstance;
import dev.sluice.engine.InputInstance;
import dev.sluice.engine.Metrics;
import dev.sluice.engine.OutputInstance;
import dev.sluice.engine.PipelineGeneration;
import dev.sluice.engine.PipelineManager;
import dev.sluice.engine.Tap;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.OptionSpec;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;

/**
 * Sluice's own admin API (beside Fluent Bit's): the plugin registry with each plugin's schema,
 * the running pipeline (instances, masked properties, routes, state, counters), pause and resume
 * of an input, and a live tap streaming events as NDJSON. Mutating calls are guarded by
 * {@link AdminTokenFilter} when a token is set.
 */
@RestController
public class AdminController {

	private static final String MASK = "******";

	private final PipelineManager manager;

	private final PluginSchema schema = new PluginSchema();

	public AdminController(PipelineManager manager) {
		this.manager = manager;
	}

	@GetMapping("/api/sluice/plugins")
	public void plugins(HttpServletResponse res) throws IOException {
		MonitoringController.write(res, 200, MonitoringController.JSON, this.schema.catalogueJson(this.manager.registry()));
	}

	@GetMapping("/api/sluice/plugins/{kind}/{name}")
	public void plugin(@PathVariable String kind, @PathVariable String name, HttpServletResponse res) throws IOException {
		PluginKind k = switch (kind.toLowerCase(Locale.ROOT)) {
			case "input", "inputs" -> PluginKind.INPUT;
			case "filter", "filters" -> PluginKind.FILTER;
			case "output", "outputs" -> PluginKind.OUTPUT;
			default -> null;
		};
		PluginDescriptor d = (k != null) ? this.manager.registry().find(k, name) : null;
		if (d == null) {
			MonitoringController.write(res, 404, MonitoringController.JSON,
					"{\"error\":\"no " + kind.replace("\"", "") + " plugin named " + MonitoringRenderer.json(name) + "\"}");
			return;
		}
		MonitoringController.write(res, 200, MonitoringController.JSON, this.schema.pluginJson(d));
	}

	@GetMapping("/api/sluice/pipeline")
	public void pipeline(HttpServletResponse res) throws IOException {
		PipelineGeneration g = this.manager.current();
		Engine e = g.engine();
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("generation", g.number());
		out.put("hot_reload_count", this.manager.reloadCount());
		out.put("reloading", this.manager.isReloading());
		out.put("pending_chunks", e.pendingTasks());
		List<Object> inputs = new ArrayList<>();
		for (InputInstance in : e.inputs()) {
			Map<String, Object> m = instance(in.definition(), in.displayName());
			m.put("tag", in.tag());
			m.put("state", in.isPaused() ? "paused" : "running");
			List<String> why = new ArrayList<>();
			in.pauseReasons().forEach((r) -> why.add(r.name().toLowerCase(Locale.ROOT)));
			m.put("paused_reasons", why);
			m.put("buffered_bytes", in.bufferedBytes());
			m.put("mem_buf_limit", in.memBufLimit());
			m.put("pending_chunks", in.pendingChunks());
			m.put("metrics", Map.of("records", in.metrics().records.sum(), "bytes", in.metrics().bytes.sum()));
			List<String> routes = new ArrayList<>();
			for (OutputInstance o : e.outputs()) {
				if (o.matcher().matches(in.tag())) {
					routes.add(o.displayName());
				}
			}
			m.put("routes", routes);
			inputs.add(m);
		}
		out.put("inputs", inputs);
		List<Object> filters = new ArrayList<>();
		for (FilterInstance f : e.filters()) {
			Map<String, Object> m = instance(f.definition(), f.displayName());
			FilterCommonConfig c = f.definition().commonAs(FilterCommonConfig.class);
			m.put("match", c.match);
			m.put("match_regex", c.matchRegex);
			Metrics.Filter fm = f.metrics();
			m.put("metrics", Map.of("records", fm.records.sum(), "add_records", fm.addRecords.sum(), "drop_records",
					fm.dropRecords.sum(), "errors", fm.errors.sum()));
			filters.add(m);
		}
		out.put("filters", filters);
		List<Object> outputs = new ArrayList<>();
		for (OutputInstance o : e.outputs()) {
			Map<String, Object> m = instance(o.definition(), o.displayName());
			OutputCommonConfig c = o.definition().commonAs(OutputCommonConfig.class);
			m.put("match", c.match);
			m.put("match_regex", c.matchRegex);
			m.put("workers", o.workers());
			m.put("retry_limit", c.retryLimit);
			Metrics.Output om = o.metrics();
			Map<String, Object> mm = new LinkedHashMap<>();
			mm.put("proc_records", om.procRecords.sum());
			mm.put("proc_bytes", om.procBytes.sum());
			mm.put("errors", om.errors.sum());
			mm.put("retries", om.retries.sum());
			mm.put("retries_failed", om.retriesFailed.sum());
			mm.put("dropped_records", om.droppedRecords.sum());
			mm.put("retried_records", om.retriedRecords.sum());
			m.put("metrics", mm);
			outputs.add(m);
		}
		out.put("outputs", outputs);
		MonitoringController.write(res, 200, MonitoringController.JSON, PluginSchema.toJson(out));
	}

	private static Map<String, Object> instance(InstanceDefinition d, String displayName) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("name", d.name());
		m.put("alias", displayName.equals(d.name()) ? null : displayName);
		m.put("plugin", d.descriptor().name());
		m.put("origin", d.section().origin().toString());
		m.put("properties", masked(d));
		return m;
	}

	/** Properties with every secret replaced: declared secrets and keys that name one. */
	static Map<String, String> masked(InstanceDefinition d) {
		Map<String, String> out = new LinkedHashMap<>();
		for (Map.Entry<String, String> p : d.properties().entrySet()) {
			out.put(p.getKey(), isSecret(d, p.getKey()) ? MASK : p.getValue());
		}
		return out;
	}

	static boolean isSecret(InstanceDefinition d, String key) {
		for (OptionSpec o : d.descriptor().options()) {
			if (o.secret() && o.matches(key)) {
				return true;
			}
		}
		String k = key.toLowerCase(Locale.ROOT);
		return k.contains("passwd") || k.contains("password") || k.contains("secret") || k.contains("token")
				|| k.endsWith("shared_key") || k.contains("key_passwd") || k.contains("api_key") || k.contains("credentials");
	}

	@PostMapping("/api/sluice/inputs/{name}/pause")
	public void pause(@PathVariable String name, HttpServletResponse res) throws IOException {
		changePause(name, true, res);
	}

	@PostMapping("/api/sluice/inputs/{name}/resume")
	public void resume(@PathVariable String name, HttpServletResponse res) throws IOException {
		changePause(name, false, res);
	}

	private void changePause(String name, boolean pause, HttpServletResponse res) throws IOException {
		for (InputInstance in : this.manager.engine().inputs()) {
			if (in.name().equals(name) || in.displayName().equals(name)) {
				if (pause) {
					in.pause(InputInstance.PauseReason.ADMIN, "admin API");
				}
				else {
					in.resume(InputInstance.PauseReason.ADMIN, "admin API");
				}
				List<String> why = new ArrayList<>();
				in.pauseReasons().forEach((r) -> why.add(r.name().toLowerCase(Locale.ROOT)));
				MonitoringController.write(res, 200, MonitoringController.JSON, PluginSchema.toJson(
						Map.of("name", in.displayName(), "paused", in.isPaused(), "paused_reasons", why)));
				return;
			}
		}
		MonitoringController.write(res, 404, MonitoringController.JSON,
				"{\"error\":\"no input named " + MonitoringRenderer.json(name).replace("\"", "'") + "\"}");
	}

	/**
	 * Streams, as NDJSON, the events passing {@code instance} (an input: after its filters; an
	 * output: routed into it) whose tag matches {@code match}, until {@code limit} events or
	 * {@code seconds} have passed. A slow reader never slows the pipeline: events it cannot take
	 * are dropped from the tap and counted in the last line.
	 */
	@GetMapping("/api/sluice/tap")
	public void tap(@RequestParam String instance, @RequestParam(defaultValue = "*") String match,
			@RequestParam(defaultValue = "100") long limit, @RequestParam(defaultValue = "10") double seconds,
			HttpServletResponse res) throws IOException, InterruptedException {
		Engine e = this.manager.engine();
		boolean known = e.inputs().stream().anyMatch((i) -> i.name().equals(instance) || i.displayName().equals(instance))
				|| e.outputs().stream().anyMatch((o) -> o.name().equals(instance) || o.displayName().equals(instance));
		if (!known) {
			MonitoringController.write(res, 404, MonitoringController.JSON,
					"{\"error\":\"no input or output named " + instance.replace("\"", "'") + "\"}");
			return;
		}
		BlockingQueue<Tap.Tapped> queue = new ArrayBlockingQueue<>(1024);
		AtomicLong dropped = new AtomicLong();
		res.setStatus(200);
		res.setContentType("application/x-ndjson");
		OutputStream os = res.getOutputStream();
		long sent = 0;
		long deadline = System.nanoTime() + (long) (seconds * 1e9);
		try (AutoCloseable handle = e.openTap(new Tap(instance, match, (t) -> {
			if (!queue.offer(t)) {
				dropped.incrementAndGet();
			}
		}))) {
			res.flushBuffer();
			while (sent < limit) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				Tap.Tapped t = queue.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
				if (t == null) {
					continue;
				}
				for (LogEvent ev : t.events().decode()) {
					if (sent >= limit) {
						break;
					}
					Map<String, Object> line = new LinkedHashMap<>();
					line.put("point", t.point());
					line.put("tag", t.tag());
					line.put("time", ev.time().toDouble());
					line.put("metadata", ev.metadata());
					line.put("record", ev.body());
					os.write((PluginSchema.toJson(jsonSafe(line)) + "\n").getBytes(StandardCharsets.UTF_8));
					sent++;
				}
				os.flush();
			}
			os.write(("{\"tap\":\"end\",\"events\":" + sent + ",\"dropped\":" + dropped.get() + "}\n")
				.getBytes(StandardCharsets.UTF_8));
			os.flush();
		}
		catch (IOException | InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Object jsonSafe(Object v) {
		if (v instanceof Map<?, ?> m) {
			Map<String, Object> out = new LinkedHashMap<>();
			m.forEach((k, x) -> out.put(String.valueOf(k), jsonSafe(x)));
			return out;
		}
		if (v instanceof List<?> l) {
			List<Object> out = new ArrayList<>();
			l.forEach((x) -> out.add(jsonSafe(x)));
			return out;
		}
		if (v instanceof byte[] b) {
			return new String(b, StandardCharsets.UTF_8);
		}
		if (v instanceof dev.sluice.event.EventTime t) {
			return t.toDouble();
		}
		if (v instanceof dev.sluice.event.MsgpackValues.Extension) {
			return v.toString();
		}
		return v;
	}
}
