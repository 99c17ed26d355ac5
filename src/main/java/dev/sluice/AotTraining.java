package dev.sluice;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * The training run behind the AOT cache ({@code target/sluice-app/sluice.aot}, written by
 * {@code ./mvnw package}). The JDK records which classes a run loads and links and how its
 * methods behave (JEP 483, JEP 515); a later start with that cache skips the loading and has the
 * profiles at hand, so the JIT compiles the hot paths sooner. The run must therefore do what a
 * real Sluice does: start on a config file with the HTTP server on, answer the monitoring and
 * health endpoints, tail JSON lines with and without a parser, take PackedForward messages and
 * HTTP JSON arrays, write a file, and stop on SIGTERM.
 * <p>
 * Used only by the build ({@code -Dsluice.aot.training=true}); it works in a temporary folder on
 * loopback and deletes it afterwards.
 */
final class AotTraining {

	/** Lines tailed (twice: raw and json-parsed). Enough for the hot loops to reach C2. */
	private static final int LINES = 200_000;

	/** Records sent over forward and over HTTP, each. */
	private static final int NETWORK_RECORDS = 200_000;

	private static final int BATCH = 1000;

	private static final Pattern OUTPUT_RECORDS = Pattern.compile("\"proc_records\":(\\d+)");

	private AotTraining() {
	}

