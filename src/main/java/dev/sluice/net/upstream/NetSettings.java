package dev.sluice.net.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.sluice.config.ConfigValues;
import dev.sluice.net.forward.TlsSupport;

/**
 * The client-side network settings every network output shares, Fluent Bit's {@code net.*}
 * properties (names and defaults of Fluent Bit 5.1's {@code networking} config map) and its
 * {@code tls*} properties, read from an instance's raw properties.
 *
 * <ul>
 * <li>{@code net.connect_timeout} (10s, includes the TLS handshake),
 * {@code net.connect_timeout_log_error} (true);</li>
 * <li>{@code net.keepalive} (true), {@code net.keepalive_idle_timeout} (30s),
 * {@code net.keepalive_max_recycle} (2000 uses, then the connection is closed);</li>
 * <li>{@code net.io_timeout} (0s = none): the longest a write or read on an assigned
 * connection may take;</li>
 * <li>{@code net.source_address} ({@code ip} or {@code ip:port}) binds the local end;</li>
 * <li>{@code net.dns.prefer_ipv4} / {@code net.dns.prefer_ipv6} order the resolved addresses
 * (each address is tried in turn); {@code net.dns.mode} and {@code net.dns.resolver} are
 * accepted, the JVM's resolver is always used;</li>
 * <li>{@code net.tcp_keepalive} (off) with {@code net.tcp_keepalive_time},
 * {@code _interval}, {@code _probes} (-1 = system default): TCP keepalive probes.</li>
 * </ul>
 *
 * @param tls the TLS settings, or null when TLS is off
 */
public record NetSettings(Duration connectTimeout, boolean connectTimeoutLogError, boolean keepalive,
		Duration keepaliveIdleTimeout, int keepaliveMaxRecycle, Duration ioTimeout, InetSocketAddress sourceAddress,
		boolean preferIpv4, boolean preferIpv6, boolean tcpKeepalive, int tcpKeepaliveTime, int tcpKeepaliveInterval,
		int tcpKeepaliveProbes, TlsSupport.Options tls, String tlsCiphers) {

	/** Fluent Bit's defaults, TLS off. */
	public static NetSettings defaults() {
		return from(Map.of(), false);
	}

	/**
	 * Reads the settings from an instance's properties (keys lower case).
	 * @param forceTls TLS on whatever {@code tls} says (syslog {@code mode tls})
	 * @throws IllegalArgumentException on a malformed value, naming the key
	 */
	public static NetSettings from(Map<String, String> p, boolean forceTls) {
		boolean tls = forceTls || bool(p, "tls", false);
		TlsSupport.Options tlsOptions = null;
		if (tls) {
			tlsOptions = new TlsSupport.Options(bool(p, "tls.verify", true), p.get("tls.ca_file"), p.get("tls.ca_path"),
					p.get("tls.crt_file"), p.get("tls.key_file"), p.get("tls.vhost"), bool(p, "tls.verify_hostname", false),
					p.get("tls.min_version"), p.get("tls.max_version"));
		}
		return new NetSettings(time(p, "net.connect_timeout", Duration.ofSeconds(10)),
				bool(p, "net.connect_timeout_log_error", true), bool(p, "net.keepalive", true),
				time(p, "net.keepalive_idle_timeout", Duration.ofSeconds(30)), integer(p, "net.keepalive_max_recycle", 2000),
				time(p, "net.io_timeout", Duration.ZERO), source(p.get("net.source_address")),
				bool(p, "net.dns.prefer_ipv4", false), bool(p, "net.dns.prefer_ipv6", false),
				bool(p, "net.tcp_keepalive", false), integer(p, "net.tcp_keepalive_time", -1),
				integer(p, "net.tcp_keepalive_interval", -1), integer(p, "net.tcp_keepalive_probes", -1), tlsOptions,
				p.get("tls.ciphers"));
	}

	/** The same settings with other TLS options (an upstream node's own {@code tls*} keys). */
	public NetSettings withTls(TlsSupport.Options options) {
		return new NetSettings(this.connectTimeout, this.connectTimeoutLogError, this.keepalive, this.keepaliveIdleTimeout,
				this.keepaliveMaxRecycle, this.ioTimeout, this.sourceAddress, this.preferIpv4, this.preferIpv6,
				this.tcpKeepalive, this.tcpKeepaliveTime, this.tcpKeepaliveInterval, this.tcpKeepaliveProbes, options,
				this.tlsCiphers);
	}

	private static boolean bool(Map<String, String> p, String key, boolean def) {
		String v = p.get(key);
		if (v == null) {
			return def;
		}
		try {
			return ConfigValues.parseBool(v);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("invalid value '" + v + "' for " + key + ": " + ex.getMessage(), ex);
		}
	}

	private static Duration time(Map<String, String> p, String key, Duration def) {
		String v = p.get(key);
		if (v == null) {
			return def;
		}
		try {
			return ConfigValues.parseTime(v);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("invalid value '" + v + "' for " + key + ": " + ex.getMessage(), ex);
		}
	}

	private static int integer(Map<String, String> p, String key, int def) {
		String v = p.get(key);
		if (v == null) {
			return def;
		}
		try {
			return (int) ConfigValues.parseInt(v);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("invalid value '" + v + "' for " + key + ": " + ex.getMessage(), ex);
		}
	}

	/** {@code ip}, {@code ip:port} or {@code [v6]:port}; null when unset. */
	static InetSocketAddress source(String v) {
		if (v == null || v.isBlank()) {
			return null;
		}
		String s = v.strip();
		String host = s;
		int port = 0;
		if (s.startsWith("[")) {
			int end = s.indexOf(']');
			host = s.substring(1, end);
			if (end + 1 < s.length() && s.charAt(end + 1) == ':') {
				port = Integer.parseInt(s.substring(end + 2));
			}
		}
		else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
			host = s.substring(0, s.indexOf(':'));
			port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
		}
		return new InetSocketAddress(host.toLowerCase(Locale.ROOT), port);
	}
}
