package dev.sluice.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.sluice.event.EventDecoder;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;

class TextRecordsTest {

	private static List<Map<String, Object>> bodies(EventEncoder e) {
		return EventDecoder.decode(e.toByteArray()).stream().map(LogEvent::body).toList();
	}

	@Test
	void jsonValueEndSkipsBracketsInsideStringsAndWaitsForTheRest() {
		TextRecords t = new TextRecords(TextRecords.Format.JSON, TextRecords.separator(null), null, null,
				LoggerFactory.getLogger("test"));
		byte[] all = "{\"s\":\"a}b]\\\"{\",\"n\":[1,{\"x\":2}]} {\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8);
		EventEncoder enc = new EventEncoder();
		// fed byte by byte: every prefix is either incomplete or ends exactly at a value
		int start = 0;
		for (int end = 1; end <= all.length; end++) {
			start = t.decode(all, start, end, false, null, enc);
		}
		assertThat(start).isEqualTo(all.length);
		assertThat(bodies(enc)).containsExactly(Map.of("s", "a}b]\"{", "n", List.of(1L, Map.of("x", 2L))),
				Map.of("k", "v"));
		assertThat(t.skipped()).isZero();
	}

	@Test
	void incompleteJsonInACompleteDatagramIsSkipped() {
		TextRecords t = new TextRecords(TextRecords.Format.JSON, TextRecords.separator(null), null, "src",
				LoggerFactory.getLogger("test"));
		byte[] b = "{\"a\":1}\n{\"b\":".getBytes(StandardCharsets.UTF_8);
		EventEncoder enc = new EventEncoder();
		assertThat(t.decode(b, 0, b.length, true, "udp://127.0.0.1:9", enc)).isEqualTo(b.length);
		assertThat(bodies(enc)).containsExactly(Map.of("a", 1L, "src", "udp://127.0.0.1:9"));
		assertThat(t.skipped()).isEqualTo(1);
	}

	@Test
	void separatorsAreUnescapedAsFluentBitDoes() {
		assertThat(TextRecords.separator(null)).containsExactly('\n');
		assertThat(TextRecords.separator("\\r\\n")).containsExactly('\r', '\n');
		assertThat(TextRecords.separator("\\t|\\x41")).containsExactly('\t', '|', 'A');
		assertThat(TextRecords.separator("||")).containsExactly('|', '|');
		assertThatThrownBy(() -> TextRecords.separator("")).hasMessageContaining("invalid separator");
	}
}
