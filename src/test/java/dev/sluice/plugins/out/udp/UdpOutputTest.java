package dev.sluice.plugins.out.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.testing.Ports;

class UdpOutputTest {

	static final EventTime T = new EventTime(1_795_314_791L, 266_955_000);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final TestContext ctx = new TestContext("udp.0");

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
			enc.append(new EventTime(T.seconds() + i, T.nanos()), Map.of(), rec("n", (long) i, "log", "line " + i));
		}
		return EventBytes.of(enc);
	}

	private DatagramSocket receiver() throws Exception {
		DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
		s.setSoTimeout(10_000);
		this.closeables.add(s);
		return s;
	}

	private static String receive(DatagramSocket s) throws Exception {
		return new String(receiveBytes(s), StandardCharsets.UTF_8);
	}

	private static byte[] receiveBytes(DatagramSocket s) throws Exception {
		DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
		s.receive(p);
		return Arrays.copyOf(p.getData(), p.getLength());
	}

	private UdpOutput output(int port, String... kv) throws Exception {
		UdpOutputConfig c = new UdpOutputConfig();
		c.host = "127.0.0.1";
		c.port = port;
		c.format = "json_lines";
		c.jsonDateFormat = "double";
		c.jsonDateKey = "date";
		for (int i = 0; i < kv.length; i += 2) {
			this.ctx.properties().put(kv[i], kv[i + 1]);
			switch (kv[i]) {
				case "format" -> c.format = kv[i + 1];
				case "json_date_key" -> c.jsonDateKey = kv[i + 1];
				case "raw_message_key" -> c.rawMessageKey = kv[i + 1];
				default -> {
				}
			}
		}
		UdpOutput o = new UdpOutput();
		o.init(c, this.ctx);
		this.closeables.add(o::exit);
		return o;
	}

	@Test
	void jsonLinesIsOneDatagramPerRecord() throws Exception {
		DatagramSocket r = receiver();
		UdpOutput o = output(r.getLocalPort());
		assertThat(o.flush(TestChunk.of("app", events(2)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("{\"date\":1795314791.266955,\"n\":0,\"log\":\"line 0\"}\n");
		assertThat(receive(r)).isEqualTo("{\"date\":1795314792.266955,\"n\":1,\"log\":\"line 1\"}\n");
	}

	@Test
	void jsonFormatsEachRecordAsAnArrayWithANewline() throws Exception {
		DatagramSocket r = receiver();
		UdpOutput o = output(r.getLocalPort(), "format", "json", "json_date_key", "false");
		assertThat(o.flush(TestChunk.of("app", events(2)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("[{\"n\":0,\"log\":\"line 0\"}]\n");
		assertThat(receive(r)).isEqualTo("[{\"n\":1,\"log\":\"line 1\"}]\n");
	}

	@Test
	void msgpackSendsEachEventsBytes() throws Exception {
		DatagramSocket r = receiver();
		UdpOutput o = output(r.getLocalPort(), "format", "msgpack");
		EventBytes ev = events(2);
		assertThat(o.flush(TestChunk.of("app", ev), this.ctx)).isEqualTo(FlushResult.OK);
		JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(ev);
		while (c.next()) {
			assertThat(receiveBytes(r)).isEqualTo(Arrays.copyOfRange(c.data(), c.start(), c.end()));
		}
	}

	@Test
	void rawMessageKey() throws Exception {
		DatagramSocket r = receiver();
		UdpOutput o = output(r.getLocalPort(), "raw_message_key", "$log");
		assertThat(o.flush(TestChunk.of("app", events(2)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("line 0\n");
		assertThat(receive(r)).isEqualTo("line 1\n");
	}

	@Test
	void unreachablePeerIsRetry() throws Exception {
		int port = Ports.free();
		UdpOutput o = output(port);
		// loopback answers ICMP port unreachable: the first send passes, a later one fails
		FlushResult last = FlushResult.OK;
		for (int i = 0; i < 50 && last == FlushResult.OK; i++) {
			last = o.flush(TestChunk.of("app", events(1)), this.ctx);
		}
		assertThat(last).isEqualTo(FlushResult.RETRY);
		DatagramSocket r = new DatagramSocket(port, InetAddress.getByName("127.0.0.1"));
		r.setSoTimeout(10_000);
		this.closeables.add(r);
		assertThat(o.flush(TestChunk.of("app", events(1)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("{\"date\":1795314791.266955,\"n\":0,\"log\":\"line 0\"}\n");
	}

	@Test
	void tlsIsRefused() {
		assertThatThrownBy(() -> output(Ports.free(), "tls", "on")).hasMessageContaining("tls is not supported");
	}
}
