package dev.sluice.plugins.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;

/** The http output over TLS to a JDK HttpsServer with a keytool-made certificate. */
class HttpOutputTlsTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	static Path dir;

	static Path crt;

	static SSLContext serverTls;

	static Path otherCrt;

	static SSLContext otherTls;

	@BeforeAll
	static void certificate() throws Exception {
		SSLContext[] made = new SSLContext[1];
		crt = make("srv", "SAN=dns:localhost,ip:127.0.0.1", made);
		serverTls = made[0];
		otherCrt = make("other", "SAN=dns:other.example", made);
		otherTls = made[0];
	}

	private static Path make(String name, String san, SSLContext[] ctx) throws Exception {
		Path ks = dir.resolve(name + ".p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process p = new ProcessBuilder(keytool, "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12",
				"-storepass", "changeit", "-alias", "srv", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
				"-ext", san, "-validity", "2")
			.redirectErrorStream(true)
			.start();
		String out = new String(p.getInputStream().readAllBytes());
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (var in = Files.newInputStream(ks)) {
			store.load(in, "changeit".toCharArray());
		}
		Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
		Path crt = dir.resolve(name + ".crt");
		Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n"
				+ b64.encodeToString(store.getCertificate("srv").getEncoded()) + "\n-----END CERTIFICATE-----\n");
		KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		kmf.init(store, "changeit".toCharArray());
		ctx[0] = SSLContext.getInstance("TLS");
		ctx[0].init(kmf.getKeyManagers(), null, null);
		return crt;
	}

	private static long deliver(String... tlsOptions) throws Exception {
		return deliver(serverTls, tlsOptions);
	}

	private static long deliver(SSLContext server, String... tlsOptions) throws Exception {
		try (TestHttpServer srv = new TestHttpServer(0, server)) {
			java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("match", "*", "host", "127.0.0.1",
					"port", String.valueOf(srv.port()), "tls", "on", "retry_limit", "no_retries"));
			args.addAll(java.util.List.of(tlsOptions));
			try (EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
				.input("lib", "tag", "t").output("http", args.toArray(String[]::new)).build().start()) {
				s.plugin("lib.0", LibInput.class).push(new EventTime(1, 0), Map.of("k", "v"));
				Await.until(DEADLINE, "an outcome", () -> s.output("http.0").metrics().procRecords.sum()
						+ s.output("http.0").metrics().retriesFailed.sum() + s.output("http.0").metrics().droppedRecords.sum() > 0);
				return srv.delivered().size();
			}
		}
	}

	@Test
	void verifiedWithCaFile() throws Exception {
		assertThat(deliver("tls.verify", "on", "tls.ca_file", crt.toString())).isEqualTo(1);
	}

	@Test
	void unverified() throws Exception {
		assertThat(deliver("tls.verify", "off")).isEqualTo(1);
	}

	@Test
	void untrustedCertificateIsNotDelivered() throws Exception {
		assertThat(deliver("tls.verify", "on")).isZero();
	}

	@Test
	void hostNameIsNotCheckedByDefault() throws Exception {
		assertThat(deliver(otherTls, "tls.ca_file", otherCrt.toString())).isEqualTo(1);
	}

	@Test
	void hostNameIsCheckedWithVerifyHostname() throws Exception {
		assertThat(deliver(otherTls, "tls.ca_file", otherCrt.toString(), "tls.verify_hostname", "on")).isZero();
	}
}
