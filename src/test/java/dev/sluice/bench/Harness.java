package dev.sluice.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * The end-to-end benchmark harness: generates the data sets, starts {@code bin/sluice} with each
 * pipeline, drives it (a file to tail, a PackedForward client, an HTTP client), waits for the
 * last record to reach the output (its {@code proc_records} count, never a sleep), and prints and
 * writes to {@code bench/RESULTS.md}: records/s, MiB/s, CPU seconds, peak RSS and start-to-ready
 * time per pipeline. Pipelines whose plugins this build does not have are listed as such.
 * Run: {@code bench/run [records]}.
 */
public final class Harness {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final long CLK_TCK = 100;

	private final Path home;

	private final Path work;

	private final long records;

	private final List<String[]> rows = new ArrayList<>();

	/** Where the table goes: bench/RESULTS.md, or {@code -Dsluice.bench.results} (the smoke test's). */
	private final Path results;

	private Harness(Path home, long records) throws IOException {
		this.home = home;
		this.work = Path.of(System.getProperty("sluice.bench.work", home.resolve("bench/out").toString()));
		this.results = Path.of(System.getProperty("sluice.bench.results", home.resolve("bench/RESULTS.md").toString()));
		Files.createDirectories(this.work);
		this.records = records;
	}

	public static void main(String[] args) throws Exception {
		long n = (args.length > 0) ? Long.parseLong(args[0]) : 1_000_000L;
		run(Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath(), n);
	}

	/** Runs every pipeline with {@code n} records and writes the table; returns its rows. */
	static List<String[]> run(Path home, long n) throws Exception {
		Harness h = new Harness(home, n);
		h.runAll();
		return h.rows;
	}

	private void runAll() throws Exception {
		Path json = this.work.resolve("data.json");
		Path logfmt = this.work.resolve("data.logfmt");
		generate(json, logfmt);
		this.forwardMessages = forwardMessages();
		this.httpBody = ("[" + String.join(",", Files.readAllLines(json).subList(0, 1000)) + "]")
			.getBytes(StandardCharsets.UTF_8);
		String catalogue = run(List.of(this.home.resolve("bin/sluice").toString(), "-J"));
		boolean tail = catalogue.contains("\"name\":\"tail\"");
		boolean http = catalogue.contains("\"type\":\"input\",\"name\":\"http\"");
		long jsonBytes = Files.size(json);
		Path parsers = this.work.resolve("parsers.conf");
		Files.writeString(parsers, """
				[PARSER]
				    Name        bench_json
				    Format      json
				    Time_Key    time
				    Time_Format %Y-%m-%dT%H:%M:%S.%L%z
				""");
		if (tail) {
			pipeline("tail, no parser -> null", List.of("-i", "tail", "-p", tailPath(), "-p", "refresh_interval=0.05", "-p",
					"read_from_head=on", "-p", "buffer_chunk_size=512k", "-p", "buffer_max_size=512k", "-o", "null", "-m",
					"*"), jsonBytes, this::dropTailFile);
			pipeline("tail + json parser (time) -> null", List.of("-R", parsers.toString(), "-i", "tail", "-p",
					tailPath(), "-p", "refresh_interval=0.05", "-p", "read_from_head=on", "-p", "parser=bench_json", "-p",
					"buffer_chunk_size=512k", "-p", "buffer_max_size=512k", "-o", "null", "-m", "*"), jsonBytes,
					this::dropTailFile);
			Path out = this.work.resolve("file-out");
			Files.createDirectories(out);
			pipeline("tail + json parser -> file", List.of("-R", parsers.toString(), "-i", "tail", "-p", tailPath(), "-p",
					"refresh_interval=0.05", "-p", "read_from_head=on", "-p", "parser=bench_json", "-p",
					"buffer_chunk_size=512k", "-p", "buffer_max_size=512k", "-o", "file", "-m", "*", "-p", "path=" + out, "-p",
					"format=plain"), jsonBytes, this::dropTailFile);
		}
		else {
			this.rows.add(new String[] { "tail pipelines", "tail input not in this build", "", "", "", "" });
		}
		pipeline("forward in (PackedForward, 1000-record messages) -> null",
				List.of("-i", "forward", "-p", "listen=127.0.0.1", "-p", "port=" + (this.forwardPort = freePort()), "-o",
						"null", "-m", "*"),
				jsonBytes, this::driveForward);
		if (http) {
			pipeline("http in (JSON arrays of 1000, keep-alive) -> null",
					List.of("-i", "http", "-p", "listen=127.0.0.1", "-p", "port=" + (this.httpPort = freePort()), "-o",
							"null", "-m", "*"),
					jsonBytes, this::driveHttp);
		}
		else {
			this.rows.add(new String[] { "http in -> null", "http input not in this build", "", "", "", "" });
		}
		if (tail) {
			// outputs: the records leave through a network output into a second Sluice, which
			// takes them with its own input and drops them; the sender's output count is the end
			// (forward without acks and http count a chunk once it was written / answered 2xx)
			int fwd = freePort();
			try (Receiver r = receiver(List.of("-i", "forward", "-p", "listen=127.0.0.1", "-p", "port=" + fwd))) {
				pipeline("tail -> forward out -> Sluice forward in (Sluice to Sluice)", List.of("-i", "tail", "-p",
						tailPath(), "-p", "refresh_interval=0.05", "-p", "read_from_head=on", "-p", "buffer_chunk_size=512k", "-p",
						"buffer_max_size=512k", "-o", "forward", "-m", "*", "-p", "host=127.0.0.1", "-p", "port=" + fwd),
						jsonBytes, this::dropTailFile);
			}
			int httpIn = freePort();
			try (Receiver r = receiver(List.of("-i", "http", "-p", "listen=127.0.0.1", "-p", "port=" + httpIn))) {
				pipeline("tail -> http out (json) -> Sluice http in", List.of("-i", "tail", "-p", tailPath(), "-p",
						"refresh_interval=0.05", "-p", "read_from_head=on", "-p", "buffer_chunk_size=512k", "-p", "buffer_max_size=512k", "-o", "http", "-m",
						"*", "-p", "host=127.0.0.1", "-p", "port=" + httpIn, "-p", "uri=/bench", "-p", "format=json"),
						jsonBytes, this::dropTailFile);
			}
		}
		idle();
		write();
	}

