package dev.sluice.plugins.in.forward;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.net.forward.ForwardDecoder;
import dev.sluice.net.forward.Handshake;
import dev.sluice.net.forward.MsgpackBytes;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code forward} input: the server side of the Fluentd Forward protocol v1, on TCP
 * ({@code listen}/{@code port}, default 24224) or a UNIX socket ({@code unix_path}).
 *
 * <ul>
 * <li>One virtual thread per connection; messages are msgpack arrays back to back (Message,
 * Forward, PackedForward, CompressedPackedForward with gzip, see {@link ForwardDecoder});
 * {@code nil} values between messages are keep-alives and ignored.</li>
 * <li>Each connection reads into a buffer of {@code buffer_chunk_size} bytes that grows, while a
 * message is incomplete, up to {@code buffer_max_size}; a larger message closes the connection
 * with an error line.</li>
 * <li>A message with the {@code chunk} option is acknowledged with {@code {"ack": chunk}} only
 * after its events were appended to the buffer; when the instance has stopped they are not
 * appended and not acknowledged (the client resends).</li>
 * <li>With {@code shared_key} (or {@code empty_shared_key}, or {@code security.users}) the server
 * sends HELO on connect (shaped as Fluent Bit's: {@code {"nonce": str, "auth": str salt}}) and requires a valid PING before any data; a wrong key or password gets a
 * PONG with {@code false} and a reason, then the connection is closed.</li>
 * <li>Bad input (not msgpack, wrong shapes, bad gzip) closes that connection with an error line;
 * other connections go on.</li>
 * <li>While the instance is paused, connections stop reading (the client sees TCP backpressure).</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "forward", description = "Fluentd in-forward", config = ForwardInputConfig.class,
		network = true)
public final class ForwardInput implements InputPlugin<ForwardInputConfig> {

	static final int DEFAULT_PORT = 24224;

	private ForwardInputConfig config;

	private ServerSocketChannel server;

	private String address;

	private Logger log;

	private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

	/** {@code net.max_connections}. */
	private dev.sluice.net.server.ConnectionLimit limit;

	private final AtomicLong connectionIds = new AtomicLong();

	private String sharedKey;

	private String selfHostname;

	private final Map<String, String> users = new HashMap<>();

	private long maxFrame;

	private javax.net.ssl.SSLContext tls;

	private String[] tlsProtocols;

	private boolean tlsNeedClientAuth;

	private static boolean bool(InputContext context, String key, boolean def) {
		String v = context.property(key);
		return (v != null) ? dev.sluice.config.ConfigValues.parseBool(v) : def;
	}

	private int initialBuffer;

