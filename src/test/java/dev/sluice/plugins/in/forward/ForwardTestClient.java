package dev.sluice.plugins.in.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.net.forward.Handshake;

/** A hand-written Forward protocol client for tests: raw frames in, decoded replies out. */
final class ForwardTestClient implements AutoCloseable {

	final Socket socket;

	final OutputStream out;

	final InputStream in;

	final MessageUnpacker unpacker;

	ForwardTestClient(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(20_000);
		this.out = this.socket.getOutputStream();
		this.in = this.socket.getInputStream();
		this.unpacker = MessagePack.newDefaultUnpacker(this.in);
	}

	void send(byte[] b) throws IOException {
		this.out.write(b);
		this.out.flush();
	}

	/** The next reply, strings kept as bytes. */
	Object read() throws IOException {
		return Handshake.decodeRaw(this.unpacker);
	}

	String readAck() throws IOException {
		Object v = read();
		return Handshake.text(((Map<?, ?>) v).get("ack"));
	}

	/** True when the server closed the connection (reads end of stream or a reset). */
	boolean closedByServer() {
		try {
			byte[] buf = new byte[4096];
			while (true) {
				int r = this.in.read(buf);
				if (r < 0) {
					return true;
				}
			}
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	// ---- frame builders

	static MessageBufferPacker packer() {
		return MessagePack.newDefaultBufferPacker();
	}

	static void pack(MessageBufferPacker p, Object v) throws IOException {
		MsgpackValues.pack(p, v);
	}

	static byte[] eventTime(long s, int ns) throws IOException {
		MessageBufferPacker p = packer();
		MsgpackValues.packEventTime(p, new EventTime(s, ns));
		return p.toByteArray();
	}

	/** A v1 entry {@code [time, record]}; time may be Long, Double or EventTime. */
	static byte[] entry(Object time, Map<String, ?> record) throws IOException {
		MessageBufferPacker p = packer();
		p.packArrayHeader(2);
		packTime(p, time);
		pack(p, record);
		return p.toByteArray();
	}

	/** A v2 entry {@code [[time, meta], record]}. */
	static byte[] entryV2(Object time, Map<String, ?> meta, Map<String, ?> record) throws IOException {
		MessageBufferPacker p = packer();
		p.packArrayHeader(2);
		p.packArrayHeader(2);
		packTime(p, time);
		pack(p, meta);
		pack(p, record);
		return p.toByteArray();
	}

	static void packTime(MessageBufferPacker p, Object time) throws IOException {
		switch (time) {
			case Long l -> p.packLong(l);
			case Double d -> p.packDouble(d);
			case EventTime t -> MsgpackValues.packEventTime(p, t);
			default -> throw new IllegalArgumentException();
		}
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		for (byte[] b : parts) {
			bos.writeBytes(b);
		}
		return bos.toByteArray();
	}

	static byte[] message(String tag, Object time, Map<String, ?> record, Map<String, ?> options) throws IOException {
		MessageBufferPacker p = packer();
		p.packArrayHeader(options != null ? 4 : 3);
		p.packString(tag);
		packTime(p, time);
		pack(p, record);
		if (options != null) {
			pack(p, options);
		}
		return p.toByteArray();
	}

	static byte[] forward(String tag, List<byte[]> entries, Map<String, ?> options) throws IOException {
		MessageBufferPacker p = packer();
		p.packArrayHeader(options != null ? 3 : 2);
		p.packString(tag);
		p.packArrayHeader(entries.size());
		for (byte[] e : entries) {
			p.writePayload(e);
		}
		if (options != null) {
			pack(p, options);
		}
		return p.toByteArray();
	}

	static byte[] packed(String tag, byte[] blob, boolean asBin, Map<String, ?> options) throws IOException {
		MessageBufferPacker p = packer();
		p.packArrayHeader(options != null ? 3 : 2);
		p.packString(tag);
		if (asBin) {
			p.packBinaryHeader(blob.length);
		}
		else {
			p.packRawStringHeader(blob.length);
		}
		p.writePayload(blob);
		if (options != null) {
			pack(p, options);
		}
		return p.toByteArray();
	}

	static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream bos = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
			gz.write(data);
		}
		return bos.toByteArray();
	}
}
