package dev.sluice.plugins.out.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/** Forward over TLS: Sluice's output into Sluice's input, with a certificate made by the JDK's keytool. */
class ForwardTlsTest {

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
	void forwardOverTlsWithVerificationAndSharedKey() throws Exception {
		int port = Ports.free();
		try (EmbeddedSluice receiver = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port), "tls", "on", "tls.crt_file",
					crt.toString(), "tls.key_file", key.toString(), "shared_key", "tk")
			.output("lib", "match", "*")
			.build()) {
			receiver.start();
			try (EmbeddedSluice sender = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
				.service("grace", "1")
				.input("dummy", "tag", "tls.test", "samples", "3", "rate", "50")
				.output("forward", "match", "*", "host", "127.0.0.1", "port", String.valueOf(port), "tls", "on",
						"tls.verify", "on", "tls.ca_file", crt.toString(), "tls.vhost", "localhost",
						"tls.verify_hostname", "on", "shared_key", "tk", "require_ack_response", "on")
				.build()) {
				sender.start();
				LibOutput lib = receiver.plugin("lib.0", LibOutput.class);
				List<LogEvent> got = Await.value(Duration.ofSeconds(20), "3 records over TLS", lib::events,
						(l) -> l.size() >= 3);
				assertThat(got).allSatisfy((e) -> assertThat(e.body()).containsEntry("message", "dummy"));
			}

			// a client that does not trust the certificate fails the flush (RETRY)
			ForwardOutputConfig c = ForwardOutputTest.config(port);
			c.tls = true;
			c.tlsVerify = true;
			c.sharedKey = "tk";
			TestContext ctx = new TestContext("forward.9");
			ForwardOutput o = new ForwardOutput();
			o.init(c, ctx);
			try {
				assertThat(o.flush(TestChunk.of("t", ForwardOutputTest.events(1)), ctx)).isEqualTo(FlushResult.RETRY);
			}
			finally {
				o.exit();
			}
		}
	}
}