	@Override
	public void init(ForwardInputConfig config, InputContext context) throws Exception {
		this.config = config;
		this.log = context.log();
		this.limit = dev.sluice.net.server.ConnectionLimit.of(context);
		if (bool(context, "tls", false)) {
			TlsSupport.Options o = new TlsSupport.Options(bool(context, "tls.verify", true), context.property("tls.ca_file"),
					context.property("tls.ca_path"), context.property("tls.crt_file"), context.property("tls.key_file"),
					null, false, context.property("tls.min_version"), context.property("tls.max_version"));
			boolean verifyClient = bool(context, "tls.verify_client_cert", false);
			this.tls = TlsSupport.server(o, verifyClient);
			this.tlsProtocols = TlsSupport.protocols(o);
			this.tlsNeedClientAuth = verifyClient;
		}
		this.sharedKey = config.sharedKey;
		if (this.sharedKey == null && config.emptySharedKey) {
			this.sharedKey = "";
		}
		if (config.users != null) {
			for (String u : config.users) {
				String[] parts = u.trim().split("\\s+", 2);
				if (parts.length != 2) {
					throw new IllegalArgumentException("security.users needs 'username password', got '" + parts[0] + " ...'");
				}
				this.users.put(parts[0], parts[1]);
			}
		}
		if (!this.users.isEmpty() && this.sharedKey == null) {
			this.sharedKey = "";
		}
		this.selfHostname = (config.selfHostname != null) ? config.selfHostname : "localhost";
		if (config.bufferChunkSize <= 0 || config.bufferMaxSize <= 0) {
			throw new IllegalArgumentException("buffer_chunk_size and buffer_max_size must be greater than 0");
		}
		this.maxFrame = Math.max(config.bufferMaxSize, config.bufferChunkSize);
		this.initialBuffer = (int) Math.min(Math.min(config.bufferChunkSize, this.maxFrame), Integer.MAX_VALUE - 16);
		if (config.unixPath != null && !config.unixPath.isEmpty()) {
			bindUnix(config.unixPath, config.unixPerm);
		}
		else {
			int port = (config.port > 0) ? config.port : DEFAULT_PORT;
			String listen = (config.listen != null && !config.listen.isEmpty()) ? config.listen : "0.0.0.0";
			this.address = listen + ":" + port;
			ServerSocketChannel ch = ServerSocketChannel.open();
			try {
				ch.bind(new InetSocketAddress(listen, port), 128);
			}
			catch (IOException ex) {
				ch.close();
				throw new IOException("could not bind address " + this.address + ": " + message(ex), ex);
			}
			this.server = ch;
		}
		this.log.info("listening on {}", this.address);
	}

