package dev.sluice.plugins.out.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

import org.slf4j.Logger;

import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.event.LogEvent;
import dev.sluice.net.forward.TlsSupport;
import dev.sluice.net.http.HttpClients;
import dev.sluice.net.http.TrustAll;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code http} output: each chunk becomes one request ({@code POST} by default) to
 * {@code host:port/uri} with the records as {@code json} (an array, the default),
 * {@code json_lines}, {@code json_stream}, {@code gelf} (one object a line) or {@code msgpack} (the
 * raw chunk), optionally gzipped. With {@code body_key} and {@code headers_key} each record is sent
 * on its own, its body and headers taken from the record.
 *
 * <p>Headers as Fluent Bit sends them: {@code Content-Type} per format, {@code Content-Encoding},
 * the {@code header_tag} header, {@code Authorization: Basic}, {@code User-Agent: Fluent-Bit}, then
 * each {@code header}. Results: 200–205 OK; other 4xx except 408 and 429 ERROR (not retried); any
 * other status, a connection failure or no response within {@code http.response_timeout} RETRY.
 * Connections are pooled and kept alive by the JDK's HTTP/1.1 client.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "http", description = "HTTP Output", config = HttpOutputConfig.class,
		workers = 2, network = true)
public final class HttpOutput implements OutputPlugin<HttpOutputConfig> {

	enum Format {
		JSON, JSON_LINES, JSON_STREAM, MSGPACK, GELF
	}

	private Logger log;

	private HttpClient client;

	private String host;

	private int port;

	private URI target;

	private String method;

	private Format format;

	private JsonFormatter json;

	private JsonFormatter.DateFormat dateFormat;

	private String dateKey;

	private GelfEncoder gelf;

	private boolean gzip;

	private boolean allowDuplicatedHeaders;

	private boolean logResponsePayload;

	private String headerTag;

	private String authorization;

	private List<List<String>> headers;

	private Duration responseTimeout;

	private String bodyKey;

	private String headersKey;

