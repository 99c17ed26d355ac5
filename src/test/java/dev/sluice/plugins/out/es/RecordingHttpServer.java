package dev.sluice.plugins.out.es;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP/1.1 server for the es, opensearch and loki output tests: records every request (the
 * body un-gzipped when sent with {@code Content-Encoding: gzip}) and answers with what a handler
 * computes from it: a status and body, a stall until the server closes, or a reset connection.
 */
public final class RecordingHttpServer implements AutoCloseable {

	/** One received request. */
	public record Request(int seq, String method, String uri, Headers headers, byte[] rawBody, byte[] body) {

		public String header(String name) {
			return this.headers.getFirst(name);
		}

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}
	}

	/** One answer. */
	public record Answer(int status, String body, boolean stalls, boolean resets) {

		public static Answer of(int status, String body) {
			return new Answer(status, body, false, false);
		}

		public static Answer stall() {
			return new Answer(0, "", true, false);
		}

		public static Answer reset() {
			return new Answer(0, "", false, true);
		}
	}

	public final List<Request> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger seq = new AtomicInteger();

	private final CountDownLatch release = new CountDownLatch(1);

	private final HttpServer server;

	private volatile Function<Request, Answer> handler;

	public RecordingHttpServer(int port, Function<Request, Answer> handler) throws IOException {
		this.handler = handler;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", (ex) -> {
			byte[] raw = ex.getRequestBody().readAllBytes();
			byte[] body = raw;
			if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
				try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
					body = in.readAllBytes();
				}
			}
			Request r = new Request(this.seq.getAndIncrement(), ex.getRequestMethod(), ex.getRequestURI().toString(),
					ex.getRequestHeaders(), raw, body);
			this.requests.add(r);
			Answer a = this.handler.apply(r);
			if (a.resets()) {
				ex.close();
				throw new IOException("resetting the connection");
			}
			if (a.stalls()) {
				try {
					this.release.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				ex.close();
				return;
			}
			byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
			ex.getResponseHeaders().set("Content-Type", "application/json");
			ex.sendResponseHeaders(a.status(), (out.length == 0) ? -1 : out.length);
			if (out.length > 0) {
				ex.getResponseBody().write(out);
			}
			ex.close();
		});
		this.server.start();
	}

	public void handler(Function<Request, Answer> h) {
		this.handler = h;
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	@Override
	public void close() {
		this.release.countDown();
		this.server.stop(0);
	}

	/** An Elasticsearch-style bulk response: one item per action line, each with the given status. */
	public static String bulkResponse(Request r, java.util.function.IntUnaryOperator statusOfItem) {
		String[] lines = r.text().split("\n");
		StringBuilder b = new StringBuilder();
		boolean errors = false;
		StringBuilder items = new StringBuilder();
		for (int i = 0, item = 0; i + 1 < lines.length; i += 2, item++) {
			String action = lines[i].substring(2, lines[i].indexOf('"', 2));
			int status = statusOfItem.applyAsInt(item);
			if (item > 0) {
				items.append(',');
			}
			items.append("{\"").append(action).append("\":{\"_index\":\"fluent-bit\",\"_id\":\"id").append(item)
				.append("\",\"status\":").append(status);
			if (status >= 300) {
				errors = true;
				String type = (status == 429) ? "es_rejected_execution_exception"
						: (status >= 500) ? "unavailable_shards_exception" : "mapper_parsing_exception";
				items.append(",\"error\":{\"type\":\"").append(type)
					.append("\",\"reason\":\"failed to parse field [status] of type [integer] in document with id 'id")
					.append(item).append("'\",\"caused_by\":{\"type\":\"number_format_exception\",\"reason\":\"For input string: \\\"abc\\\"\"}}");
			}
			else {
				items.append(",\"result\":\"created\",\"_version\":1");
			}
			items.append("}}");
		}
		b.append("{\"took\":3,\"errors\":").append(errors).append(",\"items\":[").append(items).append("]}");
		return b.toString();
	}
}
