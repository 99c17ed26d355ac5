package dev.sluice.plugins.in.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.testing.Await;
import dev.sluice.testing.Ports;
import dev.sluice.testing.SharedFixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays the exact bytes a real Fluent Bit 5.1.1 out_forward sent ({@code shared/fixtures/forward})
 * into Sluice's forward input: every record arrives with its metadata, and the acks Sluice sends
 * are byte-identical to the ones the capture server sent.
 */
class ForwardInputFluentBitCaptureTest {

	@ParameterizedTest
	@ValueSource(strings = { "default", "compress_gzip", "require_ack_response", "time_as_integer", "retain_metadata_off",
			"tag_record_accessor_message_mode", "add_option", "send_options" })
	void replayedCaptureIsReceived(String dir) throws Exception {
		int port = Ports.free();
		try (EmbeddedSluice s = EmbeddedSluice.builder().unitMillis(20).service("flush", "0.05").service("grace", "1")
			.input("forward", "listen", "127.0.0.1", "port", String.valueOf(port))
			.output("lib", "match", "*")
			.build()) {
			s.start();
			JsonNode decoded = JsonMapper.builder().build().readTree(SharedFixtures.path("forward/" + dir + "/decoded.json").toFile());
			for (int conn = 0; conn < 2; conn++) {
				byte[] bytes = Files.readAllBytes(SharedFixtures.path("forward/" + dir + "/conn" + conn + ".client-to-server.bin"));
				try (ForwardTestClient c = new ForwardTestClient(port)) {
					c.send(bytes);
					JsonNode acks = decoded.get(conn).get("acks_sent_hex");
					if (acks != null) {
						for (JsonNode ack : acks) {
							// the bytes sluice answers equal the ack bytes the capture server sent
							byte[] got = c.in.readNBytes(ack.asString().length() / 2);
							assertThat(HexFormat.of().formatHex(got)).isEqualTo(ack.asString());
						}
					}
				}
			}
			LibOutput lib = s.plugin("lib.0", LibOutput.class);
			List<LogEvent> ev = Await.value(Duration.ofSeconds(20), "4 records", lib::events, (l) -> l.size() >= 4);
			assertThat(ev).hasSize(4);
			List<Object> bodies = new ArrayList<>();
			for (LogEvent e : ev) {
				bodies.add(e.body());
				if (!dir.equals("retain_metadata_off") && !dir.equals("time_as_integer")) {
					assertThat(e.metadata()).as(dir).isEqualTo(Map.of("origin", "fixture"));
				}
			}
			assertThat(bodies).allSatisfy(
					(b) -> assertThat(b).isEqualTo(Map.of("message", "hello forward", "n", 1L, "service", "web")));
		}
	}
}