	@Override
	public void init(HttpOutputConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		this.json = JsonFormatter.standard();
		this.host = (c.host == null || c.host.isEmpty()) ? "127.0.0.1" : c.host;
		this.port = (c.port == 0) ? 80 : c.port;
		String uri = (c.uri == null || c.uri.isEmpty()) ? "/" : c.uri;
		if (!uri.startsWith("/")) {
			uri = "/" + uri;
		}
		this.format = parseFormat(c.format);
		if (this.format == null) {
			this.log.error("unrecognized 'format' option. Using 'msgpack'");
			this.format = Format.MSGPACK;
		}
		this.dateKey = c.jsonDateKey;
		if (this.dateKey != null && isFalse(this.dateKey)) {
			this.dateKey = null;
		}
		this.dateFormat = JsonFormatter.DateFormat.DOUBLE;
		if (c.jsonDateFormat != null) {
			JsonFormatter.DateFormat df = JsonFormatter.DateFormat.parse(c.jsonDateFormat);
			if (df == null) {
				this.log.error("unrecognized 'json_date_format' option. Using 'double'.");
			}
			else {
				this.dateFormat = df;
			}
		}
		if (this.format == Format.GELF) {
			this.gelf = new GelfEncoder(c.gelfHostKey, c.gelfTimestampKey, c.gelfLevelKey, c.gelfShortMessageKey,
					c.gelfFullMessageKey, this.json);
		}
		if (c.compress != null && !c.compress.isEmpty()) {
			String z = c.compress.toLowerCase(Locale.ROOT);
			if (z.equals("gzip")) {
				this.gzip = true;
			}
			else if (z.equals("snappy") || z.equals("zstd")) {
				throw new IllegalArgumentException("compress '" + c.compress + "' is not supported yet (only gzip)");
			}
			else {
				this.log.warn("unknown compression '{}': sending uncompressed", c.compress);
			}
		}
		this.method = (c.httpMethod == null) ? "POST" : c.httpMethod.toUpperCase(Locale.ROOT);
		if (!this.method.equals("POST") && !this.method.equals("PUT")) {
			throw new IllegalArgumentException("invalid http_method option " + c.httpMethod
					+ ". Supported methods are POST and PUT");
		}
		this.allowDuplicatedHeaders = c.allowDuplicatedHeaders;
		this.logResponsePayload = c.logResponsePayload;
		this.headerTag = blankToNull(c.headerTag);
		if (c.httpUser != null && c.httpPasswd != null) {
			this.authorization = "Basic " + Base64.getEncoder()
				.encodeToString((c.httpUser + ":" + c.httpPasswd).getBytes(StandardCharsets.UTF_8));
		}
		this.headers = (c.header != null) ? c.header : List.of();
		this.bodyKey = blankToNull(c.bodyKey);
		this.headersKey = blankToNull(c.headersKey);
		if ((this.bodyKey == null) != (this.headersKey == null)) {
			throw new IllegalArgumentException("when setting body_key or headers_key, both must be set");
		}
		if (c.oauth2Enable) {
			throw new IllegalArgumentException("oauth2.enable is not supported yet");
		}
		if (c.awsAuth) {
			throw new IllegalArgumentException("aws_auth is not supported yet");
		}
		this.responseTimeout = (c.httpResponseTimeout == null || c.httpResponseTimeout.isZero()
				|| c.httpResponseTimeout.isNegative()) ? Duration.ofSeconds(60) : c.httpResponseTimeout;

		Map<String, String> props = context.properties();
		HttpClient.Builder b = HttpClients.builder(HttpClients.connectTimeout(props));
		if (c.proxy != null && !c.proxy.isEmpty()) {
			URI p = URI.create(c.proxy.contains("://") ? c.proxy : "http://" + c.proxy);
			if (p.getScheme() != null && !p.getScheme().equalsIgnoreCase("http")) {
				throw new IllegalArgumentException("only an http:// proxy is supported: " + c.proxy);
			}
			b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), (p.getPort() > 0) ? p.getPort() : 80)));
		}
		if (c.tls) {
			b.sslContext(sslContext(c));
			SSLParameters params = new SSLParameters();
			String[] protocols = TlsSupport.protocols(tlsOptions(c));
			if (protocols != null) {
				params.setProtocols(protocols);
			}
			if (c.tlsVhost != null && !c.tlsVhost.isEmpty()) {
				params.setServerNames(List.of(new javax.net.ssl.SNIHostName(c.tlsVhost)));
			}
			if (c.tlsCiphers != null) {
				params.setCipherSuites(c.tlsCiphers.split("[:,]"));
			}
			b.sslParameters(params);
		}
		this.client = b.build();
		String hostPart = this.host.contains(":") && !this.host.startsWith("[") ? "[" + this.host + "]" : this.host;
		this.target = URI.create((c.tls ? "https" : "http") + "://" + hostPart + ":" + this.port + uri);
	}

	private static TlsSupport.Options tlsOptions(HttpOutputConfig c) {
		return new TlsSupport.Options(c.tlsVerify, c.tlsCaFile, c.tlsCaPath, c.tlsCrtFile, c.tlsKeyFile, c.tlsVhost,
				c.tlsVerifyHostname, c.tlsMinVersion, c.tlsMaxVersion);
	}

	private static SSLContext sslContext(HttpOutputConfig c) throws Exception {
		if (c.tlsVerify && (c.tlsVerifyHostname || c.tlsCrtFile != null || c.tlsKeyFile != null)) {
			return TlsSupport.client(tlsOptions(c));
		}
		if (c.tlsVerify) {
			// tls.verify_hostname off (the default): the chain is checked, the host name is not.
			SSLContext ctx = SSLContext.getInstance("TLS");
			ctx.init(null, new javax.net.ssl.TrustManager[] { new ChainOnly(trustManager(c)) }, null);
			return ctx;
		}
		// tls.verify off: accept any certificate and any host name.
		return TrustAll.context();
	}

	/** The trust manager for {@code tls.ca_file}/{@code tls.ca_path}, or the JDK's default trust store. */
	private static javax.net.ssl.X509TrustManager trustManager(HttpOutputConfig c) throws Exception {
		java.security.KeyStore ks = null;
		List<java.nio.file.Path> files = new ArrayList<>();
		if (c.tlsCaFile != null) {
			files.add(java.nio.file.Path.of(c.tlsCaFile));
		}
		if (c.tlsCaPath != null) {
			try (var dir = java.nio.file.Files.list(java.nio.file.Path.of(c.tlsCaPath))) {
				dir.filter(java.nio.file.Files::isRegularFile).sorted().forEach(files::add);
			}
		}
		if (!files.isEmpty()) {
			ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
			ks.load(null, null);
			java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
			int n = 0;
			for (java.nio.file.Path f : files) {
				try (var in = java.nio.file.Files.newInputStream(f)) {
					for (java.security.cert.Certificate cert : cf.generateCertificates(in)) {
						ks.setCertificateEntry("ca" + n++, cert);
					}
				}
				catch (java.security.cert.CertificateException ex) {
					if (f.toString().equals(c.tlsCaFile)) {
						throw ex;
					}
				}
			}
		}
		javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
			.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(ks);
		for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
			if (tm instanceof javax.net.ssl.X509TrustManager x) {
				return x;
			}
		}
		throw new IllegalStateException("no X.509 trust manager");
	}

	static Format parseFormat(String f) {
		if (f == null) {
			return Format.JSON;
		}
		return switch (f.toLowerCase(Locale.ROOT)) {
			case "json" -> Format.JSON;
			case "json_lines" -> Format.JSON_LINES;
			case "json_stream" -> Format.JSON_STREAM;
			case "msgpack" -> Format.MSGPACK;
			case "gelf" -> Format.GELF;
			default -> null;
		};
	}

	private static String blankToNull(String s) {
		return (s == null || s.isEmpty()) ? null : s;
	}

	private static boolean isFalse(String v) {
		String s = v.toLowerCase(Locale.ROOT);
		return s.equals("false") || s.equals("off") || s.equals("no");
	}

	/** The Content-Type of a format, as Fluent Bit sets it. */
	static String contentType(Format f) {
		return switch (f) {
			case JSON, JSON_STREAM, GELF -> "application/json";
			case JSON_LINES -> "application/x-ndjson";
			case MSGPACK -> "application/msgpack";
		};
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		if (chunk.eventType() != 0) {
			this.log.error("only logs are supported; dropping a chunk of event type {}", chunk.eventType());
			return FlushResult.ERROR;
		}
		if (this.bodyKey != null) {
			return postEachRecord(chunk);
		}
		byte[] body;
		try {
			body = compose(chunk);
		}
		catch (GelfEncoder.GelfException ex) {
			this.log.error(ex.getMessage());
			this.log.error("error encoding to GELF");
			return FlushResult.ERROR;
		}
		catch (EventFormatException ex) {
			this.log.error("failed to convert json");
			return FlushResult.ERROR;
		}
		return post(body, chunk.tag(), null);
	}

	/** The request body of a chunk (before compression). */
	byte[] compose(Chunk chunk) throws GelfEncoder.GelfException {
		var e = chunk.events();
		switch (this.format) {
			case MSGPACK -> {
				byte[] out = new byte[e.length()];
				System.arraycopy(e.data(), e.offset(), out, 0, e.length());
				return out;
			}
			case GELF -> {
				JsonFormatter.Sink sink = new JsonFormatter.Sink(e.length() * 2 + 64);
				for (LogEvent ev : chunk.decode()) {
					this.gelf.encode(ev.body(), ev.time(), sink);
					sink.write('\n');
				}
				return sink.toByteArray();
			}
			default -> {
				JsonFormatter.Format f = switch (this.format) {
					case JSON_LINES -> JsonFormatter.Format.JSON_LINES;
					case JSON_STREAM -> JsonFormatter.Format.JSON_STREAM;
					default -> JsonFormatter.Format.JSON;
				};
				JsonFormatter.Sink sink = JsonFormatter.Sink.pooled(e.length() * 2 + 64);
				try {
					this.json.formatEvents(e.data(), e.offset(), e.length(), f, this.dateFormat, this.dateKey, sink);
					return sink.toByteArray();
				}
				finally {
					sink.release();
				}
			}
		}
	}

	/**
	 * {@code body_key}/{@code headers_key}: one request a record, body and headers from the record.
	 * The chunk is retried when any request asks for a retry, else it is an error when any record
	 * failed (could not be extracted or was refused).
	 */
	private FlushResult postEachRecord(Chunk chunk) {
		FlushResult result = FlushResult.OK;
		boolean failed = false;
		for (LogEvent ev : chunk.decode()) {
			Object body = lookup(ev.body(), this.bodyKey);
			Object hdrs = lookup(ev.body(), this.headersKey);
			byte[] bytes = null;
			if (body instanceof String s) {
				bytes = s.getBytes(StandardCharsets.UTF_8);
			}
			else if (body instanceof byte[] raw) {
				bytes = raw;
			}
			else if (body != null) {
				this.log.warn("failed to extract body using pattern \"{}\" (must be a msgpack string or bin)",
						this.bodyKey);
			}
			List<String[]> extra = null;
			if (hdrs instanceof Map<?, ?> m) {
				extra = new ArrayList<>();
				for (Map.Entry<?, ?> h : m.entrySet()) {
					if (h.getKey() instanceof String k && h.getValue() instanceof String v) {
						extra.add(new String[] { k, v });
					}
				}
			}
			else if (hdrs != null) {
				this.log.warn("error extracting headers using pattern \"{}\"", this.headersKey);
			}
			if (bytes == null || extra == null) {
				this.log.warn("failed to extract body/headers using patterns \"{}\" and \"{}\"", this.bodyKey,
						this.headersKey);
				failed = true;
				continue;
			}
			FlushResult r = post(bytes, chunk.tag(), extra);
			if (r == FlushResult.RETRY || (r == FlushResult.ERROR && result == FlushResult.OK)) {
				result = r;
			}
		}
		if (failed) {
			this.log.error("failed to post requests body key \"{}\"", this.bodyKey);
			if (result == FlushResult.OK) {
				result = FlushResult.ERROR;
			}
		}
		return result;
	}

	/** A record accessor lookup: {@code key} or {@code $key['a']['b']}. */
	static Object lookup(Map<String, Object> record, String pattern) {
		String p = pattern.startsWith("$") ? pattern.substring(1) : pattern;
		List<String> path = new ArrayList<>();
		int br = p.indexOf('[');
		path.add((br < 0) ? p : p.substring(0, br));
		if (br >= 0) {
			var m = java.util.regex.Pattern.compile("\\[['\"]?([^'\"\\]]*)['\"]?\\]").matcher(p.substring(br));
			while (m.find()) {
				path.add(m.group(1));
			}
		}
		Object cur = record;
		for (String k : path) {
			if (!(cur instanceof Map<?, ?> m)) {
				return null;
			}
			cur = m.get(k);
		}
		return cur;
	}

	private FlushResult post(byte[] payload, String tag, List<String[]> recordHeaders) {
		byte[] body = payload;
		boolean compressed = false;
		if (this.gzip) {
			try {
				body = gzip(payload);
				compressed = true;
			}
			catch (IOException ex) {
				this.log.error("cannot gzip payload, disabling compression");
			}
		}
		HttpRequest.Builder rb = HttpRequest.newBuilder(this.target)
			.method(this.method, HttpRequest.BodyPublishers.ofByteArray(body));
		try {
			if (recordHeaders != null) {
				for (String[] h : recordHeaders) {
					addHeader(rb, h[0], h[1]);
				}
			}
			else {
				addHeader(rb, "Content-Type", contentType(this.format));
			}
			if (this.headerTag != null) {
				addHeader(rb, this.headerTag, tag);
			}
			if (compressed) {
				addHeader(rb, "Content-Encoding", "gzip");
			}
			if (this.authorization != null) {
				addHeader(rb, "Authorization", this.authorization);
			}
			addHeader(rb, "User-Agent", "Fluent-Bit");
			for (List<String> h : this.headers) {
				if (!h.isEmpty()) {
					addHeader(rb, h.get(0), h.get(h.size() - 1));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			this.log.error("invalid header: {}", ex.getMessage());
			return FlushResult.ERROR;
		}
		HttpRequest req = rb.build();
		String where = this.host + ":" + this.port;
		HttpResponse<byte[]> resp;
		CompletableFuture<HttpResponse<byte[]>> f = this.client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
		try {
			resp = f.get(this.responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			f.cancel(true);
			this.log.error("could not flush records to {} (http_do=-1): no response within {}", where,
					this.responseTimeout);
			return FlushResult.RETRY;
		}
		catch (InterruptedException ex) {
			f.cancel(true);
			Thread.currentThread().interrupt();
			return FlushResult.RETRY;
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
				this.log.error("no upstream connections available to {}", where);
			}
			else {
				String what = (cause instanceof HttpTimeoutException) ? "timeout" : String.valueOf(cause.getMessage());
				this.log.error("could not flush records to {} (http_do=-1): {}", where, what);
			}
			return FlushResult.RETRY;
		}
		int status = resp.statusCode();
		byte[] rbody = resp.body();
		boolean withPayload = this.logResponsePayload && rbody != null && rbody.length > 0;
		String payloadText = withPayload ? new String(rbody, StandardCharsets.UTF_8) : null;
		if (status < 200 || status > 205) {
			if (withPayload) {
				this.log.error("{}, HTTP status={}\n{}", where, status, payloadText);
			}
			else {
				this.log.error("{}, HTTP status={}", where, status);
			}
			if (status >= 400 && status < 500 && status != 429 && status != 408) {
				this.log.warn("could not flush records to {} (http_do=0), chunk will not be retried", where);
				return FlushResult.ERROR;
			}
			return FlushResult.RETRY;
		}
		if (withPayload) {
			this.log.info("{}, HTTP status={}\n{}", where, status, payloadText);
		}
		else {
			this.log.info("{}, HTTP status={}", where, status);
		}
		return FlushResult.OK;
	}

	private void addHeader(HttpRequest.Builder rb, String name, String value) {
		if (this.allowDuplicatedHeaders) {
			rb.header(name, value);
		}
		else {
			rb.setHeader(name, value);
		}
	}

	static byte[] gzip(byte[] in) throws IOException {
		ByteArrayOutputStream bos = new ByteArrayOutputStream(in.length / 2 + 32);
		try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
			gz.write(in);
		}
		return bos.toByteArray();
	}

	@Override
	public void exit() {
		if (this.client != null) {
			this.client.shutdownNow();
		}
	}

	/** Checks the certificate chain but not the host name ({@code tls.verify_hostname off}). */
	private static final class ChainOnly extends X509ExtendedTrustManager {

		private final javax.net.ssl.X509TrustManager delegate;

		ChainOnly(javax.net.ssl.X509TrustManager delegate) {
			this.delegate = delegate;
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType)
				throws java.security.cert.CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType)
				throws java.security.cert.CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
				throws java.security.cert.CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
				throws java.security.cert.CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws java.security.cert.CertificateException {
			this.delegate.checkClientTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws java.security.cert.CertificateException {
			this.delegate.checkServerTrusted(chain, authType);
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return this.delegate.getAcceptedIssuers();
		}
	}
}
