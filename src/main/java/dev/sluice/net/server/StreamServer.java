package dev.sluice.net.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;

import dev.sluice.config.ConfigValues;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.InputContext;

/**
 * The listening side of a stream input (TCP or a UNIX stream socket): binds in the input's
 * {@code init} (so a taken port fails the start with a message naming the address), accepts on
 * the input's collector thread and serves each connection on its own virtual thread. Optional
 * TLS and idle timeout ({@link #configure}). {@link #close()} closes the listener and every open
 * connection.
 */
public final class StreamServer implements AutoCloseable {

	/** Serves one accepted connection until it returns; the server closes the connection afterwards. */
	@FunctionalInterface
	public interface Handler {

		void serve(Connection connection) throws IOException, InterruptedException;
	}

	private final ServerSocketChannel server;

	private final String address;

	private final Path unixPath;

	private final Logger log;

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	/** {@code net.max_connections}, set by {@link #configure}. */
	private ConnectionLimit limit;

	private final AtomicLong ids = new AtomicLong();

	private SSLContext tls;

	private String[] tlsProtocols;

	private boolean tlsNeedClientAuth;

	private int ioTimeoutMillis;

	private StreamServer(ServerSocketChannel server, String address, Path unixPath, Logger log) {
		this.server = server;
		this.address = address;
		this.unixPath = unixPath;
		this.log = log;
	}

	/** Binds a TCP listener on {@code listen:port}. */
	public static StreamServer tcp(String listen, int port, int backlog, Logger log) throws IOException {
		String address = listen + ":" + port;
		ServerSocketChannel ch = ServerSocketChannel.open();
		try {
			ch.bind(new InetSocketAddress(listen, port), backlog);
		}
		catch (IOException | RuntimeException ex) {
			ch.close();
			throw new IOException("could not bind address " + address + ": " + bindMessage(ex), ex);
		}
		return new StreamServer(ch, address, null, log);
	}

