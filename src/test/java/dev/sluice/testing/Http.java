package dev.sluice.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests (the JDK's). */
public final class Http {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Http() {
	}

	public static HttpResponse<String> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
	}

	public static HttpResponse<String> send(HttpRequest req) {
		try {
			return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException("request to " + req.uri() + " failed: " + ex, ex);
		}
	}

	/** The body of a GET, or null when the server does not answer (yet). */
	public static String bodyOrNull(String url) {
		try {
			HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			return (r.statusCode() == 200) ? r.body() : null;
		}
		catch (Exception ex) {
			return null;
		}
	}
}
