package dev.sluice.net.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;

import dev.sluice.config.ConfigValues;
import dev.sluice.plugin.InputContext;

/**
 * {@code net.max_connections} of a stream input (tcp, syslog over tcp or a unix stream socket,
 * forward): at most that many client connections are served at once; one more is accepted and
 * closed at once, with a warning naming the peer, so that a flood of clients cannot take the
 * process's threads and buffers. 0, the default, is no limit. (A Sluice option: Fluent Bit has
 * {@code http_server.max_connections} for its HTTP-based inputs only.)
 */
public final class ConnectionLimit {

	private final int max;

	private ConnectionLimit(int max) {
		this.max = max;
	}

	public static ConnectionLimit of(InputContext context) {
		String v = context.property("net.max_connections");
		if (v == null || v.isBlank()) {
			return new ConnectionLimit(0);
		}
		long n = ConfigValues.parseSize(v.strip());
		if (n < 0 || n > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("invalid 'net.max_connections' value (" + v + ")");
		}
		return new ConnectionLimit((int) n);
	}

	public int max() {
		return this.max;
	}

	/**
	 * Whether a newly accepted connection may be served while {@code open} others are; when not,
	 * closes it and logs why.
	 */
	public boolean admit(SocketChannel accepted, int open, Logger log) {
		if (this.max <= 0 || open < this.max) {
			return true;
		}
		String peer;
		try {
			peer = String.valueOf(accepted.getRemoteAddress());
		}
		catch (IOException ex) {
			peer = "?";
		}
		log.warn("connection limit reached (net.max_connections {}): closing the connection from {}", this.max, peer);
		try {
			accepted.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		return false;
	}
}
