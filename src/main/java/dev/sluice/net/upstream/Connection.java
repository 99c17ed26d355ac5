package dev.sluice.net.upstream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection handed out by an {@link Upstream} ({@code flb_connection}): a TCP socket
 * (maybe TLS) or a UNIX socket channel, with buffered streams. Used by one flush at a time;
 * give it back with {@link Upstream#release} when the exchange succeeded, or
 * {@link Upstream#discard} (or {@link #close()}) when it failed.
 */
public final class Connection implements AutoCloseable {

	private final Upstream upstream;

	private final Socket socket;

	private final SocketChannel channel;

	private final BufferedInputStream in;

	private final BufferedOutputStream out;

	boolean reused;

	int uses;

	long lastUsed = System.nanoTime();

	/** State a protocol keeps with the connection (e.g. a msgpack reader over {@link #in()}). */
	private Object attachment;

	Connection(Upstream upstream, Socket socket, SocketChannel channel, InputStream in, OutputStream out) {
		this.upstream = upstream;
		this.socket = socket;
		this.channel = channel;
		this.in = new BufferedInputStream(in, 16 * 1024);
		this.out = new BufferedOutputStream(out, 64 * 1024);
	}

	/** The upstream this connection belongs to. */
	public Upstream upstream() {
		return this.upstream;
	}

	/** Whether this connection was kept alive from an earlier flush (false: freshly connected). */
	public boolean reused() {
		return this.reused;
	}

	public InputStream in() {
		return this.in;
	}

	public OutputStream out() {
		return this.out;
	}

	@SuppressWarnings("unchecked")
	public <T> T attachment() {
		return (T) this.attachment;
	}

	public void attach(Object value) {
		this.attachment = value;
	}

	/** The socket (null for a UNIX socket). */
	public Socket socket() {
		return this.socket;
	}

	/**
	 * Writes all bytes and flushes, within {@code net.io_timeout} when one is set (a peer that
	 * stops reading gets the connection closed, and this throws).
	 */
	public void write(byte[] b, int off, int len) throws IOException {
		try (AutoCloseable guard = ioGuard(this.upstream.settings().ioTimeout())) {
			this.out.write(b, off, len);
			this.out.flush();
		}
		catch (IOException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IOException(ex);
		}
	}

	public void write(byte[] b) throws IOException {
		write(b, 0, b.length);
	}

	/**
	 * Closes the connection when {@code timeout} passes before the returned guard is closed: a
	 * bound for blocking writes (Java sockets have no write timeout). Zero means no bound.
	 */
	public AutoCloseable ioGuard(Duration timeout) {
		if (timeout == null || timeout.isZero() || timeout.isNegative()) {
			return () -> {
			};
		}
		CompletableFuture<Void> timer = CompletableFuture.runAsync(this::close,
				CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
		return () -> timer.cancel(false);
	}

	/** Sets the read timeout (TCP only; a UNIX socket has none: use {@link #ioGuard}). */
	public void readTimeout(Duration timeout) throws IOException {
		if (this.socket != null) {
			this.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
		}
	}

	/**
	 * Whether a kept-alive connection can no longer be used: closed, closed by the peer while idle
	 * (end of stream), or holding bytes nobody asked for. Checked before reuse, so that a flush is
	 * not written into a connection the peer already dropped.
	 */
	boolean isBroken() {
		if (this.socket == null) {
			return !this.channel.isOpen();
		}
		if (this.socket.isClosed()) {
			return true;
		}
		try {
			if (this.in.available() > 0) {
				return true;
			}
			this.socket.setSoTimeout(1);
			this.in.mark(1);
			int b = this.in.read();
			if (b < 0) {
				return true;
			}
			this.in.reset();
			// unsolicited data: a protocol that expects none cannot trust this connection
			return true;
		}
		catch (SocketTimeoutException ex) {
			try {
				this.socket.setSoTimeout(0);
				return false;
			}
			catch (IOException closed) {
				return true;
			}
		}
		catch (IOException ex) {
			return true;
		}
	}

	@Override
	public void close() {
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

	boolean isClosed() {
		return (this.socket != null) ? this.socket.isClosed() : !this.channel.isOpen();
	}
}
