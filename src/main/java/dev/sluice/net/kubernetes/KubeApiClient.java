package dev.sluice.net.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;

/**
 * A small client for the Kubernetes API server (or a kubelet), as Fluent Bit's kubernetes filter
 * and kubernetes_events input talk to it: plain GETs with {@code Authorization: Bearer <token>}
 * (the token re-read from {@code kube_token_file}, or produced by {@code kube_token_command},
 * once it is older than {@code kube_token_ttl}), over TLS checked against {@code kube_ca_file} /
 * {@code kube_ca_path} ({@code tls.verify}; the host name only with {@code tls.verify_hostname}).
 * Thread-safe; requests block (callers run on input threads or virtual threads).
 */
public final class KubeApiClient implements AutoCloseable {

	/** Default service account files inside a pod. */
	public static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

	public static final String DEFAULT_CA = SERVICE_ACCOUNT + "/ca.crt";

	public static final String DEFAULT_TOKEN = SERVICE_ACCOUNT + "/token";

	public static final String DEFAULT_NAMESPACE = SERVICE_ACCOUNT + "/namespace";

	/** TLS and authentication settings. */
	public record Settings(boolean https, String host, int port, boolean tlsVerify, boolean tlsVerifyHostname,
			String tlsVhost, String caFile, String caPath, String tokenFile, String tokenCommand, Duration tokenTtl,
			Duration ioTimeout) {
	}

	/** A response: status and body; {@code truncated} when the body exceeded the read limit. */
	public record Response(int status, byte[] body, boolean truncated, long contentLength) {
	}

	private final Settings settings;

	private final Logger log;

	private final HttpClient client;

	private final String base;

	private final Object tokenLock = new Object();

	private volatile String authorization;

	private volatile long tokenReadAt;

