package dev.sluice.plugins.in.opentelemetry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import org.slf4j.Logger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.server.HttpServerSupport;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.otlp.Otlp;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Fluent Bit's {@code opentelemetry} input: an OTLP receiver for logs, metrics and traces.
 *
 * <ul>
 * <li>OTLP/HTTP: {@code POST /v1/logs}, {@code /v1/metrics}, {@code /v1/traces} with
 * {@code application/x-protobuf} or {@code application/json} bodies, optionally gzip
 * ({@code Content-Encoding}); HTTP/1.1 keep-alive and cleartext HTTP/2 (prior knowledge or
 * {@code Upgrade: h2c}), TLS with {@code tls on} (HTTP/2 by ALPN).</li>
 * <li>OTLP/gRPC on the same port (HTTP/2): {@code /opentelemetry.proto.collector.logs.v1.LogsService/Export}
 * and the metrics and trace services; length-prefixed messages, {@code grpc-encoding gzip}.</li>
 * <li>Logs become log events with group markers and {@code otlp} metadata (see {@link Otlp});
 * metrics and traces are appended as events of their own type holding the request's protobuf
 * bytes unchanged (JSON requests are converted to protobuf once).</li>
 * <li>The tag is {@code v1_logs}, {@code v1_metrics} or {@code v1_traces} with
 * {@code tag_from_uri on} (the default), else the input's tag; {@code tag_key} takes the tag of
 * a log record from the record.</li>
 * <li>A success is answered only after the data was appended; while the input is paused the
 * answer is 503 (gRPC {@code UNAVAILABLE}) so the exporter retries; a malformed body is 400
 * (gRPC {@code INVALID_ARGUMENT}) and logged.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "opentelemetry", description = "OpenTelemetry",
		config = OpenTelemetryInputConfig.class, network = true)
public final class OpenTelemetryInput implements InputPlugin<OpenTelemetryInputConfig> {

	static final int DEFAULT_PORT = 4318;

	/** The three signals, their OTLP/HTTP paths, gRPC paths and tags. */
	enum Signal {

		LOGS("/v1/logs", "/opentelemetry.proto.collector.logs.v1.LogsService/Export", "v1_logs"),
		METRICS("/v1/metrics", "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "v1_metrics"),
		TRACES("/v1/traces", "/opentelemetry.proto.collector.trace.v1.TraceService/Export", "v1_traces");

		final String httpPath;

		final String grpcPath;

		final String tag;

		Signal(String httpPath, String grpcPath, String tag) {
			this.httpPath = httpPath;
			this.grpcPath = grpcPath;
			this.tag = tag;
		}

		static Signal of(String path) {
			for (Signal s : values()) {
				if (s.httpPath.equals(path) || s.grpcPath.equals(path)) {
					return s;
				}
			}
			return null;
		}
	}

	private Logger log;

	private InputContext context;

	private OpenTelemetryInputConfig config;

	private HttpServerSupport server;

	private int successCode;

	private RecordAccessor tagKey;

	/** Requests refused as malformed (for tests and logs). */
	final LongAdder badRequests = new LongAdder();

	@Override
	public void init(OpenTelemetryInputConfig config, InputContext context) throws Exception {
		this.context = context;
		this.config = config;
		this.log = context.log();
		this.server = new HttpServerSupport(config, context);
		this.successCode = config.successfulResponseCode;
		if (this.successCode != 200 && this.successCode != 201 && this.successCode != 204) {
			this.log.error("{} is not supported response code. Use default 201", this.successCode);
			this.successCode = 201;
		}
		if (config.tagKey != null && !config.tagKey.isBlank()) {
			this.tagKey = RecordAccessor.parse(config.tagKey);
		}
		if (config.logsMetadataKey == null || config.logsMetadataKey.isEmpty()) {
			config.logsMetadataKey = "otlp";
		}
		this.server.tls(context, false);
		this.server.start(context, config.listen, config.port, DEFAULT_PORT, 128, this::serve);
	}

	/** The bound port. */
	public int port() {
		return this.server.port();
	}

