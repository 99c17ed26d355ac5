package dev.sluice.plugins.out.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP/1.1 server for the tests: records every request and answers from a script
 * (status and body, a stalled answer, or a dropped connection), then 200 {@code {"status":"ok"}}.
 */
final class TestHttpServer implements AutoCloseable {

	record Request(String method, String uri, Headers headers, byte[] body, int connection, int status) {

		String header(String name) {
			return this.headers.getFirst(name);
		}
	}

	/** One scripted answer. */
	record Answer(int status, String body, boolean stall, boolean drop) {

		static Answer status(int status, String body) {
			return new Answer(status, body, false, false);
		}

		static Answer stalled() {
			return new Answer(200, "", true, false);
		}

		static Answer dropped() {
			return new Answer(0, "", false, true);
		}
	}

	final List<Request> requests = new CopyOnWriteArrayList<>();

	final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();

	final AtomicInteger attempts = new AtomicInteger();

	/** Released on close: stalled answers wait for it. */
	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<Object, Integer> connections = new java.util.concurrent.ConcurrentHashMap<>();

	private final HttpServer server;

	TestHttpServer(int port) throws IOException {
		this(port, null);
	}

	/** An HTTPS server when {@code tls} is given. */
	TestHttpServer(int port, javax.net.ssl.SSLContext tls) throws IOException {
		if (tls != null) {
			com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer
				.create(new InetSocketAddress("127.0.0.1", port), 64);
			https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
			this.server = https;
		}
		else {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", (ex) -> {
			this.attempts.incrementAndGet();
			byte[] body = ex.getRequestBody().readAllBytes();
			Answer a = this.script.poll();
			if (a != null && a.drop()) {
				ex.close();
				throw new IOException("dropping the connection");
			}
			if (a != null && a.stall()) {
				try {
					this.release.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				ex.close();
				return;
			}
			int conn = this.connections.computeIfAbsent(ex.getRemoteAddress(), (k) -> this.connections.size());
			int status = (a != null) ? a.status() : 200;
			this.requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(),
					body, conn, status));
			byte[] out = ((a != null) ? a.body() : "{\"status\":\"ok\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
			ex.sendResponseHeaders(status, (out.length == 0) ? -1 : out.length);
			if (out.length > 0) {
				ex.getResponseBody().write(out);
			}
			ex.close();
		});
		this.server.start();
	}

	/** The requests answered 2xx. */
	List<Request> delivered() {
		return this.requests.stream().filter((r) -> r.status() >= 200 && r.status() < 300).toList();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	int connectionCount() {
		return this.connections.size();
	}

	@Override
	public void close() {
		this.release.countDown();
		this.server.stop(0);
	}
}
