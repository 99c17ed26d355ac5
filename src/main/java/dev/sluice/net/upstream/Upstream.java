package dev.sluice.net.upstream;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.sluice.net.forward.TlsSupport;

/**
 * A client connection pool to one peer ({@code flb_upstream}): connects on demand (resolving the
 * host each time, trying every address in {@code net.dns.prefer_*} order, binding
 * {@code net.source_address}, with {@code net.connect_timeout} covering the TLS handshake), and
 * keeps released connections alive for the next flush ({@code net.keepalive}) until they idle
 * longer than {@code net.keepalive_idle_timeout} or have served {@code net.keepalive_max_recycle}
 * flushes. A kept-alive connection that the peer closed meanwhile is dropped before reuse.
 * Thread-safe: concurrent flushes each get their own connection.
 */
public final class Upstream implements AutoCloseable {

	private final String host;

	private final int port;

	private final String unixPath;

	private final NetSettings settings;

	private final SSLContext tls;

	private final ArrayDeque<Connection> idle = new ArrayDeque<>();

	private volatile boolean closed;

	/** A TCP (or TLS, when {@code settings.tls()} is set) upstream. */
	public Upstream(String host, int port, NetSettings settings) throws IOException {
		this(host, port, null, settings);
	}

	/** A UNIX socket upstream (no TLS). */
	public static Upstream unix(String path, NetSettings settings) throws IOException {
		return new Upstream(null, 0, path, settings.withTls(null));
	}

	private Upstream(String host, int port, String unixPath, NetSettings settings) throws IOException {
		this.host = host;
		this.port = port;
		this.unixPath = unixPath;
		this.settings = settings;
		this.tls = (settings.tls() != null) ? TlsSupport.client(settings.tls()) : null;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public NetSettings settings() {
		return this.settings;
	}

	/** {@code host:port} or {@code unix://path}, for log lines. */
	public String target() {
		return (this.unixPath != null) ? "unix://" + this.unixPath : this.host + ":" + this.port;
	}

	/** Number of idle kept-alive connections (for tests and metrics). */
	public int idleCount() {
		synchronized (this.idle) {
			return this.idle.size();
		}
	}

	/**
	 * A connection: a kept-alive one when a usable one is idle, else a new one.
	 * @throws IOException when connecting (or the TLS handshake) fails or times out
	 */
	public Connection acquire() throws IOException {
		if (this.closed) {
			throw new IOException("upstream " + target() + " is closed");
		}
		synchronized (this.idle) {
			while (!this.idle.isEmpty()) {
				Connection c = this.idle.pollFirst();
				if (System.nanoTime() - c.lastUsed > this.settings.keepaliveIdleTimeout().toNanos() || c.isBroken()) {
					c.close();
					continue;
				}
				c.reused = true;
				return c;
			}
		}
		Connection c = connect();
		c.reused = false;
		return c;
	}

	/**
	 * Gives back a connection after a successful exchange: kept for reuse (keep-alive on, not
	 * recycled too often), else closed.
	 */
	public void release(Connection c) {
		c.uses++;
		if (!this.settings.keepalive() || this.closed || c.isClosed()
				|| (this.settings.keepaliveMaxRecycle() > 0 && c.uses >= this.settings.keepaliveMaxRecycle())) {
			c.close();
			return;
		}
		c.lastUsed = System.nanoTime();
		synchronized (this.idle) {
			this.idle.addFirst(c);
		}
	}

	/** Closes a connection after a failed exchange. */
	public void discard(Connection c) {
		c.close();
	}

	private Connection connect() throws IOException {
		if (this.unixPath != null) {
			SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
			try {
				ch.connect(UnixDomainSocketAddress.of(this.unixPath));
			}
			catch (IOException ex) {
				ch.close();
				throw ex;
			}
			return new Connection(this, null, ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
		}
		int timeout = (int) Math.max(1, this.settings.connectTimeout().toMillis());
		IOException last = null;
		for (InetAddress address : resolve()) {
			Socket s = new Socket();
			try {
				if (this.settings.sourceAddress() != null) {
					s.bind(this.settings.sourceAddress());
				}
				s.setTcpNoDelay(true);
				if (this.settings.tcpKeepalive()) {
					s.setKeepAlive(true);
					keepaliveOption(s, jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, this.settings.tcpKeepaliveTime());
					keepaliveOption(s, jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, this.settings.tcpKeepaliveInterval());
					keepaliveOption(s, jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, this.settings.tcpKeepaliveProbes());
				}
				s.connect(new InetSocketAddress(address, this.port), timeout);
				if (this.tls != null) {
					s = startTls(s, timeout);
				}
				return new Connection(this, s, null, s.getInputStream(), s.getOutputStream());
			}
			catch (SocketTimeoutException ex) {
				closeQuietly(s);
				last = new SocketTimeoutException("connection timeout after " + this.settings.connectTimeout().toMillis()
						+ " ms to " + target());
			}
			catch (IOException ex) {
				closeQuietly(s);
				last = ex;
			}
		}
		throw (last != null) ? last : new IOException("could not resolve " + this.host);
	}

	private static void keepaliveOption(Socket s, java.net.SocketOption<Integer> option, int value) {
		if (value > 0) {
			try {
				s.setOption(option, value);
			}
			catch (IOException | UnsupportedOperationException ex) {
				// not supported on this platform: the system default applies
			}
		}
	}

	private List<InetAddress> resolve() throws IOException {
		List<InetAddress> all = new ArrayList<>(Arrays.asList(InetAddress.getAllByName(this.host)));
		if (this.settings.preferIpv4()) {
			all.sort(Comparator.comparingInt((a) -> (a instanceof Inet4Address) ? 0 : 1));
		}
		else if (this.settings.preferIpv6()) {
			all.sort(Comparator.comparingInt((a) -> (a instanceof Inet6Address) ? 0 : 1));
		}
		return all;
	}

	private Socket startTls(Socket plain, int timeout) throws IOException {
		TlsSupport.Options o = this.settings.tls();
		String name = (o.vhost() != null) ? o.vhost() : this.host;
		try {
			SSLSocket ss = (SSLSocket) this.tls.getSocketFactory().createSocket(plain, name, this.port, true);
			SSLParameters params = ss.getSSLParameters();
			if (!name.isEmpty() && !Character.isDigit(name.charAt(0)) && !name.contains(":")) {
				params.setServerNames(List.of(new SNIHostName(name)));
			}
			if (o.verify() && o.verifyHostname()) {
				params.setEndpointIdentificationAlgorithm("HTTPS");
			}
			String[] protocols = TlsSupport.protocols(o);
			if (protocols != null) {
				params.setProtocols(protocols);
			}
			if (this.settings.tlsCiphers() != null) {
				params.setCipherSuites(this.settings.tlsCiphers().split("[:,]"));
			}
			ss.setSSLParameters(params);
			ss.setSoTimeout(timeout);
			ss.startHandshake();
			ss.setSoTimeout(0);
			return ss;
		}
		catch (IOException ex) {
			closeQuietly(plain);
			throw new IOException("TLS handshake failed: " + ex.getMessage(), ex);
		}
	}

	private static void closeQuietly(Socket s) {
		try {
			s.close();
		}
		catch (IOException ex) {
			// closing
		}
	}

	/** Closes the idle connections; connections in use are closed when released. */
	@Override
	public void close() {
		this.closed = true;
		synchronized (this.idle) {
			for (Connection c : this.idle) {
				c.close();
			}
			this.idle.clear();
		}
	}
}