	@Override
	public void collect(InputContext context) throws Exception {
		this.server.serveUntilStopped(context);
	}

	@Override
	public void exit() {
		if (this.server != null) {
			this.server.close();
		}
	}

	// ---- requests

	/** A request refused: HTTP status, gRPC status and message. */
	private static final class Refused extends Exception {

		final int http;

		final int grpc;

		Refused(int http, int grpc, String message) {
			super(message, null, false, false);
			this.http = http;
			this.grpc = grpc;
		}
	}

	private void serve(Channel ch, FullHttpRequest request, boolean keep) {
		String ct = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
		String type = (ct != null) ? ct.toLowerCase(Locale.ROOT) : "";
		boolean grpc = type.startsWith("application/grpc");
		boolean json = type.startsWith("application/json");
		String path = request.uri();
		int q = path.indexOf('?');
		if (q >= 0) {
			path = path.substring(0, q);
		}
		try {
			if (!request.method().equals(HttpMethod.POST)) {
				throw new Refused(400, 12, "error: invalid HTTP method");
			}
			Signal signal = Signal.of(path);
			if (signal == null) {
				throw new Refused(400, 12, "error: invalid endpoint " + path);
			}
			if (!grpc && !json && !type.startsWith("application/x-protobuf") && !type.startsWith("application/protobuf")) {
				throw new Refused(400, 3, "error: unsupported content type '" + ((ct != null) ? ct : "") + "'");
			}
			if (!this.context.isRunning() || this.context.isPaused()) {
				throw new Refused(503, 14, "error: input is paused, retry later");
			}
			byte[] body = ByteBufUtil.getBytes(request.content());
			if (grpc) {
				body = unframe(body, request.headers().get("grpc-encoding"));
			}
			else {
				body = decodeHttp(body, request.headers().get(HttpHeaderNames.CONTENT_ENCODING));
			}
			ingest(signal, body, json);
		}
		catch (Refused r) {
			if (r.http == 400) {
				this.badRequests.increment();
				this.log.warn("{} {}: {}", request.method(), path, r.getMessage());
			}
			if (grpc) {
				sendGrpc(ch, r.grpc, r.getMessage());
			}
			else {
				send(ch, keep, r.http, r.getMessage() + "\n", "text/plain");
			}
			return;
		}
		catch (IllegalStateException ex) {
			if (grpc) {
				sendGrpc(ch, 14, "input is stopping, retry later");
			}
			else {
				send(ch, keep, 503, "error: input is stopping, retry later\n", "text/plain");
			}
			return;
		}
		if (grpc) {
			sendGrpc(ch, 0, null);
		}
		else if (this.successCode == 204) {
			send(ch, keep, 204, null, null);
		}
		else if (json) {
			send(ch, keep, this.successCode, "{}", "application/json");
		}
		else {
			// an empty Export*ServiceResponse
			send(ch, keep, this.successCode, "", "application/x-protobuf");
		}
	}

	private void ingest(Signal signal, byte[] body, boolean json) throws Refused {
		Message msg;
		try {
			msg = parse(signal, body, json);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new Refused(400, 3, "error: invalid OTLP " + signal.name().toLowerCase(Locale.ROOT) + " payload ("
					+ (json ? "JSON" : "protobuf") + "): " + ex.getMessage());
		}
		String tag = this.config.tagFromUri ? signal.tag : this.context.tag();
		switch (signal) {
			case LOGS -> {
				List<Otlp.TaggedEvents> batches = Otlp.logsToEvents((ExportLogsServiceRequest) msg,
						this.config.logsMetadataKey, emptyToNull(this.config.logsBodyKey), this.tagKey, tag);
				for (Otlp.TaggedEvents b : batches) {
					this.context.append(b.tag(), b.events());
				}
			}
			case METRICS -> {
				if (((ExportMetricsServiceRequest) msg).getResourceMetricsCount() > 0) {
					this.context.append(tag, InputContext.METRICS, Otlp.payloadEvent(json ? msg.toByteArray() : body));
				}
			}
			case TRACES -> {
				if (((ExportTraceServiceRequest) msg).getResourceSpansCount() == 0) {
					return;
				}
				if (this.config.rawTraces) {
					EventEncoder enc = new EventEncoder();
					enc.append(EventTime.now(), java.util.Map.of("trace", Otlp.toJson(msg)));
					this.context.append(tag, EventBytes.of(enc));
				}
				else {
					this.context.append(tag, InputContext.TRACES, Otlp.payloadEvent(json ? msg.toByteArray() : body));
				}
			}
		}
	}