	public KubeApiClient(Settings settings, Logger log) throws IOException {
		this.settings = settings;
		this.log = log;
		HttpClient.Builder b = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10));
		if (settings.https()) {
			b.sslContext(sslContext(settings));
			if (settings.tlsVhost() != null && !settings.tlsVhost().isEmpty()) {
				SSLParameters p = new SSLParameters();
				p.setServerNames(List.of(new SNIHostName(settings.tlsVhost())));
				b.sslParameters(p);
			}
		}
		this.client = b.build();
		String h = settings.host().contains(":") && !settings.host().startsWith("[") ? "[" + settings.host() + "]"
				: settings.host();
		this.base = (settings.https() ? "https" : "http") + "://" + h + ":" + settings.port();
	}

	/** {@code scheme://host:port}. */
	public String base() {
		return this.base;
	}

	/**
	 * GETs {@code path}, reading at most {@code limit} body bytes (0: no limit).
	 * @throws IOException on connection or protocol errors
	 */
	public Response get(String path, long limit) throws IOException, InterruptedException {
		HttpRequest req = request(path).GET().build();
		HttpResponse<InputStream> resp = this.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
		long cl = resp.headers().firstValueAsLong("content-length").orElse(-1);
		try (InputStream in = resp.body()) {
			if (limit > 0 && cl > limit) {
				return new Response(resp.statusCode(), new byte[0], true, cl);
			}
			int cap = (limit > 0) ? (int) Math.min(limit + 1, Integer.MAX_VALUE - 8) : Integer.MAX_VALUE - 8;
			byte[] body = in.readNBytes(cap);
			if (limit > 0 && body.length > limit) {
				return new Response(resp.statusCode(), new byte[0], true, cl);
			}
			return new Response(resp.statusCode(), body, false, cl);
		}
	}

	/** Opens a streaming GET (a watch); the caller reads and closes the body. */
	public HttpResponse<InputStream> stream(String path) throws IOException, InterruptedException {
		HttpRequest req = request(path).GET().build();
		return this.client.send(req, HttpResponse.BodyHandlers.ofInputStream());
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(this.base + path)).header("User-Agent", "Fluent-Bit");
		if (this.settings.ioTimeout() != null && !this.settings.ioTimeout().isZero()) {
			rb.timeout(this.settings.ioTimeout());
		}
		String auth = authorization();
		if (auth != null) {
			rb.header("Authorization", auth);
		}
		return rb;
	}

	/** The Authorization header value, refreshed when older than {@code kube_token_ttl}. */
	String authorization() {
		long now = System.nanoTime();
		long ttl = (this.settings.tokenTtl() != null) ? this.settings.tokenTtl().toNanos() : 0;
		if (this.tokenReadAt != 0 && (ttl <= 0 || now - this.tokenReadAt <= ttl)) {
			return this.authorization;
		}
		synchronized (this.tokenLock) {
			if (this.tokenReadAt != 0 && (ttl <= 0 || System.nanoTime() - this.tokenReadAt <= ttl)) {
				return this.authorization;
			}
			String token = readToken();
			this.authorization = (token == null || token.isEmpty()) ? null : "Bearer " + token;
			this.tokenReadAt = Math.max(1, System.nanoTime());
			return this.authorization;
		}
	}

	private String readToken() {
		String cmd = this.settings.tokenCommand();
		if (cmd != null && !cmd.isEmpty()) {
			try {
				Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
				byte[] out = p.getInputStream().readAllBytes();
				if (!p.waitFor(30, TimeUnit.SECONDS)) {
					p.destroyForcibly();
				}
				String t = new String(out, StandardCharsets.UTF_8).strip();
				if (t.isEmpty()) {
					this.log.warn("failed to run command {}", cmd);
					return null;
				}
				return t;
			}
			catch (IOException ex) {
				this.log.warn("failed to run command {}: {}", cmd, ex.getMessage());
				return null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		String file = this.settings.tokenFile();
		if (file == null || file.isEmpty()) {
			return null;
		}
		try {
			String t = Files.readString(Path.of(file)).strip();
			this.log.info(" token updated");
			return t;
		}
		catch (IOException ex) {
			this.log.warn("cannot open {}", file);
			return null;
		}
	}

	private static SSLContext sslContext(Settings s) throws IOException {
		try {
			SSLContext ctx = SSLContext.getInstance("TLS");
			TrustManager tm;
			if (!s.tlsVerify()) {
				tm = new Trust(null, false);
			}
			else {
				tm = new Trust(trustManager(s.caFile(), s.caPath()), s.tlsVerifyHostname());
			}
			ctx.init(null, new TrustManager[] { tm }, null);
			return ctx;
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("could not set up TLS: " + ex.getMessage(), ex);
		}
	}

	/** A trust manager for a CA file and/or a directory of CA files (the JDK's store when neither is readable). */
	static X509ExtendedTrustManager trustManager(String caFile, String caPath) throws IOException, GeneralSecurityException {
		List<Path> files = new ArrayList<>();
		if (caFile != null && !caFile.isEmpty()) {
			files.add(Path.of(caFile));
		}
		if (caPath != null && !caPath.isEmpty() && Files.isDirectory(Path.of(caPath))) {
			try (var dir = Files.list(Path.of(caPath))) {
				dir.filter(Files::isRegularFile).sorted().forEach(files::add);
			}
		}
		KeyStore ks = null;
		if (!files.isEmpty()) {
			ks = KeyStore.getInstance(KeyStore.getDefaultType());
			ks.load(null, null);
			CertificateFactory cf = CertificateFactory.getInstance("X.509");
			int n = 0;
			for (Path f : files) {
				if (!Files.isReadable(f)) {
					if (f.toString().equals(caFile)) {
						throw new IOException("cannot read CA file " + f);
					}
					continue;
				}
				try (InputStream in = Files.newInputStream(f)) {
					for (Certificate c : cf.generateCertificates(in)) {
						ks.setCertificateEntry("ca" + n++, c);
					}
				}
				catch (CertificateException ex) {
					if (f.toString().equals(caFile)) {
						throw new IOException("bad CA file " + f + ": " + ex.getMessage(), ex);
					}
				}
			}
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(ks);
		for (TrustManager tm : tmf.getTrustManagers()) {
			if (tm instanceof X509ExtendedTrustManager x) {
				return x;
			}
		}
		throw new GeneralSecurityException("no X.509 trust manager");
	}

	/**
	 * Checks the server's chain against the CAs (host name too when asked), or accepts anything
	 * ({@code tls.verify off}).
	 */
	private static final class Trust extends X509ExtendedTrustManager {

		private final X509ExtendedTrustManager delegate;

		private final boolean hostname;

		Trust(X509ExtendedTrustManager delegate, boolean hostname) {
			this.delegate = delegate;
			this.hostname = hostname;
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("client side only");
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			if (this.delegate != null) {
				this.delegate.checkServerTrusted(chain, authType);
			}
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("client side only");
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			if (this.delegate != null) {
				if (this.hostname) {
					this.delegate.checkServerTrusted(chain, authType, socket);
				}
				else {
					this.delegate.checkServerTrusted(chain, authType);
				}
			}
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("client side only");
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			if (this.delegate != null) {
				if (this.hostname) {
					this.delegate.checkServerTrusted(chain, authType, engine);
				}
				else {
					this.delegate.checkServerTrusted(chain, authType);
				}
			}
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return (this.delegate != null) ? this.delegate.getAcceptedIssuers() : new X509Certificate[0];
		}
	}

	/** Stops the client (its selector thread); open streams are aborted. */
	@Override
	public void close() {
		this.client.shutdownNow();
	}

	/** Parses {@code http[s]://host[:port]}; null when the scheme is neither. */
	public static Object[] parseUrl(String url, int defaultPort) {
		boolean https;
		String rest;
		if (url.startsWith("http://")) {
			https = false;
			rest = url.substring(7);
		}
		else if (url.startsWith("https://")) {
			https = true;
			rest = url.substring(8);
		}
		else {
			return null;
		}
		int slash = rest.indexOf('/');
		if (slash >= 0) {
			rest = rest.substring(0, slash);
		}
		int colon = rest.lastIndexOf(':');
		String host = rest;
		int port = defaultPort;
		if (colon > 0 && rest.indexOf(']') < colon) {
			host = rest.substring(0, colon);
			try {
				port = Integer.parseInt(rest.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		return new Object[] { https, host, port };
	}
}
