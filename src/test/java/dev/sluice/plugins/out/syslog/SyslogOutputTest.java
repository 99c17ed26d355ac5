package dev.sluice.plugins.out.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigBinder;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.config.OutputCommonConfig;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import dev.sluice.testing.TcpSink;

/**
 * The syslog output against real sockets. Expected bytes follow Fluent Bit's out_syslog (its
 * runtime tests' exact wire cases: time 1 s, message key {@code msg}) and its documentation's
 * structured-data example.
 */
class SyslogOutputTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	static final String BOM = "\uFEFF";

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final TestContext ctx = new TestContext("syslog.0");

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

	static EventBytes one(long sec, int nanos, Map<String, Object> record) {
		EventEncoder enc = new EventEncoder();
		enc.append(new EventTime(sec, nanos), record);
		return EventBytes.of(enc);
	}

	private SyslogOutput output(String... kv) throws Exception {
		PluginDescriptor d = PluginDescriptor.of(SyslogOutput.class);
		ConfigSection s = new ConfigSection("output", Origin.COMMAND_LINE);
		s.add("name", "syslog", Origin.COMMAND_LINE);
		s.add("match", "*", Origin.COMMAND_LINE);
		for (int i = 0; i < kv.length; i += 2) {
			s.add(kv[i], kv[i + 1], Origin.COMMAND_LINE);
			this.ctx.properties().put(kv[i], kv[i + 1]);
		}
		List<ConfigError> errors = new ArrayList<>();
		ConfigBinder.Bound b = ConfigBinder.bind(d, new OutputCommonConfig(), s, errors);
		assertThat(errors).isEmpty();
		SyslogOutput o = new SyslogOutput();
		o.init((SyslogOutputConfig) b.config(), this.ctx);
		this.closeables.add(o::exit);
		return o;
	}

	private DatagramSocket receiver() throws Exception {
		DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
		s.setSoTimeout(10_000);
		this.closeables.add(s);
		return s;
	}

	private static String receive(DatagramSocket s) throws Exception {
		DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
		s.receive(p);
		return new String(Arrays.copyOf(p.getData(), p.getLength()), StandardCharsets.UTF_8);
	}

	private TcpSink sink() throws Exception {
		TcpSink s = new TcpSink();
		this.closeables.add(s);
		return s;
	}

	private static String text(TcpSink s) {
		return new String(s.all(), StandardCharsets.UTF_8);
	}

	@Test
	void rfc5424OverUdpWithStructuredData() throws Exception {
		DatagramSocket r = receiver();
		SyslogOutput o = output("port", "" + r.getLocalPort(), "syslog_hostname_key", "hostname", "syslog_appname_key",
				"appname", "syslog_procid_key", "procid", "syslog_msgid_key", "msgid", "syslog_sd_key", "uls@0",
				"syslog_message_key", "log");
		Map<String, Object> record = rec("hostname", "myhost", "appname", "myapp", "procid", "1234", "msgid", "ID98", "uls@0",
				rec("logtype", "access", "clustername", "mycluster", "namespace", "mynamespace"), "log",
				"Sample app log message.");
		assertThat(o.flush(TestChunk.of("app", one(1_626_100_655L, 569_848_123, record)), this.ctx))
			.isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("<14>1 2021-07-12T14:37:35.569848Z myhost myapp 1234 ID98 "
				+ "[uls@0 logtype=\"access\" clustername=\"mycluster\" namespace=\"mynamespace\"] " + BOM
				+ "Sample app log message.");
	}

	@Test
	void udpDatagramHasNoNewlineAndPresetsApply() throws Exception {
		DatagramSocket r = receiver();
		SyslogOutput o = output("port", "" + r.getLocalPort(), "syslog_message_key", "msg", "syslog_sd_preset",
				"[preset@1 source=\"preset\"]", "syslog_severity_preset", "5", "syslog_hostname_preset", "h1");
		assertThat(o.flush(TestChunk.of("app", one(1, 0, rec("msg", "hello"))), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r))
			.isEqualTo("<13>1 1970-01-01T00:00:01.000000Z h1 - - - [preset@1 source=\"preset\"] " + BOM + "hello");
		// structured data from the record takes precedence over the preset
		SyslogOutput o2 = output("port", "" + r.getLocalPort(), "syslog_message_key", "msg", "syslog_sd_key", "sd_key",
				"syslog_sd_preset", "[preset@1 source=\"preset\"]");
		assertThat(o2.flush(TestChunk.of("app", one(1, 0, rec("msg", "hello", "sd_key", rec("source", "record")))), this.ctx))
			.isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("<14>1 1970-01-01T00:00:01.000000Z - - - - [sd_key source=\"record\"] " + BOM + "hello");
	}

	@Test
	void severityFacilityKeysByNumberAndName() throws Exception {
		DatagramSocket r = receiver();
		SyslogOutput o = output("port", "" + r.getLocalPort(), "syslog_format", "rfc3164", "syslog_message_key", "msg",
				"syslog_severity_key", "$s", "syslog_facility_key", "f", "syslog_hostname_key", "host",
				"syslog_appname_key", "app", "syslog_procid_key", "pid");
		EventEncoder enc = new EventEncoder();
		enc.append(new EventTime(1, 0), rec("msg", "hello world", "s", "5"));
		enc.append(new EventTime(1, 0), rec("msg", "m2", "s", "ERR", "f", "local3", "host", "web", "app", "nginx", "pid", 42L));
		enc.append(new EventTime(1, 0), rec("msg", "m3", "s", "bogus", "f", "23", "app", "a"));
		assertThat(o.flush(TestChunk.of("app", EventBytes.of(enc)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("<13>Jan  1 00:00:01 hello world");
		assertThat(receive(r)).isEqualTo("<155>Jan  1 00:00:01 web nginx[42]: m2");
		assertThat(receive(r)).isEqualTo("<190>Jan  1 00:00:01 a: m3");
	}

	@Test
	void longSdIdsAreCutUnlessAllowed() throws Exception {
		DatagramSocket r = receiver();
		Map<String, Object> record = rec("msg", "hello world", "sd_key_that_is_longer_than_32_characters",
				rec("logtype_that_is_longer_than_32_characters", "access", "q", "a\"b]c\\"));
		SyslogOutput o = output("port", "" + r.getLocalPort(), "syslog_message_key", "msg", "syslog_sd_key",
				"sd_key_that_is_longer_than_32_characters");
		assertThat(o.flush(TestChunk.of("app", one(1, 0, record)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("<14>1 1970-01-01T00:00:01.000000Z - - - - [sd_key_that_is_longer_than_32_ch "
				+ "logtype_that_is_longer_than_32_c=\"access\" q=\"a\\\"b\\]c\\\\\"] " + BOM + "hello world");
		SyslogOutput o2 = output("port", "" + r.getLocalPort(), "syslog_message_key", "msg", "syslog_sd_key",
				"sd_key_that_is_longer_than_32_characters", "allow_longer_sd_id", "true");
		assertThat(o2.flush(TestChunk.of("app", one(1, 0, record)), this.ctx)).isEqualTo(FlushResult.OK);
		assertThat(receive(r)).startsWith("<14>1 1970-01-01T00:00:01.000000Z - - - - [sd_key_that_is_longer_than_32_characters "
				+ "logtype_that_is_longer_than_32_characters=\"access\"");
	}

	@Test
	void tcpNewlineFramingIsTheDefault() throws Exception {
		TcpSink srv = sink();
		SyslogOutput o = output("mode", "tcp", "port", "" + srv.port(), "syslog_message_key", "msg");
		EventEncoder enc = new EventEncoder();
		enc.append(new EventTime(1, 0), rec("msg", "hello world"));
		enc.append(new EventTime(2, 0), rec("msg", "again"));
		assertThat(o.flush(TestChunk.of("app", EventBytes.of(enc)), this.ctx)).isEqualTo(FlushResult.OK);
		String expected = "<14>1 1970-01-01T00:00:01.000000Z - - - - - " + BOM + "hello world\n"
				+ "<14>1 1970-01-01T00:00:02.000000Z - - - - - " + BOM + "again\n";
		Await.until(DEADLINE, "2 messages", () -> text(srv).length() >= expected.length());
		assertThat(text(srv)).isEqualTo(expected);
	}

	@Test
	void tcpOctetCountingCountsBytesAfterMaxsize() throws Exception {
		TcpSink srv = sink();
		SyslogOutput o = output("mode", "tcp", "port", "" + srv.port(), "syslog_message_key", "msg", "syslog_framing",
				"octet_counting");
		assertThat(o.flush(TestChunk.of("app", one(1, 0, rec("msg", "first\n\u4e16\u754c"))), this.ctx))
			.isEqualTo(FlushResult.OK);
		String e1 = "59 <14>1 1970-01-01T00:00:01.000000Z - - - - - " + BOM + "first\n\u4e16\u754c";
		Await.until(DEADLINE, "first", () -> srv.size() >= e1.getBytes(StandardCharsets.UTF_8).length);
		assertThat(text(srv)).isEqualTo(e1);

		TcpSink srv2 = sink();
		SyslogOutput o2 = output("mode", "tcp", "port", "" + srv2.port(), "syslog_message_key", "msg", "syslog_framing",
				"octet_counting", "syslog_maxsize", "60", "syslog_format", "rfc5424");
		assertThat(o2.flush(TestChunk.of("app", one(1, 0, rec("msg", "abcdefghijklmnopqrstuvwxyz"))), this.ctx))
			.isEqualTo(FlushResult.OK);
		String e2 = "60 <14>1 1970-01-01T00:00:01.000000Z - - - - - " + BOM + "abcdefghijklm";
		Await.until(DEADLINE, "second", () -> srv2.size() >= 63);
		assertThat(text(srv2)).isEqualTo(e2);

		TcpSink srv3 = sink();
		SyslogOutput o3 = output("mode", "tcp", "port", "" + srv3.port(), "syslog_message_key", "msg", "syslog_framing",
				"octet_counting", "syslog_format", "rfc3164");
		assertThat(o3.flush(TestChunk.of("app", one(1, 0, rec("msg", "first\n\u4e16\u754c"))), this.ctx))
			.isEqualTo(FlushResult.OK);
		String e3 = "32 <14>Jan  1 00:00:01 first\n\u4e16\u754c";
		Await.until(DEADLINE, "third", () -> srv3.size() >= e3.getBytes(StandardCharsets.UTF_8).length);
		assertThat(text(srv3)).isEqualTo(e3);
	}

	@Test
	void tcpPeerDownIsRetryThenUpDelivers() throws Exception {
		int port = Ports.free();
		SyslogOutput o = output("mode", "tcp", "port", "" + port, "syslog_message_key", "msg");
		EventBytes ev = one(1, 0, rec("msg", "hello"));
		assertThat(o.flush(TestChunk.of("app", ev), this.ctx)).isEqualTo(FlushResult.RETRY);
		TcpSink srv = new TcpSink(port);
		this.closeables.add(srv);
		assertThat(o.flush(TestChunk.of("app", ev), this.ctx)).isEqualTo(FlushResult.OK);
		String expected = "<14>1 1970-01-01T00:00:01.000000Z - - - - - " + BOM + "hello\n";
		Await.until(DEADLINE, "the message", () -> text(srv).length() >= expected.length());
		assertThat(text(srv)).isEqualTo(expected);
	}

	@Test
	void messageStartingWithPriIsSentAsItIs() throws Exception {
		DatagramSocket r = receiver();
		SyslogOutput o = output("port", "" + r.getLocalPort(), "syslog_message_key", "msg");
		assertThat(o.flush(TestChunk.of("app", one(1, 0, rec("msg", "<34>already formatted"))), this.ctx))
			.isEqualTo(FlushResult.OK);
		assertThat(receive(r)).isEqualTo("<34>already formatted");
	}

	@Test
	void invalidConfigurationsAreRefused() {
		assertThatThrownBy(() -> output("mode", "udp", "syslog_framing", "octet_counting"))
			.hasMessageContaining("syslog_framing=octet_counting requires mode=tcp or mode=tls");
		assertThatThrownBy(() -> output("mode", "tcp", "syslog_framing", "invalid")).hasMessageContaining("syslog_framing");
		assertThatThrownBy(() -> output("mode", "udp", "tls", "on")).hasMessageContaining("mode=udp with tls=on is unsupported");
		assertThatThrownBy(() -> output("mode", "carrier-pigeon")).hasMessageContaining("unknown syslog mode");
		assertThatThrownBy(() -> output("syslog_severity_preset", "8")).hasMessageContaining("invalid severity level 8");
		assertThatThrownBy(() -> output("syslog_facility_preset", "24")).hasMessageContaining("invalid facility level 24");
		for (String bad : List.of("[meta", "[meta bad=\"value]", "[meta bad=\"value\\", "[meta bad=\"value\\q\"]",
				"[meta bad=\"unescaped]value\"]", "[abcdefghijklmnopqrstuvwxyz1234567]")) {
			assertThatThrownBy(() -> output("syslog_sd_preset", bad)).as(bad).hasMessageContaining("invalid syslog_sd_preset");
		}
	}

	@Test
	void validSdPresets() {
		assertThat(SyslogFormatter.validSdPreset("-", false)).isTrue();
		assertThat(SyslogFormatter.validSdPreset("[meta a=\"quote\\\" slash\\\\ bracket\\]\"][next x=\"y\"]", false)).isTrue();
		assertThat(SyslogFormatter.validSdPreset("[abcdefghijklmnopqrstuvwxyz1234567 source=\"preset\"]", true)).isTrue();
		assertThat(SyslogFormatter.validSdPreset("[a][b c=\"d\" e=\"f\"]", false)).isTrue();
	}
}
