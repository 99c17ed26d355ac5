package dev.sluice.plugins.out.es;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The pieces of the bulk format: strftime as C formats UTC times, and the MurmurHash3 behind generate_id. */
class BulkFormatTest {

	@Test
	void murmur3MatchesTheReferenceVectors() {
		byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
		long[] h = Murmur3.hash128(hello, 0, hello.length, 0);
		assertThat(h).containsExactly(0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
		byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
		h = Murmur3.hash128(fox, 0, fox.length, 0);
		assertThat(h).containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
		assertThat(Murmur3.hash128(new byte[0], 0, 0, 0)).containsExactly(0L, 0L);
	}

	@Test
	void documentIdPrintsTheHashAsLittleEndianWords() {
		byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
		long[] h = Murmur3.hash128(hello, 0, hello.length, 42);
		String id = Murmur3.documentId(hello, 0, hello.length);
		String expected = String.format("%04x%04x-%04x-%04x-%04x-%04x%04x%04x", h[0] & 0xFFFF, (h[0] >>> 16) & 0xFFFF,
				(h[0] >>> 32) & 0xFFFF, (h[0] >>> 48) & 0xFFFF, h[1] & 0xFFFF, (h[1] >>> 16) & 0xFFFF,
				(h[1] >>> 32) & 0xFFFF, (h[1] >>> 48) & 0xFFFF);
		assertThat(id).isEqualTo(expected).hasSize(36);
	}

	@Test
	void strftimeInTheCLocaleOnUtc() {
		long t = 1_795_314_975L; // Sunday 2026-11-22 02:36:15 UTC
		assertThat(Strftime.format("%Y.%m.%d", t)).isEqualTo("2026.11.22");
		assertThat(Strftime.format("%Y-%m-%dT%H:%M:%S", t)).isEqualTo("2026-11-22T02:36:15");
		assertThat(Strftime.format("%a %b %e %j %y %I%p %Z %z %% %s", t))
			.isEqualTo("Sun Nov 22 326 26 02AM GMT +0000 % 1795314975");
		assertThat(Strftime.format("%F %T %u %w %V", t)).isEqualTo("2026-11-22 02:36:15 7 0 47");
		assertThat(Strftime.format("plain-index", t)).isEqualTo("plain-index");
	}
}