	static int run() throws Exception {
		Path dir = Files.createTempDirectory("sluice-aot-training");
		try {
			return train(dir);
		}
		finally {
			try (var files = Files.walk(dir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
	}

	private static int train(Path dir) throws Exception {
		Path data = dir.resolve("data.json");
		List<String> sample = generate(data);
		Files.writeString(dir.resolve("parsers.conf"), """
				[PARSER]
				    Name        training_json
				    Format      json
				    Time_Key    time
				    Time_Format %Y-%m-%dT%H:%M:%S.%L%z
				""");
		int api = freePort();
		int forward = freePort();
		int http = freePort();
		Path out = Files.createDirectories(dir.resolve("out"));
		Path conf = dir.resolve("sluice.conf");
		Files.writeString(conf, String.format(Locale.ROOT, """
				[SERVICE]
				    flush        0.2
				    log_level    error
				    http_server  on
				    http_listen  127.0.0.1
				    http_port    %d
				    parsers_file parsers.conf

				[INPUT]
				    name              tail
				    tag               raw
				    path              %s
				    read_from_head    on
				    buffer_chunk_size 512k
				    buffer_max_size   512k

				[INPUT]
				    name              tail
				    tag               parsed
				    path              %s
				    read_from_head    on
				    parser            training_json
				    buffer_chunk_size 512k
				    buffer_max_size   512k

				[INPUT]
				    name   forward
				    listen 127.0.0.1
				    port   %d

				[INPUT]
				    name   http
				    listen 127.0.0.1
				    port   %d

				[FILTER]
				    name  grep
				    match http.*
				    exclude level trace

				[OUTPUT]
				    name  null
				    match *

				[OUTPUT]
				    name   file
				    match  parsed
				    path   %s
				    format plain
				""", api, data, data, forward, http, out));

		int[] code = { -1 };
		Thread service = Thread.ofPlatform().name("aot-training-service").start(() -> {
			code[0] = dev.sluice.cli.CliMain.run(new String[] { "-c", conf.toString() }, System.out, System.err,
					dev.sluice.plugin.PluginRegistry.builtin(),
					(options) -> Sluice.run(options, dev.sluice.plugin.PluginRegistry.builtin()));
		});

		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		awaitReady(client, api, service);
		String[] endpoints = { "/", "/api/v1/uptime", "/api/v1/metrics", "/api/v1/metrics/prometheus", "/api/v2/metrics",
				"/api/v2/metrics/prometheus", "/api/v1/health", "/api/v1/storage", "/actuator/health",
				"/actuator/health/liveness", "/actuator/health/readiness", "/api/sluice/pipeline" };
		for (String e : endpoints) {
			get(client, api, e);
		}
		driveForward(forward);
		driveHttp(client, http, sample);
		long expected = 2L * LINES + 2L * NETWORK_RECORDS;
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (outputRecords(client, api) < expected) {
			if (System.nanoTime() > deadline || !service.isAlive()) {
				throw new IllegalStateException("AOT training: the records did not all arrive");
			}
			for (String e : endpoints) {
				get(client, api, e);
			}
			Thread.sleep(50);
		}
		sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
		service.join(Duration.ofMinutes(1));
		return code[0];
	}

	/** JSON lines of ~214 bytes, as the benchmark's data set; returns the first {@link #BATCH}. */
	private static List<String> generate(Path data) throws IOException {
		SplittableRandom r = new SplittableRandom(42);
		String[] levels = { "info", "info", "info", "warn", "error", "debug" };
		String[] methods = { "GET", "GET", "POST", "PUT", "DELETE" };
		List<String> first = new ArrayList<>();
		try (BufferedWriter w = Files.newBufferedWriter(data)) {
			for (int i = 0; i < LINES; i++) {
				String line = String.format(Locale.ROOT,
						"{\"time\":\"2026-11-22T03:%02d:%02d.%06dZ\",\"level\":\"%s\",\"msg\":\"request completed for user session\",\"user_id\":%d,\"method\":\"%s\",\"path\":\"/api/v1/orders/%d\",\"status\":%d,\"latency_ms\":%.2f,\"request_id\":\"%016x%016x\"}",
						(i / 60_000) % 60, (i / 1000) % 60, r.nextInt(1_000_000), levels[r.nextInt(levels.length)],
						100_000 + r.nextInt(900_000), methods[r.nextInt(methods.length)], r.nextInt(100_000),
						(r.nextInt(10) == 0) ? 500 : 200, r.nextInt(100_000) / 100.0, r.nextLong(), r.nextLong());
				w.write(line);
				w.write('\n');
				if (first.size() < BATCH) {
					first.add(line);
				}
			}
		}
		return first;
	}

	private static void driveForward(int port) throws IOException {
		MessageBufferPacker entries = MessagePack.newDefaultBufferPacker();
		for (int i = 0; i < BATCH; i++) {
			entries.packArrayHeader(2);
			MsgpackValues.packEventTime(entries, EventTime.now());
			entries.packMapHeader(4);
			entries.packString("level").packString((i % 5 == 0) ? "warn" : "info");
			entries.packString("msg").packString("request completed for user session");
			entries.packString("status").packInt(200);
			entries.packString("latency_ms").packDouble(i / 100.0);
		}
		byte[] e = entries.toByteArray();
		MessageBufferPacker m = MessagePack.newDefaultBufferPacker();
		m.packArrayHeader(3).packString("forward.training").packBinaryHeader(e.length);
		m.writePayload(e);
		m.packMapHeader(1).packString("size").packInt(BATCH);
		byte[] message = m.toByteArray();
		try (Socket s = new Socket("127.0.0.1", port)) {
			OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 20);
			for (int sent = 0; sent < NETWORK_RECORDS; sent += BATCH) {
				out.write(message);
			}
			out.flush();
		}
	}

	private static void driveHttp(HttpClient client, int port, List<String> sample) throws Exception {
		byte[] body = ("[" + String.join(",", sample) + "]").getBytes(StandardCharsets.UTF_8);
		for (int sent = 0; sent < NETWORK_RECORDS;) {
			HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/http.training"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (r.statusCode() / 100 == 2) {
				sent += BATCH;
			}
			else {
				Thread.sleep(5);
			}
		}
	}

	private static void awaitReady(HttpClient client, int port, Thread service) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
		while (System.nanoTime() < deadline && service.isAlive()) {
			if (get(client, port, "/api/v1/uptime") == 200) {
				return;
			}
			Thread.sleep(10);
		}
		throw new IllegalStateException("AOT training: Sluice did not become ready");
	}

	private static long outputRecords(HttpClient client, int port) throws Exception {
		HttpResponse<String> r = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics")).build(),
				HttpResponse.BodyHandlers.ofString());
		// the null output is the first output: its proc_records is the first in the output section
		String body = r.body();
		int outputs = body.indexOf("\"output\"");
		Matcher m = OUTPUT_RECORDS.matcher(body);
		return (outputs >= 0 && m.find(outputs)) ? Long.parseLong(m.group(1)) : 0;
	}

	private static int get(HttpClient client, int port, String path) {
		try {
			return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
