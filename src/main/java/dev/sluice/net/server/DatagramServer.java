package dev.sluice.net.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The receiving side of a datagram input: UDP ({@link #udp}) or a UNIX datagram socket
 * ({@link #unix}, through {@link UnixDatagramSocket} since the JDK has no UNIX datagram channel).
 * Bound in the input's {@code init}, so a taken port fails the start with a message naming the
 * address. One reader at a time.
 */
public abstract sealed class DatagramServer implements AutoCloseable {

	private final String address;

	DatagramServer(String address) {
		this.address = address;
	}

	/** {@code listen:port} or {@code unix://path}. */
	public String address() {
		return this.address;
	}

	/**
	 * Receives one datagram into {@code buf} (truncated to its length). Returns the datagram's
	 * length, or -1 when the wait timed out (UNIX sockets wake up regularly so a stopping input
	 * is noticed). The sender's address is then {@link #lastSource()}.
	 * @throws ClosedChannelException once closed
	 */
	public abstract int receive(byte[] buf) throws IOException;

	/** The sender of the last datagram, Fluent Bit style ({@code udp://127.0.0.1:5000}, {@code unix://}). */
	public abstract String lastSource();

	/** Whether {@link #receive} must run on a platform thread (a native call pins a virtual thread's carrier). */
	public abstract boolean blocksNatively();

	@Override
	public abstract void close();

	/** Binds UDP on {@code listen:port}; {@code receiveBuffer} > 0 sets SO_RCVBUF. */
	public static DatagramServer udp(String listen, int port, int receiveBuffer) throws IOException {
		String address = listen + ":" + port;
		DatagramChannel ch = DatagramChannel.open();
		try {
			if (receiveBuffer > 0) {
				ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
			}
			ch.bind(new InetSocketAddress(listen, port));
		}
		catch (IOException | RuntimeException ex) {
			ch.close();
			throw new IOException("could not bind address " + address + ": " + StreamServer.bindMessage(ex), ex);
		}
		return new Udp(ch, address);
	}

	/** Binds a UNIX datagram socket at {@code path} (a stale file is replaced), with octal {@code perm}. */
	public static DatagramServer unix(String path, String perm, int receiveBuffer) throws IOException {
		Path p = Path.of(path);
		StreamServer.removeStale(p);
		UnixDatagramSocket s = UnixDatagramSocket.bind(p);
		try {
			if (receiveBuffer > 0) {
				s.setReceiveBuffer(receiveBuffer);
			}
			StreamServer.applyPermissions(p, perm);
		}
		catch (IOException | RuntimeException ex) {
			s.close();
			throw ex;
		}
		return new Unix(s, p, "unix://" + path);
	}

	static final class Udp extends DatagramServer {

		private final DatagramChannel ch;

		private String last;

		Udp(DatagramChannel ch, String address) {
			super(address);
			this.ch = ch;
		}

		@Override
		public int receive(byte[] buf) throws IOException {
			ByteBuffer bb = ByteBuffer.wrap(buf);
			SocketAddress from = this.ch.receive(bb);
			this.last = Addresses.format("udp", from);
			return bb.position();
		}

		@Override
		public String lastSource() {
			return this.last;
		}

		@Override
		public boolean blocksNatively() {
			return false;
		}

		@Override
		public void close() {
			try {
				this.ch.close();
			}
			catch (IOException ex) {
				// closing
			}
		}

		/** The bound port (for tests binding port 0). */
		int port() throws IOException {
			return ((InetSocketAddress) this.ch.getLocalAddress()).getPort();
		}
	}

	static final class Unix extends DatagramServer {

		private final UnixDatagramSocket socket;

		private final Path path;

		Unix(UnixDatagramSocket socket, Path path, String address) {
			super(address);
			this.socket = socket;
			this.path = path;
		}

		@Override
		public int receive(byte[] buf) throws IOException {
			return this.socket.receive(buf, 250);
		}

		@Override
		public String lastSource() {
			return "unix://";
		}

		@Override
		public boolean blocksNatively() {
			return true;
		}

		@Override
		public void close() {
			this.socket.close();
			try {
				Files.deleteIfExists(this.path);
			}
			catch (IOException ex) {
				// best effort
			}
		}
	}
}
