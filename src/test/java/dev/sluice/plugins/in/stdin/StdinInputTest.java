package dev.sluice.plugins.in.stdin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.TestContext;

class StdinInputTest {

	private static TestContext run(InputStream in) throws Exception {
		StdinInput plugin = new StdinInput(in);
		plugin.init(new StdinConfig(), new TestContext("stdin.0"));
		TestContext ctx = new TestContext("stdin.0", "in.stdin");
		plugin.collect(ctx);
		return ctx;
	}

	private static TestContext run(String text) throws Exception {
		return run(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void jsonObjectsBecomeRecordsAndEndOfInputStopsTheService() throws Exception {
		long before = Instant.now().getEpochSecond();
		TestContext ctx = run("{\"a\":1,\"b\":\"x\"}\n{\"c\":[1,2]} {\"d\":{}}{\"e\":null}\n");
		List<LogEvent> events = ctx.events();
		assertThat(events).extracting(LogEvent::body)
			.containsExactly(Map.of("a", 1L, "b", "x"), Map.of("c", List.of(1L, 2L)), Map.of("d", Map.of()),
					java.util.Collections.singletonMap("e", null));
		assertThat(events.get(0).time().seconds()).isGreaterThanOrEqualTo(before);
		assertThat(ctx.appends()).allSatisfy((a) -> assertThat(a.tag()).isEqualTo("in.stdin"));
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void arraysAreFluentBitEvents() throws Exception {
		TestContext ctx = run("[1700000000, {\"a\":1}]\n[[1700000001.25, {\"m\":true}], {\"b\":2}]\n"
				+ "[{\"x\":1},{\"y\":2}]\n{\"after\":1}\n");
		List<LogEvent> events = ctx.events();
		assertThat(events).hasSize(3);
		assertThat(events.get(0).time()).isEqualTo(new EventTime(1700000000, 0));
		assertThat(events.get(0).body()).isEqualTo(Map.of("a", 1L));
		assertThat(events.get(1).time()).isEqualTo(new EventTime(1700000001, 250_000_000));
		assertThat(events.get(1).metadata()).isEqualTo(Map.of("m", true));
		assertThat(events.get(2).body()).isEqualTo(Map.of("after", 1L));
	}

	@Test
	void textThatIsNotJsonIsSkippedLineByLine() throws Exception {
		TestContext ctx = run("hello world\n{\"ok\":1}\n42\n\"str\"\n{\"broken\": }\n{\"ok\":2}\n");
		assertThat(ctx.events()).extracting(LogEvent::body).containsExactly(Map.of("ok", 1L), Map.of("ok", 2L));
	}

	@Test
	void valuesSplitAcrossReadsAreJoined() throws Exception {
		byte[] data = "{\"message\":\"h\u00e9llo \u2713\",\"n\":12345}\n{\"n\":2}".getBytes(StandardCharsets.UTF_8);
		InputStream trickle = new InputStream() {
			int i;

			@Override
			public int read() {
				return (this.i < data.length) ? data[this.i++] & 0xff : -1;
			}

			@Override
			public int read(byte[] b, int off, int len) {
				if (this.i >= data.length) {
					return -1;
				}
				b[off] = data[this.i++];
				return 1;
			}
		};
		TestContext ctx = run(trickle);
		assertThat(ctx.events()).extracting(LogEvent::body)
			.containsExactly(Map.of("message", "h\u00e9llo \u2713", "n", 12345L), Map.of("n", 2L));
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void emptyInputJustStops() throws Exception {
		TestContext ctx = run("");
		assertThat(ctx.appends()).isEmpty();
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void aValueLargerThanTheBufferEndsInput() throws Exception {
		String big = "{\"k\":\"" + "x".repeat(20000) + "\"}\n";
		TestContext ctx = run(big);
		assertThat(ctx.appends()).isEmpty();
		assertThat(ctx.shutdownRequested()).isTrue();
	}

	@Test
	void options() {
		StdinConfig c = new StdinConfig();
		assertThat(c.bufferSize).isEqualTo(16000);
		c.parser = "json";
		assertThatThrownBy(() -> new StdinInput(InputStream.nullInputStream()).init(c, new TestContext("stdin.0")))
			.hasMessageContaining("parser 'json'")
			.hasMessageContaining("not supported yet");
		StdinConfig small = new StdinConfig();
		small.bufferSize = 1000;
		assertThatThrownBy(() -> new StdinInput(InputStream.nullInputStream()).init(small, new TestContext("stdin.0")))
			.hasMessage("stdin: buffer_size '1000' must be at least 16000 bytes");
	}
}
