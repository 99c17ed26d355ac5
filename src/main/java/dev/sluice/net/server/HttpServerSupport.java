package dev.sluice.net.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;

import dev.sluice.config.ConfigValues;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.InputContext;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
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
 * The HTTP server of the HTTP-server inputs ({@code http}, {@code opentelemetry}): Netty with
 * HTTP/1.1 keep-alive, HTTP/2 in clear text (prior knowledge or {@code Upgrade: h2c}) or over TLS
 * by ALPN, {@code http_server.max_connections}, {@code http_server.idle_timeout}, and the
 * {@code http_server.*} options over their compatibility aliases ({@link HttpServerConfig}).
 *
 * <p>Use: construct in the input's {@code init} (resolves and checks the options), optionally
 * {@link #tls(InputContext, boolean)}, then {@link #start}; each aggregated request goes to the
 * {@link Handler} on a virtual thread, in order per connection (or HTTP/2 stream), or on the event
 * loop itself ({@link #serveOnEventLoop}). The input's {@code collect} calls
 * {@link #serveUntilStopped}, its {@code exit} {@link #close()}.
 */
public final class HttpServerSupport implements AutoCloseable {

	/** Serves one request; may block. The request is released after it returns. */
	@FunctionalInterface
	public interface Handler {

		/**
		 * @param ch the connection (HTTP/1.1) or stream (HTTP/2) to answer on
		 * @param request the whole request
		 * @param keepAlive whether an HTTP/1.1 connection stays open after the answer
		 */
		void serve(Channel ch, FullHttpRequest request, boolean keepAlive) throws Exception;
	}

	private static final AttributeKey<CompletableFuture<Void>> TAIL = AttributeKey.valueOf("sluice.http.server.tail");

	private final Logger log;

	private final long maxBody;

	private final int chunkSize;

	private final boolean http2;

	private final boolean keepAlive;

	private final Duration idleTimeout;

	private final long maxConnections;

	private final int workerThreads;

	private final AtomicInteger connections = new AtomicInteger();

	private SSLContext tls;

	private String[] tlsProtocols;

	private boolean tlsNeedClientAuth;

	private Handler handler;

	/** Whether requests are served on the connection's event loop instead of a virtual thread. */
	private boolean onEventLoop;

	private ExecutorService executor;

	private EventLoopGroup boss;

	private EventLoopGroup workers;

	private Channel server;

	/** Resolves the options (the {@code http_server.*} names win over their aliases when both are set). */
	public HttpServerSupport(HttpServerConfig config, InputContext context) {
		this.log = context.log();
		this.http2 = set(context, "http_server.http2") ? config.serverHttp2 : (set(context, "http2") ? config.http2 : true);
		this.maxBody = set(context, "http_server.buffer_max_size") ? config.serverBufferMaxSize : config.bufferMaxSize;
		long chunk = set(context, "http_server.buffer_chunk_size") ? config.serverBufferChunkSize : config.bufferChunkSize;
		this.maxConnections = set(context, "http_server.max_connections") ? config.serverMaxConnections
				: config.maxConnections;
		this.workerThreads = set(context, "http_server.workers") ? config.serverWorkers : config.workers;
		if (this.maxBody <= 0 || chunk <= 0) {
			throw new IllegalArgumentException("buffer_max_size and buffer_chunk_size must be greater than 0");
		}
		if (this.maxBody > Integer.MAX_VALUE - 1024) {
			throw new IllegalArgumentException("buffer_max_size must be below 2G");
		}
		this.chunkSize = (int) Math.max(1024, Math.min(chunk, this.maxBody));
		this.idleTimeout = (config.serverIdleTimeout != null) ? config.serverIdleTimeout : Duration.ZERO;
		this.keepAlive = bool(context, "net.keepalive", true);
	}

	static boolean bool(InputContext context, String key, boolean def) {
		String v = context.property(key);
		return (v != null) ? ConfigValues.parseBool(v) : def;
	}

	private static boolean set(InputContext context, String key) {
		return context.property(key) != null;
	}

	/**
	 * Serves each request on its connection's event loop thread, as Fluent Bit does, instead of
	 * handing it to a virtual thread: no thread switch per request, for handlers that do not block
	 * for long (they parse and append). Call before {@link #start}.
	 */
	public void serveOnEventLoop(boolean on) {
		this.onEventLoop = on;
	}

	/** The largest request body (also once decompressed) in bytes. */
	public long maxBody() {
		return this.maxBody;
	}

	/**
	 * Serves TLS when the instance has {@code tls on} ({@code tls.*} properties); with
	 * {@code clientCerts}, {@code tls.verify_client_cert on} requires a client certificate.
	 */
	public void tls(InputContext context, boolean clientCerts) throws Exception {
		if (!bool(context, "tls", false)) {
			return;
		}
		TlsSupport.Options o = new TlsSupport.Options(bool(context, "tls.verify", true), context.property("tls.ca_file"),
				context.property("tls.ca_path"), context.property("tls.crt_file"), context.property("tls.key_file"), null,
				false, context.property("tls.min_version"), context.property("tls.max_version"));
		boolean verifyClient = clientCerts && bool(context, "tls.verify_client_cert", false);
		this.tls = TlsSupport.server(o, verifyClient);
		this.tlsProtocols = TlsSupport.protocols(o);
		this.tlsNeedClientAuth = verifyClient;
	}

	/**
	 * Binds {@code listen:port} ({@code 0.0.0.0} and {@code defaultPort} when unset) and starts
	 * serving; a failure to bind closes everything and is an {@link IOException} naming the address.
	 */
	public void start(InputContext context, String listen, int port, int defaultPort, int backlog, Handler handler)
			throws IOException {
		this.handler = handler;
		int p = (port > 0) ? port : defaultPort;
		String host = (listen != null && !listen.isEmpty()) ? listen : "0.0.0.0";
		String address = host + ":" + p;
		this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(context.name() + "-req-", 0).factory());
		this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.workers = new MultiThreadIoEventLoopGroup(Math.max(1, this.workerThreads), NioIoHandler.newFactory());
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
			this.server = sb.bind(new InetSocketAddress(host, p)).sync().channel();
		}
		catch (Exception ex) {
			close();
			throw new IOException("could not bind address " + address + ": " + message(ex), ex);
		}
		this.log.info("listening on {}", address);
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

	/** Waits while the instance runs and the server is open (an input's {@code collect}), then closes. */
	public void serveUntilStopped(InputContext context) throws Exception {
		try {
			while (context.isRunning() && this.server.isOpen()) {
				if (!context.sleep(Duration.ofMillis(200))) {
					break;
				}
			}
		}
		finally {
			close();
		}
	}

	@Override
	public synchronized void close() {
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

	/** Whether {@code ch} is an HTTP/2 stream (no {@code Connection} header, never closed after an answer). */
	public static boolean isHttp2(Channel ch) {
		return ch instanceof Http2StreamChannel;
	}

	/**
	 * Sends an answer: on HTTP/1.1 with {@code Connection: keep-alive} or {@code close} (and closes
	 * the connection once written when not {@code keepAlive}).
	 */
	public static void write(Channel ch, FullHttpResponse response, boolean keepAlive) {
		boolean h2 = isHttp2(ch);
		if (!h2) {
			response.headers()
				.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
		}
		var f = ch.writeAndFlush(response);
		if (!h2 && !keepAlive) {
			f.addListener(ChannelFutureListener.CLOSE);
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
				return new Http2ServerUpgradeCodec((Http2FrameCodec) h2[0], h2[1]);
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
				c.pipeline().addLast(new HttpObjectAggregator((int) HttpServerSupport.this.maxBody));
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
			if (HttpServerSupport.this.onEventLoop) {
				serve(ch, request);
				return;
			}
			CompletableFuture<Void> tail = ch.attr(TAIL).get();
			if (tail == null) {
				tail = CompletableFuture.completedFuture(null);
			}
			CompletableFuture<Void> next = tail.thenRunAsync(() -> serve(ch, request), HttpServerSupport.this.executor);
			ch.attr(TAIL).set(next);
		}

		private void serve(Channel ch, FullHttpRequest request) {
			try {
				boolean keep = !isHttp2(ch) && HttpServerSupport.this.keepAlive && HttpUtil.isKeepAlive(request);
				HttpServerSupport.this.handler.serve(ch, request, keep);
			}
			catch (Throwable ex) {
				HttpServerSupport.this.log.error("could not handle a request: {}", ex.toString());
				ch.close();
			}
			finally {
				request.release();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			HttpServerSupport.this.log.debug("connection error: {}", cause.toString());
			ctx.close();
		}
	}

}
