package dev.sluice.plugins.filter.kubernetes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A stand-in for the Kubernetes API server (and the kubelet's {@code /pods}) on loopback, over
 * HTTP or HTTPS: it answers with recorded API objects, the ones Fluent Bit's own kubernetes filter
 * tests use ({@code shared/fixtures/kubernetes/data/meta}): {@code GET /api/v1/namespaces/<ns>/pods/<pod>}
 * → {@code <ns>_<pod>.meta}, {@code GET /api/v1/namespaces/<ns>} → {@code <ns>.namespace_meta},
 * {@code GET /pods} → the file set with {@link #kubeletPods}. Bodies set with {@link #put} take
 * precedence. Counts requests per path and keeps the Authorization headers it saw.
 */
final class FakeKubeApi implements AutoCloseable {

	private static final Pattern POD = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)$");

	private static final Pattern NAMESPACE = Pattern.compile("^/api/v1/namespaces/([^/]+)$");

	private final HttpServer server;

	private final Path metaDir;

	private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	final List<String> authorizations = new CopyOnWriteArrayList<>();

	volatile Path kubeletPods;

	FakeKubeApi(Path metaDir, SSLContext tls) throws IOException {
		this.metaDir = metaDir;
		InetSocketAddress at = new InetSocketAddress("127.0.0.1", 0);
		if (tls != null) {
			HttpsServer s = HttpsServer.create(at, 0);
			s.setHttpsConfigurator(new HttpsConfigurator(tls));
			this.server = s;
		}
		else {
			this.server = HttpServer.create(at, 0);
		}
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	void put(String path, String body) {
		this.bodies.put(path, body.getBytes(StandardCharsets.UTF_8));
	}

	int requests(String path) {
		AtomicInteger n = this.requests.get(path);
		return (n != null) ? n.get() : 0;
	}

	int totalRequests() {
		return this.requests.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	private void handle(HttpExchange ex) throws IOException {
		try (ex) {
			String path = ex.getRequestURI().getPath();
			this.requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
			String auth = ex.getRequestHeaders().getFirst("Authorization");
			if (auth != null) {
				this.authorizations.add(auth);
			}
			byte[] body = this.bodies.get(path);
			if (body == null) {
				Path file = null;
				Matcher m = POD.matcher(path);
				Matcher n = NAMESPACE.matcher(path);
				if (path.equals("/pods")) {
					file = this.kubeletPods;
				}
				else if (m.matches()) {
					file = this.metaDir.resolve(m.group(1) + "_" + m.group(2) + ".meta");
				}
				else if (n.matches()) {
					file = this.metaDir.resolve(n.group(1) + ".namespace_meta");
				}
				if (file != null && Files.isRegularFile(file)) {
					body = Files.readAllBytes(file);
				}
			}
			if (body == null) {
				byte[] nf = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"
					.getBytes(StandardCharsets.UTF_8);
				ex.sendResponseHeaders(404, nf.length);
				ex.getResponseBody().write(nf);
				return;
			}
			ex.getResponseHeaders().set("Content-Type", "application/json");
			ex.sendResponseHeaders(200, body.length);
			try (OutputStream out = ex.getResponseBody()) {
				out.write(body);
			}
		}
		catch (IOException ignored) {
			// the client hung up (e.g. after reading buffer_size bytes)
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}
}
