package dev.sluice.plugins.in.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** The tcp input over TLS, with a certificate made by keytool for the test. */
class TcpInputTlsTest {

	static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	static Path dir;

	static Path crt;

	static Path key;

	static SSLContext trusting;

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
		Certificate cert = store.getCertificate("srv");
		Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
		crt = dir.resolve("srv.crt");
		key = dir.resolve("srv.key");
		Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded())
				+ "\n-----END CERTIFICATE-----\n");
		Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pk.getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("srv", cert);
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trust);
		trusting = SSLContext.getInstance("TLS");
		trusting.init(null, tmf.getTrustManagers(), null);
	}

	@Test
	void jsonOverTlsAndAPlainTextClientIsRefused() throws Exception {
		int port = Ports.free();
		try (EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("tcp", "listen", "127.0.0.1", "port", String.valueOf(port), "tls", "on", "tls.verify", "off",
					"tls.crt_file", crt.toString(), "tls.key_file", key.toString())
			.output("lib", "match", "*").build()) {
			s.start();
			try (Socket plain = new Socket("127.0.0.1", port)) {
				plain.getOutputStream().write("{\"plain\":true}\n".getBytes(StandardCharsets.UTF_8));
				plain.setSoTimeout((int) DEADLINE.toMillis());
				int r;
				try {
					r = plain.getInputStream().read();
					while (r >= 0) {
						r = plain.getInputStream().read(); // an alert, then the close
					}
				}
				catch (java.net.SocketException ex) {
					r = -1;
				}
				assertThat(r).isEqualTo(-1);
			}
			try (SSLSocket c = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", port)) {
				OutputStream o = c.getOutputStream();
				o.write("{\"secure\":true}\n".getBytes(StandardCharsets.UTF_8));
				o.flush();
				LibOutput lib = s.plugin("lib.0", LibOutput.class);
				List<LogEvent> ev = Await.value(DEADLINE, "1 event", lib::events, (l) -> !l.isEmpty());
				assertThat(ev).extracting(LogEvent::body).containsExactly(Map.of("secure", true));
			}
		}
	}
}
