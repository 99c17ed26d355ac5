package dev.sluice.plugins.out.forward;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.net.forward.ForwardDecoder;
import dev.sluice.net.forward.Handshake;
import dev.sluice.net.forward.MsgpackBytes;

/**
 * A Forward protocol server written for tests from the spec: records every message received
 * (raw bytes and decoded), answers acks (or not, or wrongly), and runs the HELO/PING/PONG
 * handshake as a server when given a shared key.
 */
final class FakeForwardServer implements AutoCloseable {

	enum AckMode {
		ANSWER, SILENT, WRONG
	}

	/** One received data message. */
	record Received(int connection, byte[] bytes, ForwardDecoder.Decoded decoded) {
	}

	final ServerSocket server;

	final List<Received> received = new CopyOnWriteArrayList<>();

	final List<String> pingHostnames = new CopyOnWriteArrayList<>();

	final AtomicInteger connections = new AtomicInteger();

	final List<Socket> sockets = new CopyOnWriteArrayList<>();

	volatile AckMode ackMode = AckMode.ANSWER;

	/** Close each connection after its first data message. */
	volatile boolean closeAfterMessage;

	final AtomicInteger closedByServer = new AtomicInteger();

	final String sharedKey;

	FakeForwardServer(int port, String sharedKey) throws IOException {
		this.server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
		this.sharedKey = sharedKey;
		Thread.ofVirtual().start(this::acceptLoop);
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket s = this.server.accept();
				this.sockets.add(s);
				int id = this.connections.incrementAndGet();
				Thread.ofVirtual().start(() -> serve(s, id));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket s, int id) {
		try (s) {
			InputStream in = s.getInputStream();
			OutputStream out = s.getOutputStream();
			byte[] nonce = Handshake.random(16);
			boolean authed = (this.sharedKey == null);
			if (!authed) {
				out.write(Handshake.helo(nonce, new byte[0]));
				out.flush();
			}
			byte[] buf = new byte[1 << 16];
			int len = 0;
			while (true) {
				if (len == buf.length) {
					buf = Arrays.copyOf(buf, buf.length * 2);
				}
				int r = in.read(buf, len, buf.length - len);
				if (r < 0) {
					return;
				}
				len += r;
				int p = 0;
				while (p < len) {
					int e = MsgpackBytes.end(buf, p, len);
					if (e < 0) {
						break;
					}
					byte[] frame = Arrays.copyOfRange(buf, p, e);
					p = e;
					if (!authed) {
						Handshake.Ping ping = Handshake.parsePing(Handshake.decodeRaw(frame, 0, frame.length));
						this.pingHostnames.add(ping.hostname());
						String expect = Handshake.sharedKeyDigest(ping.salt(), ping.hostname(), nonce, this.sharedKey);
						if (!expect.equals(ping.digest())) {
							out.write(Handshake.pong(false, "shared_key mismatch", "", ""));
							out.flush();
							return;
						}
						out.write(Handshake.pong(true, "", "fake-server",
								Handshake.sharedKeyDigest(ping.salt(), "fake-server", nonce, this.sharedKey)));
						out.flush();
						authed = true;
						continue;
					}
					ForwardDecoder.Decoded d = new ForwardDecoder(1 << 28).decode(frame, 0, frame.length);
					this.received.add(new Received(id, frame, d));
					if (d.chunk() != null) {
						switch (this.ackMode) {
							case ANSWER -> out.write(ack(d.chunk()));
							case WRONG -> out.write(ack("not-" + d.chunk()));
							case SILENT -> {
							}
						}
						out.flush();
					}
					if (this.closeAfterMessage) {
						s.close();
						this.closedByServer.incrementAndGet();
						return;
					}
				}
				System.arraycopy(buf, p, buf, 0, len - p);
				len -= p;
			}
		}
		catch (Exception ex) {
			// connection ends
		}
	}

	static byte[] ack(String chunk) throws IOException {
		try (var p = org.msgpack.core.MessagePack.newDefaultBufferPacker()) {
			p.packMapHeader(1);
			p.packString("ack");
			p.packString(chunk);
			return p.toByteArray();
		}
	}

	int records() {
		int n = 0;
		for (Received r : this.received) {
			n += r.decoded().records();
		}
		return n;
	}

	List<dev.sluice.event.LogEvent> events() {
		List<dev.sluice.event.LogEvent> out = new ArrayList<>();
		for (Received r : this.received) {
			out.addAll(dev.sluice.event.EventDecoder.decode(r.decoded().events(), 0, r.decoded().length()));
		}
		return out;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket s : this.sockets) {
			s.close();
		}
	}
}
