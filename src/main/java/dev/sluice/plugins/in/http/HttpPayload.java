package dev.sluice.plugins.in.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import org.msgpack.core.MessagePacker;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.RecordAccessor;
import dev.sluice.plugins.in.dummy.JsonToMsgpack;
import dev.sluice.plugins.in.dummy.JsonToMsgpack.JsonObject;

/**
 * Turns one request body into events, as Fluent Bit's {@code in_http} does: JSON (one object, an
 * array of objects, or objects one after the other such as NDJSON; after a top-level array the
 * rest of the body is ignored) or {@code application/x-www-form-urlencoded} pairs. Every record
 * of a request gets the same timestamp. Unlike Fluent Bit, a request is all-or-nothing: the
 * records are built (and checked) before any is appended.
 */
final class HttpPayload {

	/** Content types the plugin accepts. */
	enum Type {
		JSON, URLENCODED
	}

	/** A bad request: the 400 body to send. */
	static final class BadRequest extends Exception {

		BadRequest(String body) {
			super(body, null, false, false);
		}
	}

	/** The decompressed body would be larger than allowed. */
	static final class TooLarge extends Exception {

		TooLarge() {
			super("too large", null, false, false);
		}
	}

	static final String UNABLE = "error: unable to process records\n";

	/** Consecutive records sharing a tag, encoded. */
	record Batch(String tag, EventEncoder events) {
	}

	private HttpPayload() {
	}

	/** The content type of a header value, or null when Fluent Bit would refuse it. */
	static Type contentType(String value) {
		if (value == null) {
			return null;
		}
		int n = value.length();
		if (n == 16 && value.equalsIgnoreCase("application/json")) {
			return Type.JSON;
		}
		if (n > 16 && (value.regionMatches(true, 0, "application/json;", 0, 17)
				|| value.regionMatches(true, 0, "application/json ", 0, 17))) {
			return Type.JSON;
		}
		if (value.equalsIgnoreCase("application/x-www-form-urlencoded")) {
			return Type.URLENCODED;
		}
		return null;
	}

	/** The tag for a request path: null for {@code /}, else the path without its {@code /}, sanitised. */
	static String tagFromPath(String uri) {
		String path = uri;
		int q = path.indexOf('?');
		if (q >= 0) {
			path = path.substring(0, q);
		}
		path = percentDecode(path, false);
		if (path.length() <= 1) {
			return null;
		}
		return sanitize(path.substring(1));
	}

