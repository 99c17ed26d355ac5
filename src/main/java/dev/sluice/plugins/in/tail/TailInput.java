package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code tail} input: follows files matching {@code path} globs, line by line.
 *
 * <ul>
 * <li>Files are found at start and every {@code refresh_interval} (fractional seconds); those
 * found at start begin at their end unless {@code read_from_head}, later ones at their head
 * ({@code read_newly_discovered_files_from_head}); a database offset wins over both.</li>
 * <li>Files are identified by device and inode. The collector polls every file's size (a
 * {@code fstat}) every {@value #POLL_MILLIS} ms when idle, and checks names for rotation every
 * {@value #NAME_CHECK_MILLIS} ms.</li>
 * <li>Rotation by rename: the old inode keeps being read, the new file at the original name is
 * adopted at once from its head. The old one is closed once {@code rotate_wait} has passed
 * <em>and</em> it is drained: unlike Fluent Bit, Sluice never drops unread data when
 * {@code rotate_wait} expires (it says so in the log). Deleted files are drained, then closed.
 * Truncation (size below the read position, copytruncate) restarts at offset 0.</li>
 * <li>Lines are cut on {@code \n} (a trailing {@code \r} dropped), leading NULs skipped, and
 * handed to the file's {@link LineProcessor} (raw {@code {key: line}} without a parser). The
 * events of each read are appended, then the offset is committed to the database.</li>
 * <li>A line longer than {@code buffer_max_size}: skipped with {@code skip_long_lines},
 * truncated with {@code truncate_long_lines}, else the file stops being monitored.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "tail", description = "Tail files", config = TailConfig.class)
public final class TailInput implements InputPlugin<TailConfig> {

	static final long POLL_MILLIS = 50;

	/** How often names are checked for rotation and deletion (a stat per file). */
	static final long NAME_CHECK_MILLIS = 200;

	private TailConfig config;

	private Logger log;

	private TagComposer tags;

	private List<Pattern> excludes = List.of();

	private long refreshNanos;

	private long rotateWaitNanos;

	private int chunkSize;

	private int maxSize;

	private long batchBytes;

	private TailDb db;

	private LineProcessor.Factory processors;

	private final Map<TailFile.Key, TailFile> files = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile int scans;

	/** Closed rotated files, by identity, with the offset they were read to: not adopted again. */
	private final Map<TailFile.Key, Long> retired = new HashMap<>();

	/** Files dropped for a too long line or a tag_regex miss: not adopted again while they exist. */
	private final Set<TailFile.Key> ignored = new HashSet<>();

	private final EventEncoder encoder = new EventEncoder();

	/** Events written straight as bytes by {@link LineProcessor#direct() direct} processors. */
	private final dev.sluice.parser.MsgpackWriter batch = new dev.sluice.parser.MsgpackWriter(64 * 1024);

	private int batchRecords;

	/** Names of rotated or deleted files, watched until a new file appears there, by deadline. */
	private final Map<Path, Long> vacated = new HashMap<>();

	private int nextWatchFd = 1;

	/**
	 * The line processors the options ask for: {@code multiline.parser} (the multiline engine,
	 * one stream per file), else {@code parser}, else raw lines. Unknown parser names are init
	 * errors. {@code docker_mode} wraps the parser/raw processor in a
	 * {@link DockerModeLineProcessor}. The legacy {@code multiline}/{@code parser_firstline} mode
	 * is not applied yet (a warning says so; lines are packed raw).
	 */
	private LineProcessor.Factory lineProcessors(TailConfig config, InputContext context) {
		dev.sluice.parser.ParserRegistry registry = context.parsers();
		if (config.multilineParser != null && !config.multilineParser.isEmpty()) {
			List<dev.sluice.parser.multiline.MultilineParser> parsers = new ArrayList<>();
			for (String name : config.multilineParser) {
				dev.sluice.parser.multiline.MultilineParser p = registry.multilineParser(name);
				if (p == null) {
					throw new IllegalArgumentException("multiline parser '" + name + "' is not registered");
				}
				parsers.add(p.withKeyContent(config.key));
			}
			return (c, source) -> new MultilineLineProcessor(parsers, 2_000_000,
					new RawLineProcessor(c.key, c.pathKey, c.offsetKey));
		}
		if (config.multiline) {
			this.log.warn("the legacy multiline option is not applied yet: lines are packed raw under"
					+ " '{}' (use multiline.parser docker, cri, ...)", config.key);
		}
		LineProcessor.Factory base;
		if (config.parser != null) {
			dev.sluice.parser.Parser parser = registry.parser(config.parser);
			if (parser == null) {
				throw new IllegalArgumentException("parser '" + config.parser + "' is not registered");
			}
			base = (c, source) -> new ParsingLineProcessor(parser, new RawLineProcessor(c.key, c.pathKey, c.offsetKey));
		}
		else {
			base = (c, source) -> new RawLineProcessor(c.key, c.pathKey, c.offsetKey);
		}
		if (!config.dockerMode) {
			return base;
		}
		dev.sluice.parser.Parser firstLine = null;
		if (config.dockerModeParser != null) {
			firstLine = registry.parser(config.dockerModeParser);
			if (firstLine == null) {
				throw new IllegalArgumentException(
						"docker_mode_parser '" + config.dockerModeParser + "' is not registered");
			}
		}
		dev.sluice.parser.Parser first = firstLine;
		return (c, source) -> new DockerModeLineProcessor(base.create(c, source), first, c.dockerModeFlush,
				System::nanoTime);
	}

	/** Sets the factory of line processors (the parser/multiline seam); call before start. */
	public void setLineProcessorFactory(LineProcessor.Factory factory) {
		this.processors = factory;
	}

	@Override
	public void init(TailConfig config, InputContext context) throws Exception {
		this.config = config;
		this.log = context.log();
		if (config.path == null || config.path.isEmpty()) {
			throw new IllegalArgumentException("no input 'path' was given");
		}
		if (config.bufferChunkSize <= 0 || config.bufferMaxSize <= 0) {
			throw new IllegalArgumentException("buffer_chunk_size and buffer_max_size must be greater than 0");
		}
		if (config.bufferMaxSize < config.bufferChunkSize) {
			throw new IllegalArgumentException("buffer_max_size must be >= buffer_chunk");
		}
		if (config.bufferMaxSize > Integer.MAX_VALUE - 16) {
			throw new IllegalArgumentException("buffer_max_size '" + config.bufferMaxSize + "' is too large");
		}
		this.chunkSize = (int) Math.max(2, config.bufferChunkSize);
		this.maxSize = (int) Math.max(this.chunkSize, config.bufferMaxSize);
		double refresh;
		try {
			refresh = Double.parseDouble(config.refreshInterval.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("invalid 'refresh_interval' value (" + config.refreshInterval + ")");
		}
		if (!(refresh > 0)) {
			throw new IllegalArgumentException("invalid 'refresh_interval' value (" + config.refreshInterval + ")");
		}
		this.refreshNanos = (long) (refresh * 1e9);
		this.rotateWaitNanos = Math.max(0, config.rotateWait.toNanos());
		this.batchBytes = Math.max(this.chunkSize, Math.min(config.staticBatchSize, config.eventBatchSize));
		if (config.dockerMode && config.multilineParser != null && !config.multilineParser.isEmpty()) {
			throw new IllegalArgumentException(
					"docker_mode and multiline.parser cannot be used at the same time (use one or the other)");
		}
		if (config.dockerMode && config.multiline) {
			throw new IllegalArgumentException("Docker mode cannot be enabled when multiline is enabled");
		}
		if (config.multiline && config.parserFirstline == null) {
			throw new IllegalArgumentException("multiline: parser_firstline is required when multiline is on");
		}
		if (config.unicodeEncoding != null && !List.of("utf-16le", "utf-16be", "auto")
			.contains(config.unicodeEncoding.toLowerCase(java.util.Locale.ROOT))) {
			throw new IllegalArgumentException("invalid unicode.encoding '" + config.unicodeEncoding + "'");
		}
		List<Pattern> ex = new ArrayList<>();
		if (config.excludePath != null) {
			for (String e : config.excludePath) {
				ex.add(Glob.fnmatch(e));
			}
		}
		this.excludes = List.copyOf(ex);
		this.tags = new TagComposer(context.tag(), config.tagRegex);
		if (this.processors == null) {
			this.processors = lineProcessors(config, context);
		}
		if (config.db != null && !config.db.isEmpty()) {
			int sync = TailDb.syncLevel(config.dbSync);
			if (sync < 0) {
				throw new IllegalArgumentException("invalid database 'db.sync' value: " + config.dbSync);
			}
			if (config.dbJournalMode != null && !TailDb.validJournalMode(config.dbJournalMode)) {
				throw new IllegalArgumentException("invalid database 'db.journal_mode' value: " + config.dbJournalMode);
			}
			try {
				this.db = TailDb.open(config.db, sync, config.dbLocking, config.dbJournalMode);
			}
			catch (SQLException e) {
				throw new IllegalArgumentException("could not open/create database '" + config.db + "': " + e.getMessage(), e);
			}
		}
	}

	@Override
	public void collect(InputContext ctx) throws Exception {
		scan(ctx, true);
		purgeStaleRows();
		long nextScan = System.nanoTime() + this.refreshNanos;
		long nextCheck = 0;
		boolean eofLogged = false;
		while (ctx.isRunning()) {
			if (ctx.isPaused() && !ctx.awaitResume()) {
				return;
			}
			boolean progressed = false;
			for (TailFile f : new ArrayList<>(this.files.values())) {
				if (!ctx.isRunning() || ctx.isPaused()) {
					break;
				}
				long r = read(f, ctx);
				if (r < 0) {
					return;
				}
				progressed |= r > 0;
			}
			if (!ctx.isRunning()) {
				return;
			}
			long now = System.nanoTime();
			boolean checked = false;
			if (now >= nextCheck) {
				checkNames(ctx);
				nextCheck = now + NAME_CHECK_MILLIS * 1_000_000L;
				checked = true;
			}
			if (!progressed || checked) {
				if (!flushProcessors(ctx)) {
					return;
				}
				closeDrained(ctx);
			}
			if (now >= nextScan) {
				scan(ctx, false);
				nextScan = System.nanoTime() + this.refreshNanos;
			}
			if (this.config.exitOnEof && !progressed && !this.files.isEmpty() && allAtEof()) {
				if (!eofLogged) {
					for (TailFile f : this.files.values()) {
						this.log.info("inode={} file={} ended, stop", f.key.ino(), f.path);
					}
					eofLogged = true;
				}
				ctx.requestShutdown();
				return;
			}
			if (!progressed && !ctx.sleep(Duration.ofMillis(POLL_MILLIS))) {
				return;
			}
		}
	}

	private boolean allAtEof() {
		for (TailFile f : this.files.values()) {
			if (!f.atEof) {
				return false;
			}
		}
		return true;
	}

	// ---------------------------------------------------------------- discovery

	private void scan(InputContext ctx, boolean startup) {
		Set<TailFile.Key> seen = new HashSet<>();
		long now = System.currentTimeMillis();
		for (String pattern : this.config.path) {
			this.log.debug("scanning path {}", pattern);
			for (Path p : Glob.expand(pattern)) {
				String name = p.toString();
				if (excluded(name)) {
					this.log.debug("excluded={}", name);
					continue;
				}
				Attrs a = Attrs.of(p);
				if (a == null || !a.regular) {
					continue;
				}
				seen.add(a.key);
				if (this.files.containsKey(a.key) || this.ignored.contains(a.key)) {
					continue;
				}
				if (!this.config.ignoreOlder.isZero() && a.mtime < now - this.config.ignoreOlder.toMillis()) {
					this.log.debug("excluded={} (ignore_older)", name);
					continue;
				}
				Long retiredAt = this.retired.get(a.key);
				long start;
				if (retiredAt != null) {
					if (a.size <= retiredAt) {
						continue; // a rotated file already read to its end
					}
					this.retired.remove(a.key);
					start = retiredAt;
				}
				else {
					start = startup ? (this.config.readFromHead ? 0 : -1) : (this.config.readNewlyDiscoveredFilesFromHead ? 0 : -1);
				}
				adopt(p, a, start);
			}
		}
		this.scans++;
		this.retired.keySet().retainAll(seen);
		this.ignored.retainAll(seen);
		if (startup && this.files.isEmpty()) {
			this.log.debug("0 files found for '{}'", String.join(",", this.config.path));
		}
	}

	private boolean excluded(String name) {
		for (Pattern e : this.excludes) {
			if (e.matcher(name).matches()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Starts monitoring a file. {@code start}: the offset, or -1 for its end; a database row for
	 * the inode wins.
	 */
	private TailFile adopt(Path p, Attrs a, long start) {
		String name = p.toString();
		String tag = this.tags.compose(name);
		if (tag == null) {
			this.log.error("invalid tag_regex pattern for file {}", name);
			this.ignored.add(a.key);
			return null;
		}
		FileChannel ch;
		try {
			ch = FileChannel.open(p, StandardOpenOption.READ);
		}
		catch (IOException ex) {
			this.log.error("cannot open {}: {}", name, ex.toString());
			return null;
		}
		try {
			// the name may have been replaced between stat and open
			Attrs opened = Attrs.of(p);
			if (opened == null || !opened.key.equals(a.key)) {
				ch.close();
				return null;
			}
			long size = ch.size();
			long offset = (start < 0) ? size : start;
			long dbId = -1;
			if (this.db != null) {
				TailDb.Row row = this.db.find(a.key.ino());
				if (row != null && this.config.dbCompareFilename && !name.equals(row.name())) {
					this.log.debug("db: exists stale file from database: id={} inode={} offset={} name={} file_inode={} file_name={}",
							row.id(), row.inode(), row.offset(), row.name(), a.key.ino(), name);
					this.db.delete(row.id());
					row = null;
				}
				if (row != null) {
					dbId = row.id();
					offset = row.offset();
					if (offset > size) {
						this.log.info("inode={} file truncated {} (database offset {} > size {})", a.key.ino(), name,
								offset, size);
						offset = 0;
					}
				}
				else {
					dbId = this.db.insert(name, offset, a.key.ino());
				}
			}
			LineSource source = new LineSource(name, a.key.toString());
			TailFile f = new TailFile(a.key, p, tag, this.nextWatchFd++, ch, this.chunkSize,
					this.processors.create(this.config, source), source);
			f.readPos = offset;
			f.dbId = dbId;
			this.files.put(a.key, f);
			this.log.info("inotify_fs_add(): inode={} watch_fd={} name={}", a.key.ino(), f.watchFd, name);
			this.log.debug("inode={} with offset={} appended as {}", a.key.ino(), offset, name);
			return f;
		}
		catch (IOException | SQLException ex) {
			this.log.error("cannot monitor {}: {}", name, ex.toString());
			try {
				ch.close();
			}
			catch (IOException ignored) {
				// closing
			}
			return null;
		}
	}

	private void purgeStaleRows() {
		if (this.db == null) {
			return;
		}
		try {
			Set<Long> monitored = new HashSet<>();
			for (TailFile.Key k : this.files.keySet()) {
				monitored.add(k.ino());
			}
			for (TailDb.Row r : this.db.all()) {
				if (r.name() == null || monitored.contains(r.inode())) {
					continue;
				}
				Attrs a;
				try {
					a = Attrs.of(Path.of(r.name()));
				}
				catch (RuntimeException ex) {
					continue;
				}
				if (a != null && a.key.ino() == r.inode()) {
					continue;
				}
				this.db.delete(r.id());
				this.log.info("db: stale file deleted from database: id={}", r.id());
			}
		}
		catch (SQLException ex) {
			this.log.error("db: cannot query stale files: {}", ex.toString());
		}
	}

	// ---------------------------------------------------------------- reading

	/**
	 * Reads what the file has (up to the batch size), appends the events and commits the
	 * offset. Returns the bytes consumed, 0 at end of file, -1 when the instance stopped.
	 */
	private long read(TailFile f, InputContext ctx) throws IOException {
		long total = 0;
		while (total < this.batchBytes) {
			long size;
			try {
				size = f.size();
			}
			catch (IOException ex) {
				this.log.error("inode={} cannot stat {}: {}", f.key.ino(), f.path, ex.toString());
				remove(f, "error");
				return total;
			}
			if (size < f.readPos) {
				this.log.info("inode={} file truncated {}", f.key.ino(), f.path);
				f.readPos = 0;
				f.len = 0;
				f.skipNext = false;
				commit(f);
			}
			if (size == f.readPos) {
				f.atEof = true;
				break;
			}
			f.atEof = false;
			if (f.buf.length - 1 - f.len <= 0 && !makeRoom(f, ctx)) {
				return (ctx.isRunning()) ? total : -1;
			}
			int n = f.channel.read(ByteBuffer.wrap(f.buf, f.len, f.buf.length - 1 - f.len), f.readPos);
			if (n <= 0) {
				f.atEof = true;
				break;
			}
			f.readPos += n;
			f.len += n;
			total += n;
			f.source.time = EventTime.now();
			int consumed = process(f);
			if (!emit(f, ctx)) {
				return -1;
			}
			if (consumed > 0) {
				System.arraycopy(f.buf, consumed, f.buf, 0, f.len - consumed);
				f.len -= consumed;
				commit(f);
			}
			if (ctx.isPaused()) {
				break;
			}
		}
		return total;
	}

	/** Lets each file's processor emit what has timed out (multiline groups); false when stopped. */
	private boolean flushProcessors(InputContext ctx) throws IOException {
		for (TailFile f : this.files.values()) {
			if (f.processor.flush(f.source, this.encoder, false) > 0 && !emit(f, ctx)) {
				return false;
			}
			this.encoder.reset();
		}
		return true;
	}

	/** Appends what the encoder holds; false when the instance has stopped (nothing committed). */
	private boolean emit(TailFile f, InputContext ctx) {
		if (this.batchRecords > 0) {
			int size = this.batch.size();
			int records = this.batchRecords;
			try {
				// the batch array is written again for the next read: appendCopy copies what the
				// engine keeps (straight into the open chunk when nothing else looks at it)
				ctx.appendCopy(f.tag, new dev.sluice.event.EventBytes(this.batch.buffer(), 0, size, records));
			}
			catch (IllegalStateException stopped) {
				this.encoder.reset();
				return false;
			}
			finally {
				this.batch.reset();
				this.batchRecords = 0;
			}
		}
		if (this.encoder.records() == 0) {
			this.encoder.reset();
			return true;
		}
		try {
			ctx.append(f.tag, this.encoder);
			return true;
		}
		catch (IllegalStateException stopped) {
			this.encoder.reset();
			return false;
		}
	}

	/** The buffer is full without a newline: grow it, or skip/truncate the long line, or drop the file. */
	private boolean makeRoom(TailFile f, InputContext ctx) throws IOException {
		if (f.buf.length < this.maxSize) {
			int size = (int) Math.min((long) f.buf.length + this.chunkSize, this.maxSize);
			this.log.trace("file={} increase buffer size {} => {} bytes", f.path, f.buf.length, size);
			f.buf = java.util.Arrays.copyOf(f.buf, size);
			return true;
		}
		if (this.config.truncateLongLines) {
			this.log.warn("file={} have long lines. Truncating long lines.", f.path);
			f.source.time = EventTime.now();
			f.source.offset = f.committed();
			f.processor.line(f.buf, 0, f.len, f.source, this.encoder);
			if (!emit(f, ctx)) {
				return false;
			}
			f.len = 0;
			f.skipNext = true;
			commit(f);
			return true;
		}
		if (this.config.skipLongLines) {
			if (!f.skipWarned) {
				this.log.warn("file={} have long lines. Skipping long lines.", f.path);
				f.skipWarned = true;
			}
			f.len = 0;
			f.skipNext = true;
			commit(f);
			return true;
		}
		this.log.error("file={} requires a larger buffer size, lines are too long. Skipping file.", f.path);
		this.ignored.add(f.key);
		remove(f, "long lines");
		return false;
	}

	/** Cuts complete lines from the buffer into events; returns the bytes consumed. */
	private int process(TailFile f) throws IOException {
		byte[] b = f.buf;
		int end = f.len;
		int p = 0;
		long base = f.committed();
		while (p < end && b[p] == 0) {
			p++;
		}
		boolean skipEmpty = this.config.skipEmptyLines;
		LineProcessor processor = f.processor;
		boolean direct = processor.direct();
		while (p < end) {
			int nl = indexOfNewline(b, p, end);
			if (nl < 0) {
				break;
			}
			int len = nl - p;
			if (f.skipNext) {
				f.skipNext = false;
				p = nl + 1;
				continue;
			}
			if (skipEmpty && (len == 0 || (len == 1 && b[p] == '\r'))) {
				p = nl + 1;
				continue;
			}
			if (len >= 2 && b[nl - 1] == '\r') {
				len--;
			}
			f.source.offset = base + p;
			if (direct) {
				this.batchRecords += processor.lineDirect(b, p, len, f.source, this.batch);
			}
			else {
				processor.line(b, p, len, f.source, this.encoder);
			}
			p = nl + 1;
		}
		if (f.skipNext && p < end) {
			// still inside a long line being skipped: drop what was read of it
			p = end;
		}
		return p;
	}

	private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
		.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

	private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

	/** First {@code \n} in {@code b[from, to)}, or -1; eight bytes at a time (SWAR). */
	static int indexOfNewline(byte[] b, int from, int to) {
		int i = from;
		for (; i + 8 <= to; i += 8) {
			long x = (long) LONGS.get(b, i) ^ NEWLINES;
			long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
			if (found != 0) {
				return i + (Long.numberOfTrailingZeros(found) >>> 3);
			}
		}
		for (; i < to; i++) {
			if (b[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private void commit(TailFile f) {
		if (this.db == null || f.dbId < 0) {
			return;
		}
		try {
			f.dbId = this.db.updateOffset(f.dbId, f.path.toString(), f.committed(), f.key.ino());
		}
		catch (SQLException ex) {
			this.log.error("db: cannot update offset of {}: {}", f.path, ex.toString());
		}
	}

	// ---------------------------------------------------------------- rotation, deletion

	private void checkNames(InputContext ctx) {
		for (TailFile f : new ArrayList<>(this.files.values())) {
			if (f.rotated()) {
				continue;
			}
			Attrs now = Attrs.of(f.path);
			if (now != null && now.key.equals(f.key)) {
				continue;
			}
			Path newName = currentName(f);
			Path old = f.path;
			if (newName != null) {
				this.log.info("inode={} rotated {} -> {}", f.key.ino(), old, newName);
				f.path = newName;
				f.rotatedAt = System.nanoTime();
				if (this.db != null && f.dbId >= 0) {
					try {
						this.db.rotate(f.dbId, newName.toString());
					}
					catch (SQLException ex) {
						this.log.error("db: cannot rotate {}: {}", old, ex.toString());
					}
				}
			}
			else {
				this.log.info("inode={} file has been deleted: {}", f.key.ino(), old);
				f.deleted = true;
				f.rotatedAt = System.nanoTime();
			}
			// the file now at the original name (or the one to come) is new: read it from its head
			this.vacated.put(old, System.nanoTime() + this.refreshNanos);
		}
		adoptAtVacatedNames();
	}

	/** Adopts, from their head, files that appeared where a rotated or deleted file was. */
	private void adoptAtVacatedNames() {
		if (this.vacated.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		for (Map.Entry<Path, Long> e : new ArrayList<>(this.vacated.entrySet())) {
			Path name = e.getKey();
			Attrs a = Attrs.of(name);
			if (a != null && a.regular && !this.files.containsKey(a.key) && !this.ignored.contains(a.key)
					&& !excluded(name.toString())) {
				this.vacated.remove(name);
				Long retiredAt = this.retired.remove(a.key);
				if (adopt(name, a, (retiredAt != null) ? retiredAt : 0) != null) {
					this.log.debug("inode={} new file at {} after rotation", a.key.ino(), name);
				}
			}
			else if (now - e.getValue() > 0) {
				this.vacated.remove(name); // the periodic scan takes over
			}
		}
	}

	/** Where the open file is now: its link in {@code /proc/self/fd}, else a sibling with its inode. */
	private static Path currentName(TailFile f) {
		Path fdDir = Path.of("/proc/self/fd");
		if (Files.isDirectory(fdDir)) {
			try (DirectoryStream<Path> ds = Files.newDirectoryStream(fdDir)) {
				for (Path fd : ds) {
					Attrs a = Attrs.of(fd);
					if (a != null && a.key.equals(f.key)) {
						Path target = Files.readSymbolicLink(fd);
						String t = target.toString();
						if (t.endsWith(" (deleted)")) {
							return null;
						}
						Attrs check = Attrs.of(target);
						if (check != null && check.key.equals(f.key)) {
							return target;
						}
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// fall back to the directory
			}
		}
		Path dir = f.path.toAbsolutePath().getParent();
		if (dir != null) {
			try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
				for (Path e : ds) {
					Attrs a = Attrs.of(e);
					if (a != null && a.key.equals(f.key)) {
						return f.path.isAbsolute() ? e : f.path.resolveSibling(e.getFileName());
					}
				}
			}
			catch (IOException ex) {
				// not found
			}
		}
		return null;
	}

	private void closeDrained(InputContext ctx) throws IOException {
		long now = System.nanoTime();
		for (TailFile f : new ArrayList<>(this.files.values())) {
			if (!f.rotated()) {
				if (this.config.ignoreActiveOlderFiles && !this.config.ignoreOlder.isZero() && f.atEof) {
					Attrs a = Attrs.of(f.path);
					if (a != null && a.mtime < System.currentTimeMillis() - this.config.ignoreOlder.toMillis()) {
						this.log.debug("inode={} file {} is older than ignore_older, removing", f.key.ino(), f.path);
						// picked up again at this offset once it is written to
						this.retired.put(f.key, f.committed());
						remove(f, "ignore_older");
					}
				}
				continue;
			}
			long size = f.size();
			boolean drained = size <= f.readPos && f.atEof;
			boolean waited = f.deleted || now - f.rotatedAt >= this.rotateWaitNanos;
			if (!waited) {
				continue;
			}
			if (!drained) {
				if (!f.rotateWaitExpiredLogged && !f.deleted) {
					this.log.warn("inode={} rotate_wait expired for {} with {} bytes unread: draining them before closing"
							+ " (Fluent Bit would drop them)", f.key.ino(), f.path, size - f.committed());
					f.rotateWaitExpiredLogged = true;
				}
				continue;
			}
			if (f.len > 0) {
				// a last line without newline: the file is finished, so it is complete
				f.source.offset = f.committed();
				f.source.time = EventTime.now();
				f.processor.line(f.buf, 0, f.len, f.source, this.encoder);
				if (!emit(f, ctx)) {
					return;
				}
				f.len = 0;
			}
			f.processor.flush(f.source, this.encoder, true);
			if (!emit(f, ctx)) {
				return;
			}
			this.log.info("inode={} {} {} closed", f.key.ino(), f.deleted ? "deleted file" : "rotated file", f.path);
			if (!f.deleted) {
				this.retired.put(f.key, f.readPos);
			}
			remove(f, null);
		}
	}

	/** Stops monitoring a file; a rotated or deleted file's database row goes too. */
	private void remove(TailFile f, String why) {
		this.files.remove(f.key);
		f.close();
		this.log.debug("inode={} removing file name {}{}", f.key.ino(), f.path, (why != null) ? " (" + why + ")" : "");
		if (this.db != null && f.dbId >= 0 && f.rotated()) {
			try {
				this.db.delete(f.dbId);
			}
			catch (SQLException ex) {
				this.log.error("db: cannot delete {}: {}", f.path, ex.toString());
			}
		}
	}

	@Override
	public void exit() {
		for (TailFile f : this.files.values()) {
			f.close();
		}
		this.files.clear();
		if (this.db != null) {
			this.db.close();
			this.db = null;
		}
	}

	/** How many scans of {@code path} have completed (tests). */
	int scanCount() {
		return this.scans;
	}

	/** The files being monitored, by current name (tests, admin). */
	List<Path> monitored() {
		List<Path> out = new ArrayList<>();
		for (TailFile f : this.files.values()) {
			out.add(f.path);
		}
		return out;
	}

	/** What stat says about a name (following links): identity, type, size, mtime. */
	record Attrs(TailFile.Key key, boolean regular, long size, long mtime) {

		static Attrs of(Path p) {
			try {
				Map<String, Object> m = Files.readAttributes(p, "unix:dev,ino,size,lastModifiedTime,mode");
				long dev = ((Number) m.get("dev")).longValue();
				long ino = ((Number) m.get("ino")).longValue();
				int mode = ((Number) m.get("mode")).intValue();
				boolean regular = (mode & 0170000) == 0100000;
				return new Attrs(new TailFile.Key(dev, ino), regular, ((Number) m.get("size")).longValue(),
						((FileTime) m.get("lastModifiedTime")).toMillis());
			}
			catch (NoSuchFileException ex) {
				return null;
			}
			catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException ex) {
				return null;
			}
		}
	}
}
