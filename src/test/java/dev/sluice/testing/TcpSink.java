package dev.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server for output tests: accepts connections on loopback and records every byte each
 * connection sends. {@link #dropConnections()} closes the accepted sockets (a peer that goes
 * away while the client keeps its connection alive).
 */
public final class TcpSink implements AutoCloseable {

	private final ServerSocket server;

	private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	public TcpSink(int port) throws IOException {
		this.server = new ServerSocket();
		this.server.setReuseAddress(true);
		this.server.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
		Thread.ofVirtual().start(this::acceptLoop);
	}

	public TcpSink() throws IOException {
		this(0);
	}

	public int port() {
		return this.server.getLocalPort();
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket s = this.server.accept();
				this.sockets.add(s);
				ByteArrayOutputStream buf = new ByteArrayOutputStream();
				this.connections.add(buf);
				Thread.ofVirtual().start(() -> read(s, buf));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private static void read(Socket s, ByteArrayOutputStream buf) {
		try (s; InputStream in = s.getInputStream()) {
			byte[] b = new byte[8192];
			int n;
			while ((n = in.read(b)) >= 0) {
				synchronized (buf) {
					buf.write(b, 0, n);
				}
			}
		}
		catch (IOException ex) {
			// connection ends
		}
	}

	/** Number of connections accepted so far. */
	public int connectionCount() {
		return this.connections.size();
	}

	/** Bytes received on connection {@code i} (in accept order). */
	public byte[] bytes(int i) {
		ByteArrayOutputStream b = this.connections.get(i);
		synchronized (b) {
			return b.toByteArray();
		}
	}

	/** Every byte received, connections concatenated in accept order. */
	public byte[] all() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < this.connections.size(); i++) {
			out.writeBytes(bytes(i));
		}
		return out.toByteArray();
	}

	public int size() {
		return all().length;
	}

	/** The client-side ports of the accepted connections, in accept order. */
	public List<Integer> remotePorts() {
		return this.sockets.stream().map(Socket::getPort).toList();
	}

	/** Closes every accepted connection (the server keeps listening). */
	public void dropConnections() throws IOException {
		for (Socket s : this.sockets) {
			s.close();
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		dropConnections();
	}
}
