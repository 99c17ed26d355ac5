package dev.sluice.plugins.out.opentelemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import dev.sluice.config.ConfigValues;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.otlp.Otlp;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/**
 * Fluent Bit's {@code opentelemetry} output: sends logs, metrics and traces to an OTLP endpoint.
 *
 * <ul>
 * <li>OTLP/HTTP ({@code POST} to {@code logs_uri}, {@code metrics_uri}, {@code traces_uri}) with
 * protobuf bodies, or JSON with {@code format json}; {@code compress gzip}; {@code header},
 * {@code http_user}/{@code http_passwd}; TLS. With {@code grpc on}, OTLP/gRPC to the
 * {@code grpc_*_uri} methods over HTTP/2 (cleartext by prior knowledge, or TLS).</li>
 * <li>Logs are rebuilt into {@code ResourceLogs}/{@code ScopeLogs} from the group markers and
 * the {@code otlp} metadata the opentelemetry input writes (records from other inputs go under
 * an empty resource and scope, their whole record as the body unless {@code logs_body_key}
 * picks a field), at most {@code batch_size} records per request.</li>
 * <li>Metrics and traces events hold OTLP requests (see {@link Otlp}); they are sent unchanged
 * (with {@code add_label}, metrics get the labels as data point attributes first).</li>
 * <li>2xx (gRPC {@code OK}) is OK; 408, 429 and 5xx (gRPC {@code UNAVAILABLE},
 * {@code RESOURCE_EXHAUSTED}, {@code DEADLINE_EXCEEDED}, {@code ABORTED}, {@code CANCELLED})
 * and connection failures are RETRY; any other answer is ERROR, logged with the response.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.OUTPUT, name = "opentelemetry", description = "OpenTelemetry",
		config = OpenTelemetryOutputConfig.class, network = true, eventTypes = Plugin.LOGS | Plugin.METRICS | Plugin.TRACES)
public final class OpenTelemetryOutput implements OutputPlugin<OpenTelemetryOutputConfig> {

	private Logger log;

	private OpenTelemetryOutputConfig config;

	private HttpClient http;

	private GrpcClient grpc;

	private String base;

	private boolean gzip;

	private boolean json;

	private String authorization;

	private List<String[]> headers;

	private List<RecordAccessor> bodyKeys;

	private List<KeyValue> labels;

	private Duration timeout;

	@Override
	public void init(OpenTelemetryOutputConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		this.config = c;
		String host = (c.host == null || c.host.isEmpty()) ? "127.0.0.1" : c.host;
		int port = (c.port > 0) ? c.port : (c.tls ? 443 : 80);
		if (c.compress != null && !c.compress.isEmpty()) {
			if (c.compress.equalsIgnoreCase("gzip")) {
				this.gzip = true;
			}
			else {
				throw new IllegalArgumentException("unsupported compress '" + c.compress + "': gzip is supported");
			}
		}
		String fmt = (c.format == null) ? "protobuf" : c.format.toLowerCase(Locale.ROOT);
		if (!fmt.equals("protobuf") && !fmt.equals("json")) {
			throw new IllegalArgumentException("invalid format '" + c.format + "': protobuf or json");
		}
		this.json = fmt.equals("json");
		if (c.httpUser != null && !c.httpUser.isEmpty()) {
			this.authorization = "Basic " + Base64.getEncoder()
				.encodeToString((c.httpUser + ":" + ((c.httpPasswd != null) ? c.httpPasswd : "")).getBytes(StandardCharsets.UTF_8));
		}
		this.headers = new ArrayList<>();
		if (c.header != null) {
			for (List<String> h : c.header) {
				if (h.size() < 2) {
					throw new IllegalArgumentException("header needs 'Name Value', got '" + String.join(" ", h) + "'");
				}
				this.headers.add(new String[] { h.get(0), h.get(h.size() - 1) });
			}
		}
		this.bodyKeys = new ArrayList<>();
		if (c.logsBodyKey != null) {
			for (String k : c.logsBodyKey) {
				this.bodyKeys.add(RecordAccessor.parse(k.startsWith("$") ? k : "$" + k));
			}
		}
		this.labels = new ArrayList<>();
		if (c.addLabel != null) {
			for (List<String> l : c.addLabel) {
				if (l.size() < 2) {
					throw new IllegalArgumentException("add_label needs 'name value', got '" + String.join(" ", l) + "'");
				}
				this.labels.add(KeyValue.newBuilder()
					.setKey(l.get(0))
					.setValue(Otlp.toAny(l.get(l.size() - 1)))
					.build());
			}
		}
		if (c.batchSize <= 0) {
			c.batchSize = 1000;
		}
		if (c.logsMetadataKey == null || c.logsMetadataKey.isEmpty()) {
			c.logsMetadataKey = "otlp";
		}
		for (String k : List.of("logs_body_key_attributes", "logs_max_resources", "logs_max_scopes",
				"logs_observed_timestamp_metadata_key", "logs_timestamp_metadata_key", "logs_severity_text_metadata_key",
				"logs_severity_number_metadata_key", "logs_trace_flags_metadata_key", "logs_span_id_metadata_key",
				"logs_trace_id_metadata_key", "logs_attributes_metadata_key", "logs_instrumentation_scope_metadata_key",
				"logs_resource_metadata_key", "logs_span_id_message_key", "logs_trace_id_message_key",
				"logs_severity_text_message_key", "logs_severity_number_message_key")) {
			if (context.property(k) != null) {
				this.log.warn("option '{}' is not supported yet and is ignored", k);
			}
		}
		this.timeout = (c.responseTimeout == null || c.responseTimeout.isZero() || c.responseTimeout.isNegative())
				? Duration.ofSeconds(60) : c.responseTimeout;
		Duration connectTimeout = Duration.ofSeconds(10);
		String ct = context.property("net.connect_timeout");
		if (ct != null) {
			connectTimeout = Duration.ofSeconds(Math.max(1, Long.parseLong(ct.strip())));
		}
		boolean useGrpc = c.grpc != null && (ConfigValues.parseBool(c.grpc) || c.grpc.equalsIgnoreCase("force"));
		if (useGrpc) {
			SslContext ssl = null;
			if (c.tls) {
				SslContextBuilder sb = SslContextBuilder.forClient()
					.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
							ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
							ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
				if (!c.tlsVerify) {
					sb.trustManager(InsecureTrustManagerFactory.INSTANCE);
				}
				else if (c.tlsCaFile != null) {
					sb.trustManager(new java.io.File(c.tlsCaFile));
				}
				if (c.tlsCrtFile != null && c.tlsKeyFile != null) {
					sb.keyManager(new java.io.File(c.tlsCrtFile), new java.io.File(c.tlsKeyFile));
				}
				ssl = sb.build();
			}
			this.grpc = new GrpcClient(host, port, ssl, connectTimeout);
		}
		else {
			boolean h2 = c.http2 != null && (c.http2.equalsIgnoreCase("force") || ConfigValues.parseBool(c.http2));
			HttpClient.Builder b = HttpClient.newBuilder()
				.version(h2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
				.followRedirects(HttpClient.Redirect.NEVER)
				.connectTimeout(connectTimeout);
			if (c.proxy != null && !c.proxy.isEmpty()) {
				URI p = URI.create(c.proxy.contains("://") ? c.proxy : "http://" + c.proxy);
				b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), (p.getPort() > 0) ? p.getPort() : 80)));
			}
			if (c.tls) {
				b.sslContext(sslContext(c));
				if (c.tlsVhost != null && !c.tlsVhost.isEmpty()) {
					SSLParameters params = new SSLParameters();
					params.setServerNames(List.of(new javax.net.ssl.SNIHostName(c.tlsVhost)));
					b.sslParameters(params);
				}
			}
			this.http = b.build();
		}
		String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
		this.base = (c.tls ? "https" : "http") + "://" + hostPart + ":" + port;
	}

	private static SSLContext sslContext(OpenTelemetryOutputConfig c) throws Exception {
		if (c.tlsVerify) {
			return TlsSupport.client(new TlsSupport.Options(true, c.tlsCaFile, c.tlsCaPath, c.tlsCrtFile, c.tlsKeyFile,
					c.tlsVhost, c.tlsVerifyHostname, c.tlsMinVersion, c.tlsMaxVersion));
		}
		SSLContext ctx = SSLContext.getInstance("TLS");
		ctx.init(null, new javax.net.ssl.TrustManager[] { new X509TrustManager() {
			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		} }, null);
		return ctx;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		List<Message> requests = new ArrayList<>();
		try {
			switch (chunk.eventType()) {
				case 0 -> requests.addAll(Otlp.eventsToLogs(chunk.events(), this.config.logsMetadataKey, this.bodyKeys,
						this.config.batchSize));
				case 1 -> {
					for (byte[] p : Otlp.payloads(chunk.events())) {
						requests.add(withLabels(ExportMetricsServiceRequest.parseFrom(p)));
					}
				}
				case 2 -> {
					for (byte[] p : Otlp.payloads(chunk.events())) {
						requests.add(ExportTraceServiceRequest.parseFrom(p));
					}
				}
				default -> {
					this.log.error("unsupported event type {}: dropping chunk '{}'", chunk.eventType(), chunk.name());
					return FlushResult.ERROR;
				}
			}
		}
		catch (EventFormatException | InvalidProtocolBufferException ex) {
			this.log.error("cannot read chunk '{}' (tag '{}'): {}; dropping it", chunk.name(), chunk.tag(), ex.getMessage());
			return FlushResult.ERROR;
		}
		FlushResult result = FlushResult.OK;
		for (Message m : requests) {
			FlushResult r = send(chunk.eventType(), m);
			if (r == FlushResult.RETRY) {
				// what was sent before is sent again on the retry: at least once
				return FlushResult.RETRY;
			}
			if (r == FlushResult.ERROR) {
				result = FlushResult.ERROR;
			}
		}
		return result;
	}

	/** The request with {@code add_label} labels added to every data point. */
	private ExportMetricsServiceRequest withLabels(ExportMetricsServiceRequest req) {
		if (this.labels.isEmpty()) {
			return req;
		}
		ExportMetricsServiceRequest.Builder b = req.toBuilder();
		for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
			for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
				for (Metric.Builder m : sm.getMetricsBuilderList()) {
					switch (m.getDataCase()) {
						case GAUGE -> m.getGaugeBuilder().getDataPointsBuilderList().forEach((d) -> d.addAllAttributes(this.labels));
						case SUM -> m.getSumBuilder().getDataPointsBuilderList().forEach((d) -> d.addAllAttributes(this.labels));
						case HISTOGRAM -> m.getHistogramBuilder().getDataPointsBuilderList().forEach((d) -> d.addAllAttributes(this.labels));
						case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramBuilder().getDataPointsBuilderList()
							.forEach((d) -> d.addAllAttributes(this.labels));
						case SUMMARY -> m.getSummaryBuilder().getDataPointsBuilderList().forEach((d) -> d.addAllAttributes(this.labels));
						default -> {
						}
					}
				}
			}
		}
		return b.build();
	}

	private FlushResult send(int type, Message m) {
		if (this.grpc != null) {
			return sendGrpc(type, m);
		}
		String uri = switch (type) {
			case 1 -> this.config.metricsUri;
			case 2 -> this.config.tracesUri;
			default -> this.config.logsUri;
		};
		byte[] body = this.json ? Otlp.toJson(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
		HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(this.base + uri))
			.timeout(this.timeout)
			.header("Content-Type", this.json ? "application/json" : "application/x-protobuf")
			.header("User-Agent", "Fluent-Bit");
		if (this.gzip) {
			body = gzip(body);
			rb.header("Content-Encoding", "gzip");
		}
		if (this.authorization != null) {
			rb.header("Authorization", this.authorization);
		}
		for (String[] h : this.headers) {
			rb.header(h[0], h[1]);
		}
		rb.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		HttpResponse<String> res;
		try {
			res = this.http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			this.log.error("could not send to {}{}: {}", this.base, uri, ex.toString());
			return FlushResult.RETRY;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return FlushResult.RETRY;
		}
		int s = res.statusCode();
		if (s >= 200 && s < 300) {
			if (this.config.logResponsePayload && !res.body().isEmpty()) {
				this.log.debug("{}{}, HTTP status={}\n{}", this.config.host, uri, s, res.body());
			}
			return FlushResult.OK;
		}
		this.log.error("{}:{}{}, HTTP status={}{}", this.config.host, this.config.port, uri, s,
				(this.config.logResponsePayload && !res.body().isEmpty()) ? "\n" + res.body() : "");
		return (s == 408 || s == 429 || s >= 500) ? FlushResult.RETRY : FlushResult.ERROR;
	}

	private FlushResult sendGrpc(int type, Message m) {
		String path = switch (type) {
			case 1 -> this.config.grpcMetricsUri;
			case 2 -> this.config.grpcTracesUri;
			default -> this.config.grpcLogsUri;
		};
		List<String[]> h = new ArrayList<>(this.headers);
		if (this.authorization != null) {
			h.add(new String[] { "authorization", this.authorization });
		}
		GrpcClient.Result r;
		try {
			r = this.grpc.call(path, m.toByteArray(), this.gzip, h, this.timeout);
		}
		catch (IOException ex) {
			this.log.error("could not send to {}{}: {}", this.base, path, ex.getMessage());
			return FlushResult.RETRY;
		}
		if (r.grpcStatus() == 0) {
			return FlushResult.OK;
		}
		this.log.error("{}{}: HTTP status={}, grpc-status={}{}", this.base, path, r.httpStatus(), r.grpcStatus(),
				(r.message() != null) ? ", grpc-message=" + r.message() : "");
		if (r.grpcStatus() < 0) {
			return (r.httpStatus() == 429 || r.httpStatus() >= 500) ? FlushResult.RETRY : FlushResult.ERROR;
		}
		return switch (r.grpcStatus()) {
			case 1, 4, 8, 10, 14 -> FlushResult.RETRY;
			default -> FlushResult.ERROR;
		};
	}

	private static byte[] gzip(byte[] b) {
		ByteArrayOutputStream bo = new ByteArrayOutputStream(b.length / 2 + 32);
		try (GZIPOutputStream z = new GZIPOutputStream(bo)) {
			z.write(b);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bo.toByteArray();
	}

	@Override
	public void exit() {
		if (this.http != null) {
			this.http.close();
		}
		if (this.grpc != null) {
			this.grpc.close();
		}
	}
}
