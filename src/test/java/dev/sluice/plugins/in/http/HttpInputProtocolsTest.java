package dev.sluice.plugins.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.cli.Help;
import dev.sluice.cli.PluginSchema;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import dev.sluice.testing.SharedFixtures;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;

/** Prior-knowledge h2c (Netty's client), TLS with HTTP/1.1 and HTTP/2 by ALPN, and {@code -h}. */
class HttpInputProtocolsTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	static Path dir;

	static Path crt;

	static Path key;

	static SSLContext trusting;

	@BeforeAll
	static void certificate() throws Exception {
		Path ks = dir.resolve("ks.p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process p = new ProcessBuilder(keytool, "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12",
				"-storepass", "changeit", "-alias", "srv", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2")
			.redirectErrorStream(true)
			.start();
		String out = new String(p.getInputStream().readAllBytes());
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (var in = Files.newInputStream(ks)) {
			store.load(in, "changeit".toCharArray());
		}
		PrivateKey pk = (PrivateKey) store.getKey("srv", "changeit".toCharArray());
		Certificate cert = store.getCertificate("srv");
		Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
		crt = dir.resolve("srv.crt");
		key = dir.resolve("srv.key");
		Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
		Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pk.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("srv", cert);
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trust);
		trusting = SSLContext.getInstance("TLS");
		trusting.init(null, tmf.getTrustManagers(), null);
	}

	private static EmbeddedSluice start(int port, String... extra) {
		List<String> kv = new java.util.ArrayList<>(List.of("listen", "127.0.0.1", "port", String.valueOf(port)));
		kv.addAll(List.of(extra));
		return EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("http", kv.toArray(String[]::new)).output("lib", "match", "*").build().start();
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	@Test
	void h2cWithPriorKnowledge() throws Exception {
		int port = Ports.free();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		try (EmbeddedSluice s = start(port)) {
			Channel conn = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
							new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
				}
			}).connect("127.0.0.1", port).sync().channel();
			for (int i = 0; i < 3; i++) {
				FullHttpResponse r = h2Post(conn, "/prior.k", "[{\"i\":" + i + "}]");
				assertThat(r.status().code()).isEqualTo(201);
				r.release();
			}
			FullHttpResponse bad = h2Post(conn, "/", "[1]");
			assertThat(bad.status().code()).isEqualTo(400);
			assertThat(bad.content().toString(StandardCharsets.UTF_8)).isEqualTo("error: unable to process records\n");
			bad.release();
			conn.close().sync();
			assertThat(events(s, 3)).extracting((e) -> e.body().get("i")).containsExactlyInAnyOrder(0L, 1L, 2L);
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	private static FullHttpResponse h2Post(Channel conn, String path, String json) throws Exception {
		CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
		Http2StreamChannel stream = new Http2StreamChannelBootstrap(conn).handler(new ChannelInitializer<Http2StreamChannel>() {
			@Override
			protected void initChannel(Http2StreamChannel ch) {
				ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new HttpObjectAggregator(1 << 20),
						new SimpleChannelInboundHandler<FullHttpResponse>() {
							@Override
							protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
								result.complete(msg.retainedDuplicate());
							}
						});
			}
		}).open().sync().getNow();
		FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
				Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
		req.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
		req.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "http");
		req.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
		req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, req.content().readableBytes());
		stream.writeAndFlush(req).sync();
		return result.get(20, TimeUnit.SECONDS);
	}

	@Test
	void tlsWithHttp11AndHttp2() throws Exception {
		int port = Ports.free();
		try (EmbeddedSluice s = start(port, "tls", "on", "tls.verify", "off", "tls.crt_file", crt.toString(), "tls.key_file",
				key.toString());
				HttpClient h1 = HttpClient.newBuilder().sslContext(trusting).version(HttpClient.Version.HTTP_1_1).build();
				HttpClient h2 = HttpClient.newBuilder().sslContext(trusting).version(HttpClient.Version.HTTP_2).build()) {
			HttpRequest req = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/secure"))
				.header("Content-Type", "application/json")
				.timeout(DEADLINE)
				.POST(HttpRequest.BodyPublishers.ofString("{\"tls\":1}"))
				.build();
			HttpResponse<String> r1 = h1.send(req, HttpResponse.BodyHandlers.ofString());
			assertThat(r1.statusCode()).isEqualTo(201);
			assertThat(r1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
			HttpResponse<String> r2 = h2.send(req, HttpResponse.BodyHandlers.ofString());
			assertThat(r2.statusCode()).isEqualTo(201);
			assertThat(r2.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(events(s, 2)).hasSize(2);
		}
	}

	@Test
	void helpOptionsMatchFluentBitLineByLine() throws Exception {
		PluginSchema.Entry entry = new PluginSchema().describe(PluginRegistry.builtin().find(PluginKind.INPUT, "http"));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Help.plugin(new PrintStream(bytes, true, StandardCharsets.UTF_8), entry);
		List<String> actual = options(bytes.toString(StandardCharsets.UTF_8).lines().toList());
		List<String> expected = options(Files.readString(SharedFixtures.path("help/input-http.txt")).lines().toList());
		assertThat(expected).hasSizeGreaterThan(10);
		for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
			assertThat(actual.get(i)).as("line %d", i + 1).isEqualTo(expected.get(i));
		}
		assertThat(actual).hasSameSizeAs(expected);
	}

	/** The lines from the OPTIONS header up to the next section header. */
	static List<String> options(List<String> lines) {
		int start = -1;
		int end = lines.size();
		for (int i = 0; i < lines.size(); i++) {
			String l = lines.get(i);
			if (start < 0 && l.contains("OPTIONS") && !l.contains("GLOBAL_OPTIONS")) {
				start = i;
			}
			else if (start >= 0 && (l.contains("NETWORKING") || l.contains("NETWORK_TLS"))) {
				end = i;
				break;
			}
		}
		assertThat(start).isNotNegative();
		while (end > start && lines.get(end - 1).replaceAll("\u001b\\[[0-9;]*m", "").isBlank()) {
			end--;
		}
		return lines.subList(start, end);
	}
}
