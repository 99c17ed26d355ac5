package dev.sluice.plugins.in.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.net.server.UnixDatagramSocket;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The syslog input in a running pipeline: every mode, both RFCs, both stream framings. */
class SyslogInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	static final String M5424 = "<34>1 2026-11-22T06:30:00.123+00:00 myhost app 1234 ID47 - hello 5424";

	static final String M3164 = "<13>Nov 22 06:30:00 myhost app[99]: hello 3164";

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	private int port;

	@TempDir
	Path dir;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("input:syslog:syslog.0")).detachAppender(this.logs);
		}
	}

	private EmbeddedSluice start(String... props) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("syslog", props).output("lib", "match", "*").build();
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("input:syslog:syslog.0")).addAppender(this.logs);
		this.closeables.add(s);
		s.start();
		return s;
	}

	private EmbeddedSluice startNet(String mode, String... extra) {
		this.port = Ports.free();
		List<String> kv = new ArrayList<>(
				List.of("mode", mode, "listen", "127.0.0.1", "port", String.valueOf(this.port)));
		kv.addAll(List.of(extra));
		return start(kv.toArray(String[]::new));
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	private static List<Map<String, Object>> bodies(EmbeddedSluice s, int n) {
		return events(s, n).stream().map(LogEvent::body).toList();
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	static Map<String, Object> parsed5424(String message) {
		return rec("pri", "34", "time", "2026-11-22T06:30:00.123+00:00", "host", "myhost", "ident", "app", "pid", "1234",
				"msgid", "ID47", "extradata", "-", "message", message);
	}

	static Map<String, Object> parsed3164(String message) {
		return rec("pri", "13", "time", "Nov 22 06:30:00", "host", "myhost", "ident", "app", "pid", "99", "message",
				message);
	}

	private void udp(String text) throws Exception {
		try (DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			byte[] b = text.getBytes(StandardCharsets.UTF_8);
			d.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), this.port));
		}
	}

	private Socket tcp() throws Exception {
		Socket c = new Socket("127.0.0.1", this.port);
		this.closeables.add(c);
		return c;
	}

	private static void send(Socket c, String text) throws Exception {
		OutputStream o = c.getOutputStream();
		o.write(text.getBytes(StandardCharsets.UTF_8));
		o.flush();
	}

	private boolean logged(String text) {
		return this.logs.list.stream().anyMatch((e) -> e.getFormattedMessage().contains(text));
	}

	@Test
	void udpRfc5424WithTheDefaultParserTimeRawMessageAndSource() throws Exception {
		EmbeddedSluice s = startNet("udp", "raw_message_key", "raw", "source_address_key", "src");
		udp(M5424 + "\n");
		LogEvent e = events(s, 1).get(0);
		Map<String, Object> body = new LinkedHashMap<>(e.body());
		assertThat(body.remove("raw")).isEqualTo(M5424.getBytes(StandardCharsets.UTF_8));
		assertThat((String) body.remove("src")).startsWith("udp://127.0.0.1:");
		assertThat(body).isEqualTo(parsed5424("hello 5424"));
		assertThat(e.time()).isEqualTo(new EventTime(Instant.parse("2026-11-22T06:30:00.123Z").getEpochSecond(), 123_000_000));
	}

	@Test
	void udpRfc3164WithItsParser() throws Exception {
		EmbeddedSluice s = startNet("udp", "parser", "syslog-rfc3164");
		udp(M3164);
		assertThat(bodies(s, 1)).containsExactly(parsed3164("hello 3164"));
	}

	@Test
	void tcpNewlineFramingAcrossWritesWithCrLfAndNul() throws Exception {
		EmbeddedSluice s = startNet("tcp");
		try (Socket c = tcp()) {
			send(c, M5424.replace("5424", "one") + "\n" + M5424.replace("5424", "two") + "\r\n" + M5424.substring(0, 20));
			Thread.sleep(50); // the rest of the third message in a later segment
			send(c, M5424.substring(20).replace("5424", "three") + "\0\n");
			assertThat(bodies(s, 3)).containsExactly(parsed5424("hello one"), parsed5424("hello two"),
					parsed5424("hello three"));
		}
	}

	@Test
	void tcpOctetCountingFramesBackToBackSplitAndMixedWithNewlineFrames() throws Exception {
		EmbeddedSluice s = startNet("tcp", "format", "octet_counting", "parser", "syslog-rfc3164");
		String a = M3164.replace("3164", "a");
		String b = M3164.replace("3164", "b");
		String c3 = M3164.replace("3164", "c");
		String frames = a.length() + " " + a + b.getBytes(StandardCharsets.UTF_8).length + " " + b + c3 + "\n";
		String d = M3164.replace("3164", "d");
		try (Socket c = tcp()) {
			send(c, frames + d.length() + " " + d.substring(0, 10));
			Thread.sleep(50);
			send(c, d.substring(10));
			assertThat(bodies(s, 4)).containsExactly(parsed3164("hello a"), parsed3164("hello b"),
					parsed3164("hello c"), parsed3164("hello d"));
		}
	}

	@Test
	void anOctetFrameLargerThanBufferMaxSizeClosesThatConnection() throws Exception {
		EmbeddedSluice s = startNet("tcp", "format", "octet_counting", "buffer_chunk_size", "1k",
				"buffer_max_size", "2k");
		try (Socket big = tcp(); Socket other = tcp()) {
			send(big, "999999 <13>Nov 22 06:30:00 h app: ");
			big.setSoTimeout((int) DEADLINE.toMillis());
			InputStream in = big.getInputStream();
			int r;
			try {
				r = in.read();
			}
			catch (SocketException ex) {
				r = -1;
			}
			assertThat(r).isEqualTo(-1);
			assertThat(logged("message of 999999 bytes exceeds buffer_max_size (2000 bytes)")).isTrue();
			send(other, M5424.length() + " " + M5424);
			assertThat(bodies(s, 1)).containsExactly(parsed5424("hello 5424"));
		}
	}

	@Test
	void aNewlineFrameLargerThanBufferMaxSizeClosesThatConnection() throws Exception {
		EmbeddedSluice s = startNet("tcp", "buffer_chunk_size", "1k", "buffer_max_size", "4k");
		try (Socket big = tcp()) {
			try {
				send(big, "<13>" + "x".repeat(20_000));
			}
			catch (SocketException ex) {
				// already closed by the server
			}
			big.setSoTimeout((int) DEADLINE.toMillis());
			int r;
			try {
				r = big.getInputStream().read();
			}
			catch (SocketException ex) {
				r = -1;
			}
			assertThat(r).isEqualTo(-1);
			Await.until(DEADLINE, "error logged", () -> logged("message exceeds buffer_max_size (4000 bytes)"));
		}
		try (Socket c = tcp()) {
			send(c, M5424 + "\n");
			assertThat(bodies(s, 1)).containsExactly(parsed5424("hello 5424"));
		}
	}

	@Test
	void aMessageTheParserDoesNotMatchIsLoggedAndDropped() throws Exception {
		EmbeddedSluice s = startNet("tcp");
		try (Socket c = tcp()) {
			send(c, "this is not syslog\n" + M5424 + "\n");
			assertThat(bodies(s, 1)).containsExactly(parsed5424("hello 5424"));
		}
		assertThat(logged("error parsing log message with parser 'syslog-rfc5424' from tcp://127.0.0.1:")).isTrue();
	}

	@Test
	void unixUdpWithTheLocalRfc3164ParserAndPermissions() throws Exception {
		Path sock = this.dir.resolve("syslog.sock");
		EmbeddedSluice s = start("mode", "unix_udp", "path", sock.toString(), "unix_perm", "0600",
				"source_address_key", "src");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
		try (UnixDatagramSocket c = UnixDatagramSocket.open()) {
			c.send(sock, "<13>Nov 22 06:30:00 app[7]: local one\n".getBytes(StandardCharsets.UTF_8));
			c.send(sock, "<13>Nov 22 06:30:01 other: local two".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(bodies(s, 2)).containsExactly(
				rec("pri", "13", "time", "Nov 22 06:30:00", "ident", "app", "pid", "7", "message", "local one", "src",
						"unix://"),
				rec("pri", "13", "time", "Nov 22 06:30:01", "ident", "other", "message", "local two", "src", "unix://"));
		s.close();
		assertThat(sock).doesNotExist();
	}

	@Test
	void unixTcpNewlineFraming() throws Exception {
		Path sock = this.dir.resolve("syslog-stream.sock");
		EmbeddedSluice s = start("mode", "unix_tcp", "path", sock.toString(), "parser", "syslog-rfc5424");
		try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			ch.connect(UnixDomainSocketAddress.of(sock));
			ch.write(ByteBuffer.wrap((M5424 + "\n" + M5424.replace("5424", "again") + "\n").getBytes(StandardCharsets.UTF_8)));
			assertThat(bodies(s, 2)).containsExactly(parsed5424("hello 5424"), parsed5424("hello again"));
		}
	}

	@Test
	void portAlreadyTakenFailsTheStart() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int p = taken.getLocalPort();
			EmbeddedSluice s = EmbeddedSluice.builder()
				.input("syslog", "mode", "tcp", "listen", "127.0.0.1", "port", String.valueOf(p))
				.output("lib", "match", "*").build();
			this.closeables.add(s);
			assertThatThrownBy(s::start).hasStackTraceContaining("failed initialize input syslog.0")
				.hasStackTraceContaining("could not bind address 127.0.0.1:" + p);
		}
	}

	@Test
	void unknownModeOrParserIsAStartError() {
		EmbeddedSluice a = EmbeddedSluice.builder().input("syslog", "mode", "sctp").output("lib", "match", "*").build();
		this.closeables.add(a);
		assertThatThrownBy(a::start).hasStackTraceContaining("Unknown syslog mode sctp");
		EmbeddedSluice b = EmbeddedSluice.builder()
			.input("syslog", "mode", "udp", "port", String.valueOf(Ports.free()), "parser", "nope")
			.output("lib", "match", "*").build();
		this.closeables.add(b);
		assertThatThrownBy(b::start).hasStackTraceContaining("parser 'nope' is not registered");
	}
}