	/** Fluent Bit keeps letters, digits, {@code _} and {@code .} in a tag; anything else becomes {@code _}. */
	static String sanitize(String tag) {
		byte[] b = tag.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < b.length; i++) {
			int c = b[i] & 0xff;
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
			if (!ok) {
				b[i] = '_';
			}
		}
		return new String(b, StandardCharsets.ISO_8859_1);
	}

	/** Decodes %XX (and {@code +} as space when asked); a bad escape keeps the text as it is. */
	static String percentDecode(String s, boolean plus) {
		if (s.indexOf('%') < 0 && (!plus || s.indexOf('+') < 0)) {
			return s;
		}
		byte[] in = s.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		for (int i = 0; i < in.length; i++) {
			byte c = in[i];
			if (c == '%') {
				if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
					return s;
				}
				out.write((Character.digit(in[i + 1], 16) << 4) | Character.digit(in[i + 2], 16));
				i += 2;
			}
			else if (c == '+' && plus) {
				out.write(' ');
			}
			else {
				out.write(c);
			}
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	/** Whether a {@code Content-Encoding} leaves the body as it is (none, or {@code identity}). */
	static boolean identity(String encoding) {
		return encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity");
	}

	/**
	 * Decodes a {@code Content-Encoding}: gzip, deflate (zlib), or none. The result is bounded by
	 * {@code max} bytes.
	 */
	static byte[] decode(String encoding, byte[] body, long max) throws BadRequest, TooLarge {
		if (identity(encoding)) {
			return body;
		}
		String e = encoding.strip().toLowerCase(java.util.Locale.ROOT);
		try {
			InputStream in = switch (e) {
				case "gzip", "x-gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(body));
				case "deflate", "zlib" -> new InflaterInputStream(new java.io.ByteArrayInputStream(body));
				default -> throw new BadRequest("error: unsupported content encoding\n");
			};
			try (in) {
				ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, body.length * 4));
				byte[] buf = new byte[16384];
				int n;
				while ((n = in.read(buf)) > 0) {
					if (out.size() + (long) n > max) {
						throw new TooLarge();
					}
					out.write(buf, 0, n);
				}
				return out.toByteArray();
			}
		}
		catch (IOException ex) {
			throw new BadRequest(UNABLE);
		}
	}

	/** Settings that shape the records. */
	record Options(RecordAccessor tagKey, String remoteAddrKey) {
	}

	/**
	 * Builds the records of a body. {@code tag} is the request's tag (from the path, or the
	 * input's); {@code remoteAddr} is added under the configured key when not null.
	 */
	static List<Batch> records(Type type, byte[] body, String tag, String remoteAddr, Options o, EventTime time)
			throws BadRequest {
		List<JsonObject> records = (type == Type.JSON) ? json(body) : List.of(urlencoded(body));
		List<Batch> out = new ArrayList<>();
		Batch current = null;
		try {
			for (JsonObject r : records) {
				if (remoteAddr != null && !hasKey(r, o.remoteAddrKey())) {
					List<Object> m = new ArrayList<>(r.members());
					m.add(o.remoteAddrKey().getBytes(StandardCharsets.UTF_8));
					m.add(remoteAddr.getBytes(StandardCharsets.UTF_8));
					r = new JsonObject(m);
				}
				String t = tag;
				if (o.tagKey() != null) {
					Object v = o.tagKey().get(toMap(r));
					if (v instanceof String s) {
						t = sanitize(s);
					}
				}
				if (current == null || !current.tag().equals(t)) {
					current = new Batch(t, new EventEncoder());
					out.add(current);
				}
				MessagePacker p = current.events().beginEvent(time, Map.of());
				JsonToMsgpack.pack(p, r);
				current.events().endEvent();
			}
		}
		catch (IOException ex) {
			throw new BadRequest(UNABLE);
		}
		return out;
	}

	private static boolean hasKey(JsonObject r, String key) {
		byte[] k = key.getBytes(StandardCharsets.UTF_8);
		List<Object> m = r.members();
		for (int i = 0; i < m.size(); i += 2) {
			if (m.get(i) instanceof byte[] b && java.util.Arrays.equals(b, k)) {
				return true;
			}
		}
		return false;
	}

	/** The records of a JSON body. */
	static List<JsonObject> json(byte[] body) throws BadRequest {
		List<JsonObject> out = new ArrayList<>();
		// a trailing space lets a final scalar end (it is refused anyway)
		byte[] b = body;
		int end = b.length;
		int p = JsonToMsgpack.skipWs(b, 0, end);
		if (p >= end) {
			throw new BadRequest(UNABLE);
		}
		while (p < end) {
			JsonToMsgpack.Parsed v;
			try {
				v = JsonToMsgpack.parse(b, p, end);
			}
			catch (JsonToMsgpack.SyntaxException | JsonToMsgpack.IncompleteException ex) {
				throw new BadRequest(UNABLE);
			}
			switch (v.value()) {
				case JsonObject o -> out.add(o);
				case List<?> l -> {
					for (Object e : l) {
						if (!(e instanceof JsonObject o)) {
							throw new BadRequest(UNABLE);
						}
						out.add(o);
					}
					// Fluent Bit stops after a top-level array, but the rest must still be JSON
					int q = JsonToMsgpack.skipWs(b, v.end(), end);
					if (q < end) {
						checkRest(b, q, end);
					}
					return out;
				}
				default -> throw new BadRequest(UNABLE);
			}
			p = JsonToMsgpack.skipWs(b, v.end(), end);
		}
		return out;
	}

	/** What follows a top-level array: ignored, but it must be JSON values. */
	static void checkRest(byte[] b, int p, int end) throws BadRequest {
		while (p < end) {
			try {
				p = JsonToMsgpack.skipWs(b, JsonToMsgpack.parse(b, p, end).end(), end);
			}
			catch (JsonToMsgpack.SyntaxException | JsonToMsgpack.IncompleteException ex) {
				throw new BadRequest(UNABLE);
			}
		}
	}

	/** One record from {@code k=v&k2=v2}: keys kept as sent, values percent-decoded, both trimmed. */
	static JsonObject urlencoded(byte[] body) throws BadRequest {
		String s = new String(body, StandardCharsets.UTF_8);
		List<Object> m = new ArrayList<>();
		for (String part : s.split("&", -1)) {
			String start = part.startsWith("\n") ? part.substring(1) : part;
			if (start.isEmpty() || start.charAt(0) == '=') {
				continue;
			}
			int eq = start.indexOf('=');
			if (eq < 0) {
				continue;
			}
			String key = start.substring(0, eq).strip();
			String val = percentDecode(start.substring(eq + 1).strip(), true);
			m.add(key.getBytes(StandardCharsets.UTF_8));
			m.add(val.getBytes(StandardCharsets.UTF_8));
		}
		if (m.isEmpty()) {
			throw new BadRequest(UNABLE);
		}
		return new JsonObject(m);
	}

	/** A parsed record as a map, for record accessor look-ups (strings as {@code String}). */
	static Map<String, Object> toMap(JsonObject o) {
		Map<String, Object> m = new LinkedHashMap<>();
		List<Object> members = o.members();
		for (int i = 0; i + 1 < members.size(); i += 2) {
			Object k = members.get(i);
			String key = (k instanceof byte[] b) ? new String(b, StandardCharsets.UTF_8) : String.valueOf(k);
			m.putIfAbsent(key, plain(members.get(i + 1)));
		}
		return m;
	}

	private static Object plain(Object v) {
		return switch (v) {
			case null -> null;
			case byte[] b -> new String(b, StandardCharsets.UTF_8);
			case JsonObject o -> toMap(o);
			case List<?> l -> {
				List<Object> out = new ArrayList<>(l.size());
				for (Object e : l) {
					out.add(plain(e));
				}
				yield out;
			}
			default -> v;
		};
	}
}
