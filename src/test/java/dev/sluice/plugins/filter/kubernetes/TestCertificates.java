package dev.sluice.plugins.filter.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A self-signed server certificate made with the JDK's keytool: its PEM (the "CA file") and a server context. */
public record TestCertificates(Path caFile, SSLContext server) {

	public static TestCertificates make(Path dir, String name, String san) throws Exception {
		Path ks = dir.resolve(name + ".p12");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		Process p = new ProcessBuilder(keytool, "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12",
				"-storepass", "changeit", "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=kubernetes", "-ext", san, "-validity", "2")
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
		SSLContext ctx = SSLContext.getInstance("TLS");
		ctx.init(kmf.getKeyManagers(), null, null);
		return new TestCertificates(crt, ctx);
	}
}
