package dev.sluice.plugins.in.kubernetes_events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.net.kubernetes.KubeApiClient;
import dev.sluice.parser.JsonToMsgpack;
import dev.sluice.parser.MsgpackWriter;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * The {@code kubernetes_events} input (Fluent Bit's {@code in_kubernetes_events}): lists the
 * cluster's events ({@code GET /api/v1/events}, or {@code /api/v1/namespaces/<ns>/events} with
 * {@code kube_namespace}; pages of {@code kube_request_limit} with {@code continue} tokens), then
 * watches from the list's {@code resourceVersion} ({@code ?watch=1&resourceVersion=N}), one
 * record per {@code ADDED}/{@code MODIFIED} event: the Event object as the record, its time
 * {@code lastTimestamp}, else {@code firstTimestamp}, else {@code metadata.creationTimestamp}.
 * Events older than {@code kube_retention_time} are skipped, and so are events already sent: with
 * {@code db}, by uid in the {@code in_kubernetes_events} table (Fluent Bit's schema); without, by
 * resourceVersion. When the watch ends (the API server closes it, or an {@code ERROR} such as
 * {@code 410 Gone}), the input lists again after {@code interval_sec}/{@code interval_nsec}.
 */
@Plugin(kind = PluginKind.INPUT, name = "kubernetes_events", description = "Kubernetes Events",
		config = KubernetesEventsConfig.class)
public final class KubernetesEventsInput implements InputPlugin<KubernetesEventsConfig> {

	private static final String EVENTS_URI = "/api/v1/events";

	private KubernetesEventsConfig config;

	private Logger log;

	private KubeApiClient api;

	private Duration interval;

	/** The highest resourceVersion seen so far. */
	private volatile long lastResourceVersion;

	private Connection db;

	private PreparedStatement exists;

	private PreparedStatement insert;

	private PreparedStatement deleteOld;

	private volatile InputStream watch;

	private final EventEncoder encoder = new EventEncoder();

	@Override
	public void init(KubernetesEventsConfig c, InputContext context) throws Exception {
		this.config = c;
		this.log = context.log();
		Object[] url = KubeApiClient.parseUrl(c.kubeUrl, 443);
		if (url == null) {
			throw new IllegalArgumentException("invalid kube_url '" + c.kubeUrl + "': expected http:// or https://");
		}
		KubeApiClient.Settings s = new KubeApiClient.Settings((Boolean) url[0], (String) url[1], (Integer) url[2],
				c.tlsVerify, false, c.tlsVhost, c.kubeCaFile, c.kubeCaPath, c.kubeTokenFile, null, c.kubeTokenTtl,
				null);
		this.api = new KubeApiClient(s, this.log);
		this.log.info("API server: {}", this.api.base());
		long nanos = Math.max(0, (long) c.intervalSec) * 1_000_000_000L + Math.max(0, c.intervalNsec);
		this.interval = Duration.ofNanos(Math.max(nanos, 1_000_000));
		if (c.db != null && !c.db.isEmpty()) {
			openDb(c.db, c.dbSync);
		}
	}

	private void openDb(String path, String sync) throws SQLException {
		this.db = DriverManager.getConnection("jdbc:sqlite:" + path);
		try (Statement st = this.db.createStatement()) {
			st.execute("CREATE TABLE IF NOT EXISTS in_kubernetes_events (  id              INTEGER PRIMARY KEY,"
					+ "  uid             TEXT NOT NULL,  resourceVersion INTEGER NOT NULL,  created         INTEGER NOT NULL);");
			int level = switch ((sync != null) ? sync.toLowerCase(Locale.ROOT) : "normal") {
				case "extra" -> 3;
				case "full" -> 2;
				case "off" -> 0;
				default -> 1;
			};
			st.execute("PRAGMA synchronous=" + level + ";");
		}
		this.exists = this.db.prepareStatement("SELECT COUNT(id) FROM in_kubernetes_events WHERE uid=?;");
		this.insert = this.db
			.prepareStatement("INSERT INTO in_kubernetes_events (uid, resourceVersion, created) VALUES (?, ?, ?);");
		this.deleteOld = this.db.prepareStatement("DELETE FROM in_kubernetes_events WHERE created <= ?;");
	}

	@Override
	public void collect(InputContext context) throws Exception {
		while (context.isRunning()) {
			if (context.isPaused() && !context.awaitResume()) {
				return;
			}
			try {
				cleanupDb();
				long max = list(context);
				if (max >= 0) {
					watch(context, max);
				}
			}
			catch (IOException ex) {
				if (context.isRunning()) {
					this.log.error("http do error: {}", String.valueOf(ex.getMessage()));
				}
			}
			catch (IllegalStateException ex) {
				// the instance stopped while appending
				return;
			}
			if (!context.sleep(this.interval)) {
				return;
			}
		}
	}

	/** Lists all events (following continue tokens); returns the list's resourceVersion, or -1 on failure. */
	long list(InputContext context) throws IOException, InterruptedException {
		KubernetesEventsConfig c = this.config;
		String cont = null;
		long max = 0;
		do {
			String path = listPath(cont);
			KubeApiClient.Response r = this.api.get(path, 0);
			if (r.status() != 200 || r.body().length == 0) {
				if (r.body().length > 0) {
					this.log.error("http_status={}:\n{}", r.status(), new String(r.body(), StandardCharsets.UTF_8));
				}
				else {
					this.log.error("http_status={}", r.status());
				}
				return -1;
			}
			Map<String, Object> root = json(r.body(), 0, r.body().length);
			if (root == null) {
				this.log.error("could not process payload, incomplete or bad formed JSON");
				return -1;
			}
			if (!(root.get("items") instanceof List<?> items)) {
				this.log.error("Cannot find items in response");
				return -1;
			}
			if (!(root.get("metadata") instanceof Map<?, ?> meta)) {
				this.log.error("Cannot find metadata in response");
				return -1;
			}
			long rv = number(meta.get("resourceVersion"));
			if (rv < 0) {
				this.log.error("Cannot find EventList resourceVersion");
				return -1;
			}
			max = rv;
			Object ct = meta.get("continue");
			cont = (ct instanceof String s && !s.isEmpty()) ? s : null;
			for (Object item : items) {
				if (!(item instanceof Map<?, ?>)) {
					this.log.error("Cannot unpack item in response");
					return -1;
				}
				@SuppressWarnings("unchecked")
				Map<String, Object> m = (Map<String, Object>) item;
				processObject(context, "ADDED", m);
			}
		} while (cont != null && c.kubeRequestLimit > 0);
		if (max > this.lastResourceVersion) {
			this.log.debug("set last resourceVersion={}", max);
			this.lastResourceVersion = max;
		}
		return max;
	}

	String listPath(String continueToken) {
		KubernetesEventsConfig c = this.config;
		if (continueToken == null && c.kubeRequestLimit == 0 && c.kubeNamespace == null) {
			return EVENTS_URI;
		}
		StringBuilder url = new StringBuilder(base()).append('?');
		if (c.kubeRequestLimit > 0) {
			if (continueToken != null) {
				url.append("continue=").append(URLEncoder.encode(continueToken, StandardCharsets.UTF_8)).append('&');
			}
			url.append("limit=").append(c.kubeRequestLimit);
		}
		return url.toString();
	}

	private String base() {
		String ns = this.config.kubeNamespace;
		return (ns == null) ? EVENTS_URI : "/api/v1/namespaces/" + ns + "/events";
	}

	/** Streams watch events, one JSON object per line, until the server ends the stream or the instance stops. */
	void watch(InputContext context, long resourceVersion) throws IOException, InterruptedException {
		String path = base() + "?watch=1&resourceVersion=" + resourceVersion;
		this.log.info("Requesting {}", path);
		HttpResponse<InputStream> resp = this.api.stream(path);
		try (InputStream in = resp.body()) {
			this.watch = in;
			if (resp.statusCode() != 200) {
				String body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
				this.log.warn("events watch failure, http_status={} payload={}", resp.statusCode(), body);
				return;
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			String line;
			while (context.isRunning() && (line = reader.readLine()) != null) {
				if (line.isBlank()) {
					continue;
				}
				if (context.isPaused() && !context.awaitResume()) {
					return;
				}
				if (!processWatched(context, line)) {
					return;
				}
			}
		}
		catch (IOException ex) {
			if (context.isRunning()) {
				throw ex;
			}
		}
		finally {
			this.watch = null;
		}
	}

	/** One watch line; false when the watch should be restarted (an ERROR event). */
	private boolean processWatched(InputContext context, String line) {
		byte[] b = line.getBytes(StandardCharsets.UTF_8);
		Map<String, Object> root = json(b, 0, b.length);
		if (root == null) {
			this.log.warn("could not process payload, incomplete or bad formed JSON: {}", line);
			return true;
		}
		if (!(root.get("type") instanceof String type)) {
			this.log.warn("Streamed Event 'type' not found");
			return true;
		}
		if (!(root.get("object") instanceof Map<?, ?> obj)) {
			this.log.warn("Streamed Event 'object' not found");
			return true;
		}
		if (type.equals("ERROR")) {
			this.log.warn("events watch error: {}", obj.get("message"));
			return false;
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> m = (Map<String, Object>) obj;
		processObject(context, type, m);
		return true;
	}

	/** Appends one ADDED/MODIFIED event unless it is too old or already sent. */
	void processObject(InputContext context, String action, Map<String, Object> item) {
		if (!action.equals("ADDED") && !action.equals("MODIFIED")) {
			return;
		}
		if (!(item.get("metadata") instanceof Map<?, ?> meta)) {
			this.log.warn("Event without metadata");
			return;
		}
		long rv = number(meta.get("resourceVersion"));
		if (rv < 0) {
			this.log.error("Cannot get resourceVersion for item in response");
			return;
		}
		EventTime ts = timestamp(item, meta);
		if (ts == null) {
			this.log.error("cannot retrieve event timestamp");
			return;
		}
		long now = System.currentTimeMillis() * 1_000_000L;
		long outdated = now - this.config.kubeRetentionTime.toNanos();
		long tsNanos = ts.seconds() * 1_000_000_000L + ts.nanos();
		if (tsNanos < outdated) {
			this.log.debug("Item is older than retention_time: {} < {}", tsNanos, outdated);
			return;
		}
		String uid = (meta.get("uid") instanceof String s) ? s : null;
		if (this.db != null) {
			if (uid == null || seen(uid)) {
				return;
			}
			remember(uid, rv, tsNanos);
		}
		else if (this.lastResourceVersion != 0 && rv <= this.lastResourceVersion) {
			this.log.debug("skipping old object: {} (< {})", rv, this.lastResourceVersion);
			return;
		}
		if (this.watch != null && rv > this.lastResourceVersion) {
			// watched events move the mark too, so a re-list does not send them again
			this.lastResourceVersion = rv;
		}
		this.encoder.append(ts, item);
		context.append(context.tag(), this.encoder);
	}

	private boolean seen(String uid) {
		try {
			this.exists.setString(1, uid);
			try (ResultSet rs = this.exists.executeQuery()) {
				return rs.next() && rs.getLong(1) > 0;
			}
		}
		catch (SQLException ex) {
			this.log.error("cannot execute kubernetes event exists: {}", ex.getMessage());
			return false;
		}
	}

	private void remember(String uid, long rv, long createdNanos) {
		try {
			this.insert.setString(1, uid);
			this.insert.setLong(2, rv);
			this.insert.setLong(3, createdNanos);
			this.insert.executeUpdate();
			this.log.debug("inserted k8s event: uid={}, resource_version={}, last={}", uid, rv, createdNanos);
		}
		catch (SQLException ex) {
			this.log.error("cannot execute insert kubernetes event {} resourceVersion={}: {}", uid, rv, ex.getMessage());
		}
	}

	private void cleanupDb() {
		if (this.db == null) {
			return;
		}
		try {
			long before = System.currentTimeMillis() * 1_000_000L - this.config.kubeRetentionTime.toNanos();
			this.deleteOld.setLong(1, before);
			this.deleteOld.executeUpdate();
		}
		catch (SQLException ex) {
			this.log.error("cannot execute delete old kubernetes events: {}", ex.getMessage());
		}
	}

	/** lastTimestamp, else firstTimestamp, else metadata.creationTimestamp ({@code %Y-%m-%dT%H:%M:%SZ}). */
	static EventTime timestamp(Map<String, Object> item, Map<?, ?> meta) {
		EventTime t = time(item.get("lastTimestamp"));
		if (t == null) {
			t = time(item.get("firstTimestamp"));
		}
		if (t == null) {
			t = time(meta.get("creationTimestamp"));
		}
		return t;
	}

	private static EventTime time(Object v) {
		if (!(v instanceof String s)) {
			return null;
		}
		try {
			return new EventTime(Instant.parse(s).getEpochSecond(), 0);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** A resourceVersion: a decimal string or an integer; -1 when neither. */
	static long number(Object v) {
		if (v instanceof Long l) {
			return l;
		}
		if (v instanceof String s) {
			try {
				return Long.parseUnsignedLong(s);
			}
			catch (NumberFormatException ex) {
				return -1;
			}
		}
		return -1;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(byte[] b, int off, int len) {
		MsgpackWriter w = new MsgpackWriter(len + 64);
		if (new JsonToMsgpack().convert(b, off, len, w) != JsonToMsgpack.Result.OBJECT) {
			return null;
		}
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(w.toByteArray())) {
			return (Map<String, Object>) MsgpackValues.unpack(u);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	public void exit() throws Exception {
		InputStream w = this.watch;
		if (w != null) {
			try {
				w.close();
			}
			catch (IOException ignored) {
				// closing to unblock the reader
			}
		}
		if (this.api != null) {
			this.api.close();
		}
		if (this.db != null) {
			this.db.close();
		}
	}
}
