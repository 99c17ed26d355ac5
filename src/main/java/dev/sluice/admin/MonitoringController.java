package dev.sluice.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sluice.engine.Engine;
import dev.sluice.engine.PipelineManager;
import dev.sluice.engine.ReloadResult;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's monitoring API, same paths, bodies, content types and status codes as Fluent Bit
 * 5.1.1 (see {@code shared/fixtures/monitoring}). Paths match exactly (no trailing slash); most
 * endpoints answer any method, as Fluent Bit's do.
 */
@RestController
public class MonitoringController {

	static final String JSON = "application/json";

	static final String PROMETHEUS = "text/plain; version=0.0.4";

	private static final String FLAGS = "[\"FLB_HAVE_PARSER\",\"FLB_HAVE_RECORD_ACCESSOR\",\"FLB_HAVE_METRICS\","
			+ "\"FLB_HAVE_HTTP_SERVER\",\"FLB_HAVE_REGEX\",\"FLB_HAVE_UTF8_ENCODER\",\"FLB_HAVE_TIME_ZONE\"]";

	private final PipelineManager manager;

	private final HealthTracker health;

	private final String version;

	public MonitoringController(PipelineManager manager, HealthTracker health) {
		this.manager = manager;
		this.health = health;
		this.version = dev.sluice.SluiceVersionInfo.fluentBitVersion();
	}

	static void write(HttpServletResponse res, int status, String contentType, String body) throws IOException {
		byte[] b = body.getBytes(StandardCharsets.UTF_8);
		res.setStatus(status);
		if (contentType != null) {
			res.setContentType(contentType);
		}
		res.setContentLength(b.length);
		res.getOutputStream().write(b);
	}

	private Engine engine() {
		return this.manager.engine();
	}

	private long uptime() {
		return Duration.between(this.manager.generationStart(), Instant.now()).toSeconds();
	}

	private long processStart() {
		return this.manager.processStart().getEpochSecond();
	}

	@RequestMapping("/")
	public void root(HttpServletResponse res) throws IOException {
		write(res, 200, JSON, "{\"fluent-bit\":{\"version\":\"" + this.version + "\",\"edition\":\"Community\",\"flags\":"
				+ FLAGS + "},\"sluice\":{\"version\":\"" + dev.sluice.SluiceVersionInfo.version() + "\"}}");
	}

	@RequestMapping("/api/v1/uptime")
	public void uptime(HttpServletResponse res) throws IOException {
		write(res, 200, JSON, MonitoringRenderer.uptimeJson(uptime()));
	}

	@RequestMapping("/api/v1/metrics")
	public void v1Metrics(HttpServletResponse res) throws IOException {
		write(res, 200, JSON, MonitoringRenderer.v1Json(engine()));
	}

	@RequestMapping("/api/v1/metrics/prometheus")
	public void v1Prometheus(HttpServletResponse res) throws IOException {
		write(res, 200, PROMETHEUS, MonitoringRenderer.v1Prometheus(engine(), uptime(), processStart(), this.version));
	}

	@RequestMapping("/api/v2/metrics")
	public void v2Metrics(HttpServletResponse res) throws IOException {
		write(res, 200, null,
				MonitoringRenderer.v2Text(engine(), uptime(), processStart(), this.manager.reloadCount(), this.version));
	}

	@RequestMapping("/api/v2/metrics/prometheus")
	public void v2Prometheus(HttpServletResponse res) throws IOException {
		write(res, 200, PROMETHEUS,
				MonitoringRenderer.v2Prometheus(engine(), uptime(), processStart(), this.manager.reloadCount(), this.version));
	}

	@RequestMapping("/api/v1/storage")
	public void storage(HttpServletResponse res) throws IOException {
		Engine e = engine();
		if (!e.service().storageMetrics || e.service().storagePath == null) {
			write(res, 404, null, "");
			return;
		}
		write(res, 200, JSON, MonitoringRenderer.storage(e));
	}

	@RequestMapping("/api/v1/health")
	public void v1Health(HttpServletResponse res) throws IOException {
		if (!engine().service().healthCheck) {
			write(res, 404, null, "");
			return;
		}
		HealthTracker.Status s = this.health.status();
		write(res, s.healthy() ? 200 : 500, null, s.healthy() ? "ok\n" : "error\n");
	}

	@RequestMapping("/api/v2/health")
	public void v2Health(HttpServletResponse res) throws IOException {
		HealthTracker.Status s = this.health.status();
		write(res, s.healthy() ? 200 : 500, JSON,
				"{\"status\":\"" + (s.healthy() ? "ok" : "error") + "\",\"errors\":" + s.errors() + ",\"retries_failed\":"
						+ s.retriesFailed() + ",\"error_limit\":" + s.errorLimit() + ",\"retry_failure_limit\":"
						+ s.retryFailureLimit() + ",\"period_limit\":" + s.period() + "}");
	}

	@RequestMapping("/api/v1/plugins")
	public void plugins(HttpServletResponse res) throws IOException {
		StringBuilder sb = new StringBuilder("{\"plugins\":{");
		String[] keys = { "inputs", "filters", "outputs" };
		PluginKind[] kinds = { PluginKind.INPUT, PluginKind.FILTER, PluginKind.OUTPUT };
		for (int i = 0; i < kinds.length; i++) {
			sb.append(i > 0 ? "," : "").append('"').append(keys[i]).append("\":[");
			boolean first = true;
			for (PluginDescriptor d : this.manager.registry().all(kinds[i])) {
				sb.append(first ? "" : ",").append(MonitoringRenderer.json(d.name()));
				first = false;
			}
			sb.append(']');
		}
		write(res, 200, JSON, sb.append("}}").toString());
	}

	@RequestMapping("/api/v2/reload")
	public void reload(HttpServletRequest req, HttpServletResponse res) throws IOException {
		switch (req.getMethod()) {
			case "GET", "HEAD" -> write(res, 200, JSON, "{\"hot_reload_count\":" + this.manager.reloadCount() + "}");
			case "POST", "PUT" -> {
				if (!engine().service().hotReload) {
					write(res, 200, JSON, "{\"reload\":\"not enabled\",\"status\":-1}");
					return;
				}
				ReloadResult r = this.manager.reload("HTTP " + req.getMethod() + " /api/v2/reload");
				switch (r.outcome()) {
					case DONE -> write(res, 200, JSON, "{\"reload\":\"done\",\"status\":0}");
					case IN_PROGRESS -> write(res, 400, JSON, "{\"reload\":\"in progress\",\"status\":-2}");
					case FAILED -> write(res, 400, JSON, "{\"reload\":\"failed\",\"status\":-3,\"error\":"
							+ MonitoringRenderer.json(r.message()) + "}");
				}
			}
			default -> {
				res.setHeader("allow", "GET, POST, PUT");
				write(res, 405, null, "");
			}
		}
	}
}
