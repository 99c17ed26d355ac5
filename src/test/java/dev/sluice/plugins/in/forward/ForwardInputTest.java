package dev.sluice.plugins.in.forward;

import static dev.sluice.plugins.in.forward.ForwardTestClient.concat;
import static dev.sluice.plugins.in.forward.ForwardTestClient.entry;
import static dev.sluice.plugins.in.forward.ForwardTestClient.entryV2;
import static dev.sluice.plugins.in.forward.ForwardTestClient.forward;
import static dev.sluice.plugins.in.forward.ForwardTestClient.gzip;
import static dev.sluice.plugins.in.forward.ForwardTestClient.message;
import static dev.sluice.plugins.in.forward.ForwardTestClient.packed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.net.forward.Handshake;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

class ForwardInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	static final EventTime T1 = new EventTime(1_795_314_791L, 266_955_607);

	private final List<EmbeddedSluice> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(EmbeddedSluice::close);
	}

	private String match = "*";

	private EmbeddedSluice start(String... inputProps) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("forward", inputProps).output("lib", "match", this.match).build();
		this.started.add(s);
		s.start();
		return s;
	}

	private int port;

	private EmbeddedSluice startTcp(String... extra) {
		this.port = Ports.free();
		List<String> kv = new ArrayList<>(List.of("listen", "127.0.0.1", "port", String.valueOf(this.port)));
		kv.addAll(List.of(extra));
		return start(kv.toArray(String[]::new));
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	@Test
	void messageModeWithIntegerFloatAndEventTime() throws Exception {
		EmbeddedSluice s = startTcp();
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(concat(message("app", 1_700_000_000L, rec("a", 1L), null),
					message("app", 1_700_000_001.25d, rec("a", 2L), null),
					message("app", T1, rec("a", 3L), rec("chunk", "m1"))));
			assertThat(c.readAck()).isEqualTo("m1");
		}
		List<LogEvent> ev = events(s, 3);
		assertThat(ev).extracting(LogEvent::time)
			.containsExactly(new EventTime(1_700_000_000L, 0), new EventTime(1_700_000_001L, 250_000_000), T1);
		assertThat(ev).extracting(LogEvent::body).containsExactly(rec("a", 1L), rec("a", 2L), rec("a", 3L));
	}

	@Test
	void forwardModeV1AndV2EntriesWithAck() throws Exception {
		EmbeddedSluice s = startTcp();
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(forward("app.log",
					List.of(entry(T1, rec("n", 1L)), entry(5L, rec("n", 2L)),
							entryV2(T1, rec("origin", "fixture"), rec("n", 3L))),
					rec("chunk", "qSo=", "size", 3L)));
			assertThat(c.readAck()).isEqualTo("qSo=");
		}
		List<LogEvent> ev = events(s, 3);
		assertThat(ev).extracting(LogEvent::body).containsExactly(rec("n", 1L), rec("n", 2L), rec("n", 3L));
		assertThat(ev.get(2).metadata()).isEqualTo(rec("origin", "fixture"));
		assertThat(ev.get(0).metadata()).isEmpty();
		assertThat(ev.get(1).time()).isEqualTo(new EventTime(5, 0));
	}

	@Test
	void byteExampleFromTheSpecGetsItsAck() throws Exception {
		startTcp();
		byte[] frame = java.util.HexFormat.of()
			.parseHex("93a361707091" + "92d700" + "0000000100000002" + "81a16101" + "82a473697a6501a56368756e6ba471536f3d");
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(frame);
			assertThat(c.readAck()).isEqualTo("qSo=");
		}
	}

	@Test
	void packedForwardAsStrAndBinWithV2Entries() throws Exception {
		this.match = "fw.*"; // only prefixed tags reach the output
		EmbeddedSluice s = startTcp("tag_prefix", "fw.");
		byte[] blob = concat(entryV2(T1, rec("k", "v"), rec("n", 1L)), entry(T1, rec("n", 2L)));
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(packed("a", blob, false, null));
			c.send(packed("b", blob, true, rec("chunk", "p2", "size", 2L)));
			assertThat(c.readAck()).isEqualTo("p2");
		}
		List<LogEvent> ev = events(s, 4);
		assertThat(ev).extracting(LogEvent::body).containsExactly(rec("n", 1L), rec("n", 2L), rec("n", 1L), rec("n", 2L));
		assertThat(ev.get(0).metadata()).isEqualTo(rec("k", "v"));
	}

	@Test
	void compressedPackedForwardWithSeveralGzipMembers() throws Exception {
		EmbeddedSluice s = startTcp();
		List<byte[]> entries = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			entries.add(entry(new EventTime(1_700_000_000L + i, i), rec("i", (long) i)));
		}
		byte[] first = gzip(concat(entries.subList(0, 4).toArray(byte[][]::new)));
		byte[] second = gzip(concat(entries.subList(4, 10).toArray(byte[][]::new)));
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(packed("gz", concat(first, second), true, rec("size", 10L, "compressed", "gzip", "chunk", "z1")));
			assertThat(c.readAck()).isEqualTo("z1");
		}
		List<LogEvent> ev = events(s, 10);
		for (int i = 0; i < 10; i++) {
			assertThat(ev.get(i).body()).isEqualTo(rec("i", (long) i));
			assertThat(ev.get(i).time()).isEqualTo(new EventTime(1_700_000_000L + i, i));
		}
	}

	@Test
	void nilKeepalivesAndSplitWritesAreFine() throws Exception {
		EmbeddedSluice s = startTcp();
		byte[] frame = forward("t", List.of(entry(T1, rec("x", "y"))), rec("chunk", "s1"));
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(new byte[] { (byte) 0xc0 });
			for (byte b : frame) {
				c.send(new byte[] { b });
			}
			assertThat(c.readAck()).isEqualTo("s1");
		}
		assertThat(events(s, 1).get(0).body()).isEqualTo(rec("x", "y"));
	}

	@Test
	void aConnectionOverNetMaxConnectionsIsClosedAndTheOtherServed() throws Exception {
		EmbeddedSluice s = startTcp("net.max_connections", "1");
		try (ForwardTestClient first = new ForwardTestClient(this.port)) {
			first.send(forward("one", List.of(entry(T1, rec("a", 1L))), rec("chunk", "c1")));
			assertThat(first.readAck()).isEqualTo("c1");
			try (ForwardTestClient second = new ForwardTestClient(this.port)) {
				assertThat(second.closedByServer()).isTrue();
			}
			first.send(forward("one", List.of(entry(T1, rec("a", 2L))), rec("chunk", "c2")));
			assertThat(first.readAck()).isEqualTo("c2");
		}
		assertThat(events(s, 2)).extracting(LogEvent::body).containsExactly(rec("a", 1L), rec("a", 2L));
	}

	@Test
	void garbageClosesOnlyThatConnection() throws Exception {
		EmbeddedSluice s = startTcp();
		try (ForwardTestClient bad = new ForwardTestClient(this.port);
				ForwardTestClient good = new ForwardTestClient(this.port)) {
			bad.send(new byte[] { (byte) 0xc1, 1, 2, 3 });
			assertThat(bad.closedByServer()).isTrue();
			good.send(forward("ok", List.of(entry(T1, rec("a", 1L))), rec("chunk", "g1")));
			assertThat(good.readAck()).isEqualTo("g1");
		}
		try (ForwardTestClient bad = new ForwardTestClient(this.port)) {
			// a map at top level, then a wrong-sized array, each closes
			bad.send(new byte[] { (byte) 0x81, (byte) 0xa1, 'a', 1 });
			assertThat(bad.closedByServer()).isTrue();
		}
		try (ForwardTestClient bad = new ForwardTestClient(this.port)) {
			bad.send(packed("z", new byte[] { 1, 2, 3 }, true, rec("compressed", "gzip")));
			assertThat(bad.closedByServer()).isTrue();
		}
		try (ForwardTestClient truncated = new ForwardTestClient(this.port)) {
			byte[] f = forward("t", List.of(entry(T1, rec("a", 1L))), null);
			truncated.send(java.util.Arrays.copyOf(f, f.length - 3));
		}
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(forward("after", List.of(entry(T1, rec("still", "serving"))), rec("chunk", "g2")));
			assertThat(c.readAck()).isEqualTo("g2");
		}
		assertThat(events(s, 2)).extracting(LogEvent::body).contains(rec("still", "serving"));
	}

	@Test
	void frameLargerThanBufferMaxSizeClosesTheConnection() throws Exception {
		startTcp("buffer_chunk_size", "1K", "buffer_max_size", "4K");
		StringBuilder big = new StringBuilder();
		big.append("x".repeat(10_000));
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			try {
				c.send(forward("big", List.of(entry(T1, rec("m", big.toString()))), null));
			}
			catch (IOException ex) {
				// the server may close while we still write
			}
			assertThat(c.closedByServer()).isTrue();
		}
		// a frame that needs the buffer to grow (2K) but fits the maximum is fine
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.send(forward("mid", List.of(entry(T1, rec("m", "y".repeat(2_000)))), rec("chunk", "mid")));
			assertThat(c.readAck()).isEqualTo("mid");
		}
	}

	@Test
	void sharedKeyHandshakeAcceptsTheRightKey() throws Exception {
		EmbeddedSluice s = startTcp("shared_key", "secret", "self_hostname", "server-a");
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			Handshake.Helo helo = Handshake.parseHelo(c.read());
			assertThat(helo).isNotNull();
			assertThat(helo.nonce()).hasSize(16);
			byte[] salt = Handshake.random(16);
			c.send(Handshake.ping("client-a", salt, helo, "secret", "", ""));
			Handshake.Pong pong = Handshake.parsePong(c.read());
			assertThat(pong.ok()).isTrue();
			assertThat(pong.hostname()).isEqualTo("server-a");
			assertThat(pong.digest()).isEqualTo(Handshake.sharedKeyDigest(salt, "server-a", helo.nonce(), "secret"));
			c.send(forward("auth", List.of(entry(T1, rec("ok", true))), rec("chunk", "h1")));
			assertThat(c.readAck()).isEqualTo("h1");
		}
		assertThat(events(s, 1).get(0).body()).isEqualTo(rec("ok", true));
	}

	@Test
	void sharedKeyHandshakeRefusesAWrongKeyAndDataBeforePing() throws Exception {
		EmbeddedSluice s = startTcp("shared_key", "secret");
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			Handshake.Helo helo = Handshake.parseHelo(c.read());
			c.send(Handshake.ping("client-a", Handshake.random(16), helo, "wrong", "", ""));
			Handshake.Pong pong = Handshake.parsePong(c.read());
			assertThat(pong.ok()).isFalse();
			assertThat(pong.reason()).isEqualTo("shared_key mismatch");
			assertThat(c.closedByServer()).isTrue();
		}
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			c.read(); // HELO
			c.send(forward("sneaky", List.of(entry(T1, rec("no", "auth"))), rec("chunk", "x")));
			assertThat(c.closedByServer()).isTrue();
		}
		assertThat(s.plugin("lib.0", LibOutput.class).events()).isEmpty();
	}

	@Test
	void userAuthChecksThePasswordDigest() throws Exception {
		EmbeddedSluice s = startTcp("shared_key", "k", "security.users", "alice s3cret");
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			Handshake.Helo helo = Handshake.parseHelo(c.read());
			assertThat(helo.auth()).hasSize(16);
			c.send(Handshake.ping("h", Handshake.random(16), helo, "k", "alice", "wrong"));
			Handshake.Pong pong = Handshake.parsePong(c.read());
			assertThat(pong.ok()).isFalse();
			assertThat(pong.reason()).isEqualTo("username/password mismatch");
		}
		try (ForwardTestClient c = new ForwardTestClient(this.port)) {
			Handshake.Helo helo = Handshake.parseHelo(c.read());
			c.send(Handshake.ping("h", Handshake.random(16), helo, "k", "alice", "s3cret"));
			assertThat(Handshake.parsePong(c.read()).ok()).isTrue();
			c.send(message("u", T1, rec("user", "alice"), rec("chunk", "u1")));
			assertThat(c.readAck()).isEqualTo("u1");
		}
		assertThat(events(s, 1).get(0).body()).isEqualTo(rec("user", "alice"));
	}

	@Test
	void portAlreadyTakenFailsNamingTheAddress() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
			int p = taken.getLocalPort();
			assertThatThrownBy(() -> start("listen", "127.0.0.1", "port", String.valueOf(p)))
				.hasStackTraceContaining("127.0.0.1:" + p);
		}
	}

	@Test
	void unixSocketWithPermissions(@TempDir Path dir) throws Exception {
		Path sock = dir.resolve("fw.sock");
		EmbeddedSluice s = start("unix_path", sock.toString(), "unix_perm", "0600");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
		try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			ch.connect(UnixDomainSocketAddress.of(sock));
			ch.write(ByteBuffer.wrap(forward("unix", List.of(entry(T1, rec("via", "unix"))), rec("chunk", "ux"))));
			ByteBuffer reply = ByteBuffer.allocate(64);
			Await.until(DEADLINE, "ack over unix socket", () -> {
				try {
					ch.read(reply);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
				return reply.position() >= 8;
			});
			reply.flip();
			byte[] got = new byte[reply.remaining()];
			reply.get(got);
			assertThat(got).isEqualTo(ForwardInput.ack("ux"));
		}
		assertThat(events(s, 1).get(0).body()).isEqualTo(rec("via", "unix"));
	}

	@Test
	void fluencyPackedForwardWithAndWithoutAcks() throws Exception {
		EmbeddedSluice s = startTcp();
		for (boolean ack : new boolean[] { false, true }) {
			FluencyBuilderForFluentd b = new FluencyBuilderForFluentd();
			b.setAckResponseMode(ack);
			b.setFlushAttemptIntervalMillis(50);
			Fluency fluency = b.build("127.0.0.1", this.port);
			for (int i = 0; i < 500; i++) {
				Map<String, Object> r = new LinkedHashMap<>();
				r.put("i", i);
				r.put("ack", ack);
				r.put("nested", Map.of("k", "v"));
				if (i % 2 == 0) {
					fluency.emit("fluency." + ack, r);
				}
				else {
					fluency.emit("fluency." + ack, org.komamitsu.fluency.EventTime.fromEpoch(1_700_000_000L + i, 42), r);
				}
			}
			fluency.flush();
			Await.until(DEADLINE, "fluency flushed", () -> {
				try {
					return fluency.waitUntilAllBufferFlushed(1);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			fluency.close();
		}
		List<LogEvent> ev = events(s, 1000);
		assertThat(ev).hasSize(1000);
		assertThat(ev).filteredOn((e) -> e.body().get("i").equals(1L) && e.body().get("ack").equals(true))
			.singleElement()
			.satisfies((e) -> {
				assertThat(e.time()).isEqualTo(new EventTime(1_700_000_001L, 42));
				assertThat(e.body().get("nested")).isEqualTo(Map.of("k", "v"));
			});
	}
}
