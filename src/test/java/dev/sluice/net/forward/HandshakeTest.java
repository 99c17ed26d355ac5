package dev.sluice.net.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class HandshakeTest {

	@Test
	void digestsMatchTheFixtureCapture() {
		byte[] salt = HexFormat.of().parseHex("4cfa768b594095350bef19958fbb2735");
		byte[] nonce = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
		assertThat(Handshake.sharedKeyDigest(salt, "fixture-client", nonce, "fixture-secret")).startsWith("a6f154f3fe02a2d87f30");
		assertThat(Handshake.sharedKeyDigest(salt, "fixture-server", nonce, "fixture-secret")).startsWith("18da4a5efdd09e23eb5a");
		assertThat(Handshake.passwordDigest(new byte[0], "", "")).startsWith("cf83e1357eefb8bd");
	}

	@Test
	void heloRoundTripsWithAndWithoutUserAuth() throws Exception {
		byte[] nonce = Handshake.random(16);
		byte[] h = Handshake.helo(nonce, new byte[0]);
		Handshake.Helo helo = Handshake.parseHelo(Handshake.decodeRaw(h, 0, h.length));
		assertThat(helo.nonce()).isEqualTo(nonce);
		assertThat(helo.auth()).isEmpty();
		assertThat(helo.keepalive()).isTrue();
		byte[] h2 = Handshake.helo(nonce, "salt".getBytes(StandardCharsets.UTF_8));
		assertThat(Handshake.parseHelo(Handshake.decodeRaw(h2, 0, h2.length)).auth()).isEqualTo("salt".getBytes());
	}

	@Test
	void pingKeepsTheRawSaltBytes() throws Exception {
		byte[] salt = HexFormat.of().parseHex("ff00fe01fd02fc03fb04fa05f906f807");
		Handshake.Helo helo = new Handshake.Helo(new byte[16], new byte[0], true);
		byte[] ping = Handshake.ping("host", salt, helo, "key", "", "");
		Handshake.Ping p = Handshake.parsePing(Handshake.decodeRaw(ping, 0, ping.length));
		assertThat(p.salt()).isEqualTo(salt);
		assertThat(p.digest()).isEqualTo(Handshake.sharedKeyDigest(salt, "host", new byte[16], "key"));
		byte[] pong = Handshake.pong(true, "", "h", "d");
		assertThat(Handshake.parsePing(Handshake.decodeRaw(pong, 0, pong.length))).isNull();
	}
}
