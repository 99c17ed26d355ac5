package dev.sluice.net.forward;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS contexts from Fluent Bit's {@code tls.*} options: PEM certificate chains
 * ({@code tls.crt_file}), PEM private keys ({@code tls.key_file}: PKCS#8 {@code PRIVATE KEY} or
 * PKCS#1 {@code RSA PRIVATE KEY}, unencrypted), CA files ({@code tls.ca_file}) or directories
 * ({@code tls.ca_path}), and {@code tls.verify off} (trust anything).
 */
public final class TlsSupport {

	private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

	private TlsSupport() {
	}

	/** The TLS settings of one plugin instance. */
	public record Options(boolean verify, String caFile, String caPath, String crtFile, String keyFile, String vhost,
			boolean verifyHostname, String minVersion, String maxVersion) {
	}

	/** A server context with the instance's certificate; client certificates are checked when a CA is given and {@code verifyClient}. */
	public static SSLContext server(Options o, boolean verifyClient) throws IOException {
		if (o.crtFile() == null || o.keyFile() == null) {
			throw new IllegalArgumentException("tls needs tls.crt_file and tls.key_file");
		}
		try {
			SSLContext ctx = SSLContext.getInstance("TLS");
			ctx.init(keyManagers(o.crtFile(), o.keyFile()), verifyClient ? trustManagers(o) : null, null);
			return ctx;
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("could not set up TLS: " + ex.getMessage(), ex);
		}
	}

	/** A client context. */
	public static SSLContext client(Options o) throws IOException {
		try {
			SSLContext ctx = SSLContext.getInstance("TLS");
			javax.net.ssl.KeyManager[] km = (o.crtFile() != null && o.keyFile() != null)
					? keyManagers(o.crtFile(), o.keyFile()) : null;
			ctx.init(km, trustManagers(o), null);
			return ctx;
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("could not set up TLS: " + ex.getMessage(), ex);
		}
	}

	/** Protocol names for {@code tls.min_version}/{@code tls.max_version} (e.g. TLSv1.2..TLSv1.3), or null for the defaults. */
	public static String[] protocols(Options o) {
		if (o.minVersion() == null && o.maxVersion() == null) {
			return null;
		}
		List<String> all = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
		int lo = (o.minVersion() != null) ? index(all, o.minVersion()) : 2;
		int hi = (o.maxVersion() != null) ? index(all, o.maxVersion()) : 3;
		return all.subList(lo, hi + 1).toArray(String[]::new);
	}

	private static int index(List<String> all, String v) {
		String n = v.trim().toUpperCase(java.util.Locale.ROOT).replace("TLSV", "TLSv");
		if (!n.startsWith("TLSv")) {
			n = "TLSv" + n;
		}
		int i = all.indexOf(n);
		if (i < 0) {
			throw new IllegalArgumentException("unknown TLS version '" + v + "'");
		}
		return i;
	}

	private static javax.net.ssl.KeyManager[] keyManagers(String crtFile, String keyFile)
			throws IOException, GeneralSecurityException {
		List<X509Certificate> chain = certificates(Path.of(crtFile));
		if (chain.isEmpty()) {
			throw new IOException("no certificate in " + crtFile);
		}
		PrivateKey key = privateKey(Path.of(keyFile));
		KeyStore ks = KeyStore.getInstance("PKCS12");
		ks.load(null, null);
		char[] pw = new char[0];
		ks.setKeyEntry("key", key, pw, chain.toArray(Certificate[]::new));
		KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		kmf.init(ks, pw);
		return kmf.getKeyManagers();
	}

	private static TrustManager[] trustManagers(Options o) throws IOException, GeneralSecurityException {
		if (!o.verify()) {
			return new TrustManager[] { new X509TrustManager() {
				@Override
				public void checkClientTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public void checkServerTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public X509Certificate[] getAcceptedIssuers() {
					return new X509Certificate[0];
				}
			} };
		}
		List<X509Certificate> cas = new ArrayList<>();
		if (o.caFile() != null) {
			cas.addAll(certificates(Path.of(o.caFile())));
		}
		if (o.caPath() != null) {
			try (var files = Files.list(Path.of(o.caPath()))) {
				for (Path p : files.filter(Files::isRegularFile).toList()) {
					try {
						cas.addAll(certificates(p));
					}
					catch (IOException | GeneralSecurityException ex) {
						// not a certificate file
					}
				}
			}
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		if (cas.isEmpty()) {
			tmf.init((KeyStore) null);
		}
		else {
			KeyStore ks = KeyStore.getInstance("PKCS12");
			ks.load(null, null);
			for (int i = 0; i < cas.size(); i++) {
				ks.setCertificateEntry("ca" + i, cas.get(i));
			}
			tmf.init(ks);
		}
		return tmf.getTrustManagers();
	}

	static List<X509Certificate> certificates(Path p) throws IOException, GeneralSecurityException {
		CertificateFactory cf = CertificateFactory.getInstance("X.509");
		List<X509Certificate> out = new ArrayList<>();
		for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(p)))) {
			out.add((X509Certificate) c);
		}
		return out;
	}

	static PrivateKey privateKey(Path p) throws IOException, GeneralSecurityException {
		String text = Files.readString(p, StandardCharsets.US_ASCII);
		Matcher m = PEM.matcher(text);
		while (m.find()) {
			String type = m.group(1);
			byte[] der = Base64.getMimeDecoder().decode(m.group(2));
			switch (type) {
				case "PRIVATE KEY" -> {
					return pkcs8(der);
				}
				case "RSA PRIVATE KEY" -> {
					return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
				}
				case "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(
						"unsupported key format '" + type + "' in " + p + " (use an unencrypted PKCS#8 'PRIVATE KEY')");
				default -> {
					// other blocks (such as EC PARAMETERS) are skipped
				}
			}
		}
		throw new IOException("no private key in " + p);
	}

	private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
		GeneralSecurityException last = null;
		for (String alg : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
			try {
				return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
			}
			catch (GeneralSecurityException ex) {
				last = ex;
			}
		}
		throw last;
	}

	/** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
	private static byte[] wrapPkcs1(byte[] pkcs1) {
		byte[] algId = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01,
				0x05, 0x00 };
		byte[] version = { 0x02, 0x01, 0x00 };
		byte[] octet = der(0x04, pkcs1);
		byte[] body = new byte[version.length + algId.length + octet.length];
		System.arraycopy(version, 0, body, 0, version.length);
		System.arraycopy(algId, 0, body, version.length, algId.length);
		System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
		return der(0x30, body);
	}

	private static byte[] der(int tag, byte[] content) {
		int n = content.length;
		byte[] len;
		if (n < 0x80) {
			len = new byte[] { (byte) n };
		}
		else if (n < 0x100) {
			len = new byte[] { (byte) 0x81, (byte) n };
		}
		else if (n < 0x10000) {
			len = new byte[] { (byte) 0x82, (byte) (n >> 8), (byte) n };
		}
		else {
			len = new byte[] { (byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n };
		}
		byte[] out = new byte[1 + len.length + n];
		out[0] = (byte) tag;
		System.arraycopy(len, 0, out, 1, len.length);
		System.arraycopy(content, 0, out, 1 + len.length, n);
		return out;
	}
}
