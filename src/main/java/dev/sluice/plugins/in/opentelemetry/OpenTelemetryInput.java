package dev.sluice.plugins.in.opentelemetry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import dev.sluice.config.ConfigValues;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.otlp.Otlp;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
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

	private static final AttributeKey<CompletableFuture<Void>> TAIL = AttributeKey.valueOf("sluice.otel.tail");

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

	private EventLoopGroup boss;

	private EventLoopGroup workers;

	private Channel server;

	private ExecutorService executor;

	private long maxBody;

	private int chunkSize;

	private boolean http2;

	private boolean keepAlive;

	private Duration idleTimeout;

	private long maxConnections;

	private final AtomicInteger connections = new AtomicInteger();

	private int successCode;

	private RecordAccessor tagKey;

	private javax.net.ssl.SSLContext tls;

	private String[] tlsProtocols;

	/** Requests refused as malformed (for tests and logs). */
	final LongAdder badRequests = new LongAdder();

	private static boolean bool(InputContext context, String key, boolean def) {
		String v = context.property(key);
		return (v != null) ? ConfigValues.parseBool(v) : def;
	}

	private static boolean set(InputContext context, String key) {
		return context.property(key) != null;
	}

	@Override
	public void init(OpenTelemetryInputConfig config, InputContext context) throws Exception {
		this.context = context;
		this.config = config;
		this.log = context.log();
		this.http2 = set(context, "http_server.http2") ? config.serverHttp2 : (set(context, "http2") ? config.http2 : true);
		this.maxBody = set(context, "http_server.buffer_max_size") ? config.serverBufferMaxSize : config.bufferMaxSize;
		long chunk = set(context, "http_server.buffer_chunk_size") ? config.serverBufferChunkSize : config.bufferChunkSize;
		this.maxConnections = set(context, "http_server.max_connections") ? config.serverMaxConnections
				: config.maxConnections;
		int nWorkers = set(context, "http_server.workers") ? config.serverWorkers : config.workers;
		if (this.maxBody <= 0 || chunk <= 0) {
			throw new IllegalArgumentException("buffer_max_size and buffer_chunk_size must be greater than 0");
		}
		if (this.maxBody > Integer.MAX_VALUE - 1024) {
			throw new IllegalArgumentException("buffer_max_size must be below 2G");
		}
		this.chunkSize = (int) Math.max(1024, Math.min(chunk, this.maxBody));
		this.idleTimeout = (config.serverIdleTimeout != null) ? config.serverIdleTimeout : Duration.ZERO;
		this.keepAlive = bool(context, "net.keepalive", true);
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
		if (bool(context, "tls", false)) {
			TlsSupport.Options o = new TlsSupport.Options(bool(context, "tls.verify", true), context.property("tls.ca_file"),
					context.property("tls.ca_path"), context.property("tls.crt_file"), context.property("tls.key_file"),
					null, false, context.property("tls.min_version"), context.property("tls.max_version"));
			this.tls = TlsSupport.server(o, false);
			this.tlsProtocols = TlsSupport.protocols(o);
		}
		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		String listen = (config.listen != null && !config.listen.isEmpty()) ? config.listen : "0.0.0.0";
		String address = listen + ":" + port;
		this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(context.name() + "-req-", 0).factory());
		this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.workers = new MultiThreadIoEventLoopGroup(Math.max(1, nWorkers), NioIoHandler.newFactory());
		ServerBootstrap sb = new ServerBootstrap().group(this.boss, this.workers)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 128)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					setUp(ch);
				}
			});
		try {
			this.server = sb.bind(new InetSocketAddress(listen, port)).sync().channel();
		}
		catch (Exception ex) {
			shutdown();
			String why = (ex instanceof BindException) ? "address already in use or not available (" + ex.getMessage() + ")"
					: String.valueOf(ex.getMessage());
			throw new IOException("could not bind address " + address + ": " + why, ex);
		}
		this.log.info("listening on {}", address);
	}

	/** The bound port. */
	public int port() {
		return ((InetSocketAddress) this.server.localAddress()).getPort();
	}

	@Override
	public void collect(InputContext context) throws Exception {
		try {
			while (context.isRunning() && this.server.isOpen()) {
				if (!context.sleep(Duration.ofMillis(200))) {
					break;
				}
			}
		}
		finally {
			shutdown();
		}
	}

	@Override
	public void exit() {
		shutdown();
	}

	private synchronized void shutdown() {
		if (this.server != null) {
			this.server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
		if (this.boss != null) {
			this.boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
		}
		if (this.workers != null) {
			this.workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

	// ---- pipeline (as the http input's)

	private void setUp(SocketChannel ch) {
		if (this.maxConnections > 0 && this.connections.get() >= this.maxConnections) {
			ch.close();
			return;
		}
		this.connections.incrementAndGet();
		ch.closeFuture().addListener((f) -> this.connections.decrementAndGet());
		ChannelPipeline p = ch.pipeline();
		if (!this.idleTimeout.isZero()) {
			p.addLast(new IdleStateHandler(0, 0, this.idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
			p.addLast(new ChannelInboundHandlerAdapter() {
				@Override
				public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
					if (evt instanceof IdleStateEvent) {
						ctx.close();
					}
					else {
						super.userEventTriggered(ctx, evt);
					}
				}
			});
		}
		if (this.tls != null) {
			SSLEngine engine = this.tls.createSSLEngine();
			engine.setUseClientMode(false);
			if (this.tlsProtocols != null) {
				engine.setEnabledProtocols(this.tlsProtocols);
			}
			if (this.http2) {
				SSLParameters params = engine.getSSLParameters();
				params.setApplicationProtocols(new String[] { ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1 });
				engine.setSSLParameters(params);
			}
			p.addLast(new SslHandler(engine));
			if (!this.http2) {
				http1(p);
				return;
			}
			p.addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
				@Override
				protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
					// Netty reads ALPN only from its own engines: ask the JDK engine itself
					String chosen = engine.getApplicationProtocol();
					if (ApplicationProtocolNames.HTTP_2.equals(chosen) || ApplicationProtocolNames.HTTP_2.equals(protocol)) {
						ctx.pipeline().addLast(http2Handlers());
					}
					else {
						http1(ctx.pipeline());
					}
				}
			});
			return;
		}
		if (!this.http2) {
			http1(p);
			return;
		}
		HttpServerCodec source = new HttpServerCodec(4096, 16384, this.chunkSize);
		HttpServerUpgradeHandler.UpgradeCodecFactory factory = (protocol) -> {
			if (AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)) {
				ChannelHandler[] h2 = http2Handlers();
				return new Http2ServerUpgradeCodec((io.netty.handler.codec.http2.Http2FrameCodec) h2[0], h2[1]);
			}
			return null;
		};
		HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(source, factory, (int) this.maxBody);
		p.addLast(new CleartextHttp2ServerUpgradeHandler(source, upgrade, new ChannelInitializer<Channel>() {
			@Override
			protected void initChannel(Channel c) {
				c.pipeline().addLast(http2Handlers());
			}
		}));
		p.addLast(new HttpObjectAggregator((int) this.maxBody));
		p.addLast(new RequestHandler());
	}

	private void http1(ChannelPipeline p) {
		p.addLast(new HttpServerCodec(4096, 16384, this.chunkSize));
		p.addLast(new HttpObjectAggregator((int) this.maxBody));
		p.addLast(new RequestHandler());
	}

	private ChannelHandler[] http2Handlers() {
		ChannelInitializer<Http2StreamChannel> stream = new ChannelInitializer<>() {
			@Override
			protected void initChannel(Http2StreamChannel c) {
				c.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
				c.pipeline().addLast(new HttpObjectAggregator((int) OpenTelemetryInput.this.maxBody));
				c.pipeline().addLast(new RequestHandler());
			}
		};
		return new ChannelHandler[] { Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(stream, stream) };
	}

	private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

		RequestHandler() {
			super(false);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			Channel ch = ctx.channel();
			CompletableFuture<Void> tail = ch.attr(TAIL).get();
			if (tail == null) {
				tail = CompletableFuture.completedFuture(null);
			}
			CompletableFuture<Void> next = tail.thenRunAsync(() -> {
				try {
					serve(ch, request);
				}
				catch (Throwable ex) {
					OpenTelemetryInput.this.log.error("could not handle a request: {}", ex.toString());
					ch.close();
				}
				finally {
					request.release();
				}
			}, OpenTelemetryInput.this.executor);
			ch.attr(TAIL).set(next);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			OpenTelemetryInput.this.log.debug("connection error: {}", cause.toString());
			ctx.close();
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

	private void serve(Channel ch, FullHttpRequest request) {
		boolean h2 = ch instanceof Http2StreamChannel;
		boolean keep = !h2 && this.keepAlive && HttpUtil.isKeepAlive(request);
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
				if (out.size() > this.maxBody) {
					throw new Refused(413, 8, "error: payload too large once decompressed (buffer_max_size "
							+ this.maxBody + ")");
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
		boolean h2 = ch instanceof Http2StreamChannel;
		if (!h2) {
			r.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
		}
		var f = ch.writeAndFlush(r);
		if (!h2 && !keep) {
			f.addListener(ChannelFutureListener.CLOSE);
		}
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
