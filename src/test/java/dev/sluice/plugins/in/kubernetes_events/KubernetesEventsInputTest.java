package dev.sluice.plugins.in.kubernetes_events;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubernetes_events input against a local HTTP server playing the API server (a real one
 * cannot run in this test environment): it answers the event list (with continue tokens when
 * paged) and then streams watch lines, one JSON object per line, over a chunked response that
 * stays open until the test ends it.
 */
class KubernetesEventsInputTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@TempDir
	Path dir;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closeables.reversed()) {
			c.close();
		}
	}

	/** A fake API server: list pages by continue token, and a watch stream fed from a queue. */
	static final class FakeEventsApi implements AutoCloseable {

		final HttpServer server;

		/** List response bodies by continue token ("" for the first page). */
		final Map<String, String> pages = new ConcurrentHashMap<>();

		final BlockingQueue<String> watchLines = new LinkedBlockingQueue<>();

		final List<String> requests = new CopyOnWriteArrayList<>();

		final List<String> authorizations = new CopyOnWriteArrayList<>();

		FakeEventsApi() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/", this::handle);
			this.server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		private void handle(HttpExchange ex) throws IOException {
			try (ex) {
				String uri = ex.getRequestURI().toString();
				this.requests.add(uri);
				String auth = ex.getRequestHeaders().getFirst("Authorization");
				if (auth != null) {
					this.authorizations.add(auth);
				}
				String query = (ex.getRequestURI().getRawQuery() != null) ? ex.getRequestURI().getRawQuery() : "";
				if (query.contains("watch=1")) {
					ex.sendResponseHeaders(200, 0);
					OutputStream out = ex.getResponseBody();
					while (true) {
						String line = this.watchLines.poll(30, TimeUnit.SECONDS);
						if (line == null || line.equals("END")) {
							break;
						}
						out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
						out.flush();
					}
					out.close();
					return;
				}
				String token = "";
				for (String p : query.split("&")) {
					if (p.startsWith("continue=")) {
						token = p.substring(9);
					}
				}
				String body = this.pages.get(token);
				byte[] b = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : "{}".getBytes(StandardCharsets.UTF_8);
				ex.sendResponseHeaders((body != null) ? 200 : 404, b.length);
				ex.getResponseBody().write(b);
			}
			catch (InterruptedException ex2) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ignored) {
				// client went away
			}
		}

		@Override
		public void close() {
			this.watchLines.add("END");
			this.server.stop(0);
		}
	}

	private static String event(String uid, long rv, String reason, Instant last) {
		return "{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + uid + "\",\"namespace\":\"default\","
				+ "\"uid\":\"" + uid + "\",\"resourceVersion\":\"" + rv + "\",\"creationTimestamp\":\"" + last + "\"},"
				+ "\"reason\":\"" + reason + "\",\"message\":\"m-" + uid + "\",\"firstTimestamp\":\"" + last + "\","
				+ "\"lastTimestamp\":" + ((last != null) ? "\"" + last + "\"" : "null") + ",\"count\":1,\"type\":\"Normal\"}";
	}

	private static String list(long rv, String cont, String... items) {
		return "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + rv + "\""
				+ ((cont != null) ? ",\"continue\":\"" + cont + "\"" : "") + "},\"items\":[" + String.join(",", items) + "]}";
	}

	private FakeEventsApi api() throws IOException {
		FakeEventsApi a = new FakeEventsApi();
		this.closeables.add(a);
		return a;
	}

	private EmbeddedSluice start(FakeEventsApi api, String... options) throws Exception {
		Path token = this.dir.resolve("token");
		Files.writeString(token, "events-token\n");
		List<String> opts = new ArrayList<>(List.of("tag", "k8s_events", "kube_url", "http://127.0.0.1:" + api.port(),
				"kube_token_file", token.toString(), "interval_sec", "0", "interval_nsec", "50000000"));
		opts.addAll(List.of(options));
		EmbeddedSluice s = EmbeddedSluice.builder()
			.service("flush", "0.05")
			.input("kubernetes_events", opts.toArray(String[]::new))
			.output("lib", "match", "*")
			.build();
		this.closeables.add(s);
		s.start();
		return s;
	}

	private static List<LogEvent> await(EmbeddedSluice s, int n) {
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, n + " records", () -> out.events().size() >= n);
		return out.events();
	}

	@Test
	void listsThenWatchesOneRecordPerEvent() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		FakeEventsApi api = api();
		api.pages.put("", list(100, null, event("a", 90, "Scheduled", now.minusSeconds(30)),
				event("old", 91, "Ancient", now.minus(Duration.ofHours(2))), event("b", 95, "Pulled", now.minusSeconds(5))));
		EmbeddedSluice s = start(api);
		List<LogEvent> listed = await(s, 2);
		assertThat(listed).extracting(e -> e.body().get("reason")).containsExactly("Scheduled", "Pulled");
		assertThat(listed.get(0).time()).isEqualTo(new EventTime(now.minusSeconds(30).getEpochSecond(), 0));
		assertThat(new ArrayList<>(listed.get(0).body().keySet())).containsExactly("kind", "apiVersion", "metadata",
				"reason", "message", "firstTimestamp", "lastTimestamp", "count", "type");
		Await.until(DEADLINE, "the watch request", () -> api.requests.stream().anyMatch(r -> r.contains("watch")));
		assertThat(api.requests).contains("/api/v1/events", "/api/v1/events?watch=1&resourceVersion=100");

		api.watchLines.add("{\"type\":\"ADDED\",\"object\":" + event("c", 101, "Created", now) + "}");
		api.watchLines.add("{\"type\":\"DELETED\",\"object\":" + event("a", 102, "Scheduled", now) + "}");
		api.watchLines.add("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Event\",\"metadata\":{\"resourceVersion\":\"103\"}}}");
		api.watchLines.add("not json at all");
		api.watchLines.add("{\"type\":\"MODIFIED\",\"object\":" + event("c", 104, "Started", now).replace(
				"\"lastTimestamp\":\"" + now + "\"", "\"lastTimestamp\":null") + "}");
		List<LogEvent> all = await(s, 4);
		assertThat(all).extracting(e -> e.body().get("reason")).containsExactly("Scheduled", "Pulled", "Created", "Started");
		assertThat(api.authorizations).isNotEmpty().allMatch(a -> a.equals("Bearer events-token"));
	}

	@Test
	void pagesWithLimitAndContinueTokens() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		FakeEventsApi api = api();
		api.pages.put("", list(200, "tok1", event("p1", 150, "One", now)));
		api.pages.put("tok1", list(200, "tok2", event("p2", 160, "Two", now)));
		api.pages.put("tok2", list(200, null, event("p3", 170, "Three", now)));
		EmbeddedSluice s = start(api, "kube_request_limit", "1", "kube_namespace", "prod");
		assertThat(await(s, 3)).extracting(e -> e.body().get("reason")).containsExactly("One", "Two", "Three");
		Await.until(DEADLINE, "the watch request", () -> api.requests.stream().anyMatch(r -> r.contains("watch")));
		assertThat(api.requests).startsWith("/api/v1/namespaces/prod/events?limit=1",
				"/api/v1/namespaces/prod/events?continue=tok1&limit=1", "/api/v1/namespaces/prod/events?continue=tok2&limit=1",
				"/api/v1/namespaces/prod/events?watch=1&resourceVersion=200");
	}

	@Test
	void reListAfterTheWatchEndsSendsNothingTwice() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		FakeEventsApi api = api();
		api.pages.put("", list(10, null, event("x", 5, "X", now)));
		EmbeddedSluice s = start(api);
		await(s, 1);
		Await.until(DEADLINE, "the watch", () -> api.requests.stream().anyMatch(r -> r.contains("watch")));
		api.watchLines.add("{\"type\":\"ADDED\",\"object\":" + event("y", 11, "Y", now) + "}");
		await(s, 2);
		// the list now has both; the server closes the watch; the input lists again and watches
		api.pages.put("", list(12, null, event("x", 5, "X", now), event("y", 11, "Y", now), event("z", 12, "Z", now)));
		api.watchLines.add("END");
		Await.until(DEADLINE, "a second watch",
				() -> api.requests.stream().filter(r -> r.contains("watch=1&resourceVersion=12")).count() == 1);
		List<LogEvent> all = await(s, 3);
		assertThat(all).extracting(e -> e.body().get("reason")).containsExactly("X", "Y", "Z");
	}

	@Test
	void dbRemembersSentEventsAcrossRestarts() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Path db = this.dir.resolve("events.db");
		FakeEventsApi api = api();
		api.pages.put("", list(50, null, event("u1", 40, "First", now), event("u2", 41, "Second", now)));
		try (EmbeddedSluice s = start(api, "db", db.toString())) {
			await(s, 2);
		}
		api.pages.put("", list(60, null, event("u1", 40, "First", now), event("u2", 41, "Second", now),
				event("u3", 55, "Third", now)));
		EmbeddedSluice s = start(api, "db", db.toString());
		List<LogEvent> out = await(s, 1);
		Await.until(DEADLINE, "the watch after the second list", () -> api.requests.stream()
			.filter(r -> r.equals("/api/v1/events?watch=1&resourceVersion=60")).count() == 1);
		assertThat(s.plugin("lib.0", LibOutput.class).events()).extracting(e -> e.body().get("reason"))
			.containsExactly("Third");
		assertThat(out).hasSize(1);
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("SELECT uid, resourceVersion FROM in_kubernetes_events ORDER BY id")) {
			List<String> rows = new ArrayList<>();
			while (rs.next()) {
				rows.add(rs.getString(1) + "@" + rs.getLong(2));
			}
			assertThat(rows).containsExactly("u1@40", "u2@41", "u3@55");
		}
	}
}
