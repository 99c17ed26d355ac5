package dev.sluice.plugins.out.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;

class FileOutputTest {

	@TempDir
	Path dir;

	private static FileConfig defaults() {
		FileConfig c = new FileConfig();
		c.maxDynamicFiles = 1024;
		c.onMissingField = "error";
		c.onLimitReached = "error";
		c.template = "{time} {message}";
		c.rotateMaxSize = 100_000_000L;
		c.rotateMaxFiles = 7;
		c.rotateGzip = true;
		return c;
	}

	private FileOutput output(Consumer<FileConfig> settings) {
		FileConfig c = defaults();
		c.path = this.dir.toString();
		settings.accept(c);
		FileOutput out = new FileOutput();
		out.init(c, new TestContext("file.0"));
		return out;
	}

	private static Map<String, Object> map(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	private static final TestChunk CHUNK = TestChunk.of("app.log",
			List.of(new LogEvent(new EventTime(1795315413, 472821404), map("message", "dummy", "n", 1L)),
					new LogEvent(new EventTime(1795315414, 5), map("message", "h\u00e9", "f", 1.5))));

	private String read(String name) throws IOException {
		return Files.readString(this.dir.resolve(name), StandardCharsets.UTF_8);
	}

	private static void flushOk(FileOutput out, TestChunk chunk) {
		assertThat(out.flush(chunk, new TestContext("file.0"))).isEqualTo(FlushResult.OK);
	}

	@Test
	void defaultFormatIsTagTimeAndJsonAndTheFileIsNamedAfterTheTag() throws IOException {
		FileOutput out = output((c) -> {
		});
		flushOk(out, CHUNK);
		flushOk(out, CHUNK);
		String line1 = "app.log: [1795315413.472821404, {\"message\":\"dummy\",\"n\":1}]\n";
		String line2 = "app.log: [1795315414.000000005, {\"message\":\"h\\u00e9\",\"f\":1.5}]\n";
		assertThat(read("app.log")).isEqualTo(line1 + line2 + line1 + line2);
	}

	@Test
	void plain() throws IOException {
		flushOk(output((c) -> c.format = "plain"), CHUNK);
		assertThat(read("app.log")).isEqualTo("{\"message\":\"dummy\",\"n\":1}\n{\"message\":\"h\\u00e9\",\"f\":1.5}\n");
	}

	@Test
	void csvWithColumnNamesOncePerFlush() throws IOException {
		FileOutput out = output((c) -> {
			c.format = "csv";
			c.file = "out.csv";
			c.csvColumnNames = true;
		});
		flushOk(out, CHUNK);
		String flush = "timestamp,\"message\",\"n\"\n1795315413.472821404,\"dummy\",1\n"
				+ "1795315414.000000005,\"h\u00e9\",1.500000\n";
		assertThat(read("out.csv")).isEqualTo(flush);
		flushOk(out, CHUNK);
		assertThat(read("out.csv")).isEqualTo(flush + flush);
	}

	@Test
	void csvWithNamedDelimiter() throws IOException {
		flushOk(output((c) -> {
			c.format = "csv";
			c.delimiter = "tab";
		}), CHUNK);
		assertThat(read("app.log")).startsWith("1795315413.472821404\t\"dummy\"\t1\n");
		FileOutput ignored = output((c) -> {
			c.format = "csv";
			c.delimiter = ";";
			c.file = "semi";
		});
		flushOk(ignored, CHUNK);
		assertThat(read("semi")).startsWith("1795315413.472821404,\"dummy\",1\n");
	}

	@Test
	void ltsv() throws IOException {
		flushOk(output((c) -> c.format = "ltsv"), CHUNK);
		assertThat(read("app.log")).isEqualTo("\"time\":1795315413.472821\t\"message\":\"dummy\"\t\"n\":1\n"
				+ "\"time\":1795315414.000000\t\"message\":\"h\u00e9\"\t\"f\":1.500000\n");
		flushOk(output((c) -> {
			c.format = "ltsv";
			c.file = "custom";
			c.delimiter = "comma";
			c.labelDelimiter = "space";
		}), CHUNK);
		assertThat(read("custom")).startsWith("\"time\" 1795315413.472821,\"message\" \"dummy\",\"n\" 1\n");
	}

	@Test
	void template() throws IOException {
		flushOk(output((c) -> c.format = "template"), CHUNK);
		assertThat(read("app.log")).isEqualTo("1795315413.472821 dummy\n1795315414.000000 h\u00e9\n");
		flushOk(output((c) -> {
			c.format = "template";
			c.file = "t2";
			c.template = "{n} {f} {missing} {a{message}} {ti} } {open";
		}), CHUNK);
		assertThat(read("t2")).isEqualTo("1 {f} {missing} {adummy} 1795315413.472821 } {open\n"
				+ "{n} 1.500000 {missing} {ah\u00e9} 1795315414.000000 } {open\n");
	}

	@Test
	void msgpackWritesTheRawEvents() throws IOException {
		flushOk(output((c) -> c.format = "msgpack"), CHUNK);
		assertThat(Files.readAllBytes(this.dir.resolve("app.log"))).isEqualTo(CHUNK.events().toByteArray());
	}

	@Test
	void fileWithoutPathAndSanitizedTags() {
		assertThat(FileOutput.sanitizeTag("app.log")).isEqualTo("app.log");
		assertThat(FileOutput.sanitizeTag("a/../b//c d:é")).isEqualTo("a/_/b/c_d___");
		assertThat(FileOutput.sanitizeTag("/..")).isEqualTo("_");
		assertThat(FileOutput.sanitizeTag("//")).isEqualTo("_");
		FileConfig c = defaults();
		c.file = "x.log";
		FileOutput out = new FileOutput();
		out.init(c, new TestContext("file.0"));
		assertThat(out.target("t")).isEqualTo(Path.of("x.log"));
	}

	@Test
	void mkdirCreatesMissingDirectories() throws IOException {
		Path nested = this.dir.resolve("a/b");
		FileOutput without = output((c) -> c.path = nested.toString());
		assertThat(without.flush(CHUNK, new TestContext("file.0"))).isEqualTo(FlushResult.ERROR);
		assertThat(Files.exists(nested)).isFalse();
		FileOutput with = output((c) -> {
			c.path = nested.toString();
			c.mkdir = true;
		});
		flushOk(with, CHUNK);
		assertThat(Files.readString(nested.resolve("app.log"))).startsWith("app.log: [1795315413.472821404");
	}

	@Test
	void unsupportedAndInvalidOptionsAreRefused() {
		assertThatThrownBy(() -> output((c) -> c.format = "yaml")).hasMessage("file: unknown format yaml. abort.");
		assertThatThrownBy(() -> output((c) -> c.rotate = true)).hasMessageContaining("'rotate' is not supported yet");
		assertThatThrownBy(() -> output((c) -> {
			c.enableStrftime = true;
			c.file = "%Y.log";
		})).hasMessageContaining("'enable_strftime' is not supported yet");
		assertThatThrownBy(() -> output((c) -> c.file = "$service.log"))
			.hasMessageContaining("not supported yet");
		assertThatThrownBy(() -> output((c) -> c.path = "$dir")).hasMessageContaining("static prefix");
		assertThatThrownBy(() -> output((c) -> c.onMissingField = "explode"))
			.hasMessageContaining("invalid on_missing_field value 'explode'");
		assertThatThrownBy(() -> output((c) -> c.onLimitReached = "fallback"))
			.hasMessageContaining("fallback_file is required");
		// accepted and harmless without dynamic destinations
		output((c) -> {
			c.enableStrftime = true;
			c.maxDynamicFiles = 5;
			c.rotateGzip = false;
		});
	}
}
