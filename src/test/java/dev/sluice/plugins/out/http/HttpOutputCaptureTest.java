package dev.sluice.plugins.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.Fixtures;
import dev.sluice.plugins.in.lib.LibInput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;

/**
 * Replays each {@code shared/fixtures/http-out/} case: the same records (with the captured times)
 * go through lib → http output → a local HTTP server, and the request must match what Fluent Bit
 * 5.1.1 sent: method and URI, the body byte for byte (gunzipped for gzip), Content-Type,
 * Content-Encoding, User-Agent, Authorization and the custom headers.
 */
class HttpOutputCaptureTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@ParameterizedTest
	@ValueSource(strings = { "format_json_default", "format_json_lines", "format_json_stream", "format_msgpack",
			"format_gelf", "compress_gzip", "header_x_key", "basic_auth", "json_date_format_iso8601",
			"json_date_format_epoch", "json_date_format_java_sql_timestamp", "json_date_key_custom",
			"uri_and_header_tag", "with_log_metadata_json", "with_log_metadata_msgpack" })
	void requestMatchesCapture(String fixture) throws Exception {
		Path dir = Fixtures.path("http-out/" + fixture);
		Captured cap = Captured.read(dir.resolve("request0.raw.http"));
		Map<String, String> opts = outputOptions(dir.resolve("fluent-bit.conf"));
		try (TestHttpServer srv = new TestHttpServer(0)) {
			List<String> args = new ArrayList<>(List.of("match", "*", "host", "127.0.0.1", "port", String.valueOf(srv.port())));
			opts.forEach((k, v) -> {
				args.add(k);
				args.add(v);
			});
			try (EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05")
				.input("lib", "tag", "app.log").output("http", args.toArray(String[]::new)).build().start()) {
				LibInput lib = s.plugin("lib.0", LibInput.class);
				boolean gzip = "gzip".equals(cap.headers.get("content-encoding"));
				byte[] capturedBody = gzip ? gunzip(cap.body) : cap.body;
				if ("application/msgpack".equals(cap.headers.get("content-type"))) {
					lib.push(capturedBody);
				}
				else {
					lib.push(events(new String(capturedBody, StandardCharsets.UTF_8), fixture.contains("metadata")));
				}
				Await.until(DEADLINE, "one request", () -> srv.requests.size() == 1);
				TestHttpServer.Request r = srv.requests.get(0);
				assertThat(r.method() + " " + r.uri() + " HTTP/1.1").isEqualTo(cap.requestLine);
				byte[] got = gzip ? gunzip(r.body()) : r.body();
				assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo(new String(capturedBody, StandardCharsets.UTF_8));
				assertThat(got).isEqualTo(capturedBody);
				for (Map.Entry<String, String> h : cap.headers.entrySet()) {
					switch (h.getKey()) {
						case "host", "connection" -> {
							// set by the JDK client (keep-alive is HTTP/1.1's default)
						}
						case "content-length" -> {
							if (!gzip) {
								assertThat(r.header("Content-Length")).isEqualTo(h.getValue());
							}
							assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
						}
						default -> assertThat(r.headers().get(h.getKey())).as(h.getKey()).containsExactly(h.getValue());
					}
				}
				assertThat(r.headers().keySet().stream().map((k) -> k.toLowerCase(java.util.Locale.ROOT)))
					.containsExactlyInAnyOrderElementsOf(
						cap.headers.keySet().stream().filter((k) -> !k.equals("connection")).toList());
			}
		}
	}

	static Map<String, Object> record() {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("message", "hello http");
		r.put("level", 6L);
		r.put("host", "web-1");
		r.put("n", 1L);
		r.put("nested", Map.of("k", "v"));
		return r;
	}

	private static final Pattern DATE = Pattern.compile(
			"\"(?:date|ts|timestamp)\":(?:(\\d+)\\.(\\d+)|(\\d+)|\"(\\d{4}-\\d\\d-\\d\\d)[T ](\\d\\d:\\d\\d:\\d\\d)\\.(\\d{6})Z?\")");

	/** The records of a captured JSON or GELF body, with the times it shows. */
	private static List<LogEvent> events(String body, boolean metadata) {
		List<LogEvent> out = new ArrayList<>();
		Matcher m = DATE.matcher(body);
		while (m.find()) {
			EventTime t;
			if (m.group(1) != null) {
				String frac = (m.group(2) + "000000000").substring(0, 9);
				t = new EventTime(Long.parseLong(m.group(1)), Integer.parseInt(frac));
			}
			else if (m.group(3) != null) {
				t = new EventTime(Long.parseLong(m.group(3)), 0);
			}
			else {
				Instant i = LocalDateTime.parse(m.group(4) + "T" + m.group(5)).toInstant(ZoneOffset.UTC);
				t = new EventTime(i.getEpochSecond(), Integer.parseInt(m.group(6)) * 1000);
			}
			out.add(new LogEvent(t, metadata ? Map.of("origin", "fixture") : Map.of(), record()));
		}
		assertThat(out).isNotEmpty();
		return out;
	}

	static Map<String, String> outputOptions(Path conf) throws Exception {
		Map<String, String> opts = new LinkedHashMap<>();
		boolean inOutput = false;
		for (String line : Files.readAllLines(conf)) {
			String t = line.trim();
			if (t.startsWith("[")) {
				inOutput = t.equalsIgnoreCase("[OUTPUT]");
				continue;
			}
			if (!inOutput || t.isEmpty() || t.startsWith("#")) {
				continue;
			}
			String[] kv = t.split("\\s+", 2);
			String k = kv[0].toLowerCase(java.util.Locale.ROOT);
			if (List.of("name", "match", "host", "port").contains(k)) {
				continue;
			}
			opts.put(k, kv[1].trim());
		}
		return opts;
	}

	static byte[] gunzip(byte[] b) throws Exception {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
			return in.readAllBytes();
		}
	}

	/** One captured request: request line, headers (names lower case, in order) and body. */
	record Captured(String requestLine, Map<String, String> headers, byte[] body) {

		static Captured read(Path raw) throws Exception {
			byte[] all = Files.readAllBytes(raw);
			int end = -1;
			for (int i = 0; i + 3 < all.length; i++) {
				if (all[i] == '\r' && all[i + 1] == '\n' && all[i + 2] == '\r' && all[i + 3] == '\n') {
					end = i;
					break;
				}
			}
			String head = new String(all, 0, end, StandardCharsets.ISO_8859_1);
			String[] lines = head.split("\r\n");
			Map<String, String> h = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int c = lines[i].indexOf(':');
				h.put(lines[i].substring(0, c).toLowerCase(java.util.Locale.ROOT), lines[i].substring(c + 1).trim());
			}
			return new Captured(lines[0], h, java.util.Arrays.copyOfRange(all, end + 4, all.length));
		}
	}
}
