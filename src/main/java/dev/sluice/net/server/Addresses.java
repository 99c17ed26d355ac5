package dev.sluice.net.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Peer addresses in Fluent Bit's user-friendly form ({@code tcp://127.0.0.1:40000}, {@code udp://…}). */
public final class Addresses {

	private Addresses() {
	}

	public static String format(String scheme, SocketAddress a) {
		if (a instanceof InetSocketAddress i) {
			String host = (i.getAddress() != null) ? i.getAddress().getHostAddress() : i.getHostString();
			return scheme + "://" + host + ":" + i.getPort();
		}
		return scheme + "://" + ((a != null) ? a.toString() : "");
	}
}
