package dev.sluice.plugins.in.tail;

import static dev.sluice.plugins.in.tail.TailHarness.append;
import static dev.sluice.plugins.in.tail.TailHarness.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.event.LogEvent;
import dev.sluice.testing.Await;

/** The tail input on real files: exact sets of lines delivered (none lost, none twice). */
class TailInputTest {

	@TempDir
	Path dir;

	@Test
	void readFromHeadReadsWhatIsThereAndWhatFollows() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("line-", 0, 100));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on")) {
			h.awaitLines(100);
			append(f, numbered("line-", 100, 150));
			assertThat(h.awaitExactly(150)).containsExactlyElementsOf(numbered("line-", 0, 150));
			LogEvent e = h.events().get(0);
			assertThat(e.body()).isEqualTo(Map.of("log", "line-0"));
			assertThat(e.metadata()).isEmpty();
		}
	}

	@Test
	void withoutReadFromHeadFilesFoundAtStartBeginAtTheirEnd() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("old-", 0, 20));
		try (TailHarness h = new TailHarness("path", f.toString())) {
			awaitMonitored(h, 1);
			append(f, numbered("new-", 0, 30));
			assertThat(h.awaitExactly(30)).containsExactlyElementsOf(numbered("new-", 0, 30));
		}
	}

	@Test
	void filesAppearingLaterAreReadFromTheirHead() throws Exception {
		try (TailHarness h = new TailHarness("path", this.dir + "/*.log")) {
			awaitScanned(h);
			Path late = this.dir.resolve("late.log");
			append(late, numbered("late-", 0, 40));
			assertThat(h.awaitExactly(40)).containsExactlyElementsOf(numbered("late-", 0, 40));
		}
	}

	@Test
	void readNewlyDiscoveredFilesFromHeadOffStartsThemAtTheirEnd() throws Exception {
		try (TailHarness h = new TailHarness("path", this.dir + "/*.log", "read_newly_discovered_files_from_head", "off")) {
			awaitScanned(h);
			Path late = this.dir.resolve("late.log");
			append(late, numbered("skip-", 0, 10));
			awaitMonitored(h, 1);
			append(late, numbered("keep-", 0, 10));
			assertThat(h.awaitExactly(10)).containsExactlyElementsOf(numbered("keep-", 0, 10));
		}
	}

	@Test
	void globsAndExcludePath() throws Exception {
		Path sub = Files.createDirectories(this.dir.resolve("a"));
		append(sub.resolve("one.log"), List.of("one"));
		append(sub.resolve("skip-me.log"), List.of("excluded"));
		append(sub.resolve("other.txt"), List.of("not matched"));
		append(this.dir.resolve(".hidden.log"), List.of("hidden"));
		try (TailHarness h = new TailHarness("path", this.dir + "/*/*.log, " + this.dir + "/*.log", "exclude_path",
				"*skip*, *.gz", "read_from_head", "true")) {
			h.awaitLines(1);
			Path sub2 = Files.createDirectories(this.dir.resolve("b"));
			append(sub2.resolve("two.log"), List.of("two"));
			append(sub2.resolve("x.gz"), List.of("gz"));
			append(this.dir.resolve("three.log"), List.of("three"));
			assertThat(h.awaitExactly(3)).containsExactlyInAnyOrder("one", "two", "three");
		}
	}

	@Test
	void rotationByRenameWhileWritingLosesAndDuplicatesNothing() throws Exception {
		rotateWhileWriting("rotate_wait", "30", this.dir.resolve("app.log").toString(), true);
	}

	@Test
	void rotationWithRotateWaitExpiredStillDrainsTheOldFile() throws Exception {
		// a big file read slowly (small mem_buf_limit) is renamed at once; rotate_wait 0 expires
		// while most of it is unread: Fluent Bit would drop it there, Sluice drains it first
		Path f = this.dir.resolve("app.log");
		int n = 30_000;
		String pad = "z".repeat(60);
		append(f, numbered("old-" + pad + "-", 0, n));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "rotate_wait", "0",
				"mem_buf_limit", "16K", "buffer_chunk_size", "8K", "buffer_max_size", "8K")) {
			awaitMonitored(h, 1);
			Files.move(f, this.dir.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
			append(f, numbered("new-", 0, 100));
			List<String> expected = new ArrayList<>(numbered("old-" + pad + "-", 0, n));
			expected.addAll(numbered("new-", 0, 100));
			assertThat(h.awaitExactly(n + 100)).containsExactlyInAnyOrderElementsOf(expected);
		}
	}

	@Test
	void rotatedFilesMatchingTheGlobAreNotReadTwice() throws Exception {
		// rotations faster than the poll: the glob finds the intermediate files by itself
		rotateWhileWriting("rotate_wait", "0", this.dir + "/app.log*", false);
	}

	/**
	 * Writes numbered lines, renaming the file every 1000 lines and writing 5 more lines to the
	 * renamed file before reopening the name. With {@code paced}, the next rotation waits until the
	 * tailer has seen this one and adopted the new file (a tailer following one name cannot know of
	 * a file that was created and renamed away between two looks); reading and writing go on
	 * meanwhile. Needs a rotate_wait long enough to keep the rotated file monitored meanwhile.
	 */
	private void rotateWhileWriting(String k, String v, String path, boolean paced) throws Exception {
		Path f = this.dir.resolve("app.log");
		Files.createFile(f);
		int total = 6000;
		try (TailHarness h = new TailHarness("path", path, k, v, "read_from_head", "on")) {
			awaitMonitored(h, 1);
			FileOutputStream out = new FileOutputStream(f.toFile(), true);
			int rotations = 0;
			for (int i = 0; i < total; i++) {
				out.write(("msg-" + i + "\n").getBytes(StandardCharsets.UTF_8));
				if (i % 1000 == 999) {
					// rename, keep writing a few lines to the old file, then reopen (like a logger would)
					Files.move(f, this.dir.resolve("app.log." + (++rotations)), StandardCopyOption.ATOMIC_MOVE);
					for (int j = 0; j < 5 && i + 1 < total; j++) {
						i++;
						out.write(("msg-" + i + "\n").getBytes(StandardCharsets.UTF_8));
					}
					out.close();
					out = new FileOutputStream(f.toFile(), true);
					if (paced) {
						int seen = rotations;
						Path rotatedName = this.dir.resolve("app.log." + rotations);
						Await.until(TailHarness.DEADLINE, "rotation " + seen + " seen",
								() -> h.sluice.plugin("tail.0", TailInput.class).monitored().containsAll(List.of(rotatedName, f)));
					}
				}
			}
			out.close();
			List<String> got = h.awaitExactly(total);
			assertThat(got).hasSize(total).containsExactlyInAnyOrderElementsOf(numbered("msg-", 0, total));
		}
	}

	@Test
	void copyTruncateStartsAgainAtOffsetZero() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("before-", 0, 50));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on")) {
			h.awaitLines(50);
			Files.copy(f, this.dir.resolve("app.log.1"));
			try (FileOutputStream t = new FileOutputStream(f.toFile(), false)) {
				// truncated to 0 by opening without append
			}
			Await.until(TailHarness.DEADLINE, "truncation seen", () -> {
				try {
					return Files.size(f) == 0;
				}
				catch (Exception ex) {
					return false;
				}
			});
			TailHarness.settle();
			append(f, numbered("after-", 0, 20));
			List<String> expected = new ArrayList<>(numbered("before-", 0, 50));
			expected.addAll(numbered("after-", 0, 20));
			assertThat(h.awaitExactly(70)).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void deletedFileIsDrainedAndANewFileWithTheSameNameIsRead() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("first-", 0, 30));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on")) {
			h.awaitLines(30);
			Files.delete(f);
			Await.until(TailHarness.DEADLINE, "the deleted file closed",
					() -> h.sluice.plugin("tail.0", TailInput.class).monitored().isEmpty());
			append(f, numbered("second-", 0, 10));
			List<String> expected = new ArrayList<>(numbered("first-", 0, 30));
			expected.addAll(numbered("second-", 0, 10));
			assertThat(h.awaitExactly(40)).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void longLinesAreSkippedWithSkipLongLines() throws Exception {
		Path f = this.dir.resolve("app.log");
		String longLine = "x".repeat(500);
		append(f, List.of("a", longLine, "b", longLine + longLine, "c"));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "buffer_chunk_size", "32",
				"buffer_max_size", "64", "skip_long_lines", "on")) {
			assertThat(h.awaitExactly(3)).containsExactly("a", "b", "c");
			append(f, List.of("d", longLine, "e"));
			assertThat(h.awaitExactly(5)).containsExactly("a", "b", "c", "d", "e");
		}
	}

	@Test
	void withoutSkipLongLinesTheFileStopsBeingMonitored() throws Exception {
		Path f = this.dir.resolve("app.log");
		Path other = this.dir.resolve("other.log");
		append(f, List.of("a", "x".repeat(500), "b"));
		append(other, List.of("o1"));
		try (TailHarness h = new TailHarness("path", this.dir + "/*.log", "read_from_head", "on", "buffer_chunk_size",
				"32", "buffer_max_size", "64")) {
			h.awaitLines(2);
			Await.until(TailHarness.DEADLINE, "app.log dropped",
					() -> !h.sluice.plugin("tail.0", TailInput.class).monitored().contains(f));
			append(f, List.of("c"));
			append(other, List.of("o2"));
			assertThat(h.awaitExactly(3)).containsExactlyInAnyOrder("a", "o1", "o2");
		}
	}

	@Test
	void truncateLongLinesKeepsTheHeadOfTheLine() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, List.of("a", "0123456789".repeat(20), "b"));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "buffer_chunk_size", "32",
				"buffer_max_size", "64", "truncate_long_lines", "on")) {
			List<String> got = h.awaitExactly(3);
			assertThat(got).hasSize(3);
			assertThat(got.get(0)).isEqualTo("a");
			assertThat(got.get(1)).startsWith("0123456789").hasSizeLessThan(64);
			assertThat(got.get(2)).isEqualTo("b");
		}
	}

	@Test
	void emptyLinesAndCarriageReturns() throws Exception {
		Path f = this.dir.resolve("app.log");
		Files.writeString(f, "a\r\n\n\r\nb\n\n");
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "skip_empty_lines", "on")) {
			assertThat(h.awaitExactly(2)).containsExactly("a", "b");
		}
		Path g = this.dir.resolve("g.log");
		Files.writeString(g, "a\r\n\nb\n");
		try (TailHarness h = new TailHarness("path", g.toString(), "read_from_head", "on")) {
			assertThat(h.awaitExactly(3)).containsExactly("a", "", "b");
		}
	}

	@Test
	void pathKeyOffsetKeyAndKey() throws Exception {
		Path f = this.dir.resolve("app.log");
		Files.writeString(f, "first\nsecond line\n");
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "path_key", "file",
				"offset_key", "off", "key", "message")) {
			Await.until(TailHarness.DEADLINE, "2 events", () -> h.events().size() >= 2);
			List<LogEvent> ev = h.events();
			assertThat(new ArrayList<>(ev.get(0).body().keySet())).containsExactly("file", "off", "message");
			assertThat(ev.get(0).body()).isEqualTo(Map.of("file", f.toString(), "off", 0L, "message", "first"));
			assertThat(ev.get(1).body()).isEqualTo(Map.of("file", f.toString(), "off", 6L, "message", "second line"));
		}
	}

	@Test
	void tagExpansionAndTagRegexRoute() throws Exception {
		Path f = this.dir.resolve("web-7d9_prod_nginx.log");
		append(f, List.of("hello"));
		String expected = TagComposer.sanitize("kube." + f);
		try (TailHarness h = TailHarness.matching(expected, "path", f.toString(), "read_from_head", "on", "tag", "kube.*")) {
			assertThat(h.awaitExactly(1)).containsExactly("hello");
		}
		try (TailHarness h = TailHarness.matching("k8s.prod.web-7d9.nginx", "path", f.toString(), "read_from_head", "on",
				"tag", "k8s.<namespace_name>.<pod_name>.<container_name>", "tag_regex",
				"(?<pod_name>[^/_]+)_(?<namespace_name>[^_]+)_(?<container_name>[^.]+)\\.log$")) {
			assertThat(h.awaitExactly(1)).containsExactly("hello");
		}
	}

	@Test
	void dbResumesExactlyWhereItStopped() throws Exception {
		Path f = this.dir.resolve("app.log");
		Path db = this.dir.resolve("tail.db");
		append(f, numbered("a-", 0, 10));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "db", db.toString())) {
			h.awaitExactly(10);
		}
		append(f, numbered("b-", 0, 5));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "db", db.toString())) {
			assertThat(h.awaitExactly(5)).containsExactlyElementsOf(numbered("b-", 0, 5));
		}
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT name, offset, inode, rotated, offset_marker FROM in_tail_files")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getString(1)).isEqualTo(f.toString());
			assertThat(rs.getLong(2)).isEqualTo(Files.size(f));
			assertThat(rs.getLong(3)).isEqualTo(((Number) Files.getAttribute(f, "unix:ino")).longValue());
			assertThat(rs.next()).isFalse();
		}
	}

	@Test
	void dbWrittenByFluentBitKeepsItsOffset() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("old-", 0, 7));
		long offset = Files.size(f);
		append(f, numbered("new-", 0, 3));
		long inode = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
		Path db = this.dir.resolve("fluent-bit.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
			// Fluent Bit 5.x: the 1.x table plus the two marker columns added by migration
			s.execute("CREATE TABLE IF NOT EXISTS in_tail_files (  id      INTEGER PRIMARY KEY,  name    TEXT NOT NULL,"
					+ "  offset  INTEGER,  inode   INTEGER,  created INTEGER,  rotated INTEGER DEFAULT 0);");
			s.execute("ALTER TABLE in_tail_files ADD COLUMN offset_marker INTEGER DEFAULT 0;");
			s.execute("ALTER TABLE in_tail_files ADD COLUMN offset_marker_size INTEGER DEFAULT 0;");
			s.execute("INSERT INTO in_tail_files (name, offset, inode, created, offset_marker, offset_marker_size) VALUES ('"
					+ f + "', " + offset + ", " + inode + ", 1700000000, 1234, 64)");
			s.execute("INSERT INTO in_tail_files (name, offset, inode, created) VALUES ('/gone/file.log', 5, 999999999, 1)");
		}
		try (TailHarness h = new TailHarness("path", f.toString(), "db", db.toString(), "db.sync", "full",
				"db.journal_mode", "delete")) {
			assertThat(h.awaitExactly(3)).containsExactlyElementsOf(numbered("new-", 0, 3));
		}
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT count(*) FROM in_tail_files WHERE name='/gone/file.log'")) {
			rs.next();
			assertThat(rs.getLong(1)).as("stale row purged").isZero();
		}
	}

	@Test
	void oneDbTableFromOldFluentBitIsMigrated() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("x-", 0, 4));
		long inode = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
		Path db = this.dir.resolve("old.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE in_tail_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL, offset INTEGER,"
					+ " inode INTEGER, created INTEGER, rotated INTEGER DEFAULT 0);");
			s.execute("INSERT INTO in_tail_files (name, offset, inode, created) VALUES ('" + f + "', 4, " + inode + ", 1)");
		}
		try (TailHarness h = new TailHarness("path", f.toString(), "db", db.toString())) {
			assertThat(h.awaitExactly(3)).containsExactly("x-1", "x-2", "x-3");
		}
	}

	@Test
	void dbFollowsRotationAndForgetsTheClosedFile() throws Exception {
		Path f = this.dir.resolve("app.log");
		Path db = this.dir.resolve("tail.db");
		append(f, numbered("a-", 0, 10));
		long oldInode = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "db", db.toString(),
				"rotate_wait", "0.3")) {
			h.awaitLines(10);
			Files.move(f, this.dir.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
			append(f, numbered("b-", 0, 5));
			assertThat(h.awaitExactly(15)).containsExactlyInAnyOrderElementsOf(
					concat(numbered("a-", 0, 10), numbered("b-", 0, 5)));
			Await.until(TailHarness.DEADLINE, "rotated file closed",
					() -> h.sluice.plugin("tail.0", TailInput.class).monitored().size() == 1);
		}
		long newInode = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT name, offset, inode FROM in_tail_files ORDER BY id")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getString(1)).isEqualTo(f.toString());
			assertThat(rs.getLong(2)).isEqualTo(Files.size(f));
			assertThat(rs.getLong(3)).isEqualTo(newInode).isNotEqualTo(oldInode);
			assertThat(rs.next()).as("the rotated file's row is deleted once it is closed").isFalse();
		}
	}

	@Test
	void dbCompareFilenameIgnoresARowForAnotherName() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("x-", 0, 4));
		long inode = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
		Path db = this.dir.resolve("cmp.db");
		try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE in_tail_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL, offset INTEGER,"
					+ " inode INTEGER, created INTEGER, rotated INTEGER DEFAULT 0);");
			s.execute("INSERT INTO in_tail_files (name, offset, inode, created) VALUES ('/other/name.log', 4, " + inode + ", 1)");
		}
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "db", db.toString(),
				"db.compare_filename", "on")) {
			assertThat(h.awaitExactly(4)).containsExactlyElementsOf(numbered("x-", 0, 4));
		}
	}

	@Test
	void ignoreOlderSkipsOldFiles() throws Exception {
		Path old = this.dir.resolve("old.log");
		Path fresh = this.dir.resolve("fresh.log");
		append(old, List.of("old"));
		append(fresh, List.of("fresh"));
		Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
		try (TailHarness h = new TailHarness("path", this.dir + "/*.log", "read_from_head", "on", "ignore_older", "1h")) {
			assertThat(h.awaitExactly(1)).containsExactly("fresh");
		}
	}

	@Test
	void ignoreActiveOlderFilesDropsAgedFilesAndResumesThemWhenWritten() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, List.of("one"));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "ignore_older", "1s",
				"ignore_active_older_files", "on")) {
			h.awaitLines(1);
			Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
			awaitMonitored(h, 0);
			append(f, List.of("two"));
			assertThat(h.awaitExactly(2)).containsExactly("one", "two");
		}
	}

	@Test
	void adminPauseStopsReadingAndResumeLosesNothing() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("a-", 0, 10));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on")) {
			h.awaitLines(10);
			var in = h.sluice.input("tail.0");
			in.pause(dev.sluice.engine.InputInstance.PauseReason.ADMIN, "test");
			append(f, numbered("b-", 0, 10));
			TailHarness.settle();
			assertThat(h.lines()).hasSize(10);
			in.resume(dev.sluice.engine.InputInstance.PauseReason.ADMIN, "test");
			assertThat(h.awaitExactly(20)).containsExactlyElementsOf(concat(numbered("a-", 0, 10), numbered("b-", 0, 10)));
		}
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> out = new ArrayList<>(a);
		out.addAll(b);
		return out;
	}

	@Test
	void exitOnEofStopsTheService() throws Exception {
		Path f = this.dir.resolve("app.log");
		append(f, numbered("l-", 0, 25));
		TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "exit_on_eof", "on");
		try {
			assertThat(h.sluice.awaitStopped(30, TimeUnit.SECONDS)).isTrue();
			assertThat(h.lines()).containsExactlyElementsOf(numbered("l-", 0, 25));
		}
		finally {
			h.close();
		}
	}

	@Test
	void pausedByMemBufLimitLosesNothing() throws Exception {
		Path f = this.dir.resolve("app.log");
		int n = 20_000;
		append(f, numbered("p-" + "y".repeat(40) + "-", 0, n));
		try (TailHarness h = new TailHarness("path", f.toString(), "read_from_head", "on", "mem_buf_limit", "8K",
				"buffer_chunk_size", "4K", "buffer_max_size", "4K")) {
			List<String> got = h.awaitExactly(n);
			assertThat(got).containsExactlyElementsOf(numbered("p-" + "y".repeat(40) + "-", 0, n));
		}
	}

	@Test
	void invalidOptionsAreRefused() {
		assertThatThrownBy(() -> new TailHarness("path", "/x", "buffer_chunk_size", "64", "buffer_max_size", "32"))
			.hasStackTraceContaining("buffer_max_size must be >= buffer_chunk");
		assertThatThrownBy(() -> new TailHarness("path", "/x", "db", this.dir.resolve("d.db").toString(), "db.sync", "sometimes"))
			.hasStackTraceContaining("db.sync");
		assertThatThrownBy(() -> new TailHarness("refresh_interval", "1", "key", "log"))
			.hasStackTraceContaining("path");
	}

	private static void awaitScanned(TailHarness h) {
		Await.until(TailHarness.DEADLINE, "the start-up scan",
				() -> h.sluice.plugin("tail.0", TailInput.class).scanCount() >= 1);
	}

	private static void awaitMonitored(TailHarness h, int n) {
		Await.until(TailHarness.DEADLINE, n + " monitored files",
				() -> h.sluice.plugin("tail.0", TailInput.class).monitored().size() == n);
	}
}
