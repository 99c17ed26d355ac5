package dev.sluice.plugins.out.prometheus_exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import org.slf4j.Logger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sluice.event.EventFormatException;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.otlp.Otlp;
import dev.sluice.plugins.otlp.OtlpMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

/**
 * Fluent Bit's {@code prometheus_exporter} output: an HTTP server on {@code host:port} (default
 * 2021) whose {@code GET /metrics} answers the latest metrics it was given, in Prometheus text
 * format 0.0.4 ({@code add_label} labels on every sample, {@code add_timestamp} the collection
 * time). It keeps the latest metrics event of each input instance (a {@code fluentbit_metrics}
 * scrape, an OTLP metrics request). When the port is taken at start (as during a hot reload,
 * while the previous generation's exporter still serves) it keeps trying to bind for a minute.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "prometheus_exporter", description = "Prometheus Exporter",
		config = PrometheusExporterConfig.class, network = true, eventTypes = Plugin.METRICS)
public final class PrometheusExporterOutput implements OutputPlugin<PrometheusExporterConfig> {

	static final String CONTENT_TYPE = "text/plain; version=0.0.4";

	private final Map<String, ExportMetricsServiceRequest> latest = new ConcurrentHashMap<>();

	private Logger log;

	private volatile HttpServer server;

	private volatile boolean closed;

	private List<String[]> labels;

	private boolean timestamps;

	@Override
	public void init(PrometheusExporterConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		this.labels = new ArrayList<>();
		if (c.addLabel != null) {
			for (List<String> l : c.addLabel) {
				if (l.size() < 2) {
					throw new IllegalArgumentException("add_label needs 'name value', got '" + String.join(" ", l) + "'");
				}
				this.labels.add(new String[] { l.get(0), l.get(l.size() - 1) });
			}
		}
		this.timestamps = c.addTimestamp;
		String host = (c.host == null || c.host.isEmpty()) ? "0.0.0.0" : c.host;
		int port = (c.port > 0) ? c.port : 2021;
		InetSocketAddress address = new InetSocketAddress(host, port);
		try {
			bind(address);
		}
		catch (BindException ex) {
			// a hot reload initialises the new outputs while the old ones still serve: the old
			// exporter lets the port go when it exits, so keep trying for a while
			this.log.warn("could not bind address {}:{} ({}); retrying in the background", host, port, ex.getMessage());
			Thread.ofVirtual().name(context.name() + "-bind").start(() -> bindLater(address));
		}
	}

	private synchronized void bind(InetSocketAddress address) throws IOException {
		if (this.closed) {
			return;
		}
		HttpServer s = HttpServer.create(address, 64);
		s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		s.createContext("/", this::serve);
		s.start();
		this.server = s;
		this.log.info("listening iface={} tcp_port={}", address.getHostString(), address.getPort());
	}

	private void bindLater(InetSocketAddress address) {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
		while (!this.closed && System.nanoTime() < deadline) {
			try {
				Thread.sleep(250);
				bind(address);
				return;
			}
			catch (BindException ex) {
				// still taken
			}
			catch (IOException ex) {
				this.log.error("could not bind address {}: {}", address, ex.getMessage());
				return;
			}
			catch (InterruptedException ex) {
				return;
			}
		}
		if (!this.closed) {
			this.log.error("could not bind address {}:{}: address already in use; /metrics is not served",
					address.getHostString(), address.getPort());
		}
	}

	/** The bound port. */
	public int port() {
		return this.server.getAddress().getPort();
	}

	private void serve(HttpExchange ex) throws IOException {
		try (ex) {
			String path = ex.getRequestURI().getPath();
			if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
				ex.sendResponseHeaders(405, -1);
				return;
			}
			if (!path.equals("/metrics")) {
				ex.sendResponseHeaders(404, -1);
				return;
			}
			byte[] body = render().getBytes(StandardCharsets.UTF_8);
			ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
			if (ex.getRequestMethod().equals("HEAD")) {
				ex.sendResponseHeaders(200, -1);
				return;
			}
			ex.sendResponseHeaders(200, (body.length == 0) ? -1 : body.length);
			try (OutputStream out = ex.getResponseBody()) {
				out.write(body);
			}
		}
	}

	/** What {@code /metrics} answers now. */
	String render() {
		List<String> inputs = new ArrayList<>(this.latest.keySet());
		inputs.sort(null);
		List<ExportMetricsServiceRequest> reqs = new ArrayList<>();
		for (String in : inputs) {
			reqs.add(this.latest.get(in));
		}
		return OtlpMetrics.toPrometheus(reqs, this.labels, this.timestamps);
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		if (chunk.eventType() != 1) {
			this.log.debug("not a metrics chunk (type {}): dropping '{}'", chunk.eventType(), chunk.name());
			return FlushResult.ERROR;
		}
		try {
			List<byte[]> payloads = Otlp.payloads(chunk.events());
			if (!payloads.isEmpty()) {
				this.latest.put(chunk.input(), ExportMetricsServiceRequest.parseFrom(payloads.get(payloads.size() - 1)));
			}
			return FlushResult.OK;
		}
		catch (EventFormatException | InvalidProtocolBufferException ex) {
			this.log.error("cannot read metrics chunk '{}': {}", chunk.name(), ex.getMessage());
			return FlushResult.ERROR;
		}
	}

	@Override
	public synchronized void exit() {
		this.closed = true;
		if (this.server != null) {
			this.server.stop(0);
		}
	}
}