	/**
	 * Binds a UNIX stream socket at {@code path} (a stale socket file is replaced) with the octal
	 * permissions {@code perm} when given.
	 */
	public static StreamServer unix(String path, String perm, int backlog, Logger log) throws IOException {
		Path p = Path.of(path);
		String address = "unix://" + path;
		removeStale(p);
		ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			ch.bind(UnixDomainSocketAddress.of(p), backlog);
		}
		catch (IOException | RuntimeException ex) {
			ch.close();
			throw new IOException("could not bind address " + address + ": " + bindMessage(ex), ex);
		}
		try {
			applyPermissions(p, perm);
		}
		catch (IOException | RuntimeException ex) {
			ch.close();
			throw ex;
		}
		return new StreamServer(ch, address, p, log);
	}

	/** Serves accepted connections over TLS. */
	public StreamServer tls(SSLContext context, String[] protocols, boolean needClientAuth) {
		this.tls = context;
		this.tlsProtocols = protocols;
		this.tlsNeedClientAuth = needClientAuth;
		return this;
	}

	/**
	 * Applies the instance's {@code net.io_timeout} (a connection idle that long is closed; 0, the
	 * default, waits forever), {@code net.max_connections} (see {@link ConnectionLimit}) and, with {@code tls on}, its {@code tls.*} server settings. Closes
	 * the listener when the settings are unusable.
	 */
	public StreamServer configure(InputContext context) throws IOException {
		try {
			this.limit = ConnectionLimit.of(context);
			String io = context.property("net.io_timeout");
			if (io != null && !io.isBlank()) {
				long ms = ConfigValues.parseTime(io).toMillis();
				this.ioTimeoutMillis = (int) Math.min(Math.max(ms, 0), Integer.MAX_VALUE);
			}
			if (bool(context, "tls", false)) {
				TlsSupport.Options o = new TlsSupport.Options(bool(context, "tls.verify", true),
						context.property("tls.ca_file"), context.property("tls.ca_path"), context.property("tls.crt_file"),
						context.property("tls.key_file"), null, false, context.property("tls.min_version"),
						context.property("tls.max_version"));
				boolean verifyClient = bool(context, "tls.verify_client_cert", false);
				tls(TlsSupport.server(o, verifyClient), TlsSupport.protocols(o), verifyClient);
			}
			return this;
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private static boolean bool(InputContext context, String key, boolean def) {
		String v = context.property(key);
		return (v != null) ? ConfigValues.parseBool(v) : def;
	}

	/** Closes connections idle for longer than this (0: never). */
	public StreamServer ioTimeout(int millis) {
		this.ioTimeoutMillis = millis;
		return this;
	}

	/** {@code listen:port} or {@code unix://path}. */
	public String address() {
		return this.address;
	}

	public SocketAddress localAddress() throws IOException {
		return this.server.getLocalAddress();
	}

	/** For tests and metrics: connections open now. */
	public int openConnections() {
		return this.connections.size();
	}

	/**
	 * Accepts until the input stops (or the listener is closed), serving each connection on a new
	 * virtual thread named {@code <prefix>-<n>}; then closes everything.
	 */
	public void run(InputContext context, String threadPrefix, Handler handler) throws InterruptedException {
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
					if (!context.sleep(Duration.ofMillis(100))) {
						break;
					}
					continue;
				}
				if (this.limit != null && !this.limit.admit(ch, this.connections.size(), this.log)) {
					continue;
				}
				Connection c = new Connection(ch, this.ids.incrementAndGet(), this.unixPath != null);
				this.connections.add(c);
				Thread.ofVirtual().name(threadPrefix + "-" + c.id).start(() -> serve(c, context, handler));
			}
		}
		finally {
			close();
		}
	}

	private void serve(Connection c, InputContext context, Handler handler) {
		try {
			if (this.tls != null && !c.startTls(this.tls, this.tlsProtocols, this.tlsNeedClientAuth)) {
				return;
			}
			if (this.ioTimeoutMillis > 0) {
				c.timeout(this.ioTimeoutMillis);
			}
			handler.serve(c);
		}
		catch (SocketTimeoutException ex) {
			this.log.info("fd={} peer={}: no data for {} ms (net.io_timeout); closing connection", c.id,
					c.remoteAddress(), this.ioTimeoutMillis);
		}
		catch (ClosedChannelException ex) {
			// stopped, or closed by the peer
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			if (context.isRunning()) {
				this.log.debug("fd={} peer={}: connection error: {}", c.id, c.remoteAddress(), ex.getMessage());
			}
		}
		catch (RuntimeException ex) {
			this.log.error("fd={} peer={}: unexpected error, closing connection: {}", c.id, c.remoteAddress(),
					ex.toString());
		}
		finally {
			this.connections.remove(c);
			c.close();
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing
		}
		for (Connection c : this.connections) {
			c.close();
		}
		if (this.unixPath != null) {
			try {
				Files.deleteIfExists(this.unixPath);
			}
			catch (IOException ex) {
				// best effort
			}
		}
	}

	/** One accepted connection. */
	public static final class Connection {

		private final SocketChannel ch;

		private final long id;

		private final String remote;

		private SSLSocket ssl;

		private InputStream in;

		Connection(SocketChannel ch, long id, boolean unix) {
			this.ch = ch;
			this.id = id;
			this.remote = unix ? "unix://" + unixPeer(ch) : tcpPeer(ch);
		}

		private static String tcpPeer(SocketChannel ch) {
			try {
				return Addresses.format("tcp", ch.getRemoteAddress());
			}
			catch (IOException ex) {
				return "tcp://?";
			}
		}

		private static String unixPeer(SocketChannel ch) {
			try {
				SocketAddress a = ch.getRemoteAddress();
				return (a instanceof UnixDomainSocketAddress u) ? u.getPath().toString() : "";
			}
			catch (IOException ex) {
				return "";
			}
		}

		boolean startTls(SSLContext context, String[] protocols, boolean needClientAuth) throws IOException {
			SSLSocket ss = (SSLSocket) context.getSocketFactory().createSocket(this.ch.socket(), null, true);
			ss.setUseClientMode(false);
			ss.setNeedClientAuth(needClientAuth);
			if (protocols != null) {
				ss.setEnabledProtocols(protocols);
			}
			ss.setSoTimeout(10_000);
			try {
				ss.startHandshake();
			}
			catch (IOException ex) {
				LOG.error("fd={} peer={}: TLS handshake failed: {}", this.id, this.remote, ex.getMessage());
				return false;
			}
			ss.setSoTimeout(0);
			this.ssl = ss;
			this.in = ss.getInputStream();
			return true;
		}

		/** Reads time out after this long (through the socket's stream, which honours SO_TIMEOUT). */
		void timeout(int millis) throws IOException {
			if (this.ssl != null) {
				this.ssl.setSoTimeout(millis);
			}
			else {
				this.ch.socket().setSoTimeout(millis);
				this.in = this.ch.socket().getInputStream();
			}
		}

		/** The connection's number, for log lines ({@code fd=N}). */
		public long id() {
			return this.id;
		}

		/** Fluent Bit's form: {@code tcp://127.0.0.1:40000}, {@code unix://path} (empty for an unnamed peer). */
		public String remoteAddress() {
			return this.remote;
		}

		/** Reads up to {@code len} bytes; -1 at end of stream. Blocks (parking the virtual thread). */
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.in != null) {
				return this.in.read(b, off, len);
			}
			return this.ch.read(ByteBuffer.wrap(b, off, len));
		}

		public void close() {
			try {
				if (this.ssl != null) {
					this.ssl.close();
				}
				this.ch.close();
			}
			catch (IOException ex) {
				// closing
			}
		}
	}

	private static final Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamServer.class);

	static String bindMessage(Throwable ex) {
		if (ex instanceof BindException) {
			return "address already in use or not available (" + ex.getMessage() + ")";
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	static void removeStale(Path p) throws IOException {
		if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p)) {
			// a stale socket file from an earlier run
			Files.delete(p);
		}
	}

	/** Sets octal permissions such as {@code 0600} on a socket file; nothing when {@code perm} is empty. */
	static void applyPermissions(Path p, String perm) throws IOException {
		if (perm == null || perm.isEmpty()) {
			return;
		}
		int mode;
		try {
			mode = Integer.parseInt(perm, 8);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("unix_perm must be an octal mode such as 0644, got '" + perm + "'");
		}
		Files.setPosixFilePermissions(p, permissions(mode));
	}

	static Set<PosixFilePermission> permissions(int mode) {
		Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
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
}
