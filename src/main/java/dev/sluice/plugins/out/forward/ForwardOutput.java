package dev.sluice.plugins.out.forward;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.net.forward.ForwardEncoder;
import dev.sluice.net.forward.Handshake;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.net.upstream.Connection;
import dev.sluice.net.upstream.NetSettings;
import dev.sluice.net.upstream.Upstream;
import dev.sluice.net.upstream.UpstreamHa;
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
 * <li>{@code upstream FILE}: an {@code [UPSTREAM]} file of {@code [NODE]}s ({@link UpstreamHa});
 * flushes go to the nodes round-robin, and a flush whose node cannot be connected to fails over
 * to the next node (RETRY when none can). A node's own {@code shared_key}, {@code self_hostname},
 * {@code username}, {@code password} and {@code tls*} keys replace the output's.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.OUTPUT, name = "forward", description = "Forward (Fluentd protocol)",
		config = ForwardOutputConfig.class, workers = 2, network = true)
public final class ForwardOutput implements OutputPlugin<ForwardOutputConfig> {

	static final int DEFAULT_PORT = 24224;

	static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);

	private Logger log;

	private ForwardEncoder.Settings settings;

	private final byte[] salt = Handshake.random(16);

	private Duration connectTimeout = Duration.ofSeconds(10);

	private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;

	/** The single peer (host/port or unix_path); null with {@code upstream}. */
	private Upstream upstream;

	/** The {@code upstream} node list; null without it. */
	private UpstreamHa ha;

	/** The output's own authentication settings (a node may replace them). */
	private Auth auth;

	/** Shared-key handshake settings for one peer; {@code sharedKey} null means no handshake. */
	record Auth(String sharedKey, String selfHostname, String username, String password) {
	}

	@Override
	public void init(ForwardOutputConfig config, OutputContext context) throws Exception {
		this.log = context.log();
		String host = (config.host != null && !config.host.isEmpty()) ? config.host : "127.0.0.1";
		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		String sharedKey = config.sharedKey;
		if (sharedKey == null && config.emptySharedKey) {
			sharedKey = "";
		}
		this.auth = new Auth(sharedKey, (config.selfHostname != null) ? config.selfHostname : "localhost",
				config.username, config.password);
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
		NetSettings net = NetSettings.from(props, false)
			.withTls(config.tls ? new TlsSupport.Options(config.tlsVerify, config.tlsCaFile, config.tlsCaPath,
					config.tlsCrtFile, config.tlsKeyFile, config.tlsVhost, config.tlsVerifyHostname, config.tlsMinVersion,
					config.tlsMaxVersion) : null);
		this.connectTimeout = net.connectTimeout();
		Duration io = net.ioTimeout();
		this.ackTimeout = (io.isZero() || io.isNegative()) ? DEFAULT_ACK_TIMEOUT : io;
		if (config.upstream != null && !config.upstream.isEmpty()) {
			this.ha = UpstreamHa.fromFile(Path.of(config.upstream), net, DEFAULT_PORT);
			this.log.info("upstream '{}' with {} nodes", this.ha.name(), this.ha.nodes().size());
		}
		else if (config.unixPath != null && !config.unixPath.isEmpty()) {
			this.upstream = Upstream.unix(config.unixPath, net);
		}
		else {
			this.upstream = new Upstream(host, port, net);
		}
	}

	ForwardEncoder.Settings settings() {
		return this.settings;
	}

	UpstreamHa ha() {
		return this.ha;
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
		if (this.ha == null) {
			Connection c = connect(this.upstream, this.auth);
			return (c != null) ? send(c, messages) : FlushResult.RETRY;
		}
		// round-robin; a node that cannot be connected to is skipped for the next one
		int first = this.ha.next();
		for (int i = 0; i < this.ha.nodes().size(); i++) {
			UpstreamHa.Node node = this.ha.node(first + i);
			Connection c = connect(node.upstream(), nodeAuth(node));
			if (c != null) {
				this.log.debug("flush to node '{}' ({})", node.name(), node.upstream().target());
				return send(c, messages);
			}
		}
		this.log.error("no upstream node of '{}' is available", this.ha.name());
		return FlushResult.RETRY;
	}

	private Auth nodeAuth(UpstreamHa.Node node) {
		String key = node.property("shared_key");
		if (key == null && node.property("empty_shared_key") != null
				&& dev.sluice.config.ConfigValues.parseBool(node.property("empty_shared_key"))) {
			key = "";
		}
		return new Auth((key != null) ? key : this.auth.sharedKey(),
				(node.property("self_hostname") != null) ? node.property("self_hostname") : this.auth.selfHostname(),
				(node.property("username") != null) ? node.property("username") : this.auth.username(),
				(node.property("password") != null) ? node.property("password") : this.auth.password());
	}

	/** A connection with the handshake done, or null (logged) when it could not be had. */
	private Connection connect(Upstream up, Auth a) {
		Connection c;
		try {
			c = up.acquire();
		}
		catch (IOException ex) {
			this.log.error("no upstream connections available to {}: {}", up.target(), ex.getMessage());
			return null;
		}
		if (!c.reused()) {
			c.attach(MessagePack.newDefaultUnpacker(c.in()));
			if (a.sharedKey() != null) {
				try {
					handshake(c, a);
				}
				catch (IOException ex) {
					this.log.error("handshake with {} failed: {}", up.target(), ex.getMessage());
					up.discard(c);
					return null;
				}
			}
		}
		return c;
	}

	private FlushResult send(Connection c, List<ForwardEncoder.Message> messages) {
		Upstream up = c.upstream();
		try {
			int bytes = 0;
			// a server that stops reading must not hold this flush forever: close the connection
			try (AutoCloseable guard = c.ioGuard(this.ackTimeout)) {
				for (ForwardEncoder.Message m : messages) {
					c.out().write(m.bytes());
					bytes += m.bytes().length;
				}
				c.out().flush();
			}
			this.log.debug("request {} bytes to flush", bytes);
			for (ForwardEncoder.Message m : messages) {
				if (m.chunk() != null) {
					String got = readAck(c);
					if (!m.chunk().equals(got)) {
						this.log.warn("ACK response mismatch: expected '{}', got '{}'", m.chunk(), got);
						up.discard(c);
						return FlushResult.RETRY;
					}
					this.log.debug("protocol: received ACK {}", got);
				}
			}
		}
		catch (SocketTimeoutException ex) {
			this.log.warn("no ACK response received within {} ms; will retry", this.ackTimeout.toMillis());
			up.discard(c);
			return FlushResult.RETRY;
		}
		catch (Exception ex) {
			this.log.error("could not write to {}: {}", up.target(), ex.getMessage());
			up.discard(c);
			return FlushResult.RETRY;
		}
		up.release(c);
		return FlushResult.OK;
	}

	private String readAck(Connection c) throws IOException {
		Object v = read(c, this.ackTimeout);
		if (v instanceof Map<?, ?> m) {
			return Handshake.text(m.get("ack"));
		}
		throw new IOException("unexpected response instead of an ACK: " + v);
	}

	/** Reads one msgpack value (strings kept as bytes), waiting at most {@code timeout}. */
	private static Object read(Connection c, Duration timeout) throws IOException {
		MessageUnpacker in = c.attachment();
		if (c.socket() != null) {
			c.readTimeout(timeout);
			return decode(in);
		}
		// UNIX sockets have no read timeout: close the channel when it runs out
		try (AutoCloseable guard = c.ioGuard(timeout)) {
			return decode(in);
		}
		catch (java.nio.channels.AsynchronousCloseException ex) {
			throw new SocketTimeoutException("read timed out");
		}
		catch (IOException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IOException(ex);
		}
	}

	private static Object decode(MessageUnpacker in) throws IOException {
		if (!in.hasNext()) {
			throw new IOException("connection closed by the server");
		}
		return Handshake.decodeRaw(in);
	}

	private void handshake(Connection c, Auth a) throws IOException {
		Object first = read(c, this.connectTimeout);
		Handshake.Helo helo = Handshake.parseHelo(first);
		if (helo == null) {
			throw new IOException("handshake failed: expected HELO from the server");
		}
		this.log.debug("protocol: received HELO");
		byte[] ping = Handshake.ping(a.selfHostname(), this.salt, helo, a.sharedKey(), a.username(), a.password());
		c.out().write(ping);
		c.out().flush();
		this.log.debug("PING sent: ret={} bytes sent={}", ping.length, ping.length);
		Handshake.Pong pong = Handshake.parsePong(read(c, this.connectTimeout));
		if (pong == null) {
			throw new IOException("handshake failed: expected PONG from the server");
		}
		if (!pong.ok()) {
			throw new IOException("handshake failed: authentication refused by the server: " + pong.reason());
		}
		String expected = Handshake.sharedKeyDigest(this.salt, pong.hostname(), helo.nonce(), a.sharedKey());
		if (!expected.equals(pong.digest())) {
			throw new IOException("handshake failed: the server's shared key digest does not match");
		}
		this.log.debug("handshake status = 0");
	}

	@Override
	public void exit() {
		if (this.upstream != null) {
			this.upstream.close();
		}
		if (this.ha != null) {
			this.ha.close();
		}
	}
}
