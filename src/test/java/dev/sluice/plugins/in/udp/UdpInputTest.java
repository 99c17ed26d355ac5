package dev.sluice.plugins.in.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The udp input in a running pipeline, with real datagrams on loopback. */
class UdpInputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private int port;

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	private EmbeddedSluice start(String... extra) {
		this.port = freeUdpPort();
		List<String> kv = new ArrayList<>(List.of("listen", "127.0.0.1", "port", String.valueOf(this.port)));
		kv.addAll(List.of(extra));
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("udp", kv.toArray(String[]::new)).output("lib", "match", "*").build();
		this.closeables.add(s);
		s.start();
		return s;
	}

	static int freeUdpPort() {
		for (int i = 0; i < 20; i++) {
			int p = Ports.free();
			try (DatagramSocket d = new DatagramSocket(p, InetAddress.getLoopbackAddress())) {
				return p;
			}
			catch (java.io.IOException ex) {
				// taken for UDP: try another
			}
		}
		throw new IllegalStateException("no free port");
	}

	private DatagramSocket client() throws Exception {
		DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress());
		this.closeables.add(d);
		return d;
	}

	private void send(DatagramSocket d, String text) throws Exception {
		byte[] b = text.getBytes(StandardCharsets.UTF_8);
		d.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), this.port));
	}

	private static List<Map<String, Object>> bodies(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n).stream().map(LogEvent::body)
			.toList();
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	@Test
	void jsonDatagramsWithOneOrMoreRecords() throws Exception {
		EmbeddedSluice s = start();
		DatagramSocket d = client();
		send(d, "{\"n\":1}");
		assertThat(bodies(s, 1)).containsExactly(rec("n", 1L));
		send(d, "{\"n\":2}\n{\"n\":3}{\"n\":4}\n");
		send(d, "not json at all");
		send(d, "{\"n\":5");
		send(d, "[\"x\"]");
		assertThat(bodies(s, 5)).containsExactly(rec("n", 1L), rec("n", 2L), rec("n", 3L), rec("n", 4L),
				rec("msg", List.of("x")));
	}

	@Test
	void noneFormatLinesAndTheLastPieceOfADatagram() throws Exception {
		EmbeddedSluice s = start("format", "none", "source_address_key", "src");
		DatagramSocket d = client();
		send(d, "one\ntwo\n");
		send(d, "three");
		String src = "udp://127.0.0.1:" + d.getLocalPort();
		assertThat(bodies(s, 3)).containsExactly(rec("log", "one", "src", src), rec("log", "two", "src", src),
				rec("log", "three", "src", src));
	}

	@Test
	void customSeparator() throws Exception {
		EmbeddedSluice s = start("format", "none", "separator", ";");
		send(client(), "a;b;;c");
		assertThat(bodies(s, 3)).containsExactly(rec("log", "a"), rec("log", "b"), rec("log", "c"));
	}

	@Test
	void portAlreadyTakenFailsTheStart() throws Exception {
		try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
			int p = taken.getLocalPort();
			EmbeddedSluice s = EmbeddedSluice.builder().input("udp", "listen", "127.0.0.1", "port", String.valueOf(p))
				.output("lib", "match", "*").build();
			this.closeables.add(s);
			assertThatThrownBy(s::start).hasStackTraceContaining("failed initialize input udp.0")
				.hasStackTraceContaining("could not bind address 127.0.0.1:" + p);
		}
	}
}