	/**
	 * The tail pipelines watch an empty folder; the measured run starts when the data file is
	 * linked into it (a hard link: instant, no copy), after the monitoring API answers. The input
	 * starts with the pipeline, before the HTTP server opens, so a file already there would be
	 * read before the measurement began. The glob is rescanned every 50 ms
	 * ({@code refresh_interval 0.05}), which is at most that much added to the run.
	 */
	private String tailPath() throws IOException {
		Path dir = this.work.resolve("tail-in");
		Files.createDirectories(dir);
		Files.deleteIfExists(dir.resolve("data.json"));
		return "path=" + dir.resolve("*.json");
	}

	private void dropTailFile(int ignored) throws IOException {
		Files.createLink(this.work.resolve("tail-in/data.json"), this.work.resolve("data.json"));
	}

	/** A second Sluice taking what an output sends: its input into null. */
	private Receiver receiver(List<String> input) throws Exception {
		int port = freePort();
		List<String> cmd = new ArrayList<>(List.of(this.home.resolve("bin/sluice").toString(), "-q", "-f", "0.2", "-H",
				"-L", "127.0.0.1", "-P", Integer.toString(port)));
		cmd.addAll(input);
		cmd.addAll(List.of("-o", "null", "-m", "*"));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
			.redirectOutput(this.work.resolve("receiver.log").toFile())
			.start();
		waitReady(p, port, System.nanoTime());
		return new Receiver(p);
	}

	private record Receiver(Process process) implements AutoCloseable {
		@Override
		public void close() throws InterruptedException {
			this.process.destroy();
			this.process.waitFor();
		}
	}

	private int forwardPort;

	private int httpPort;

	/** One pipeline: start, wait ready, drive, wait for the count, measure, stop. */
	private void pipeline(String name, List<String> args, long inputBytes, Driver driver) throws Exception {
		if (!selected(name)) {
			return;
		}
		int port = freePort();
		List<String> cmd = new ArrayList<>(List.of(this.home.resolve("bin/sluice").toString(), "-q", "-f", "0.2", "-H",
				"-L", "127.0.0.1", "-P", Integer.toString(port)));
		cmd.addAll(args);
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
			.redirectOutput(this.work.resolve("sluice.log").toFile())
			.start();
		try {
			double ready = waitReady(p, port, t0);
			long start = System.nanoTime();
			Thread drive = Thread.ofVirtual().start(() -> {
				try {
					driver.drive(port);
				}
				catch (Exception ex) {
					System.err.println("driver failed: " + ex);
				}
			});
			long done = waitCount(port, this.records, Duration.ofMinutes(10));
			double secs = (System.nanoTime() - start) / 1e9;
			drive.join(Duration.ofSeconds(30));
			double cpu = cpuSeconds(p.pid());
			long rss = peakRssKiB(p.pid());
			this.rows.add(new String[] { name, fmt("%,.0f", done / secs), fmt("%.0f", inputBytes / secs / 1048576.0),
					fmt("%.1f", cpu), fmt("%.0f MiB", rss / 1024.0), fmt("%.2f s", ready) });
			System.out.println(String.join(" | ", this.rows.get(this.rows.size() - 1)));
		}
		finally {
			p.destroy();
			p.waitFor();
		}
	}

