package dev.sluice.plugins.out.opentelemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.SslContext;

/**
 * A small OTLP/gRPC client: unary calls over one HTTP/2 connection (cleartext by prior knowledge,
 * or TLS with ALPN {@code h2}), re-opened when it drops. Each call is one stream: request headers,
 * one length-prefixed message (gzip'd with {@code grpc-encoding gzip}), then the answer's
 * {@code grpc-status} from its trailers.
 */
final class GrpcClient implements AutoCloseable {

	/** The outcome of a call: the gRPC status (-1 when the HTTP status was not 200) and message. */
	record Result(int httpStatus, int grpcStatus, String message) {
	}

	private final String host;

	private final int port;

	private final SslContext ssl;

	private final String authority;

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final Duration connectTimeout;

	private Channel channel;

	GrpcClient(String host, int port, SslContext ssl, Duration connectTimeout) {
		this.host = host;
		this.port = port;
		this.ssl = ssl;
		this.authority = host + ":" + port;
		this.connectTimeout = connectTimeout;
	}

	private synchronized Channel connection() throws IOException {
		if (this.channel != null && this.channel.isActive()) {
			return this.channel;
		}
		Bootstrap b = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) this.connectTimeout.toMillis())
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel ch) {
					if (GrpcClient.this.ssl != null) {
						ch.pipeline().addLast(GrpcClient.this.ssl.newHandler(ch.alloc(), GrpcClient.this.host, GrpcClient.this.port));
					}
					ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
					ch.pipeline().addLast(new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
						@Override
						protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
							// server-initiated streams are not used
						}
					}));
				}
			});
		try {
			var f = b.connect(this.host, this.port).sync();
			this.channel = f.channel();
			return this.channel;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while connecting to " + this.authority, ex);
		}
		catch (Exception ex) {
			throw new IOException("could not connect to " + this.authority + ": " + ex.getMessage(), ex);
		}
	}

	/** Calls {@code path} with one message; throws on connection failures and timeouts. */
	Result call(String path, byte[] message, boolean gzip, List<String[]> headers, Duration timeout) throws IOException {
		byte[] payload = message;
		if (gzip) {
			ByteArrayOutputStream bo = new ByteArrayOutputStream(message.length / 2 + 16);
			try (GZIPOutputStream z = new GZIPOutputStream(bo)) {
				z.write(message);
			}
			payload = bo.toByteArray();
		}
		ByteBuf body = Unpooled.buffer(payload.length + 5);
		body.writeByte(gzip ? 1 : 0);
		body.writeInt(payload.length);
		body.writeBytes(payload);
		Http2Headers h = new DefaultHttp2Headers().method("POST")
			.scheme((this.ssl != null) ? "https" : "http")
			.path(path)
			.authority(this.authority);
		h.set("content-type", "application/grpc");
		h.set("te", "trailers");
		h.set("user-agent", "sluice-otlp-grpc");
		if (gzip) {
			h.set("grpc-encoding", "gzip");
		}
		h.set("grpc-accept-encoding", "gzip,identity");
		for (String[] kv : headers) {
			h.add(kv[0].toLowerCase(java.util.Locale.ROOT), kv[1]);
		}
		CompletableFuture<Result> result = new CompletableFuture<>();
		Channel conn = connection();
		Http2StreamChannel stream;
		try {
			stream = new Http2StreamChannelBootstrap(conn).handler(new ResponseHandler(result)).open().sync().getNow();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			body.release();
			throw new IOException("interrupted", ex);
		}
		catch (Exception ex) {
			body.release();
			throw new IOException("could not open a stream to " + this.authority + ": " + ex.getMessage(), ex);
		}
		stream.write(new DefaultHttp2HeadersFrame(h, false));
		stream.writeAndFlush(new DefaultHttp2DataFrame(body, true));
		try {
			return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			stream.close();
			throw new IOException("no answer from " + this.authority + " within " + timeout.toMillis() + " ms");
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IOException(ex.getCause().getMessage(), ex.getCause());
		}
	}

	/** Reads one stream's answer: headers, data, trailers (or a trailers-only answer). */
	private static final class ResponseHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {

		private final CompletableFuture<Result> result;

		private int httpStatus = -1;

		private String grpcStatus;

		private String grpcMessage;

		ResponseHandler(CompletableFuture<Result> result) {
			this.result = result;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
			boolean end = false;
			if (frame instanceof Http2HeadersFrame hf) {
				Http2Headers h = hf.headers();
				if (h.status() != null) {
					try {
						this.httpStatus = Integer.parseInt(h.status().toString());
					}
					catch (NumberFormatException ex) {
						this.httpStatus = 0;
					}
				}
				if (h.get("grpc-status") != null) {
					this.grpcStatus = h.get("grpc-status").toString();
				}
				if (h.get("grpc-message") != null) {
					this.grpcMessage = URLDecoder.decode(h.get("grpc-message").toString().replace("+", "%2B"),
							StandardCharsets.UTF_8);
				}
				end = hf.isEndStream();
			}
			else if (frame instanceof Http2DataFrame df) {
				end = df.isEndStream();
			}
			if (end) {
				finish();
				ctx.close();
			}
		}

		private void finish() {
			int g = -1;
			if (this.grpcStatus != null) {
				try {
					g = Integer.parseInt(this.grpcStatus.strip());
				}
				catch (NumberFormatException ex) {
					g = 2;
				}
			}
			this.result.complete(new Result(this.httpStatus, g, this.grpcMessage));
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (!this.result.isDone()) {
				this.result.completeExceptionally(new IOException("the stream was closed before an answer"));
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.result.completeExceptionally(cause);
			ctx.close();
		}
	}

	@Override
	public synchronized void close() {
		if (this.channel != null) {
			this.channel.close();
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}
}
