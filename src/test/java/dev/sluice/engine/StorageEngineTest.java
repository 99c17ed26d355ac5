package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugins.out.lib.LibOutput;
import dev.sluice.storage.ChunkFile;
import dev.sluice.storage.ChunkMeta;
import dev.sluice.storage.ChunkRecords;
import dev.sluice.testing.Await;
import dev.sluice.testing.SharedFixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Filesystem buffering on the real engine: chunk files, backlog, corruption, limits, dead letters. */
class StorageEngineTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private final List<EmbeddedSluice> running = new ArrayList<>();

	@BeforeEach
	void reset() {
		TestOutputs.reset();
	}

	@AfterEach
	void stop() {
		for (EmbeddedSluice s : this.running) {
			s.close();
		}
	}

	private EmbeddedSluice.Builder base(String... service) {
		EmbeddedSluice.Builder b = EmbeddedSluice.builder().registry(EngineRuntimeTest.registry()).unitMillis(20)
			.service("flush", "0.05").service("scheduler.base", "1").service("scheduler.cap", "2").service("grace", "1")
			.service("storage.path", this.dir.toString());
		for (int i = 0; i < service.length; i += 2) {
			b.service(service[i], service[i + 1]);
		}
		return b;
	}

	private EmbeddedSluice started(EmbeddedSluice.Builder b) {
		EmbeddedSluice s = b.build();
		this.running.add(s);
		return s.start();
	}

	private static EventBytes events(int from, int to) {
		EventEncoder e = new EventEncoder();
		for (int i = from; i < to; i++) {
			e.append(new EventTime(1_700_000_000L + i, 0), Map.of("n", (long) i));
		}
		return EventBytes.of(e);
	}

	private static List<Long> numbers(List<LogEvent> events) {
		List<Long> out = new ArrayList<>();
		for (LogEvent e : events) {
			out.add((Long) e.body().get("n"));
		}
		return out;
	}

	private static List<Long> range(int from, int to) {
		List<Long> l = new ArrayList<>();
		for (long i = from; i < to; i++) {
			l.add(i);
		}
		return l;
	}

	private List<Path> chunkFiles(String sub) {
		Path d = this.dir.resolve(sub);
		if (!Files.isDirectory(d)) {
			return List.of();
		}
		try (Stream<Path> s = Files.walk(d)) {
			return s.filter((p) -> p.toString().endsWith(".flb")).sorted().toList();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static int recordsIn(Path flb) throws Exception {
		ChunkFile.Parsed p = ChunkFile.parse(Files.readAllBytes(flb));
		return ChunkRecords.scan(p.content(), 0, p.content().length).records();
	}

	@Test
	void appendWritesTheChunkFileBeforeItReturnsAndTheNextStartDeliversIt() throws Exception {
		EmbeddedSluice first = started(base("storage.checksum", "on").input("lib", "tag", "app", "storage.type", "filesystem")
			.output("always_retry", "match", "*", "retry_limit", "no_limits"));
		InputInstance in = first.input("lib.0");
		assertThat(in.filesystem()).isTrue();
		in.append("app", events(0, 10));
		// the records are on disk the moment append returned, whole and checksummed
		List<Path> files = chunkFiles("lib.0");
		assertThat(files).hasSize(1);
		ChunkFile.Parsed p = ChunkFile.parse(Files.readAllBytes(files.get(0)));
		assertThat(p.crc()).isEqualTo(ChunkFile.CrcState.VALID);
		assertThat(ChunkMeta.parse(p.metadata()).tag()).isEqualTo("app");
		assertThat(recordsIn(files.get(0))).isEqualTo(10);
		// laid out as Fluent Bit lays out its files: one page, zeros after the content
		assertThat(Files.size(files.get(0))).isEqualTo(4096);
		assertThat(Files.readAllBytes(files.get(0))).isEqualTo(ChunkFile.encode(p.metadata(), p.content(), ChunkFile.crc(p.metadata(), p.content()),
				p.content().length, 4096));
		in.append("app", events(10, 25));
		assertThat(chunkFiles("lib.0").stream().mapToInt((f) -> {
			try {
				return recordsIn(f);
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
		}).sum()).isEqualTo(25);
		first.stop();
		// the output never took them: they stay on disk
		assertThat(chunkFiles("lib.0")).isNotEmpty();

		EmbeddedSluice second = started(base("storage.checksum", "on").output("lib", "match", "app"));
		LibOutput out = second.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "25 records from the backlog", () -> out.events().size() >= 25);
		assertThat(numbers(out.events())).containsExactlyInAnyOrderElementsOf(range(0, 25));
		Await.until(DEADLINE, "chunk files deleted after delivery", () -> chunkFiles("lib.0").isEmpty());
		assertThat(second.input("storage_backlog.0").displayName()).isEqualTo("storage_backlog.0");
	}

	@Test
	void storageEndpointAndMetricsCountFilesystemChunks() throws Exception {
		EmbeddedSluice s = started(base().input("lib", "tag", "fs", "storage.type", "filesystem")
			.input("lib", "tag", "mem")
			.output("always_retry", "match", "*", "retry_limit", "no_limits"));
		s.input("lib.0").append("fs", events(0, 5));
		s.input("lib.1").append("mem", events(5, 8));
		Await.until(DEADLINE, "two tasks", () -> s.engine().pendingTasks() == 2);
		String json = dev.sluice.admin.MonitoringRenderer.storage(s.engine());
		assertThat(json).startsWith("{\"storage_layer\":{\"chunks\":{\"total_chunks\":2,\"mem_chunks\":1,\"fs_chunks\":1,"
				+ "\"fs_chunks_up\":1,\"fs_chunks_down\":0}},\"input_chunks\":{\"lib.0\":{\"status\":{\"overlimit\":false,");
		assertThat(json).contains("\"lib.0\":{\"status\":{\"overlimit\":false,\"mem_size\":");
		assertThat(json).contains("\"chunks\":{\"total\":1,\"up\":1,\"down\":0,\"busy\":1,");
		assertThat(json).contains("\"storage_backlog.2\":");
		String prom = dev.sluice.admin.MonitoringRenderer.v2Prometheus(s.engine(), 1, 0, 0, "test");
		assertThat(prom).contains("fluentbit_storage_chunks 2\n", "fluentbit_storage_mem_chunks 1\n",
				"fluentbit_storage_fs_chunks 1\n", "fluentbit_storage_fs_chunks_up 1\n", "fluentbit_storage_fs_chunks_down 0\n",
				"fluentbit_input_storage_chunks{name=\"lib.0\"} 1\n", "sluice_storage_quarantined_chunks_total 0\n");
	}

	@Test
	void deliveredChunksAreDeletedAndMemoryInputsWriteNoFiles() throws Exception {
		EmbeddedSluice s = started(base().input("lib", "tag", "fs", "storage.type", "filesystem")
			.input("lib", "tag", "mem")
			.output("lib", "match", "*"));
		s.input("lib.0").append("fs", events(0, 5));
		s.input("lib.1").append("mem", events(5, 8));
		assertThat(chunkFiles("lib.0")).hasSize(1);
		assertThat(chunkFiles("lib.1")).isEmpty();
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "8 records", () -> out.events().size() == 8);
		Await.until(DEADLINE, "file deleted", () -> chunkFiles("lib.0").isEmpty());
		assertThat(s.engine().fsChunksUp()).isZero();
	}

	/** Sluice starts on a storage path holding the chunks Fluent Bit 5.1.1 left and delivers exactly their records. */
	@Test
	void backlogOfFluentBitChunkFixturesIsDeliveredExactly() throws Exception {
		Map<String, Integer> expected = new HashMap<>();
		List<String> expectedTimes = new ArrayList<>();
		for (String c : List.of("sigterm-checksum-on", "sigkill-checksum-on", "sigterm-checksum-off",
				"sigkill-checksum-off")) {
			Path src = SharedFixtures.path("chunks/" + c + "/storage");
			try (Stream<Path> s = Files.walk(src)) {
				for (Path f : s.filter((p) -> p.toString().endsWith(".flb")).toList()) {
					Path target = this.dir.resolve(f.getParent().getFileName().toString()).resolve(f.getFileName());
					Files.createDirectories(target.getParent());
					Files.copy(f, target);
					String n = f.getFileName().toString();
					JsonNode d = JsonMapper.builder().build()
						.readTree(Files.readString(f.resolveSibling(n.substring(0, n.length() - 4) + ".decoded.json")));
					expected.merge(d.get("metadata").get("tag").asString(), d.get("record_count").asInt(), Integer::sum);
					if (d.get("record_count").asInt() <= 10) {
						for (JsonNode r : d.get("records")) {
							JsonNode t = r.get("timestamp").get("$eventtime");
							expectedTimes.add(t.get("sec").asLong() + "." + t.get("nsec").asLong());
						}
					}
				}
			}
		}
		EmbeddedSluice s = started(base("storage.checksum", "on").output("lib", "match", "*"));
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		int total = expected.values().stream().mapToInt(Integer::intValue).sum();
		Await.until(DEADLINE, total + " records from the fixtures", () -> out.events().size() >= total);
		Await.until(DEADLINE, "every fixture chunk delivered and deleted", () -> chunkFiles("dummy.0").isEmpty()
				&& chunkFiles("tail.1").isEmpty());
		assertThat(out.events()).hasSize(total);
		List<LogEvent> tail = out.events().stream().filter((e) -> e.body().containsKey("log")).toList();
		assertThat(tail).hasSize(expected.get("tail.app"));
		assertThat(tail.stream().map((e) -> e.body().get("log")).toList()).contains("third line with unicode: héllo ✓");
		List<LogEvent> dummy = out.events().stream().filter((e) -> e.body().containsKey("message")).toList();
		assertThat(dummy).hasSize(expected.get("dummy.events"));
		assertThat(dummy).allSatisfy((e) -> assertThat(e.metadata()).containsEntry("origin", "fixture"));
		List<String> times = out.events().stream().map((e) -> e.time().seconds() + "." + e.time().nanos()).toList();
		assertThat(times).containsAll(expectedTimes);
		assertThat(s.engine().storage().quarantinedChunks.get()).isZero();
	}

	private byte[] chunk(String tag, int from, int to, boolean checksum) {
		EventBytes e = events(from, to);
		return ChunkFile.encode(ChunkMeta.of(tag, 0).encode(), e.toByteArray(), checksum);
	}

	private void put(String stream, String name, byte[] bytes) throws IOException {
		Path d = this.dir.resolve(stream);
		Files.createDirectories(d);
		Files.write(d.resolve(name), bytes);
	}

	@Test
	void damagedChunksNeverStopTheStartTheirWholeRecordsAreDeliveredTheRestQuarantined() throws Exception {
		// good: 0..10
		put("tail.0", "1-1700000000.000000001.flb", chunk("t", 0, 10, true));
		// truncated in the middle of record 18 (17 bytes each): 10..17 salvaged
		byte[] full = chunk("t", 10, 20, true);
		put("tail.0", "1-1700000000.000000002.flb", java.util.Arrays.copyOf(full, full.length - 30));
		// a flipped byte in a value with checksum on: CRC mismatch, the records still decode (24 became 25)
		byte[] flipped = chunk("t", 20, 25, true);
		flipped[flipped.length - 1] ^= 0x01;
		put("tail.0", "1-1700000000.000000003.flb", flipped);
		// garbage in the middle of the msgpack stream: records before it salvaged (30..32)
		byte[] garbage = chunk("t", 30, 35, true);
		int third = ChunkFile.HEADER_SIZE + 5 + 2 * (garbage.length - ChunkFile.HEADER_SIZE - 5) / 5;
		garbage[third] = (byte) 0xc1;
		put("tail.0", "1-1700000000.000000004.flb", garbage);
		// zero-length file
		put("tail.0", "1-1700000000.000000005.flb", new byte[0]);
		// garbage metadata: unreadable tag
		byte[] badMeta = chunk("t", 40, 45, false);
		badMeta[ChunkFile.HEADER_SIZE + 2] = 0x33; // event type 51
		put("tail.0", "1-1700000000.000000006.flb", badMeta);
		// not a chunk at all
		put("tail.0", "1-1700000000.000000007.flb", "hello world, not a chunk".getBytes());

		EmbeddedSluice s = started(base("storage.checksum", "on").output("lib", "match", "*"));
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		List<Long> want = new ArrayList<>(range(0, 10));
		want.addAll(range(10, 18));
		want.addAll(range(20, 24));
		want.add(25L);
		want.addAll(range(30, 32));
		Await.until(DEADLINE, want.size() + " salvaged records", () -> out.events().size() >= want.size());
		Await.until(DEADLINE, "delivered chunks deleted", () -> chunkFiles("tail.0").isEmpty());
		assertThat(numbers(out.events())).containsExactlyInAnyOrderElementsOf(want);
		// every damaged file is in the quarantine, and counted
		List<Path> quarantined = chunkFiles("quarantine");
		assertThat(quarantined).extracting((p) -> p.getFileName().toString())
			.containsExactlyInAnyOrder("1-1700000000.000000002.flb", "1-1700000000.000000003.flb",
					"1-1700000000.000000004.flb", "1-1700000000.000000005.flb", "1-1700000000.000000006.flb",
					"1-1700000000.000000007.flb");
		assertThat(s.engine().storage().quarantinedChunks.get()).isEqualTo(6);
		assertThat(s.engine().storage().salvagedRecords.get()).isEqualTo(8 + 5 + 2);
		Await.until(DEADLINE, "delivered chunks deleted", () -> chunkFiles("tail.0").isEmpty());
	}

	@Test
	void flippedByteWithChecksumOffIsFoundByTheRecordCheck() throws Exception {
		byte[] b = chunk("t", 0, 6, false);
		int half = ChunkFile.HEADER_SIZE + 5 + (b.length - ChunkFile.HEADER_SIZE - 5) / 2;
		b[half] = (byte) 0xc1;
		put("tail.0", "1-1700000000.000000001.flb", b);
		EmbeddedSluice s = started(base().output("lib", "match", "*"));
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "salvaged records", () -> out.events().size() >= 3);
		assertThat(numbers(out.events())).containsExactly(0L, 1L, 2L);
		assertThat(chunkFiles("quarantine")).hasSize(1);
	}

	@Test
	void deleteIrrecoverableChunksDeletesInsteadOfQuarantining() throws Exception {
		put("tail.0", "1-1700000000.000000001.flb", new byte[0]);
		put("tail.0", "1-1700000000.000000002.flb", chunk("t", 0, 2, false));
		EmbeddedSluice s = started(base("storage.delete_irrecoverable_chunks", "on").output("lib", "match", "*"));
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		assertThat(chunkFiles("quarantine")).isEmpty();
		assertThat(s.engine().storage().quarantinedChunks.get()).isEqualTo(1);
		Await.until(DEADLINE, "all gone", () -> chunkFiles("tail.0").isEmpty());
	}

	@Test
	void backlogIsQueuedWithinTheMemoryLimitAndAllDelivered() throws Exception {
		for (int i = 0; i < 20; i++) {
			put("tail.0", String.format("1-1700000000.%09d.flb", i + 1), chunk("t", i * 50, i * 50 + 50, false));
		}
		int size = events(0, 50).length();
		// room for two chunks at a time
		EmbeddedSluice s = started(base("storage.backlog.mem_limit", Integer.toString(2 * size + 10))
			.output("scripted", "match", "*", "alias", "slow"));
		Await.until(DEADLINE, "1000 records", () -> TestOutputs.DELIVERED.getOrDefault("slow", List.of()).size() == 1000);
		assertThat(numbers(TestOutputs.DELIVERED.get("slow"))).containsExactlyInAnyOrderElementsOf(range(0, 1000));
		// queued oldest first, at most two at a time: the first flushes see the oldest chunks
		assertThat(numbers(TestOutputs.DELIVERED.get("slow")).subList(0, 50)).containsExactlyElementsOf(range(0, 50));
		Await.until(DEADLINE, "all deleted", () -> chunkFiles("tail.0").isEmpty());
	}

	@Test
	void backlogChunkWhoseTagMatchesNoOutputStaysOnDisk() throws Exception {
		put("tail.0", "1-1700000000.000000001.flb", chunk("other", 0, 3, false));
		put("tail.0", "1-1700000000.000000002.flb", chunk("t", 3, 5, false));
		EmbeddedSluice s = started(base().output("lib", "match", "t"));
		LibOutput out = s.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "2 records", () -> out.events().size() == 2);
		Await.until(DEADLINE, "matching chunk deleted", () -> chunkFiles("tail.0").size() == 1);
		assertThat(chunkFiles("tail.0").get(0).getFileName().toString()).isEqualTo("1-1700000000.000000001.flb");
	}

	@Test
	void totalLimitSizeEvictsTheOldestChunksOfThatOutputAndCountsThem() throws Exception {
		int size = events(0, 10).length();
		EmbeddedSluice s = started(base().input("lib", "tag", "t", "storage.type", "filesystem")
			.output("always_retry", "match", "*", "retry_limit", "no_limits", "storage.total_limit_size",
					Integer.toString(3 * size)));
		InputInstance in = s.input("lib.0");
		OutputInstance o = s.output("always_retry.0");
		for (int i = 0; i < 6; i++) {
			int n = i;
			long before = s.engine().pendingTasks() + s.engine().evictedChunks();
			in.append("t", events(n * 10, n * 10 + 10));
			// each append becomes its own chunk at the next flush tick
			Await.until(DEADLINE, "chunk " + n + " queued", () -> s.engine().pendingTasks() + s.engine().evictedChunks() > before);
		}
		Await.until(DEADLINE, "three evicted", () -> s.engine().evictedChunks() == 3);
		assertThat(o.metrics().droppedRecords.sum()).isEqualTo(30);
		assertThat(s.engine().pendingTasks()).isEqualTo(3);
		// the newest three are still on disk
		List<Path> left = chunkFiles("lib.0");
		assertThat(left).hasSize(3);
		List<Long> kept = new ArrayList<>();
		for (Path f : left) {
			ChunkFile.Parsed p = ChunkFile.parse(Files.readAllBytes(f));
			kept.addAll(numbers(new EventBytes(p.content(), 0, p.content().length, 10).decode()));
		}
		assertThat(kept).containsExactlyInAnyOrderElementsOf(range(30, 60));
	}

	@Test
	void keepRejectedWritesChunksAnOutputGaveUpOnToTheRejectedPath() throws Exception {
		EmbeddedSluice s = started(base("storage.keep.rejected", "on", "storage.rejected.path", "dlq")
			.input("lib", "tag", "t")
			.output("scripted", "match", "*", "alias", "bad"));
		TestOutputs.SCRIPTS.put("bad", new ArrayList<>(List.of(FlushResult.ERROR)));
		s.input("lib.0").append("t", events(0, 4));
		Await.until(DEADLINE, "rejected chunk kept", () -> chunkFiles("dlq").size() == 1);
		Path kept = chunkFiles("dlq").get(0);
		assertThat(kept.getParent().getFileName().toString()).isEqualTo("lib.0");
		assertThat(recordsIn(kept)).isEqualTo(4);
		assertThat(ChunkMeta.parse(ChunkFile.parse(Files.readAllBytes(kept)).metadata()).tag()).isEqualTo("t");
		assertThat(s.engine().storage().rejectedChunks.get()).isEqualTo(1);
	}

	@Test
	void memoryChunksLeftAtTheEndOfGraceAreWrittenForTheNextStart() throws Exception {
		EmbeddedSluice first = started(base().input("lib", "tag", "m")
			.output("always_retry", "match", "*", "retry_limit", "no_limits"));
		first.input("lib.0").append("m", events(0, 7));
		Await.until(DEADLINE, "task created", () -> first.engine().pendingTasks() == 1);
		first.stop();
		assertThat(first.engine().spilledChunks()).isEqualTo(1);
		assertThat(chunkFiles("lib.0")).hasSize(1);
		EmbeddedSluice second = started(base().output("lib", "match", "m"));
		LibOutput out = second.plugin("lib.0", LibOutput.class);
		Await.until(DEADLINE, "7 records", () -> out.events().size() == 7);
		assertThat(numbers(out.events())).containsExactlyElementsOf(range(0, 7));
	}

	@Test
	void maxChunksUpPutsFurtherChunksDownAndTheyAreStillDelivered() throws Exception {
		EmbeddedSluice s = started(base("storage.max_chunks_up", "1").input("lib", "tag", "t", "storage.type", "filesystem")
			.output("scripted", "match", "*", "alias", "late", "retry_limit", "no_limits"));
		TestOutputs.SCRIPTS.put("late", new ArrayList<>(List.of(FlushResult.RETRY, FlushResult.RETRY, FlushResult.RETRY)));
		InputInstance in = s.input("lib.0");
		for (int i = 0; i < 4; i++) {
			long before = s.engine().pendingTasks();
			in.append("t", events(i * 10, i * 10 + 10));
			Await.until(DEADLINE, "chunk queued", () -> s.engine().pendingTasks() > before || TestOutputs.DELIVERED.containsKey("late"));
		}
		Await.until(DEADLINE, "40 records", () -> TestOutputs.DELIVERED.getOrDefault("late", List.of()).size() == 40);
		assertThat(numbers(TestOutputs.DELIVERED.get("late"))).containsExactlyInAnyOrderElementsOf(range(0, 40));
		Await.until(DEADLINE, "files deleted", () -> chunkFiles("lib.0").isEmpty());
		assertThat(s.engine().fsChunksUp()).isZero();
		assertThat(s.engine().fsChunksDown()).isZero();
	}

	@Test
	void pauseOnChunksOverlimitPausesTheInputUntilChunksAreDelivered() throws Exception {
		EmbeddedSluice s = started(base("storage.max_chunks_up", "2")
			.input("lib", "tag", "t", "storage.type", "filesystem", "storage.pause_on_chunks_overlimit", "on")
			.output("always_retry", "match", "*", "retry_limit", "1"));
		InputInstance in = s.input("lib.0");
		in.append("t", events(0, 1));
		Await.until(DEADLINE, "sealed", () -> s.engine().pendingTasks() == 1);
		in.append("t", events(1, 2));
		assertThat(in.pauseReasons()).contains(InputInstance.PauseReason.STORAGE_BUF_LIMIT);
		Await.until(DEADLINE, "resumed once the chunks are given up", () -> !in.isPaused());
	}
}
