package dev.sluice.plugins.out.forward;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;

import dev.sluice.config.ConfigValues;
import dev.sluice.event.EventBytes;
import dev.sluice.net.forward.ForwardEncoder;
import dev.sluice.net.forward.Handshake;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.rewrite_tag.TagTemplate;

/**
 * Fluent Bit's {@code forward} output: the client side of the Fluentd Forward protocol, writing
 * what Fluent Bit 5.1.1 writes (see {@link ForwardEncoder}).
 *
 * <ul>
 * <li>Connections are kept alive and reused ({@code net.keepalive}, idle ones dropped after
 * {@code net.keepalive_idle_timeout}); at most one per concurrent flush ({@code workers}, default
 * 2). A failed connect, write, handshake or ack closes the connection and the flush is retried.</li>
 * <li>{@code shared_key}/{@code empty_shared_key}: the handshake runs on each new connection; the
 * server's PONG digest is checked.</li>
 * <li>{@code require_ack_response}: waits for {@code {"ack": chunk}} for up to
 * {@code net.io_timeout} (60 s when 0); a timeout or a different id is a RETRY. Writing a flush
 * is bounded by the same time (a server that stops reading gets its connection closed).</li>
 * <li>{@code tag}: a fixed tag keeps Forward mode; a tag with {@code $} record accessors switches
 * to Message mode, one message per record.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.OUTPUT, name = "forward", description = "Forward (Fluentd protocol)",
		config = ForwardOutputConfig.class, workers = 2, network = true)
public final class ForwardOutput implements OutputPlugin<ForwardOutputConfig> {

	static final int DEFAULT_PORT = 24224;

	static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);

	private ForwardOutputConfig config;

	private Logger log;

	private ForwardEncoder.Settings settings;

	private String host;

	private int port;

	private String sharedKey;

	private String selfHostname;

	private final byte[] salt = Handshake.random(16);

	private Duration connectTimeout = Duration.ofSeconds(10);

	private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;

	private Duration idleTimeout = Duration.ofSeconds(30);

	private boolean keepalive = true;

	private final ArrayDeque<Conn> idle = new ArrayDeque<>();

	private volatile boolean closed;

	private javax.net.ssl.SSLContext tls;

	private TlsSupport.Options tlsOptions;

	@Override
	public void init(ForwardOutputConfig config, OutputContext context) throws Exception {
		this.config = config;
		this.log = context.log();
		if (config.upstream != null && !config.upstream.isEmpty()) {
			throw new IllegalArgumentException("upstream (HA node files) is not supported by this forward output yet");
		}
		this.host = (config.host != null && !config.host.isEmpty()) ? config.host : "127.0.0.1";
		this.port = (config.port > 0) ? config.port : DEFAULT_PORT;
		this.sharedKey = config.sharedKey;
		if (this.sharedKey == null && config.emptySharedKey) {
			this.sharedKey = "";
		}
		this.selfHostname = (config.selfHostname != null) ? config.selfHostname : "localhost";
		if (config.tls) {
			this.tlsOptions = new TlsSupport.Options(config.tlsVerify, config.tlsCaFile, config.tlsCaPath,
					config.tlsCrtFile, config.tlsKeyFile, config.tlsVhost, config.tlsVerifyHostname, config.tlsMinVersion,
					config.tlsMaxVersion);
			this.tls = TlsSupport.client(this.tlsOptions);
		}
		boolean gzip = false;
		if (config.compress != null && !config.compress.isEmpty()) {
			switch (config.compress.toLowerCase(java.util.Locale.ROOT)) {
				case "gzip" -> gzip = true;
				case "text" -> gzip = false;
				default -> throw new IllegalArgumentException("invalid compress mode '" + config.compress + "' (gzip or text)");
			}
		}
		String fixedTag = null;
		ForwardEncoder.TagFunction dynamic = null;
		if (config.tag != null && !config.tag.isEmpty()) {
			if (config.tag.contains("$")) {
				TagTemplate t = TagTemplate.parse(config.tag);
				dynamic = (tag, record) -> t.translate(tag, record, null);
			}
			else {
				fixedTag = config.tag;
			}
		}
		List<List<String>> add = (config.addOption != null) ? config.addOption : List.of();
		for (List<String> kv : add) {
			if (kv.size() < 2) {
				throw new IllegalArgumentException("add_option needs a key and a value");
			}
		}
		this.settings = new ForwardEncoder.Settings(config.timeAsInteger, config.sendOptions, config.requireAckResponse,
				gzip, config.retainMetadataInForwardMode, add, fixedTag, dynamic);
		Map<String, String> props = context.properties();
		this.connectTimeout = time(props, "net.connect_timeout", this.connectTimeout);
		this.idleTimeout = time(props, "net.keepalive_idle_timeout", this.idleTimeout);
		Duration io = time(props, "net.io_timeout", Duration.ZERO);
		this.ackTimeout = (io.isZero() || io.isNegative()) ? DEFAULT_ACK_TIMEOUT : io;
		if (props.get("net.keepalive") != null) {
			this.keepalive = ConfigValues.parseBool(props.get("net.keepalive"));
		}
	}

	private static Duration time(Map<String, String> props, String key, Duration def) {
		String v = props.get(key);
		return (v != null) ? ConfigValues.parseTime(v) : def;
	}

	ForwardEncoder.Settings settings() {
		return this.settings;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		if (chunk.eventType() != 0) {
			this.log.warn("only logs are supported; dropping a chunk of event type {}", chunk.eventType());
			return FlushResult.ERROR;
		}
		EventBytes ev = chunk.events();
		List<ForwardEncoder.Message> messages;
		try {
			messages = ForwardEncoder.encode(chunk.tag(), ev.data(), ev.offset(), ev.length(), this.settings);
		}
		catch (RuntimeException ex) {
			this.log.error("could not encode chunk '{}': {}", chunk.name(), ex.getMessage());
			return FlushResult.ERROR;
		}
		messages = messages.stream().filter((m) -> m.records() > 0).toList();
		if (messages.isEmpty()) {
			return FlushResult.OK;
		}
		Conn c;
		try {
			c = acquire();
		}
		catch (IOException ex) {
			this.log.error("no upstream connections available to {}: {}", target(), ex.getMessage());
			return FlushResult.RETRY;
		}
		// a server that stops reading must not hold this flush forever: close the connection
		CompletableFuture<Void> writeTimer = CompletableFuture.runAsync(c::close,
				CompletableFuture.delayedExecutor(this.ackTimeout.toMillis(), TimeUnit.MILLISECONDS));
		try {
			int bytes = 0;
			try {
				for (ForwardEncoder.Message m : messages) {
					c.out.write(m.bytes());
					bytes += m.bytes().length;
				}
				c.out.flush();
			}
			finally {
				writeTimer.cancel(false);
			}
			this.log.debug("request {} bytes to flush", bytes);
			for (ForwardEncoder.Message m : messages) {
				if (m.chunk() != null) {
					String got = readAck(c);
					if (!m.chunk().equals(got)) {
						this.log.warn("ACK response mismatch: expected '{}', got '{}'", m.chunk(), got);
						c.close();
						return FlushResult.RETRY;
					}
					this.log.debug("protocol: received ACK {}", got);
				}
			}
		}
		catch (SocketTimeoutException ex) {
			this.log.warn("no ACK response received within {} ms; will retry", this.ackTimeout.toMillis());
			c.close();
			return FlushResult.RETRY;
		}
		catch (IOException ex) {
			this.log.error("could not write to {}: {}", target(), ex.getMessage());
			c.close();
			return FlushResult.RETRY;
		}
		release(c);
		return FlushResult.OK;
	}

	private String readAck(Conn c) throws IOException {
		Object v = c.read(this.ackTimeout);
		if (v instanceof Map<?, ?> m) {
			return Handshake.text(m.get("ack"));
		}
		throw new IOException("unexpected response instead of an ACK: " + v);
	}

	private String target() {
		return (this.config.unixPath != null && !this.config.unixPath.isEmpty()) ? "unix://" + this.config.unixPath
				: this.host + ":" + this.port;
	}

	private Conn acquire() throws IOException {
		synchronized (this.idle) {
			while (!this.idle.isEmpty()) {
				Conn c = this.idle.pollFirst();
				if (System.nanoTime() - c.lastUsed > this.idleTimeout.toNanos() || c.isBroken()) {
					c.close();
					continue;
				}
				return c;
			}
		}
		Conn c = connect();
		if (this.sharedKey != null) {
			try {
				handshake(c);
			}
			catch (IOException ex) {
				c.close();
				throw ex;
			}
		}
		return c;
	}

	private void release(Conn c) {
		if (!this.keepalive || this.closed) {
			c.close();
			return;
		}
		c.lastUsed = System.nanoTime();
		synchronized (this.idle) {
			this.idle.addFirst(c);
		}
	}

	private Conn connect() throws IOException {
		if (this.config.unixPath != null && !this.config.unixPath.isEmpty()) {
			SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
			try {
				ch.connect(UnixDomainSocketAddress.of(this.config.unixPath));
			}
			catch (IOException ex) {
				ch.close();
				throw ex;
			}
			return new Conn(null, ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
		}
		Socket s = new Socket();
		try {
			s.setTcpNoDelay(true);
			s.connect(new InetSocketAddress(this.host, this.port), (int) Math.max(1, this.connectTimeout.toMillis()));
		}
		catch (IOException ex) {
			s.close();
			throw ex;
		}
		if (this.tls != null) {
			try {
				s = startTls(s);
			}
			catch (IOException ex) {
				s.close();
				throw new IOException("TLS handshake failed: " + ex.getMessage(), ex);
			}
		}
		return new Conn(s, null, s.getInputStream(), s.getOutputStream());
	}

	private Socket startTls(Socket plain) throws IOException {
		String name = (this.tlsOptions.vhost() != null) ? this.tlsOptions.vhost() : this.host;
		javax.net.ssl.SSLSocket ss = (javax.net.ssl.SSLSocket) this.tls.getSocketFactory().createSocket(plain, name,
				this.port, true);
		javax.net.ssl.SSLParameters params = ss.getSSLParameters();
		if (!name.isEmpty() && !Character.isDigit(name.charAt(0)) && !name.contains(":")) {
			params.setServerNames(List.of(new javax.net.ssl.SNIHostName(name)));
		}
		if (this.tlsOptions.verify() && this.tlsOptions.verifyHostname()) {
			params.setEndpointIdentificationAlgorithm("HTTPS");
		}
		String[] protocols = TlsSupport.protocols(this.tlsOptions);
		if (protocols != null) {
			params.setProtocols(protocols);
		}
		ss.setSSLParameters(params);
		ss.setSoTimeout((int) Math.max(1, this.connectTimeout.toMillis()));
		ss.startHandshake();
		return ss;
	}

	private void handshake(Conn c) throws IOException {
		Object first = c.read(this.connectTimeout);
		Handshake.Helo helo = Handshake.parseHelo(first);
		if (helo == null) {
			throw new IOException("handshake failed: expected HELO from the server");
		}
		this.log.debug("protocol: received HELO");
		byte[] ping = Handshake.ping(this.selfHostname, this.salt, helo, this.sharedKey, this.config.username,
				this.config.password);
		c.out.write(ping);
		c.out.flush();
		this.log.debug("PING sent: ret={} bytes sent={}", ping.length, ping.length);
		Handshake.Pong pong = Handshake.parsePong(c.read(this.connectTimeout));
		if (pong == null) {
			throw new IOException("handshake failed: expected PONG from the server");
		}
		if (!pong.ok()) {
			throw new IOException("handshake failed: authentication refused by the server: " + pong.reason());
		}
		String expected = Handshake.sharedKeyDigest(this.salt, pong.hostname(), helo.nonce(), this.sharedKey);
		if (!expected.equals(pong.digest())) {
			throw new IOException("handshake failed: the server's shared key digest does not match");
		}
		this.log.debug("handshake status = 0");
	}

	@Override
	public void exit() {
		this.closed = true;
		synchronized (this.idle) {
			for (Conn c : this.idle) {
				c.close();
			}
			this.idle.clear();
		}
	}

	/** One connection to the server. */
	private static final class Conn {

		final Socket socket;

		final SocketChannel channel;

		final OutputStream out;

		final MessageUnpacker in;

		long lastUsed = System.nanoTime();

		Conn(Socket socket, SocketChannel channel, InputStream in, OutputStream out) {
			this.socket = socket;
			this.channel = channel;
			this.out = new BufferedOutputStream(out, 64 * 1024);
			this.in = MessagePack.newDefaultUnpacker(in);
		}

		/** Reads one msgpack value (strings kept as bytes), waiting at most {@code timeout}. */
		Object read(Duration timeout) throws IOException {
			long ms = Math.max(1, timeout.toMillis());
			if (this.socket != null) {
				this.socket.setSoTimeout((int) Math.min(ms, Integer.MAX_VALUE));
				return decode();
			}
			// UNIX sockets have no read timeout: close the channel when it runs out
			CompletableFuture<Void> timer = CompletableFuture.runAsync(this::close,
					CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
			try {
				return decode();
			}
			catch (java.nio.channels.AsynchronousCloseException ex) {
				throw new SocketTimeoutException("read timed out");
			}
			finally {
				timer.cancel(false);
			}
		}

		private Object decode() throws IOException {
			if (!this.in.hasNext()) {
				throw new IOException("connection closed by the server");
			}
			return Handshake.decodeRaw(this.in);
		}

		/**
		 * Whether a kept-alive connection can no longer be used: closed, closed by the server
		 * while idle (end of stream), or holding unexpected bytes. Checked before reuse, so that a
		 * flush is not written into a connection the server already dropped.
		 */
		boolean isBroken() {
			if (this.socket == null) {
				return !this.channel.isOpen();
			}
			if (this.socket.isClosed()) {
				return true;
			}
			try {
				this.socket.setSoTimeout(1);
				// either end of stream or unsolicited data: both make the connection unusable
				this.in.hasNext();
				return true;
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				return true;
			}
		}

		void close() {
			try {
				if (this.socket != null) {
					this.socket.close();
				}
				else {
					this.channel.close();
				}
			}
			catch (IOException ex) {
				// closing
			}
		}
	}
}
