package dev.sluice.plugins.in.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.engine.InputInstance;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The tcp input in a running pipeline, with real sockets on loopback. */
class TcpInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private ListAppender<ILoggingEvent> logs;

	private int port;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
		if (this.logs != null) {
			((Logger) LoggerFactory.getLogger("input:tcp:tcp.0")).detachAppender(this.logs);
		}
	}

	private EmbeddedSluice start(String... extra) {
		this.port = Ports.free();
		List<String> kv = new ArrayList<>(List.of("listen", "127.0.0.1", "port", String.valueOf(this.port), "tag", "t"));
		kv.addAll(List.of(extra));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("tcp", kv.toArray(String[]::new)).output("lib", "match", "*").build();
		this.logs = new ListAppender<>();
		this.logs.start();
		((Logger) LoggerFactory.getLogger("input:tcp:tcp.0")).addAppender(this.logs);
		this.closeables.add(s);
		s.start();
		return s;
	}

	private Socket connect() throws Exception {
		Socket c = new Socket("127.0.0.1", this.port);
		this.closeables.add(c);
		return c;
	}

	private static void send(Socket c, String text) throws Exception {
		OutputStream o = c.getOutputStream();
		o.write(text.getBytes(StandardCharsets.UTF_8));
		o.flush();
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

	private boolean logged(String text) {
		return this.logs.list.stream().anyMatch((e) -> e.getFormattedMessage().contains(text));
	}

	@Test
	void jsonObjectsBackToBackAndOnLinesAndArrays() throws Exception {
		EmbeddedSluice s = start();
		try (Socket c = connect()) {
			send(c, "{\"a\":1}{\"a\":2}\n{\"a\":3,\"s\":\"x y\"}  \r\n[1,\"two\"]\n");
		}
		assertThat(bodies(s, 4)).containsExactly(rec("a", 1L), rec("a", 2L), rec("a", 3L, "s", "x y"),
				rec("msg", List.of(1L, "two")));
		assertThat(events(s, 4)).extracting((e) -> e.metadata()).allMatch(Map::isEmpty);
		assertThat(s.input("tcp.0").metrics().records.sum()).isEqualTo(4);
	}

	@Test
	void jsonSplitAcrossWritesIsJoined() throws Exception {
		EmbeddedSluice s = start();
		try (Socket c = connect()) {
			send(c, "{\"msg\":\"hel");
			Thread.sleep(100); // let the server read the first part on its own
			send(c, "lo\",\"n\":[1,{\"k\":true}]}");
			assertThat(bodies(s, 1)).containsExactly(rec("msg", "hello", "n", List.of(1L, rec("k", true))));
		}
	}

	@Test
	void noneFormatSplitsOnNewlinesByDefault() throws Exception {
		EmbeddedSluice s = start("format", "none");
		try (Socket c = connect()) {
			send(c, "first line\nsecond {not json}\n\nthird");
			assertThat(bodies(s, 2)).containsExactly(rec("log", "first line"), rec("log", "second {not json}"));
		}
		// the last piece is a record once the sender closes
		assertThat(bodies(s, 3)).element(2).isEqualTo(rec("log", "third"));
	}

	@Test
	void noneFormatWithEscapedSeparator() throws Exception {
		EmbeddedSluice s = start("format", "none", "separator", "\\r\\n");
		try (Socket c = connect()) {
			send(c, "a\nb\r\nc\r\n");
			assertThat(bodies(s, 2)).containsExactly(rec("log", "a\nb"), rec("log", "c"));
		}
	}

	@Test
	void noneFormatWithParser() throws Exception {
		this.port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.parser("kv", "format", "regex", "regex", "^(?<key>[a-z]+)=(?<value>.*)$")
			.input("tcp", "listen", "127.0.0.1", "port", String.valueOf(this.port), "format", "none", "parser", "kv")
			.output("lib", "match", "*").build();
		this.closeables.add(s);
		s.start();
		try (Socket c = connect()) {
			send(c, "user=alice\nnot matching\n");
			assertThat(bodies(s, 2)).containsExactly(rec("key", "user", "value", "alice"), rec("log", "not matching"));
		}
	}

	@Test
	void sourceAddressKeyNamesTheSender() throws Exception {
		EmbeddedSluice s = start("source_address_key", "from");
		try (Socket c = connect()) {
			send(c, "{\"a\":1}[2]");
			String from = "tcp://127.0.0.1:" + c.getLocalPort();
			assertThat(bodies(s, 2)).containsExactly(rec("a", 1L, "from", from), rec("msg", List.of(2L), "from", from));
		}
	}

	@Test
	void invalidJsonIsLoggedAndSkippedAndTheConnectionKeepsServing() throws Exception {
		EmbeddedSluice s = start();
		try (Socket c = connect(); Socket other = connect()) {
			send(c, "garbage here\n{\"ok\":1}\n{\"broken\": }\n\"a string\"\n{\"ok\":2}\n");
			send(other, "{\"other\":true}\n");
			assertThat(bodies(s, 3)).containsExactlyInAnyOrder(rec("ok", 1L), rec("ok", 2L), rec("other", true));
			// the same connection still works
			send(c, "{\"ok\":3}\n");
			assertThat(bodies(s, 4)).contains(rec("ok", 3L));
		}
		assertThat(this.logs.list.stream().filter((e) -> e.getFormattedMessage().contains("invalid JSON message"))
			.count()).isEqualTo(3);
		assertThat(logged("garbage here")).isTrue();
	}

	@Test
	void aRecordLargerThanBufferSizeClosesThatConnectionOnly() throws Exception {
		EmbeddedSluice s = start("chunk_size", "1", "buffer_size", "4");
		try (Socket big = connect(); Socket other = connect()) {
			StringBuilder sb = new StringBuilder("{\"big\":\"");
			sb.append("x".repeat(64 * 1024));
			send(big, "{\"before\":1}\n");
			assertThat(bodies(s, 1)).containsExactly(rec("before", 1L));
			try {
				send(big, sb.toString());
			}
			catch (SocketException ex) {
				// the server may already have closed it
			}
			InputStream in = big.getInputStream();
			big.setSoTimeout((int) DEADLINE.toMillis());
			int r;
			try {
				r = in.read();
			}
			catch (SocketException ex) {
				r = -1; // reset by the server: closed as well
			}
			assertThat(r).as("server closed the connection").isEqualTo(-1);
			Await.until(DEADLINE, "error logged", () -> logged("incoming data exceed limit (4 KB, buffer_size)"));
			send(other, "{\"still\":\"serving\"}\n");
			assertThat(bodies(s, 2)).element(1).isEqualTo(rec("still", "serving"));
		}
	}

	@Test
	void connectionsOverNetMaxConnectionsAreClosedAndTheOthersServed() throws Exception {
		EmbeddedSluice s = start("net.max_connections", "2");
		try (Socket a = connect(); Socket b = connect()) {
			send(a, "{\"from\":\"a\"}\n");
			send(b, "{\"from\":\"b\"}\n");
			assertThat(bodies(s, 2)).containsExactlyInAnyOrder(rec("from", "a"), rec("from", "b"));
			Socket third = connect();
			third.setSoTimeout((int) DEADLINE.toMillis());
			int r;
			try {
				r = third.getInputStream().read();
			}
			catch (SocketException ex) {
				r = -1;
			}
			assertThat(r).as("the third connection is closed by the server").isEqualTo(-1);
			Await.until(DEADLINE, "logged", () -> logged("connection limit reached (net.max_connections 2)"));
			send(a, "{\"from\":\"a\",\"again\":true}\n");
			assertThat(bodies(s, 3)).element(2).isEqualTo(rec("from", "a", "again", true));
		}
		// once they have gone, a new connection is served again (sent until its record arrives)
		Await.until(DEADLINE, "a later connection to be served", () -> {
			try (Socket c = new Socket("127.0.0.1", this.port)) {
				send(c, "{\"from\":\"c\"}\n");
			}
			catch (Exception ex) {
				return false;
			}
			return s.plugin("lib.0", LibOutput.class).events().stream().anyMatch((e) -> "c".equals(e.body().get("from")));
		});
	}

	@Test
	void anIdleConnectionIsClosedAfterNetIoTimeout() throws Exception {
		EmbeddedSluice s = start("net.io_timeout", "300ms");
		try (Socket idle = connect(); Socket busy = connect()) {
			send(busy, "{\"n\":1}\n");
			assertThat(bodies(s, 1)).containsExactly(rec("n", 1L));
			idle.setSoTimeout((int) DEADLINE.toMillis());
			int r;
			try {
				r = idle.getInputStream().read();
			}
			catch (SocketException ex) {
				r = -1;
			}
			assertThat(r).as("closed by the server").isEqualTo(-1);
			Await.until(DEADLINE, "logged", () -> logged("(net.io_timeout); closing connection"));
		}
	}

	@Test
	void portAlreadyTakenFailsTheStartNamingInstanceAndAddress() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int p = taken.getLocalPort();
			EmbeddedSluice s = EmbeddedSluice.builder().input("tcp", "listen", "127.0.0.1", "port", String.valueOf(p))
				.output("lib", "match", "*").build();
			this.closeables.add(s);
			assertThatThrownBy(s::start).hasStackTraceContaining("failed initialize input tcp.0")
				.hasStackTraceContaining("could not bind address 127.0.0.1:" + p)
				.hasStackTraceContaining("address already in use");
		}
	}

	@Test
	void unknownFormatIsAStartError() {
		EmbeddedSluice s = EmbeddedSluice.builder().input("tcp", "port", String.valueOf(Ports.free()), "format", "xml")
			.output("lib", "match", "*").build();
		this.closeables.add(s);
		assertThatThrownBy(s::start).hasStackTraceContaining("unrecognized format value 'xml'");
	}

	@Test
	void pausedInputDoesNotReadAndResumesWithoutLoss() throws Exception {
		EmbeddedSluice s = start("format", "none");
		InputInstance in = s.input("tcp.0");
		in.pause(InputInstance.PauseReason.ADMIN, "test");
		int lines = 200_000;
		AtomicLong written = new AtomicLong();
		Socket c = connect();
		Thread writer = Thread.ofVirtual().start(() -> {
			try {
				OutputStream o = c.getOutputStream();
				byte[] line = "0123456789012345678901234567890123456789\n".getBytes(StandardCharsets.US_ASCII);
				for (int i = 0; i < lines; i++) {
					o.write(line);
					written.incrementAndGet();
				}
				o.flush();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		// 8 MB cannot fit the socket buffers: the writer blocks while nothing is read
		Await.until(DEADLINE, "writer blocked", () -> {
			long w = written.get();
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return w > 0 && written.get() == w;
		});
		assertThat(writer.isAlive()).isTrue();
		assertThat(s.plugin("lib.0", LibOutput.class).events()).isEmpty();
		assertThat(in.metrics().records.sum()).isZero();
		in.resume(InputInstance.PauseReason.ADMIN, "test");
		writer.join(DEADLINE.toMillis());
		assertThat(writer.isAlive()).isFalse();
		Await.until(DEADLINE, "all lines", () -> in.metrics().records.sum() == lines);
		c.close();
	}
}