	private static String emptyToNull(String s) {
		return (s == null || s.isEmpty()) ? null : s;
	}

	static Message parse(Signal signal, byte[] body, boolean json) throws InvalidProtocolBufferException {
		if (json) {
			Message.Builder b = switch (signal) {
				case LOGS -> ExportLogsServiceRequest.newBuilder();
				case METRICS -> ExportMetricsServiceRequest.newBuilder();
				case TRACES -> ExportTraceServiceRequest.newBuilder();
			};
			Otlp.mergeJson(new String(body, StandardCharsets.UTF_8), b);
			return b.build();
		}
		return switch (signal) {
			case LOGS -> ExportLogsServiceRequest.parseFrom(body);
			case METRICS -> ExportMetricsServiceRequest.parseFrom(body);
			case TRACES -> ExportTraceServiceRequest.parseFrom(body);
		};
	}

	/** The message of a gRPC request body: one length-prefixed message, maybe gzip'd. */
	private byte[] unframe(byte[] body, String encoding) throws Refused {
		if (body.length < 5) {
			throw new Refused(400, 3, "error: truncated gRPC message (" + body.length + " bytes)");
		}
		boolean compressed = body[0] != 0;
		long len = ((body[1] & 0xffL) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
		if (len != body.length - 5) {
			throw new Refused(400, 3, "error: gRPC message length " + len + " does not match the body (" + (body.length - 5)
					+ " bytes)");
		}
		byte[] msg = java.util.Arrays.copyOfRange(body, 5, body.length);
		if (!compressed) {
			return msg;
		}
		if (encoding == null || !encoding.equalsIgnoreCase("gzip")) {
			throw new Refused(400, 12, "error: unsupported grpc-encoding '" + encoding + "'");
		}
		return inflate(new ByteArrayInputStream(msg), true);
	}

	private byte[] decodeHttp(byte[] body, String encoding) throws Refused {
		if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
			return body;
		}
		if (encoding.equalsIgnoreCase("gzip")) {
			return inflate(new ByteArrayInputStream(body), true);
		}
		if (encoding.equalsIgnoreCase("deflate")) {
			return inflate(new ByteArrayInputStream(body), false);
		}
		throw new Refused(400, 12, "error: unsupported content encoding '" + encoding + "'");
	}

	private byte[] inflate(InputStream raw, boolean gzip) throws Refused {
		try (InputStream in = gzip ? new GZIPInputStream(raw) : new InflaterInputStream(raw)) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buf = new byte[16384];
			int n;
			while ((n = in.read(buf)) > 0) {
				out.write(buf, 0, n);
				if (out.size() > this.server.maxBody()) {
					throw new Refused(413, 8, "error: payload too large once decompressed (buffer_max_size "
							+ this.server.maxBody() + ")");
				}
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new Refused(400, 3, "error: could not decompress the payload: " + ex.getMessage());
		}
	}

	private void send(Channel ch, boolean keep, int status, String body, String contentType) {
		byte[] b = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
				Unpooled.wrappedBuffer(b));
		if (contentType != null && b.length > 0) {
			r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
		}
		if (status != 204) {
			r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
		}
		HttpServerSupport.write(ch, r, keep);
	}

	/** A gRPC answer: an empty response message on success, trailers with the status. */
	private void sendGrpc(Channel ch, int status, String message) {
		byte[] b = (status == 0) ? new byte[5] : new byte[0];
		FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(b));
		r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
		r.trailingHeaders().set("grpc-status", Integer.toString(status));
		if (message != null) {
			r.trailingHeaders().set("grpc-message", message.replace("%", "%25").replace("\n", "%0A"));
		}
		ch.writeAndFlush(r);
	}
}