	private void idle() throws Exception {
		if (!selected("idle")) {
			return;
		}
		int port = freePort();
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(this.home.resolve("bin/sluice").toString(), "-q", "-H", "-L", "127.0.0.1", "-P",
				Integer.toString(port), "-i", "dummy", "-o", "null", "-m", "*")
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("sluice.log").toFile())
			.start();
		try {
			double ready = waitReady(p, port, t0);
			// idle RSS: after ten seconds of a dummy record a second
			long until = System.nanoTime() + 10_000_000_000L;
			while (System.nanoTime() < until && p.isAlive()) {
				Thread.sleep(200);
			}
			long rss = currentRssKiB(p.pid());
			this.rows.add(new String[] { "idle (dummy -> null), RSS after 10 s", "", "", fmt("%.1f", cpuSeconds(p.pid())),
					fmt("%.0f MiB", rss / 1024.0), fmt("%.2f s", ready) });
			System.out.println(String.join(" | ", this.rows.get(this.rows.size() - 1)));
		}
		finally {
			p.destroy();
			p.waitFor();
		}
	}

	/**
	 * {@code -Dsluice.bench.only=a|b}: run only the pipelines whose name contains one of these
	 * (for profiling one row; RESULTS.md is then not written).
	 */
	private static boolean selected(String name) {
		String only = System.getProperty("sluice.bench.only", "");
		if (only.isBlank()) {
			return true;
		}
		for (String s : only.split("\\|")) {
			if (name.contains(s.strip())) {
				return true;
			}
		}
		return false;
	}

	@FunctionalInterface
	private interface Driver {
		void drive(int monitoringPort) throws Exception;
	}

	/** PackedForward messages of 1000 records, no ack requested (the output count is the end). */
	private void driveForward(int ignored) throws Exception {
		List<byte[]> messages = this.forwardMessages;
		int batch = 1000;
		try (Socket s = new Socket("127.0.0.1", this.forwardPort)) {
			OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 20);
			for (long sent = 0, k = 0; sent < this.records; sent += batch, k++) {
				out.write(messages.get((int) (k % messages.size())));
			}
			out.flush();
			waitCount(this.lastMonitoringPort, this.records, Duration.ofMinutes(10));
		}
	}

	private int lastMonitoringPort;

	/** The forward driver's messages, made before any timing starts. */
	private List<byte[]> forwardMessages;

	/** The http driver's request body, made before any timing starts. */
	private byte[] httpBody;

	/** 50 PackedForward messages of 1000 records each, sent round-robin. */
	private static List<byte[]> forwardMessages() throws IOException {
		List<byte[]> messages = new ArrayList<>();
		int batch = 1000;
		for (int b = 0; b < 50; b++) {
			MessageBufferPacker entries = MessagePack.newDefaultBufferPacker();
			for (int i = 0; i < batch; i++) {
				entries.packArrayHeader(2);
				MsgpackValues.packEventTime(entries, EventTime.now());
				MsgpackValues.pack(entries, CodecBenchmark.sampleRecord(b * batch + i));
			}
			byte[] e = entries.toByteArray();
			MessageBufferPacker m = MessagePack.newDefaultBufferPacker();
			m.packArrayHeader(3).packString("bench").packBinaryHeader(e.length);
			m.writePayload(e);
			m.packMapHeader(1).packString("size").packInt(batch);
			messages.add(m.toByteArray());
		}
		return messages;
	}

	/** JSON arrays of 1000 records over one keep-alive HTTP/1.1 connection. */
	private void driveHttp(int ignored) throws Exception {
		byte[] body = this.httpBody;
		HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		for (long sent = 0; sent < this.records; sent += 1000) {
			HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/bench"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (r.statusCode() / 100 != 2) {
				sent -= 1000; // refused (paused): send again
				Thread.sleep(5);
			}
		}
	}

	private double waitReady(Process p, int port, long t0) throws Exception {
		this.lastMonitoringPort = port;
		while (true) {
			if (!p.isAlive()) {
				throw new IllegalStateException("sluice exited: " + Files.readString(this.work.resolve("sluice.log")));
			}
			try {
				HttpResponse<String> r = HTTP.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/uptime")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (r.statusCode() == 200) {
					return (System.nanoTime() - t0) / 1e9;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			Thread.sleep(10);
		}
	}

	private static final Pattern PROC = Pattern.compile("\"proc_records\":(\\d+)");

	private static final Pattern DROPPED = Pattern.compile("\"dropped_records\":(\\d+)");

	private static long waitCount(int port, long n, Duration max) throws Exception {
		long end = System.nanoTime() + max.toNanos();
		long got = 0;
		while (System.nanoTime() < end) {
			HttpResponse<String> r = HTTP.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics")).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher m = PROC.matcher(r.body());
			got = 0;
			while (m.find()) {
				got += Long.parseLong(m.group(1));
			}
			if (got >= n) {
				return got;
			}
			Matcher d = DROPPED.matcher(r.body());
			while (d.find()) {
				if (Long.parseLong(d.group(1)) > 0) {
					throw new IllegalStateException("records were dropped (the pipeline is broken): " + r.body());
				}
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("only " + got + " of " + n + " records arrived");
	}

	private static double cpuSeconds(long pid) throws IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK;
	}

	private static long peakRssKiB(long pid) throws IOException {
		return statusKiB(pid, "VmHWM:");
	}

	private static long currentRssKiB(long pid) throws IOException {
		return statusKiB(pid, "VmRSS:");
	}

	private static long statusKiB(long pid, String key) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith(key)) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		return -1;
	}

	private static int freePort() throws IOException {
		try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
			return s.getLocalPort();
		}
	}

	private static String fmt(String f, Object... a) {
		return String.format(Locale.ROOT, f, a);
	}

	private static String run(List<String> cmd) throws Exception {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		return out;
	}

	/** The data sets: JSON lines of ~214 bytes and the same as key=value text. */
	private void generate(Path json, Path logfmt) throws IOException {
		if (Files.exists(json) && Files.lines(json).count() == this.records && Files.exists(logfmt)) {
			return;
		}
		ThreadLocalRandom r = ThreadLocalRandom.current();
		String[] levels = { "info", "info", "info", "warn", "error", "debug" };
		String[] methods = { "GET", "GET", "POST", "PUT", "DELETE" };
		try (BufferedWriter j = Files.newBufferedWriter(json); BufferedWriter k = Files.newBufferedWriter(logfmt)) {
			for (long i = 0; i < this.records; i++) {
				String time = String.format(Locale.ROOT, "2026-11-22T03:%02d:%02d.%06dZ", (i / 60_000) % 60, (i / 1000) % 60,
						r.nextInt(1_000_000));
				String level = levels[r.nextInt(levels.length)];
				String method = methods[r.nextInt(methods.length)];
				long user = 100_000 + r.nextInt(900_000);
				String path = "/api/v1/orders/" + r.nextInt(100_000);
				int status = (r.nextInt(10) == 0) ? 500 : 200;
				double latency = r.nextInt(100_000) / 100.0;
				String rid = Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
				String msg = "request completed for user session";
				j.write(String.format(Locale.ROOT,
						"{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\",\"user_id\":%d,\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"latency_ms\":%.2f,\"request_id\":\"%s\"}\n",
						time, level, msg, user, method, path, status, latency, rid));
				k.write(String.format(Locale.ROOT,
						"time=%s level=%s msg=\"%s\" user_id=%d method=%s path=%s status=%d latency_ms=%.2f request_id=%s\n",
						time, level, msg, user, method, path, status, latency, rid));
			}
		}
	}

	private void write() throws Exception {
		if (!System.getProperty("sluice.bench.only", "").isBlank()) {
			return;
		}
		String commit = run(List.of("git", "-C", this.home.toString(), "rev-parse", "--short", "HEAD")).strip();
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter((l) -> l.startsWith("model name"))
			.findFirst().map((l) -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
		StringBuilder sb = new StringBuilder();
		sb.append("# Benchmark results\n\n");
		sb.append("Written by `bench/run` (").append(this.records).append(" records per pipeline) on ")
			.append(LocalDate.now()).append(", commit `").append(commit).append("`, ")
			.append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(cpu).append("), ")
			.append(Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ")).append(".\n\n");
		sb.append("MiB/s is of the JSON input data. CPU is the Sluice process's user+system seconds for the whole run")
			.append(" (the sending one where a second Sluice receives);")
			.append(" peak RSS is VmHWM; ready is launch to the monitoring API answering.\n\n");
		sb.append("| pipeline | records/s | MiB/s | CPU s | peak RSS | ready |\n|---|---|---|---|---|---|\n");
		for (String[] r : this.rows) {
			sb.append("| ").append(String.join(" | ", r)).append(" |\n");
		}
		Files.writeString(this.results, sb.toString());
		System.out.println("wrote " + this.results);
	}
}
