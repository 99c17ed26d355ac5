package dev.sluice.net.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The Forward protocol v1 handshake (HELO, PING, PONG) and its digests. Digests are lowercase
 * hex SHA-512: the shared-key digest is over {@code salt ‖ hostname ‖ nonce ‖ shared_key}, the
 * password digest over {@code auth_salt ‖ username ‖ password}.
 */
public final class Handshake {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Handshake() {
	}

	/** A PING as received: {@code ["PING", hostname, salt, digest, username, password_digest]}. */
	public record Ping(String hostname, byte[] salt, String digest, String username, String passwordDigest) {
	}

	/** A HELO as received. {@code auth} is the user-auth salt, empty when the server wants none. */
	public record Helo(byte[] nonce, byte[] auth, boolean keepalive) {
	}

	/** A PONG as received. */
	public record Pong(boolean ok, String reason, String hostname, String digest) {
	}

	public static byte[] random(int n) {
		byte[] b = new byte[n];
		RANDOM.nextBytes(b);
		return b;
	}

	public static String sha512Hex(byte[]... parts) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-512");
			for (byte[] p : parts) {
				md.update(p);
			}
			return HexFormat.of().formatHex(md.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String sharedKeyDigest(byte[] salt, String hostname, byte[] nonce, String sharedKey) {
		return sha512Hex(salt, utf8(hostname), nonce, utf8(sharedKey));
	}

	public static String passwordDigest(byte[] authSalt, String username, String password) {
		return sha512Hex(authSalt, utf8(username), utf8(password));
	}

	static byte[] utf8(String s) {
		return (s != null ? s : "").getBytes(StandardCharsets.UTF_8);
	}

	/** {@code ["HELO", {"nonce": bin, "auth": bin salt or "", "keepalive": true}]}. */
	public static byte[] helo(byte[] nonce, byte[] authSalt) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			p.packArrayHeader(2);
			p.packString("HELO");
			p.packMapHeader(3);
			p.packString("nonce");
			p.packBinaryHeader(nonce.length);
			p.writePayload(nonce);
			p.packString("auth");
			if (authSalt == null || authSalt.length == 0) {
				p.packString("");
			}
			else {
				p.packBinaryHeader(authSalt.length);
				p.writePayload(authSalt);
			}
			p.packString("keepalive");
			p.packBoolean(true);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The HELO Fluent Bit's in_forward sends: {@code ["HELO", {"nonce": str(16 bytes), "auth":
	 * str(16-byte salt)}]} (raw bytes in msgpack str, no {@code keepalive}); the salt is sent even
	 * when no user authentication is configured.
	 */
	public static byte[] heloFluentBit(byte[] nonce, byte[] authSalt) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			p.packArrayHeader(2);
			p.packString("HELO");
			p.packMapHeader(2);
			p.packString("nonce");
			p.packRawStringHeader(nonce.length);
			p.writePayload(nonce);
			p.packString("auth");
			p.packRawStringHeader(authSalt.length);
			p.writePayload(authSalt);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code ["PING", hostname, salt, digest, username, password_digest]}, every element a str. */
	public static byte[] ping(String hostname, byte[] salt, Helo helo, String sharedKey, String username, String password) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			p.packArrayHeader(6);
			p.packString("PING");
			p.packString(hostname);
			p.packRawStringHeader(salt.length);
			p.writePayload(salt);
			p.packString(sharedKeyDigest(salt, hostname, helo.nonce(), sharedKey));
			String user = (username != null) ? username : "";
			p.packString(user);
			p.packString(passwordDigest(helo.auth(), user, password));
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code ["PONG", ok, reason, hostname, digest]}. */
	public static byte[] pong(boolean ok, String reason, String hostname, String digest) {
		try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
			p.packArrayHeader(5);
			p.packString("PONG");
			p.packBoolean(ok);
			p.packString(reason);
			p.packString(hostname);
			p.packString(digest);
			return p.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Decodes a handshake message keeping strings as raw bytes ({@code byte[]}, as the salt of a
	 * PING is a str of random bytes); map keys become strings. Nesting beyond 8 levels is refused.
	 */
	public static Object decodeRaw(byte[] b, int off, int len) throws IOException {
		try (org.msgpack.core.MessageUnpacker u = MessagePack.newDefaultUnpacker(b, off, len)) {
			return raw(u, 0);
		}
	}

	/** Decodes one handshake message from a stream (see {@link #decodeRaw(byte[], int, int)}). */
	public static Object decodeRaw(org.msgpack.core.MessageUnpacker u) throws IOException {
		return raw(u, 0);
	}

	private static Object raw(org.msgpack.core.MessageUnpacker u, int depth) throws IOException {
		if (depth > 8) {
			throw new IOException("handshake message nested too deeply");
		}
		var f = u.getNextFormat();
		switch (f.getValueType()) {
			case STRING -> {
				int n = u.unpackRawStringHeader();
				return u.readPayload(n);
			}
			case BINARY -> {
				int n = u.unpackBinaryHeader();
				return u.readPayload(n);
			}
			case BOOLEAN -> {
				return u.unpackBoolean();
			}
			case ARRAY -> {
				int n = u.unpackArrayHeader();
				java.util.List<Object> l = new java.util.ArrayList<>();
				for (int i = 0; i < n; i++) {
					l.add(raw(u, depth + 1));
				}
				return l;
			}
			case MAP -> {
				int n = u.unpackMapHeader();
				java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
				for (int i = 0; i < n; i++) {
					String k = text(raw(u, depth + 1));
					m.put(k, raw(u, depth + 1));
				}
				return m;
			}
			default -> {
				return dev.sluice.event.MsgpackValues.unpack(u);
			}
		}
	}

	/** Reads a PING from a decoded message, or null when it is not one. */
	public static Ping parsePing(Object message) {
		if (!(message instanceof List<?> l) || l.size() < 4 || !"PING".equals(text(l.get(0)))) {
			return null;
		}
		return new Ping(text(l.get(1)), bytes(l.get(2)), text(l.get(3)), (l.size() > 4) ? text(l.get(4)) : "",
				(l.size() > 5) ? text(l.get(5)) : "");
	}

	/** Reads a HELO from a decoded message, or null when it is not one. */
	public static Helo parseHelo(Object message) {
		if (!(message instanceof List<?> l) || l.size() < 2 || !"HELO".equals(text(l.get(0)))
				|| !(l.get(1) instanceof Map<?, ?> m)) {
			return null;
		}
		Object nonce = m.get("nonce");
		if (nonce == null) {
			return null;
		}
		Object ka = m.get("keepalive");
		return new Helo(bytes(nonce), bytes(m.get("auth")), !(ka instanceof Boolean b) || b);
	}

	/** Reads a PONG from a decoded message, or null when it is not one. */
	public static Pong parsePong(Object message) {
		if (!(message instanceof List<?> l) || l.size() < 5 || !"PONG".equals(text(l.get(0)))) {
			return null;
		}
		return new Pong(Boolean.TRUE.equals(l.get(1)), text(l.get(2)), text(l.get(3)), text(l.get(4)));
	}

	/** A str or bin value as text (bin read as UTF-8). */
	public static String text(Object v) {
		if (v instanceof byte[] b) {
			return new String(b, StandardCharsets.UTF_8);
		}
		return (v instanceof String s) ? s : "";
	}

	/** A str or bin value as bytes (str as UTF-8). */
	public static byte[] bytes(Object v) {
		if (v instanceof byte[] b) {
			return b;
		}
		if (v instanceof String s) {
			return s.getBytes(StandardCharsets.UTF_8);
		}
		return new byte[0];
	}
}
