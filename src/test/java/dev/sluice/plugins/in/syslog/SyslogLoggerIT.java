package dev.sluice.plugins.in.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/**
 * Interop: the system's {@code logger} (util-linux, Debian package {@code bsdutils}) sends to the
 * syslog input in every mode and both RFCs. Fails, never skips, when {@code logger} is missing
 * ({@code bin/verify} installs it).
 */
class SyslogLoggerIT {

	static final Duration DEADLINE = Duration.ofSeconds(30);

	private final List<EmbeddedSluice> started = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void stop() {
		this.started.forEach(EmbeddedSluice::close);
	}

	private EmbeddedSluice start(String... props) {
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("syslog", props).output("lib", "match", "*").build();
		this.started.add(s);
		s.start();
		return s;
	}

	static void logger(String... args) throws Exception {
		String tool = null;
		for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
			if (Files.isExecutable(Path.of(d, "logger"))) {
				tool = d + "/logger";
				break;
			}
		}
		assertThat(tool).as("the 'logger' command (util-linux; apt-get install bsdutils)").isNotNull();
		List<String> cmd = new ArrayList<>();
		cmd.add(tool);
		cmd.addAll(List.of(args));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("logger finished").isTrue();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.exitValue()).as("logger %s: %s", cmd, out).isZero();
	}

	private static List<LogEvent> events(EmbeddedSluice s, int n) {
		LibOutput lib = s.plugin("lib.0", LibOutput.class);
		return Await.value(DEADLINE, n + " events", lib::events, (l) -> l.size() >= n);
	}

	/** The record's time is the one in the message (RFC 5424 carries microseconds and an offset). */
	private static void assertRfc5424(LogEvent e, String message) {
		Map<String, Object> b = e.body();
		assertThat(b).containsEntry("ident", "myapp").containsEntry("message", message).containsEntry("pri", "13")
			.containsKeys("host", "time", "pid", "msgid", "extradata");
		assertThat((String) b.get("extradata")).startsWith("[timeQuality");
		OffsetDateTime t = OffsetDateTime.parse((String) b.get("time"));
		// as in Fluent Bit the fraction goes through a double (strtod, times 1e9, truncated), so
		// .127210 can become 127209999 ns
		assertThat(e.time().seconds()).isEqualTo(t.toEpochSecond());
		assertThat((long) e.time().nanos()).isCloseTo(t.getNano(), org.assertj.core.data.Offset.offset(1L));
	}

	@Test
	void rfc5424OverUdp() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = start("mode", "udp", "listen", "127.0.0.1", "port", String.valueOf(port));
		logger("--rfc5424", "-n", "127.0.0.1", "-P", String.valueOf(port), "-d", "-t", "myapp", "hello over udp");
		assertRfc5424(events(s, 1).get(0), "hello over udp");
	}

	@Test
	void rfc5424OverTcpWithNewlineFraming() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = start("mode", "tcp", "listen", "127.0.0.1", "port", String.valueOf(port));
		logger("--rfc5424", "-n", "127.0.0.1", "-P", String.valueOf(port), "-T", "-t", "myapp", "hello over tcp");
		logger("--rfc5424", "-n", "127.0.0.1", "-P", String.valueOf(port), "-T", "-t", "myapp", "second");
		List<LogEvent> ev = events(s, 2);
		assertRfc5424(ev.get(0), "hello over tcp");
		assertRfc5424(ev.get(1), "second");
	}

	@Test
	void rfc5424OverTcpWithOctetCounting() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = start("mode", "tcp", "listen", "127.0.0.1", "port", String.valueOf(port), "format",
				"octet_counting");
		logger("--rfc5424", "--octet-count", "-n", "127.0.0.1", "-P", String.valueOf(port), "-T", "-t", "myapp",
				"counted message");
		assertRfc5424(events(s, 1).get(0), "counted message");
	}

	@Test
	void rfc3164OverUdp() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = start("mode", "udp", "listen", "127.0.0.1", "port", String.valueOf(port), "parser",
				"syslog-rfc3164");
		logger("--rfc3164", "-n", "127.0.0.1", "-P", String.valueOf(port), "-d", "-t", "myapp", "old style");
		Map<String, Object> b = events(s, 1).get(0).body();
		assertThat(b).containsEntry("pri", "13").containsEntry("ident", "myapp").containsEntry("message", "old style")
			.containsKeys("time", "host");
	}

	@Test
	void rfc3164OverTcp() throws Exception {
		int port = Ports.free();
		EmbeddedSluice s = start("mode", "tcp", "listen", "127.0.0.1", "port", String.valueOf(port), "parser",
				"syslog-rfc3164");
		logger("--rfc3164", "-n", "127.0.0.1", "-P", String.valueOf(port), "-T", "-t", "myapp", "-p", "local0.warning",
				"old style over tcp");
		Map<String, Object> b = events(s, 1).get(0).body();
		// local0 (16) * 8 + warning (4)
		assertThat(b).containsEntry("pri", "132").containsEntry("ident", "myapp")
			.containsEntry("message", "old style over tcp");
	}

	@Test
	void localFormatOverAUnixDatagramSocketWithTheDefaultParser() throws Exception {
		Path sock = this.dir.resolve("log.sock");
		EmbeddedSluice s = start("mode", "unix_udp", "path", sock.toString());
		// logger's default header on a local socket: "<13>Nov 22 06:28:18 myapp: msg" (no hostname)
		logger("-u", sock.toString(), "-d", "-t", "myapp", "-i", "local datagram");
		Map<String, Object> b = events(s, 1).get(0).body();
		assertThat(b).containsEntry("pri", "13").containsEntry("ident", "myapp")
			.containsEntry("message", "local datagram").containsKeys("time", "pid");
	}

	@Test
	void rfc3164OverAUnixStreamSocket() throws Exception {
		Path sock = this.dir.resolve("log-stream.sock");
		EmbeddedSluice s = start("mode", "unix_tcp", "path", sock.toString(), "parser", "syslog-rfc3164");
		logger("--rfc3164", "-u", sock.toString(), "-T", "-t", "myapp", "local stream");
		Map<String, Object> b = events(s, 1).get(0).body();
		assertThat(b).containsEntry("ident", "myapp").containsEntry("message", "local stream").containsKey("host");
	}
}
