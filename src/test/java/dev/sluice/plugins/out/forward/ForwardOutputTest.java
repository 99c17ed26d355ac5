package dev.sluice.plugins.out.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.net.forward.ForwardDecoder;
import dev.sluice.net.forward.ForwardEncoder;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

class ForwardOutputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	static final EventTime T = new EventTime(1_795_314_791L, 266_955_607);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	static EventBytes events(int n) {
		EventEncoder enc = new EventEncoder();
		for (int i = 0; i < n; i++) {
			enc.append(new EventTime(T.seconds() + i, T.nanos()), rec("origin", "test"), rec("n", (long) i, "service", "web"));
		}
		return EventBytes.of(enc);
	}

	static ForwardOutputConfig config(int port) {
		ForwardOutputConfig c = new ForwardOutputConfig();
		c.host = "127.0.0.1";
		c.port = port;
		c.retainMetadataInForwardMode = true;
		c.username = "";
		c.password = "";
		c.tlsVerify = true;
		return c;
	}

	private FakeForwardServer server(int port, String key) throws Exception {
		FakeForwardServer s = new FakeForwardServer(port, key);
		this.closeables.add(s);
		return s;
	}

	private final TestContext ctx = new TestContext("forward.0");

	private ForwardOutput output(ForwardOutputConfig c) throws Exception {
		ForwardOutput o = new ForwardOutput();
		this.ctx.properties().putIfAbsent("net.io_timeout", "1s");
		o.init(c, this.ctx);
		this.closeables.add(o::exit);
		return o;
	}

	private FlushResult flush(ForwardOutput o, String tag, EventBytes ev) throws Exception {
		return o.flush(TestChunk.of(tag, ev), this.ctx);
	}

	@Test
	void defaultIsForwardModeOnOneKeptAliveConnection() throws Exception {
		FakeForwardServer srv = server(0, null);
		ForwardOutput o = output(config(srv.port()));
		EventBytes ev = events(3);
		assertThat(flush(o, "app.log", ev)).isEqualTo(FlushResult.OK);
		assertThat(flush(o, "app.log", events(2))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "2 messages", () -> srv.received.size() == 2);
		assertThat(srv.connections.get()).isEqualTo(1);
		byte[] expected = new byte[ev.length() + 10];
		byte[] head = HexFormat.of().parseHex("92a76170702e6c6f6793");
		System.arraycopy(head, 0, expected, 0, head.length);
		System.arraycopy(ev.data(), ev.offset(), expected, head.length, ev.length());
		assertThat(srv.received.get(0).bytes()).isEqualTo(expected);
		assertThat(srv.received.get(0).decoded().mode()).isEqualTo(ForwardDecoder.Mode.FORWARD);
		assertThat(srv.events().get(0).metadata()).isEqualTo(rec("origin", "test"));
	}

	@Test
	void requireAckResponseWaitsForTheAck() throws Exception {
		FakeForwardServer srv = server(0, null);
		ForwardOutputConfig c = config(srv.port());
		c.requireAckResponse = true;
		ForwardOutput o = output(c);
		EventBytes ev = events(4);
		assertThat(flush(o, "acked", ev)).isEqualTo(FlushResult.OK);
		ForwardDecoder.Decoded d = srv.received.get(0).decoded();
		assertThat(d.chunk()).isEqualTo(ForwardEncoder.chunkId(ev.data(), ev.offset(), ev.length()));
		assertThat(d.options()).containsEntry("size", 4L).containsEntry("fluent_signal", 0L);
	}

	@Test
	void missingAckIsRetryThenANewConnectionSucceeds() throws Exception {
		FakeForwardServer srv = server(0, null);
		srv.ackMode = FakeForwardServer.AckMode.SILENT;
		ForwardOutputConfig c = config(srv.port());
		c.requireAckResponse = true;
		ForwardOutput o = output(c);
		assertThat(flush(o, "t", events(1))).isEqualTo(FlushResult.RETRY);
		srv.ackMode = FakeForwardServer.AckMode.WRONG;
		assertThat(flush(o, "t", events(1))).isEqualTo(FlushResult.RETRY);
		srv.ackMode = FakeForwardServer.AckMode.ANSWER;
		assertThat(flush(o, "t", events(1))).isEqualTo(FlushResult.OK);
		assertThat(srv.connections.get()).isEqualTo(3);
	}

	@Test
	void unreachableServerIsRetryAndReconnectsLater() throws Exception {
		int port = Ports.free();
		ForwardOutput o = output(config(port));
		assertThat(flush(o, "t", events(1))).isEqualTo(FlushResult.RETRY);
		FakeForwardServer srv = server(port, null);
		assertThat(flush(o, "t", events(2))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "records", () -> srv.records() == 2);
	}

	@Test
	void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
		FakeForwardServer srv = server(0, null);
		srv.closeAfterMessage = true;
		ForwardOutput o = output(config(srv.port()));
		assertThat(flush(o, "t", events(1))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "server closed the connection", () -> srv.closedByServer.get() == 1);
		assertThat(flush(o, "t", events(2))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "3 records on 2 connections", () -> srv.records() == 3);
		assertThat(srv.connections.get()).isEqualTo(2);
	}

	@Test
	void aServerThatStopsReadingIsRetry() throws Exception {
		try (java.net.ServerSocket stuck = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
			List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
			Thread.ofVirtual().start(() -> {
				try {
					accepted.add(stuck.accept()); // and never read
				}
				catch (java.io.IOException ex) {
					// closed
				}
			});
			ForwardOutput o = output(config(stuck.getLocalPort()));
			EventEncoder enc = new EventEncoder();
			String filler = "x".repeat(1000);
			for (int i = 0; i < 40_000; i++) {
				enc.append(T, rec("m", filler));
			}
			assertThat(flush(o, "t", EventBytes.of(enc))).isEqualTo(FlushResult.RETRY);
			for (java.net.Socket sock : accepted) {
				sock.close();
			}
		}
	}

	@Test
	void sharedKeyHandshake() throws Exception {
		FakeForwardServer srv = server(0, "s3cret");
		ForwardOutputConfig c = config(srv.port());
		c.sharedKey = "s3cret";
		c.selfHostname = "me";
		ForwardOutput o = output(c);
		assertThat(flush(o, "t", events(2))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "records", () -> srv.records() == 2);
		assertThat(srv.pingHostnames).containsExactly("me");

		FakeForwardServer other = server(0, "another");
		ForwardOutputConfig bad = config(other.port());
		bad.sharedKey = "s3cret";
		assertThat(flush(output(bad), "t", events(1))).isEqualTo(FlushResult.RETRY);
		assertThat(other.received).isEmpty();
	}

	@Test
	void gzipTimeAsIntegerAndFixedTag() throws Exception {
		FakeForwardServer srv = server(0, null);
		ForwardOutputConfig c = config(srv.port());
		c.compress = "gzip";
		c.tag = "fixed.tag";
		ForwardOutput o = output(c);
		assertThat(flush(o, "t", events(5))).isEqualTo(FlushResult.OK);
		// the second output uses its own connection: wait, so the server sees them in this order
		Await.until(DEADLINE, "1 message", () -> srv.received.size() == 1);
		ForwardOutputConfig c2 = config(srv.port());
		c2.timeAsInteger = true;
		assertThat(flush(output(c2), "t", events(1))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "2 messages", () -> srv.received.size() == 2);
		ForwardDecoder.Decoded gz = srv.received.get(0).decoded();
		assertThat(gz.mode()).isEqualTo(ForwardDecoder.Mode.COMPRESSED_PACKED_FORWARD);
		assertThat(gz.tag()).isEqualTo("fixed.tag");
		assertThat(gz.records()).isEqualTo(5);
		assertThat(gz.options()).containsEntry("compressed", "gzip");
		List<LogEvent> ev = srv.events();
		assertThat(ev.get(0).metadata()).isEqualTo(rec("origin", "test"));
		assertThat(ev.get(5).time()).isEqualTo(new EventTime(T.seconds(), 0));
		assertThat(ev.get(5).metadata()).isEmpty();
	}

	@Test
	void dynamicTagSendsOneAckedMessagePerRecord() throws Exception {
		FakeForwardServer srv = server(0, null);
		ForwardOutputConfig c = config(srv.port());
		c.tag = "routed.$service.$n";
		c.requireAckResponse = true;
		ForwardOutput o = output(c);
		assertThat(flush(o, "t", events(3))).isEqualTo(FlushResult.OK);
		assertThat(srv.received).extracting((r) -> r.decoded().tag())
			.containsExactly("routed.web.0", "routed.web.1", "routed.web.2");
		assertThat(srv.received).allSatisfy((r) -> assertThat(r.decoded().mode()).isEqualTo(ForwardDecoder.Mode.MESSAGE));
		assertThat(srv.events().get(1).metadata()).isEqualTo(rec("origin", "test"));
	}

	@Test
	void unixSocketWithAcks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		String path = dir.resolve("fw.sock").toString();
		EmbeddedSluice receiver = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("forward", "unix_path", path)
			.output("lib", "match", "*").build();
		this.closeables.add(receiver);
		receiver.start();
		ForwardOutputConfig c = config(0);
		c.unixPath = path;
		c.requireAckResponse = true;
		ForwardOutput o = output(c);
		assertThat(flush(o, "unix", events(3))).isEqualTo(FlushResult.OK);
		assertThat(flush(o, "unix", events(2))).isEqualTo(FlushResult.OK);
		LibOutput lib = receiver.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "5 records over the unix socket", () -> lib.events().size() == 5);
	}

	@Test
	void endToEndIntoSluicesOwnForwardInputWithKeyAndAcks() throws Exception {
		int port = Ports.free();
		EmbeddedSluice receiver = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port), "shared_key", "k1")
			.output("lib", "match", "app.*").build();
		this.closeables.add(receiver);
		receiver.start();
		EmbeddedSluice sender = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("dummy", "tag", "app.log", "samples", "5", "rate", "50", "dummy", "{\"message\":\"hello forward\",\"n\":1}",
					"metadata", "{\"origin\":\"fixture\"}")
			.output("forward", "match", "*", "host", "127.0.0.1", "port", String.valueOf(port), "shared_key", "k1",
					"require_ack_response", "on", "self_hostname", "sender")
			.build();
		this.closeables.add(sender);
		sender.start();
		LibOutput lib = receiver.plugin("lib.0", LibOutput.class);
		List<LogEvent> got = Await.value(DEADLINE, "5 forwarded records", lib::events, (l) -> l.size() >= 5);
		assertThat(got).hasSize(5).allSatisfy((e) -> {
			assertThat(e.body()).isEqualTo(rec("message", "hello forward", "n", 1L));
			assertThat(e.metadata()).isEqualTo(rec("origin", "fixture"));
		});
	}
}
