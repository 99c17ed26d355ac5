package dev.sluice.plugins.in.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The opentelemetry input over TLS (HTTP/2 by ALPN for gRPC) from the OpenTelemetry SDK, and
 * the opentelemetry output's gRPC client over TLS into it.
 */
class OpenTelemetryTlsTest {

	static final Duration DEADLINE = Duration.ofSeconds(30);

	@TempDir
	static Path dir;

	static Path crt;

	static Path key;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<LogEvent> received = new CopyOnWriteArrayList<>();

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
		Files.writeString(crt, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
		Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pk.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	private int startTlsInput() {
		int port = Ports.free();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.input("opentelemetry", "listen", "127.0.0.1", "port", String.valueOf(port), "tls", "on", "tls.verify", "off",
					"tls.crt_file", crt.toString(), "tls.key_file", key.toString())
			.output("lib", "match", "*").build();
		this.closeables.add(s);
		s.plugin("lib.0", LibOutput.class).setCallback((chunk) -> {
			this.received.addAll(chunk.decode());
			return FlushResult.OK;
		});
		s.start();
		return port;
	}

	private void emit(LogRecordExporter e, String body) {
		SdkLoggerProvider p = SdkLoggerProvider.builder()
			.setResource(Resource.create(Attributes.empty()))
			.addLogRecordProcessor(SimpleLogRecordProcessor.create(e))
			.build();
		try {
			p.get("tls").logRecordBuilder().setBody(body).emit();
			assertThat(p.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
		}
		finally {
			p.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void sdkGrpcAndHttpExportersOverTls() throws Exception {
		int port = startTlsInput();
		byte[] ca = Files.readAllBytes(crt);
		emit(OtlpGrpcLogRecordExporter.builder().setEndpoint("https://localhost:" + port).setTrustedCertificates(ca).build(),
				"grpc over tls");
		emit(OtlpHttpLogRecordExporter.builder().setEndpoint("https://localhost:" + port + "/v1/logs")
			.setTrustedCertificates(ca).build(), "http over tls");
		Await.until(DEADLINE, "two records", () -> this.received.size() >= 2);
		assertThat(this.received.stream().map((e) -> e.body().get("log")).toList())
			.containsExactlyInAnyOrder("grpc over tls", "http over tls");
	}

	@Test
	void outputGrpcOverTlsIntoTheInput() throws Exception {
		int port = startTlsInput();
		EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
			.input("lib", "tag", "app")
			.output("opentelemetry", "match", "*", "host", "127.0.0.1", "port", String.valueOf(port), "grpc", "on", "tls",
					"on", "tls.verify", "off")
			.build();
		this.closeables.add(s);
		s.start();
		s.plugin("lib.0", LibInput.class).push(dev.sluice.event.EventTime.now(), java.util.Map.of("msg", "secure"));
		Await.until(DEADLINE, "the record", () -> !this.received.isEmpty());
		assertThat(this.received.get(0).body()).isEqualTo(java.util.Map.of("msg", "secure"));
	}
}
