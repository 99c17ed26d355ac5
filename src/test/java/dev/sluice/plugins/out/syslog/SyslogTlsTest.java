package dev.sluice.plugins.out.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.testing.Await;

/** {@code mode tls}: the syslog output to a TLS server written in the test, certificate checked. */
class SyslogTlsTest {

	@TempDir
	static Path dir;

	static Path crt;

	static Path key;

	@BeforeAll
	static void certificate() throws Exception {
		Path ks = dir.resolve("ks.p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process p = new ProcessBuilder(keytool, "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12",
				"-storepass", "changeit", "-alias", "srv", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2")
			.redirectErrorStream(true)
			.start();
		String out = new String(p.getInputStream().readAllBytes());
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (var in = Files.newInputStream(ks)) {
			store.load(in, "changeit".toCharArray());
		}
		PrivateKey pk = (PrivateKey) store.getKey("srv", "changeit".toCharArray());
		Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
		crt = dir.resolve("srv.crt");
		key = dir.resolve("srv.key");
		Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n"
				+ b64.encodeToString(store.getCertificate("srv").getEncoded()) + "\n-----END CERTIFICATE-----\n");
		Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pk.getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
	}

	@Test
	void tlsModeWithOctetCounting() throws Exception {
		SSLContext server = TlsSupport.server(new TlsSupport.Options(false, null, null, crt.toString(), key.toString(), null,
				false, null, null), false);
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory()
			.createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
			Thread.ofVirtual().start(() -> {
				try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
					byte[] b = new byte[4096];
					int n;
					while ((n = in.read(b)) >= 0) {
						synchronized (received) {
							received.write(b, 0, n);
						}
					}
				}
				catch (Exception ex) {
					// connection ends
				}
			});
			TestContext ctx = new TestContext("syslog.0");
			Map<String, String> p = ctx.properties();
			p.put("tls.verify", "on");
			p.put("tls.ca_file", crt.toString());
			p.put("tls.vhost", "localhost");
			p.put("tls.verify_hostname", "on");
			SyslogOutputConfig c = new SyslogOutputConfig();
			c.host = "127.0.0.1";
			c.port = ss.getLocalPort();
			c.mode = "tls";
			c.syslogFormat = "rfc5424";
			c.syslogFraming = "octet_counting";
			c.syslogMessageKey = "msg";
			c.syslogSeverityPreset = 6;
			c.syslogFacilityPreset = 1;
			SyslogOutput o = new SyslogOutput();
			o.init(c, ctx);
			try {
				Map<String, Object> r = new LinkedHashMap<>();
				r.put("msg", "over tls");
				EventEncoder enc = new EventEncoder();
				enc.append(new EventTime(1, 0), r);
				assertThat(o.flush(TestChunk.of("app", EventBytes.of(enc)), ctx)).isEqualTo(FlushResult.OK);
				String msg = "<14>1 1970-01-01T00:00:01.000000Z - - - - - \uFEFFover tls";
				String expected = msg.getBytes(StandardCharsets.UTF_8).length + " " + msg;
				Await.until(Duration.ofSeconds(20), "the message", () -> {
					synchronized (received) {
						return received.size() >= expected.getBytes(StandardCharsets.UTF_8).length;
					}
				});
				synchronized (received) {
					assertThat(received.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
				}
			}
			finally {
				o.exit();
			}
		}
	}
}
