package dev.sluice.plugins.out.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.net.forward.ForwardDecoder;
import dev.sluice.net.forward.ForwardEncoder;
import dev.sluice.net.forward.Handshake;
import dev.sluice.net.forward.MsgpackBytes;
import dev.sluice.plugins.filter.rewrite_tag.TagTemplate;
import dev.sluice.testing.SharedFixtures;

/**
 * Byte comparisons against what Fluent Bit 5.1.1's out_forward sent ({@code shared/fixtures/forward}):
 * each captured message is decoded to the events it carried, re-encoded with the case's options,
 * and must come out identical (gzip payloads: identical after inflating, options identical).
 */
class ForwardOutputFixtureTest {

	record Frame(byte[] bytes) {
	}

	static List<byte[]> frames(String file) throws Exception {
		byte[] b = Files.readAllBytes(SharedFixtures.path("forward/" + file));
		List<byte[]> out = new ArrayList<>();
		int p = 0;
		while (p < b.length) {
			int e = MsgpackBytes.endComplete(b, p, b.length);
			out.add(Arrays.copyOfRange(b, p, e));
			p = e;
		}
		return out;
	}

	static ForwardEncoder.Settings settings(boolean timeAsInt, boolean sendOptions, boolean ack, boolean gzip,
			boolean retain, List<List<String>> add, ForwardEncoder.TagFunction dyn) {
		return new ForwardEncoder.Settings(timeAsInt, sendOptions, ack, gzip, retain, add, null, dyn);
	}

	/** Re-encodes each captured data message and compares; returns how many were compared. */
	static int compare(String dir, ForwardEncoder.Settings s, boolean skipPing) throws Exception {
		int compared = 0;
		for (String conn : List.of("conn0", "conn1")) {
			List<byte[]> frames = frames(dir + "/" + conn + ".client-to-server.bin");
			if (skipPing) {
				frames = frames.subList(1, frames.size());
			}
			for (byte[] f : frames) {
				ForwardDecoder.Decoded d = new ForwardDecoder(1 << 24).decode(f, 0, f.length);
				assertThat(d.skipped()).isZero();
				List<ForwardEncoder.Message> ours = ForwardEncoder.encode("app.log", d.events(), 0, d.length(), s);
				assertThat(ours).hasSize(1);
				byte[] mine = ours.get(0).bytes();
				if (s.gzip()) {
					ForwardDecoder.Decoded back = new ForwardDecoder(1 << 24).decode(mine, 0, mine.length);
					assertThat(back.mode()).isEqualTo(ForwardDecoder.Mode.COMPRESSED_PACKED_FORWARD);
					assertThat(Arrays.copyOf(back.events(), back.length()))
						.isEqualTo(Arrays.copyOf(d.events(), d.length()));
					assertThat(HexFormat.of().formatHex(afterSecondElement(mine)))
						.isEqualTo(HexFormat.of().formatHex(afterSecondElement(f)));
					assertThat(Arrays.copyOf(mine, 9)).isEqualTo(Arrays.copyOf(f, 9)); // array header + tag
				}
				else {
					assertThat(HexFormat.of().formatHex(mine)).as("%s %s", dir, conn).isEqualTo(HexFormat.of().formatHex(f));
				}
				compared++;
			}
		}
		return compared;
	}

	static byte[] afterSecondElement(byte[] f) {
		int p = MsgpackBytes.containerHeaderLength(f, 0);
		p = MsgpackBytes.endComplete(f, p, f.length);
		p = MsgpackBytes.endComplete(f, p, f.length);
		return Arrays.copyOfRange(f, p, f.length);
	}

	@Test
	void defaultIsForwardModeWithV2EntriesAndNoOptions() throws Exception {
		assertThat(compare("default", ForwardEncoder.Settings.defaults(), false)).isEqualTo(3);
		assertThat(frames("default/conn0.client-to-server.bin").get(0)[0]).isEqualTo((byte) 0x92);
	}

	@Test
	void sendOptions() throws Exception {
		assertThat(compare("send_options", settings(false, true, false, false, true, List.of(), null), false)).isPositive();
	}

	@Test
	void addOption() throws Exception {
		assertThat(compare("add_option",
				settings(false, true, false, false, true, List.of(List.of("my_key", "my_value")), null), false)).isPositive();
	}

	@Test
	void requireAckResponseChunkIdIsBase64OfSha512Prefix() throws Exception {
		assertThat(compare("require_ack_response", settings(false, false, true, false, true, List.of(), null), false))
			.isEqualTo(3);
		// and the acks the capture server sent are {"ack": <that id>}
		byte[] f = frames("require_ack_response/conn1.client-to-server.bin").get(0);
		ForwardDecoder.Decoded d = new ForwardDecoder(1 << 24).decode(f, 0, f.length);
		assertThat(d.chunk()).isEqualTo("Y1c65LXes+s6REkHNnNgSw==");
		assertThat(ForwardEncoder.chunkId(d.events(), 0, d.length())).isEqualTo(d.chunk());
	}

	@Test
	void retainMetadataOff() throws Exception {
		assertThat(compare("retain_metadata_off", settings(false, false, false, false, false, List.of(), null), false))
			.isPositive();
	}

	@Test
	void timeAsInteger() throws Exception {
		assertThat(compare("time_as_integer", settings(true, false, false, false, true, List.of(), null), false))
			.isPositive();
	}

	@Test
	void compressGzip() throws Exception {
		assertThat(compare("compress_gzip", settings(false, false, false, true, true, List.of(), null), false))
			.isPositive();
	}

	@Test
	void dynamicTagUsesMessageModeWithMetadataInOptions() throws Exception {
		TagTemplate t = TagTemplate.parse("routed.$service");
		assertThat(compare("tag_record_accessor_message_mode",
				settings(false, false, false, false, true, List.of(), (tag, rec) -> t.translate(tag, rec, null)), false))
			.isEqualTo(4);
	}

	@Test
	void sharedKeyPingIsByteIdentical() throws Exception {
		for (String dir : List.of("shared_key", "shared_key_user_auth")) {
			byte[] heloBytes = Files.readAllBytes(SharedFixtures.path("forward/" + dir + "/conn0.server-helo.bin"));
			byte[] ping = Files.readAllBytes(SharedFixtures.path("forward/" + dir + "/conn0.client-ping.bin"));
			byte[] pong = Files.readAllBytes(SharedFixtures.path("forward/" + dir + "/conn0.server-pong.bin"));
			Handshake.Helo helo = Handshake.parseHelo(Handshake.decodeRaw(heloBytes, 0, heloBytes.length));
			Handshake.Ping p = Handshake.parsePing(Handshake.decodeRaw(ping, 0, ping.length));
			boolean users = dir.endsWith("user_auth");
			byte[] mine = Handshake.ping("fixture-client", p.salt(), helo, "fixture-secret", users ? "fixture-user" : null,
					users ? "fixture-pass" : null);
			assertThat(HexFormat.of().formatHex(mine)).as(dir).isEqualTo(HexFormat.of().formatHex(ping));
			Handshake.Pong po = Handshake.parsePong(Handshake.decodeRaw(pong, 0, pong.length));
			assertThat(po.ok()).isTrue();
			assertThat(po.digest())
				.isEqualTo(Handshake.sharedKeyDigest(p.salt(), "fixture-server", helo.nonce(), "fixture-secret"));
			// what followed the PING is a default Forward-mode message
			assertThat(compare(dir, ForwardEncoder.Settings.defaults(), true)).isPositive();
		}
	}
}
