package dev.sluice.plugins.out.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import dev.sluice.testing.SharedFixtures;
import dev.sluice.testing.TcpSink;

class TcpOutputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	static final EventTime T = new EventTime(1_795_314_791L, 266_955_000);

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final TestContext ctx = new TestContext("tcp.0");

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
			enc.append(new EventTime(T.seconds() + i, T.nanos()), rec("origin", "test"), rec("n", (long) i, "log", "line " + i));
		}
		return EventBytes.of(enc);
	}

	private TcpSink sink() throws Exception {
		TcpSink s = new TcpSink();
		this.closeables.add(s);
		return s;
	}

	private TcpOutput output(int port, String... kv) throws Exception {
		TcpOutputConfig c = new TcpOutputConfig();
		c.host = "127.0.0.1";
		c.port = port;
		c.format = "msgpack";
		c.jsonDateFormat = "double";
		c.jsonDateKey = "date";
		for (int i = 0; i < kv.length; i += 2) {
			this.ctx.properties().put(kv[i], kv[i + 1]);
			switch (kv[i]) {
				case "format" -> c.format = kv[i + 1];
				case "json_date_key" -> c.jsonDateKey = kv[i + 1];
				case "json_date_format" -> c.jsonDateFormat = kv[i + 1];
				case "raw_message_key" -> c.rawMessageKey = kv[i + 1];
				default -> {
				}
			}
		}
		TcpOutput o = new TcpOutput();
		o.init(c, this.ctx);
		this.closeables.add(o::exit);
		return o;
	}

	private FlushResult flush(TcpOutput o, String tag, EventBytes ev) throws Exception {
		return o.flush(TestChunk.of(tag, ev), this.ctx);
	}

	@Test
	void msgpackSendsTheChunkBytesOnOneKeptAliveConnection() throws Exception {
		TcpSink srv = sink();
		TcpOutput o = output(srv.port());
		EventBytes a = events(3);
		EventBytes b = events(2);
		assertThat(flush(o, "app", a)).isEqualTo(FlushResult.OK);
		assertThat(flush(o, "app", b)).isEqualTo(FlushResult.OK);
		byte[] expected = new byte[a.length() + b.length()];
		System.arraycopy(a.data(), a.offset(), expected, 0, a.length());
		System.arraycopy(b.data(), b.offset(), expected, a.length(), b.length());
		Await.until(DEADLINE, "both chunks", () -> srv.size() == expected.length);
		assertThat(srv.all()).isEqualTo(expected);
		assertThat(srv.connectionCount()).isEqualTo(1);
	}

	/**
	 * out_tcp and out_http format JSON with the same function: the json_lines body Fluent Bit 5.1.1
	 * sent (http-out/format_json_lines) is what tcp writes for the same records.
	 */
	@Test
	void jsonLinesMatchesFluentBitBytes() throws Exception {
		byte[] raw = Files.readAllBytes(SharedFixtures.path("http-out/format_json_lines/request0.raw.http"));
		String text = new String(raw, StandardCharsets.UTF_8);
		String body = text.substring(text.indexOf("\r\n\r\n") + 4);
		EventEncoder enc = new EventEncoder();
		Matcher m = Pattern.compile("\"date\":(\\d+)\\.(\\d{6})").matcher(body);
		int n = 0;
		while (m.find()) {
			enc.append(new EventTime(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)) * 1000), Map.of(),
					rec("message", "hello http", "level", 6L, "host", "web-1", "n", 1L, "nested", rec("k", "v")));
			n++;
		}
		assertThat(n).isEqualTo(2);
		TcpSink srv = sink();
		TcpOutput o = output(srv.port(), "format", "json_lines");
		assertThat(flush(o, "app.log", EventBytes.of(enc))).isEqualTo(FlushResult.OK);
		byte[] expected = body.getBytes(StandardCharsets.UTF_8);
		Await.until(DEADLINE, "the body", () -> srv.size() >= expected.length);
		assertThat(new String(srv.all(), StandardCharsets.UTF_8)).isEqualTo(body);
	}

	@Test
	void jsonWithDateOptions() throws Exception {
		TcpSink srv = sink();
		TcpOutput o = output(srv.port(), "format", "json", "json_date_key", "ts", "json_date_format", "iso8601");
		assertThat(flush(o, "app", events(2))).isEqualTo(FlushResult.OK);
		String expected = "[{\"ts\":\"2026-11-22T02:33:11.266955Z\",\"__internal__\":{\"log_metadata\":{\"origin\":\"test\"}},"
				+ "\"n\":0,\"log\":\"line 0\"},"
				+ "{\"ts\":\"2026-11-22T02:33:12.266955Z\",\"__internal__\":{\"log_metadata\":{\"origin\":\"test\"}},"
				+ "\"n\":1,\"log\":\"line 1\"}]";
		Await.until(DEADLINE, "the array", () -> srv.size() >= expected.length());
		assertThat(new String(srv.all(), StandardCharsets.UTF_8)).isEqualTo(expected);

		TcpSink srv2 = sink();
		TcpOutput o2 = output(srv2.port(), "format", "json_stream", "json_date_key", "off");
		assertThat(flush(o2, "app", events(2))).isEqualTo(FlushResult.OK);
		String expected2 = "{\"__internal__\":{\"log_metadata\":{\"origin\":\"test\"}},\"n\":0,\"log\":\"line 0\"}"
				+ "{\"__internal__\":{\"log_metadata\":{\"origin\":\"test\"}},\"n\":1,\"log\":\"line 1\"}";
		Await.until(DEADLINE, "the stream", () -> srv2.size() >= expected2.length());
		assertThat(new String(srv2.all(), StandardCharsets.UTF_8)).isEqualTo(expected2);
	}

	@Test
	void rawMessageKeyWritesOneLinePerRecord() throws Exception {
		TcpSink srv = sink();
		TcpOutput o = output(srv.port(), "raw_message_key", "log");
		EventEncoder enc = new EventEncoder();
		enc.append(T, rec("log", "first line"));
		enc.append(T, rec("other", 1L));
		enc.append(T, rec("log", rec("k", "v")));
		assertThat(flush(o, "app", EventBytes.of(enc))).isEqualTo(FlushResult.OK);
		String expected = "first line\n\n{\"k\":\"v\"}\n";
		Await.until(DEADLINE, "3 lines", () -> srv.size() >= expected.length());
		assertThat(new String(srv.all(), StandardCharsets.UTF_8)).isEqualTo(expected);
	}

	@Test
	void peerDownIsRetryThenUpDeliversOnce() throws Exception {
		int port = Ports.free();
		TcpOutput o = output(port, "format", "json_lines", "net.connect_timeout", "2s");
		EventBytes ev = events(2);
		assertThat(flush(o, "app", ev)).isEqualTo(FlushResult.RETRY);
		TcpSink srv = new TcpSink(port);
		this.closeables.add(srv);
		assertThat(flush(o, "app", ev)).isEqualTo(FlushResult.OK);
		String line0 = "{\"date\":1795314791.266955,\"__internal__\":{\"log_metadata\":{\"origin\":\"test\"}},\"n\":0,\"log\":\"line 0\"}\n";
		Await.until(DEADLINE, "2 lines", () -> new String(srv.all(), StandardCharsets.UTF_8).split("\n").length == 2);
		assertThat(new String(srv.all(), StandardCharsets.UTF_8)).startsWith(line0);
		assertThat(new String(srv.all(), StandardCharsets.UTF_8).split("\n")).hasSize(2);
	}

	@Test
	void connectionClosedByThePeerWhileIdleIsReplaced() throws Exception {
		TcpSink srv = sink();
		TcpOutput o = output(srv.port());
		EventBytes ev = events(1);
		assertThat(flush(o, "app", ev)).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "first chunk", () -> srv.size() == ev.length());
		srv.dropConnections();
		// the pooled connection is checked before reuse: one the peer closed is not written into
		assertThat(flush(o, "app", ev)).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "second chunk on a new connection", () -> srv.connectionCount() == 2 && srv.bytes(1).length == ev.length());
		assertThat(srv.bytes(1)).isEqualTo(ev.toByteArray());
	}

	@Test
	void keepaliveOffOpensAConnectionPerFlush() throws Exception {
		TcpSink srv = sink();
		TcpOutput o = output(srv.port(), "net.keepalive", "off");
		assertThat(flush(o, "app", events(1))).isEqualTo(FlushResult.OK);
		assertThat(flush(o, "app", events(1))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "2 connections", () -> srv.connectionCount() == 2);
		assertThat(o.upstream().idleCount()).isZero();
	}

	@Test
	void keepaliveMaxRecycleClosesAfterThatManyUses() throws Exception {
		TcpSink srv = sink();
		TcpOutput o = output(srv.port(), "net.keepalive_max_recycle", "2");
		for (int i = 0; i < 4; i++) {
			assertThat(flush(o, "app", events(1))).isEqualTo(FlushResult.OK);
		}
		Await.until(DEADLINE, "2 connections", () -> srv.connectionCount() == 2);
		assertThat(srv.connectionCount()).isEqualTo(2);
	}

	@Test
	void sourceAddressBindsTheLocalEnd() throws Exception {
		TcpSink srv = sink();
		int local = Ports.free();
		TcpOutput o = output(srv.port(), "net.source_address", "127.0.0.1:" + local, "net.keepalive", "off");
		assertThat(flush(o, "app", events(1))).isEqualTo(FlushResult.OK);
		Await.until(DEADLINE, "1 connection", () -> srv.connectionCount() == 1);
		assertThat(srv.remotePorts()).containsExactly(local);
	}

	/** In a pipeline: the engine retries while the peer is down; once up, each record arrives once. */
	@Test
	void pipelineRetriesUntilThePeerIsUpAndDeliversEachRecordOnce() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("lib", "tag", "app")
			.output("tcp", "match", "*", "host", "127.0.0.1", "port", String.valueOf(port), "format", "json_lines",
					"json_date_key", "off", "retry_limit", "no_limits", "net.connect_timeout", "1s")
			.build();
		this.closeables.add(s::close);
		s.start();
		LibInput in = s.plugin("lib.0", LibInput.class);
		for (int i = 0; i < 5; i++) {
			in.push(EventTime.now(), rec("n", (long) i));
		}
		Await.until(DEADLINE, "a retry to be scheduled", () -> s.output("tcp.0").metrics().retries.sum() > 0);
		TcpSink srv = new TcpSink(port);
		this.closeables.add(srv);
		Await.until(DEADLINE, "5 lines", () -> new String(srv.all(), StandardCharsets.UTF_8).split("\n").length >= 5);
		List<String> lines = List.of(new String(srv.all(), StandardCharsets.UTF_8).split("\n"));
		// chunks are retried independently (with jitter): the order across chunks is not kept
		assertThat(lines).containsExactlyInAnyOrder("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
	}
}
