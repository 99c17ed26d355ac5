package dev.sluice.plugins.in.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;

import dev.sluice.config.ConfigValues;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
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

/**
 * Fluent Bit's {@code http} input: an HTTP server (HTTP/1.1 with keep-alive, and HTTP/2 in clear
 * text by prior knowledge or {@code Upgrade: h2c}, or over TLS by ALPN) that turns POSTed JSON or
 * form bodies into records.
 *
 * <ul>
 * <li>The tag is the URL path without its leading {@code /} (characters other than letters,
 * digits, {@code _} and {@code .} become {@code _}); {@code /} uses the input's tag.
 * {@code tag_key} takes it from a record field instead (a record accessor; strings only).</li>
 * <li>{@code Content-Type} {@code application/json} (object, array of objects, or several
 * objects such as NDJSON) or {@code application/x-www-form-urlencoded}; {@code Content-Encoding}
 * gzip or deflate.</li>
 * <li>Errors are {@code 400} with Fluent Bit's plain-text bodies; a body over
 * {@code buffer_max_size} (also once decompressed) is {@code 413}.</li>
 * <li>While the instance is paused or stopped nothing is appended and the answer is
 * {@code 503}, so the client retries; a {@code 2xx} is sent only after the records were
 * appended.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "http", description = "HTTP", config = HttpInputConfig.class, network = true)
public final class HttpInput implements InputPlugin<HttpInputConfig> {

	static final int DEFAULT_PORT = 9880;

	private static final AttributeKey<CompletableFuture<Void>> TAIL = AttributeKey.valueOf("sluice.http.tail");

	private static final DateTimeFormatter HEALTH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private Logger log;

	private InputContext context;

	private EventLoopGroup boss;

	private EventLoopGroup workers;

	private Channel server;

	private String address;

	private ExecutorService executor;

	private long maxBody;

	private int chunkSize;

	private boolean http2;

	private boolean keepAlive;

	private Duration idleTimeout;

	private long maxConnections;

	private final AtomicInteger connections = new AtomicInteger();

	private int successCode;

	private List<String[]> successHeaders;

	private boolean health;

	private HttpPayload.Options options;

	private boolean addRemoteAddr;

	private javax.net.ssl.SSLContext tls;

	private String[] tlsProtocols;

	private boolean tlsNeedClientAuth;

	private static boolean bool(InputContext context, String key, boolean def) {
		String v = context.property(key);
		return (v != null) ? ConfigValues.parseBool(v) : def;
	}

	private static boolean set(InputContext context, String key) {
		return context.property(key) != null;
	}

	@Override
	public void init(HttpInputConfig config, InputContext context) throws Exception {
		this.context = context;
		this.log = context.log();
		// the http_server.* names win over their compatibility aliases when both are set
		this.http2 = set(context, "http_server.http2") ? config.serverHttp2 : (set(context, "http2") ? config.http2 : true);
		this.maxBody = set(context, "http_server.buffer_max_size") ? config.serverBufferMaxSize
				: config.bufferMaxSize;
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
			throw new IllegalArgumentException(
					"invalid successful_response_code " + this.successCode + ": 200, 201 and 204 are supported");
		}
		this.successHeaders = new ArrayList<>();
		if (config.successHeader != null) {
			for (List<String> h : config.successHeader) {
				if (h.size() < 2) {
					throw new IllegalArgumentException("success_header needs 'Name Value', got '" + String.join(" ", h) + "'");
				}
				this.successHeaders.add(new String[] { h.get(0), h.get(h.size() - 1) });
			}
		}
		this.health = config.enableHealthEndpoint;
		RecordAccessor ra = null;
		if (config.tagKey != null && !config.tagKey.isBlank()) {
			ra = RecordAccessor.parse(config.tagKey);
		}
		this.addRemoteAddr = config.addRemoteAddr && config.remoteAddrKey != null && !config.remoteAddrKey.isEmpty();
		this.options = new HttpPayload.Options(ra, config.remoteAddrKey);
		if (bool(context, "tls", false)) {
			TlsSupport.Options o = new TlsSupport.Options(bool(context, "tls.verify", true), context.property("tls.ca_file"),
					context.property("tls.ca_path"), context.property("tls.crt_file"), context.property("tls.key_file"),
					null, false, context.property("tls.min_version"), context.property("tls.max_version"));
			boolean verifyClient = bool(context, "tls.verify_client_cert", false);
			this.tls = TlsSupport.server(o, verifyClient);
			this.tlsProtocols = TlsSupport.protocols(o);
			this.tlsNeedClientAuth = verifyClient;
		}

		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		String listen = (config.listen != null && !config.listen.isEmpty()) ? config.listen : "0.0.0.0";
		this.address = listen + ":" + port;
		int backlog = 128;
		String b = context.property("net.backlog");
		if (b != null) {
			backlog = Integer.parseInt(b.strip());
		}
		this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(context.name() + "-req-", 0).factory());
		this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.workers = new MultiThreadIoEventLoopGroup(Math.max(1, nWorkers), NioIoHandler.newFactory());
		ServerBootstrap sb = new ServerBootstrap().group(this.boss, this.workers)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, backlog)
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
			throw new IOException("could not bind address " + this.address + ": " + message(ex), ex);
		}
		this.log.info("listening on {}", this.address);
	}

	private static String message(Throwable ex) {
		if (ex instanceof BindException) {
			return "address already in use or not available (" + ex.getMessage() + ")";
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
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

	// ---- pipeline

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
			engine.setNeedClientAuth(this.tlsNeedClientAuth);
			if (this.http2) {
				SSLParameters params = engine.getSSLParameters();
				params.setApplicationProtocols(new String[] { ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1 });
				engine.setSSLParameters(params);
			}
			p.addLast(new SslHandler(engine));
			if (this.http2) {
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
			http1(p);
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

	/** A frame codec and a multiplexer whose streams each see aggregated HTTP requests. */
	private ChannelHandler[] http2Handlers() {
		ChannelInitializer<Http2StreamChannel> stream = new ChannelInitializer<>() {
			@Override
			protected void initChannel(Http2StreamChannel c) {
				c.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
				c.pipeline().addLast(new HttpObjectAggregator((int) HttpInput.this.maxBody));
				c.pipeline().addLast(new RequestHandler());
			}
		};
		return new ChannelHandler[] { Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(stream, stream) };
	}

	/** Hands each request to a virtual thread, in order per connection (or stream). */
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
					HttpInput.this.log.error("could not handle a request: {}", ex.toString());
					ch.close();
				}
				finally {
					request.release();
				}
			}, HttpInput.this.executor);
			ch.attr(TAIL).set(next);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			HttpInput.this.log.debug("connection error: {}", cause.toString());
			ctx.close();
		}
	}

	// ---- requests

	private void serve(Channel ch, FullHttpRequest request) {
		boolean h2 = ch instanceof Http2StreamChannel;
		boolean keep = !h2 && this.keepAlive && HttpUtil.isKeepAlive(request);
		String uri = request.uri();
		if (uri.isEmpty() || uri.charAt(0) != '/') {
			send(ch, keep, 400, "error: invalid request\n");
			return;
		}
		String tag = HttpPayload.tagFromPath(uri);
		if (tag == null) {
			tag = this.context.tag();
		}
		if (!h2 && request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains(HttpHeaderNames.HOST)) {
			send(ch, keep, 400, "error: missing host header\n");
			return;
		}
		if (this.health && request.method().equals(HttpMethod.GET) && pathOf(uri).equals("/health")) {
			String msg = "{\n  \"status\": \"ok\",\n  \"message\": \"I can only show you the door. You're the one that has to walk through it.\",\n  \"timestamp\": \""
					+ HEALTH_TIME.format(Instant.now()) + "\"\n}\n";
			send(ch, keep, 200, msg, true);
			return;
		}
		if (!request.method().equals(HttpMethod.POST)) {
			send(ch, keep, 400, "error: invalid HTTP method\n");
			return;
		}
		if (!this.context.isRunning() || this.context.isPaused()) {
			send(ch, keep, 503, "error: input is paused, retry later\n");
			return;
		}
		String ct = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
		if (ct == null) {
			send(ch, keep, 400, "error: header 'Content-Type' is not set\n");
			return;
		}
		HttpPayload.Type type = HttpPayload.contentType(ct);
		if (type == null) {
			send(ch, keep, 400, "error: invalid 'Content-Type'\n");
			return;
		}
		if (request.content().readableBytes() == 0) {
			send(ch, keep, 400, "error: no payload found\n");
			return;
		}
		byte[] body = ByteBufUtil.getBytes(request.content());
		List<HttpPayload.Batch> batches;
		try {
			body = HttpPayload.decode(request.headers().get(HttpHeaderNames.CONTENT_ENCODING), body, this.maxBody);
			String remote = this.addRemoteAddr ? forwardedFor(request.headers().get("X-Forwarded-For")) : null;
			batches = HttpPayload.records(type, body, tag, remote, this.options, EventTime.now());
		}
		catch (HttpPayload.TooLarge ex) {
			send(ch, false, 413, null);
			return;
		}
		catch (HttpPayload.BadRequest ex) {
			send(ch, keep, 400, ex.getMessage());
			return;
		}
		try {
			for (HttpPayload.Batch batch : batches) {
				if (batch.events().records() > 0) {
					this.context.append(batch.tag(), EventBytes.of(batch.events()));
				}
			}
		}
		catch (IllegalStateException ex) {
			send(ch, keep, 503, "error: input is stopping, retry later\n");
			return;
		}
		send(ch, keep, this.successCode, null);
	}

	private static String pathOf(String uri) {
		int q = uri.indexOf('?');
		return (q >= 0) ? uri.substring(0, q) : uri;
	}

	/** The first address of {@code X-Forwarded-For}, as Fluent Bit takes {@code REMOTE_ADDR}. */
	static String forwardedFor(String header) {
		if (header == null) {
			return null;
		}
		int comma = header.indexOf(',');
		String v = ((comma >= 0) ? header.substring(0, comma) : header).strip();
		return v.isEmpty() ? null : v;
	}

	private void send(Channel ch, boolean keep, int status, String body) {
		send(ch, keep, status, body, false);
	}

	private void send(Channel ch, boolean keep, int status, String body, boolean json) {
		byte[] b = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		HttpResponseStatus s = switch (status) {
			case 200 -> HttpResponseStatus.OK;
			case 201 -> HttpResponseStatus.CREATED;
			case 204 -> HttpResponseStatus.NO_CONTENT;
			case 400 -> HttpResponseStatus.BAD_REQUEST;
			case 413 -> new HttpResponseStatus(413, "Payload Too Large");
			case 503 -> HttpResponseStatus.SERVICE_UNAVAILABLE;
			default -> HttpResponseStatus.valueOf(status);
		};
		FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, Unpooled.wrappedBuffer(b));
		if (status >= 200 && status <= 204) {
			for (String[] h : this.successHeaders) {
				r.headers().add(h[0], h[1]);
			}
		}
		if (json) {
			r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
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

	/** For tests: the instance's context as given to {@code init}. */
	InputContext context() {
		return this.context;
	}

}
