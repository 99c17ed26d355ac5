package dev.sluice.plugins.filter.stdout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.engine.EmbeddedSluice;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugins.filter.FakeFilterContext;
import dev.sluice.plugins.filter.FilterTestSupport;
import dev.sluice.plugins.filter.FilterTestSupport.Run;
import dev.sluice.testing.Await;

import static dev.sluice.plugins.filter.FilterTestSupport.rec;
import static org.assertj.core.api.Assertions.assertThat;

class StdoutFilterTest {

	@Test
	void printsEachRecordAsFluentBitDoes() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		StdoutFilter f = new StdoutFilter().printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		var events = FilterTestSupport.events(
				rec("log", "hello", "n", 1L, "neg", -2L, "f", 1.5, "b", true, "nil", null, "arr", List.of(1L, "x"),
						"map", rec("k", "v")),
				rec("bin", new byte[] { 'a', 0x01, '"' }));
		assertThat(f.filter(events, "app.log", new FakeFilterContext())).isNull();
		assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
				"[0] app.log: [[1700000000.123456789, {}], {\"log\"=>\"hello\", \"n\"=>1, \"neg\"=>-2, \"f\"=>1.500000, "
						+ "\"b\"=>true, \"nil\"=>nil, \"arr\"=>[1, \"x\"], \"map\"=>{\"k\"=>\"v\"}}]\n"
						+ "[1] app.log: [[1700000000.123456789, {}], {\"bin\"=>\"a\\x01\\\"\"}]\n");
	}

	@Test
	void printsMetadataAndEventTimeValues() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		StdoutFilter f = new StdoutFilter().printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		dev.sluice.event.EventEncoder enc = new dev.sluice.event.EventEncoder();
		enc.append(new EventTime(5, 7), Map.of("m", 1L), rec("t", new EventTime(1, 2)));
		f.filter(dev.sluice.event.EventBytes.of(enc), "t", new FakeFilterContext());
		assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
				"[0] t: [[5.000000007, {\"m\"=>1}], {\"t\"=>(ext: 0)\"\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x02\"}]\n");
	}

	@Test
	void inAPipelineRecordsPassUnchanged() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		EmbeddedSluice s = FilterTestSupport.builder().filter("stdout", "match", "*").output("lib", "match", "*")
			.build();
		s.plugin("stdout.0", StdoutFilter.class).printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		s.start();
		try (Run r = new Run(s)) {
			r.push(List.of(new LogEvent(FilterTestSupport.T0, rec("a", "1"))));
			assertThat(r.bodies(1)).containsExactly(rec("a", "1"));
			Await.until(FilterTestSupport.DEADLINE, "a printed line", () -> bytes.size() > 0);
			assertThat(bytes.toString(StandardCharsets.UTF_8))
				.isEqualTo("[0] t: [[1700000000.123456789, {}], {\"a\"=>\"1\"}]\n");
		}
	}
}
