package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.testing.SharedFixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The chunk file format against every chunk Fluent Bit 5.1.1 left in {@code fixtures/chunks}. */
class ChunkFileTest {

	static List<Path> fixtureChunks() throws Exception {
		try (Stream<Path> s = Files.walk(SharedFixtures.path("chunks"))) {
			List<Path> all = s.filter((p) -> p.toString().endsWith(".flb")).sorted().toList();
			assertThat(all).hasSize(20);
			return all;
		}
	}

	private static JsonNode decoded(Path flb) throws Exception {
		String n = flb.getFileName().toString();
		Path json = flb.resolveSibling(n.substring(0, n.length() - 4) + ".decoded.json");
		return JsonMapper.builder().build().readTree(Files.readString(json));
	}

	@ParameterizedTest
	@MethodSource("fixtureChunks")
	void parsesEveryFixtureAndReencodesItByteForByte(Path flb) throws Exception {
		byte[] bytes = Files.readAllBytes(flb);
		JsonNode d = decoded(flb);
		ChunkFile.Parsed p = ChunkFile.parse(bytes);
		assertThat(p.declaredLength()).isEqualTo(d.get("header").get("content_length").asInt());
		assertThat(p.metadata()).hasSize(d.get("header").get("metadata_length").asInt());
		assertThat(HexFormat.of().formatHex(p.metadata())).isEqualTo(d.get("metadata").get("raw_hex").asString());
		assertThat(String.format("%08x", p.crcField())).isEqualTo(d.get("header").get("crc32_field_hex").asString());
		assertThat(p.truncated()).isFalse();
		assertThat(p.inferredLength()).isFalse();

		ChunkMeta meta = ChunkMeta.parse(p.metadata());
		assertThat(meta.tag()).isEqualTo(d.get("metadata").get("tag").asString());
		assertThat(meta.eventType()).isEqualTo(d.get("metadata").get("event_type").asInt());
		assertThat(meta.flags()).isZero();
		assertThat(meta.legacy()).isFalse();
		assertThat(meta.encode()).isEqualTo(p.metadata());

		JsonNode crc = d.get("crc_check");
		ChunkFile.CrcState expected = crc.get("field_is_zero").asBoolean() ? ChunkFile.CrcState.ZERO
				: crc.get("field_equals_finalized_crc_big_endian").asBoolean() ? ChunkFile.CrcState.VALID
						: ChunkFile.CrcState.RUNNING;
		assertThat(crc.get("field_equals_running_crc_state_little_endian (crc ^ 0xffffffff)").asBoolean())
			.isEqualTo(expected == ChunkFile.CrcState.RUNNING);
		assertThat(p.crc()).isEqualTo(expected);

		ChunkRecords.Scan scan = ChunkRecords.scan(p.content(), 0, p.content().length);
		assertThat(scan.clean()).isTrue();
		assertThat(scan.records()).isEqualTo(d.get("record_count").asInt());
		assertThat(scan.validBytes()).isEqualTo(p.content().length);
		JsonNode records = d.get("records");
		if (records.get(0).has("raw_hex")) {
			StringBuilder hex = new StringBuilder();
			records.forEach((r) -> hex.append(r.get("raw_hex").asString()));
			assertThat(HexFormat.of().formatHex(p.content())).isEqualTo(hex.toString());
		}

		// the round trip keeps every byte, the zero page tail included
		assertThat(p.reencode()).isEqualTo(bytes);
		// and a file written from scratch (tag, content, checksum) is the same file
		if (expected != ChunkFile.CrcState.RUNNING) {
			boolean checksum = expected == ChunkFile.CrcState.VALID;
			byte[] m = ChunkMeta.of(meta.tag(), 0).encode();
			int used = ChunkFile.HEADER_SIZE + m.length + p.content().length;
			byte[] fresh = ChunkFile.encode(m, p.content(), checksum ? ChunkFile.crc(m, p.content()) : 0,
					p.content().length, ChunkFile.fluentBitFileSize(used));
			assertThat(fresh).isEqualTo(bytes);
			byte[] exact = ChunkFile.encode(m, p.content(), checksum);
			assertThat(exact).isEqualTo(java.util.Arrays.copyOf(bytes, used));
		}
	}

	@Test
	void workedExampleOfTheReference() throws Exception {
		byte[] content = HexFormat.of().parseHex("9292d7006553f1001dcd65008081a16101");
		byte[] f = ChunkFile.encode(ChunkMeta.of("app", 0).encode(), content, false);
		assertThat(HexFormat.of().formatHex(f)).isEqualTo(
				"c100" + "00000000" + "00000000" + "00000011" + "0000000000000000" + "0007" + "f1770000617070" + "9292d7006553f1001dcd65008081a16101");
		ChunkFile.Parsed p = ChunkFile.parse(f);
		assertThat(p.crc()).isEqualTo(ChunkFile.CrcState.ZERO);
		assertThat(ChunkRecords.scan(p.content(), 0, p.content().length).records()).isEqualTo(1);
	}

	@Test
	void legacyMetadataIsTheTagAlone() throws Exception {
		ChunkMeta m = ChunkMeta.parse("old.tag".getBytes());
		assertThat(m.legacy()).isTrue();
		assertThat(m.tag()).isEqualTo("old.tag");
		assertThat(m.encode()).isEqualTo("old.tag".getBytes());
	}

	@Test
	void routingPayloadSurvivesARoundTrip() throws Exception {
		byte[] raw = HexFormat.of().parseHex("f177000161707000" + "0004" + "0001" + "0002");
		ChunkMeta m = ChunkMeta.parse(raw);
		assertThat(m.tag()).isEqualTo("app");
		assertThat(m.flags()).isEqualTo(1);
		assertThat(m.encode()).isEqualTo(raw);
	}

	@Test
	void garbageIsRefusedWithAReason() {
		assertThatThrownBy(() -> ChunkFile.parse(new byte[0])).hasMessageContaining("empty");
		assertThatThrownBy(() -> ChunkFile.parse(new byte[10])).hasMessageContaining("shorter");
		assertThatThrownBy(() -> ChunkFile.parse(new byte[30])).hasMessageContaining("magic");
		byte[] f = ChunkFile.encode(ChunkMeta.of("a", 0).encode(), new byte[0], false);
		f[22] = (byte) 0xff;
		assertThatThrownBy(() -> ChunkFile.parse(f)).hasMessageContaining("metadata length");
		assertThatThrownBy(() -> ChunkMeta.parse(new byte[] { (byte) 0xf1, 0x77, 9, 0, 'a' }))
			.hasMessageContaining("event type");
		assertThatThrownBy(() -> ChunkMeta.parse(new byte[] { 1, 2, (byte) 0xff })).isInstanceOf(ChunkFormatException.class);
	}

	@Test
	void truncatedContentIsFlaggedAndItsWholeRecordsCounted() throws Exception {
		byte[] content = HexFormat.of().parseHex("9292d7006553f1001dcd65008081a16101" + "9292d7006553f1001dcd65008081a16102");
		byte[] f = ChunkFile.encode(ChunkMeta.of("app", 0).encode(), content, true);
		byte[] cut = java.util.Arrays.copyOf(f, f.length - 3);
		ChunkFile.Parsed p = ChunkFile.parse(cut);
		assertThat(p.truncated()).isTrue();
		assertThat(p.crc()).isEqualTo(ChunkFile.CrcState.MISMATCH);
		ChunkRecords.Scan s = ChunkRecords.scan(p.content(), 0, p.content().length);
		assertThat(s.records()).isEqualTo(1);
		assertThat(s.clean()).isFalse();
	}
}
