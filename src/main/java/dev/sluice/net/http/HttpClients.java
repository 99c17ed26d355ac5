package dev.sluice.net.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import dev.sluice.config.ConfigValues;

/** What the HTTP-client outputs ({@code http}, {@code es}/{@code opensearch}, {@code loki}) set up alike. */
public final class HttpClients {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private HttpClients() {
	}

	/** A client builder: HTTP/1.1, redirects not followed, the given connect timeout. */
	public static HttpClient.Builder builder(Duration connectTimeout) {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(connectTimeout);
	}

	/** The instance's {@code net.connect_timeout}; 10 s when unset, zero or negative. */
	public static Duration connectTimeout(Map<String, String> props) {
		String v = props.get("net.connect_timeout");
		Duration d = (v != null) ? ConfigValues.parseTime(v) : CONNECT_TIMEOUT;
		return (d.isZero() || d.isNegative()) ? CONNECT_TIMEOUT : d;
	}

	/** The instance's {@code net.io_timeout}; {@code def} when unset, zero or negative. */
	public static Duration ioTimeout(Map<String, String> props, Duration def) {
		String v = props.get("net.io_timeout");
		Duration d = (v != null) ? ConfigValues.parseTime(v) : null;
		return (d == null || d.isZero() || d.isNegative()) ? def : d;
	}
}