	private void bindUnix(String path, String perm) throws IOException {
		this.address = "unix://" + path;
		Path p = Path.of(path);
		if (Files.exists(p) && !Files.isDirectory(p)) {
			// a stale socket file from an earlier run
			Files.delete(p);
		}
		ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			ch.bind(UnixDomainSocketAddress.of(p), 128);
		}
		catch (IOException ex) {
			ch.close();
			throw new IOException("could not bind address " + this.address + ": " + message(ex), ex);
		}
		if (perm != null && !perm.isEmpty()) {
			int mode;
			try {
				mode = Integer.parseInt(perm, 8);
			}
			catch (NumberFormatException ex) {
				ch.close();
				throw new IllegalArgumentException("unix_perm must be an octal mode such as 0644, got '" + perm + "'");
			}
			Files.setPosixFilePermissions(p, permissions(mode));
		}
		this.server = ch;
	}

	static Set<PosixFilePermission> permissions(int mode) {
		Set<PosixFilePermission> s = java.util.EnumSet.noneOf(PosixFilePermission.class);
		PosixFilePermission[] order = { PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
				PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
				PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
				PosixFilePermission.OWNER_READ };
		for (int i = 0; i < order.length; i++) {
			if ((mode & (1 << i)) != 0) {
				s.add(order[i]);
			}
		}
		return s;
	}

	private static String message(Throwable ex) {
		if (ex instanceof BindException) {
			return "address already in use or not available (" + ex.getMessage() + ")";
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/** The bound address (useful when port 0 would be given by tests through another path). */
	public SocketAddress localAddress() throws IOException {
		return this.server.getLocalAddress();
	}

	@Override
	public void collect(InputContext context) throws Exception {
		try {
			while (context.isRunning()) {
				SocketChannel ch;
				try {
					ch = this.server.accept();
				}
				catch (ClosedChannelException ex) {
					break;
				}
				catch (IOException ex) {
					// such as too many open files: keep serving the connections we have
					this.log.error("could not accept a connection on {}: {}", this.address, ex.getMessage());
					if (!context.sleep(java.time.Duration.ofMillis(100))) {
						break;
					}
					continue;
				}
				if (!this.limit.admit(ch, this.connections.size(), this.log)) {
					continue;
				}
				long id = this.connectionIds.incrementAndGet();
				this.connections.add(ch);
				Thread.ofVirtual().name("forward-conn-" + id).start(() -> serve(ch, id, context));
			}
		}
		finally {
			closeAll();
		}
	}

	@Override
	public void exit() throws Exception {
		closeAll();
	}

	private void closeAll() {
		try {
			if (this.server != null) {
				this.server.close();
			}
		}
		catch (IOException ex) {
			// closing
		}
		for (SocketChannel c : this.connections) {
			try {
				c.close();
			}
			catch (IOException ex) {
				// closing
			}
		}
		if (this.config != null && this.config.unixPath != null && !this.config.unixPath.isEmpty()) {
			try {
				Files.deleteIfExists(Path.of(this.config.unixPath));
			}
			catch (IOException ex) {
				// best effort
			}
		}
	}

	/** Per-connection state. */
	private final class Connection {

		final SocketChannel ch;

		final long id;

		final InputContext ctx;

		byte[] buf;

		int start;

		int end;

		boolean authenticated;

		byte[] nonce;

		byte[] authSalt;

		final ForwardDecoder decoder;

		/** Events decoded and not yet appended (then copied by the engine). */
		final dev.sluice.net.forward.ByteSink pending = new dev.sluice.net.forward.ByteSink(PENDING_INITIAL);

		String pendingTag;

		/** The tag of the last message, as decoded and with tag_prefix. */
		String lastTag;

		String lastFullTag;

		int pendingRecords;

		/** Set when the connection runs TLS. */
		javax.net.ssl.SSLSocket ssl;

		java.io.InputStream in;

		java.io.OutputStream out;

		int read(byte[] b, int off, int len) throws IOException {
			if (this.ssl != null) {
				return this.in.read(b, off, len);
			}
			return this.ch.read(ByteBuffer.wrap(b, off, len));
		}

		Connection(SocketChannel ch, long id, InputContext ctx) {
			this.ch = ch;
			this.id = id;
			this.ctx = ctx;
			this.buf = new byte[ForwardInput.this.initialBuffer];
			this.authenticated = (ForwardInput.this.sharedKey == null);
			this.decoder = new ForwardDecoder(Math.max(ForwardInput.this.maxFrame * 16, 64L << 20));
		}

		private String peer;

		String peer() {
			if (this.peer == null) {
				try {
					SocketAddress a = this.ch.getRemoteAddress();
					this.peer = (a != null && !a.toString().isEmpty()) ? a.toString() : "unix";
				}
				catch (IOException ex) {
					return "?";
				}
			}
			return this.peer;
		}
	}

	private void serve(SocketChannel ch, long id, InputContext ctx) {
		Connection c = new Connection(ch, id, ctx);
		c.peer();
		try {
			if (this.tls != null) {
				javax.net.ssl.SSLSocket ss = (javax.net.ssl.SSLSocket) this.tls.getSocketFactory()
					.createSocket(ch.socket(), null, true);
				ss.setUseClientMode(false);
				ss.setNeedClientAuth(this.tlsNeedClientAuth);
				if (this.tlsProtocols != null) {
					ss.setEnabledProtocols(this.tlsProtocols);
				}
				ss.setSoTimeout(10_000);
				try {
					ss.startHandshake();
				}
				catch (IOException ex) {
					this.log.error("fd={} peer={}: TLS handshake failed: {}", id, c.peer(), ex.getMessage());
					return;
				}
				ss.setSoTimeout(0);
				c.ssl = ss;
				c.in = ss.getInputStream();
				c.out = ss.getOutputStream();
			}
			if (!c.authenticated) {
				c.nonce = Handshake.random(16);
				c.authSalt = Handshake.random(16);
				write(c, Handshake.heloFluentBit(c.nonce, c.authSalt));
			}
			while (ctx.isRunning()) {
				if (ctx.isPaused() && !ctx.awaitResume()) {
					break;
				}
				if (c.end == c.buf.length) {
					if (c.start > 0) {
						System.arraycopy(c.buf, c.start, c.buf, 0, c.end - c.start);
						c.end -= c.start;
						c.start = 0;
					}
					else if (c.buf.length >= this.maxFrame) {
						this.log.error("fd={} peer={}: message exceeds buffer_max_size ({} bytes); closing connection", c.id,
								c.peer(), this.maxFrame);
						return;
					}
					else {
						c.buf = Arrays.copyOf(c.buf, (int) Math.min(Math.min((long) c.buf.length * 2, this.maxFrame),
								Integer.MAX_VALUE - 16));
					}
				}
				int r = c.read(c.buf, c.end, c.buf.length - c.end);
				if (r < 0) {
					if (c.end > c.start) {
						this.log.warn("fd={} peer={}: connection closed with {} bytes of an incomplete message", c.id, c.peer(),
								c.end - c.start);
					}
					return;
				}
				c.end += r;
				if (!process(c)) {
					return;
				}
				if (c.start == c.end) {
					c.start = 0;
					c.end = 0;
				}
			}
		}
		catch (ClosedChannelException ex) {
			// stopped, or closed by the peer while we wrote
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			if (ctx.isRunning()) {
				this.log.debug("fd={}: connection error: {}", id, ex.getMessage());
			}
		}
		catch (RuntimeException ex) {
			this.log.error("fd={}: unexpected error, closing connection: {}", id, ex.toString());
		}
		finally {
			this.connections.remove(ch);
			try {
				if (c.ssl != null) {
					c.ssl.close();
				}
				ch.close();
			}
			catch (IOException ex) {
				// closing
			}
		}
	}

	/** Pending events are appended once they reach this size (or before an ack, a tag change, a read). */
	private static final int PENDING_LIMIT = 1 << 20;

	/** The pending buffer's first size. */
	private static final int PENDING_INITIAL = 64 * 1024;

	/**
	 * Handles every complete message in the buffer. Consecutive messages with the same tag are
	 * appended together (Message mode clients send one record per message); pending events are
	 * always appended before an ack is written. False: close the connection.
	 */
	private boolean process(Connection c) throws IOException {
		try {
			while (c.start < c.end) {
				int e;
				try {
					e = MsgpackBytes.end(c.buf, c.start, c.end);
				}
				catch (MsgpackBytes.InvalidMsgpackException ex) {
					this.log.error("fd={} peer={}: invalid data, not msgpack ({}); closing connection", c.id, c.peer(),
							ex.getMessage());
					return flushPending(c) && false;
				}
				if (e == MsgpackBytes.INCOMPLETE) {
					return true;
				}
				int s = c.start;
				c.start = e;
				if (MsgpackBytes.isNil(c.buf, s)) {
					continue;
				}
				if (!c.authenticated) {
					if (!handshake(c, s, e)) {
						return false;
					}
					continue;
				}
				ForwardDecoder.Decoded d;
				int mark = c.pending.size();
				try {
					// a message under another tag first appends what is pending: events are decoded
					// straight into the pending buffer
					String tag = tagOf(c, c.decoder.tag(c.buf, s, e));
					if (c.pendingTag != null && !c.pendingTag.equals(tag)) {
						if (!flushPending(c)) {
							return false;
						}
						mark = 0;
					}
					d = c.decoder.decodeInto(c.buf, s, e, c.pending);
				}
				catch (ForwardDecoder.ProtocolException ex) {
					this.log.error("fd={} peer={}: invalid forward message: {}; closing connection", c.id, c.peer(),
							ex.getMessage());
					return flushPending(c) && false;
				}
				if (d.signal() != 0) {
					c.pending.truncate(mark);
					this.log.warn("fd={}: fluent_signal={} (metrics/traces) is not supported; message dropped", c.id,
							d.signal());
				}
				else {
					if (d.skipped() > 0) {
						this.log.warn("fd={}: skipped {} invalid entries in a {} message (tag={})", c.id, d.skipped(),
								d.mode(), d.tag());
					}
					if (d.records() > 0) {
						c.pendingTag = c.lastFullTag;
						c.pendingRecords += d.records();
					}
				}
				String chunk = d.chunk();
				if (chunk != null || c.pending.size() >= PENDING_LIMIT) {
					if (!flushPending(c)) {
						return false;
					}
				}
				if (chunk != null) {
					write(c, ack(chunk));
				}
			}
			return true;
		}
		finally {
			// nothing is held back across reads
			if (c.pendingRecords > 0) {
				flushPending(c);
			}
		}
	}

	/** The tag events of a message get: {@code tag_prefix} and the message's tag (the last one kept). */
	private String tagOf(Connection c, String tag) {
		if (tag != c.lastTag) {
			c.lastTag = tag;
			c.lastFullTag = (this.config.tagPrefix != null) ? this.config.tagPrefix + tag : tag;
		}
		return c.lastFullTag;
	}

	/**
	 * Appends the pending events; false when the instance has stopped (they were not taken). The
	 * engine copies them ({@link InputContext#appendCopy}): the pending buffer is used again.
	 */
	private boolean flushPending(Connection c) {
		if (c.pendingRecords == 0) {
			c.pending.reset();
			return true;
		}
		try {
			c.ctx.appendCopy(c.pendingTag, new EventBytes(c.pending.array(), 0, c.pending.size(), c.pendingRecords));
			return true;
		}
		catch (IllegalStateException ex) {
			this.log.debug("fd={}: input stopped; events not acknowledged", c.id);
			return false;
		}
		finally {
			c.pending.reset();
			c.pendingRecords = 0;
			c.pendingTag = null;
		}
	}

	private boolean handshake(Connection c, int s, int e) throws IOException {
		Object msg;
		try {
			msg = Handshake.decodeRaw(c.buf, s, e - s);
		}
		catch (IOException | RuntimeException ex) {
			this.log.error("fd={} peer={}: invalid handshake message; closing connection", c.id, c.peer());
			return false;
		}
		Handshake.Ping ping = Handshake.parsePing(msg);
		if (ping == null) {
			this.log.error("fd={} peer={}: expected PING before any data (shared_key is set); closing connection", c.id,
					c.peer());
			return false;
		}
		String expected = Handshake.sharedKeyDigest(ping.salt(), ping.hostname(), c.nonce, this.sharedKey);
		String reason = null;
		if (!java.security.MessageDigest.isEqual(expected.getBytes(), ping.digest().getBytes())) {
			reason = "shared_key mismatch";
		}
		else if (!this.users.isEmpty()) {
			String pass = this.users.get(ping.username());
			String pd = (pass != null) ? Handshake.passwordDigest(c.authSalt, ping.username(), pass) : null;
			if (pd == null || !java.security.MessageDigest.isEqual(pd.getBytes(), ping.passwordDigest().getBytes())) {
				reason = "username/password mismatch";
			}
		}
		if (reason != null) {
			this.log.warn("fd={} peer={}: handshake refused for client '{}': {}", c.id, c.peer(), ping.hostname(), reason);
			write(c, Handshake.pong(false, reason, "", ""));
			return false;
		}
		write(c, Handshake.pong(true, "", this.selfHostname,
				Handshake.sharedKeyDigest(ping.salt(), this.selfHostname, c.nonce, this.sharedKey)));
		c.authenticated = true;
		return true;
	}

	static byte[] ack(String chunk) {
		byte[] k = chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		try (var p = org.msgpack.core.MessagePack.newDefaultBufferPacker()) {
			p.packMapHeader(1);
			p.packString("ack");
			p.packRawStringHeader(k.length);
			p.writePayload(k);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void write(Connection c, byte[] bytes) throws IOException {
		if (c.ssl != null) {
			c.out.write(bytes);
			c.out.flush();
			return;
		}
		ByteBuffer bb = ByteBuffer.wrap(bytes);
		while (bb.hasRemaining()) {
			c.ch.write(bb);
		}
	}

	/** For tests: the number of open client connections. */
	int openConnections() {
		return this.connections.size();
	}
}
