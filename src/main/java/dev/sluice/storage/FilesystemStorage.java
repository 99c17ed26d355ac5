package dev.sluice.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.config.ServiceConfig;

/**
 * Filesystem buffering: chunk files in {@code <storage.path>/<input instance>/<chunk>.flb}, as
 * Fluent Bit lays them out, so that either can pick up what the other left. Also the backlog
 * scan at start (validation, salvage, quarantine), and the dead-letter copy of rejected chunks.
 */
public final class FilesystemStorage implements ChunkStore {

	static final Logger LOG = LoggerFactory.getLogger("storage");

	/** Where damaged chunk files are moved (under {@code storage.path}). */
	public static final String QUARANTINE_DIR = "quarantine";

	private final Path root;

	private final boolean syncFull;

	private final boolean checksum;

	private final boolean deleteIrrecoverable;

	private final boolean keepRejected;

	private final String rejectedDir;

	/** Damaged chunk files moved to the quarantine (or deleted) at start. */
	public final AtomicLong quarantinedChunks = new AtomicLong();

	/** Records recovered from damaged chunk files. */
	public final AtomicLong salvagedRecords = new AtomicLong();

	/** Bytes of damaged chunk files that could not be salvaged. */
	public final AtomicLong lostBytes = new AtomicLong();

	/** Chunks copied to the rejected (dead-letter) directory. */
	public final AtomicLong rejectedChunks = new AtomicLong();

	public FilesystemStorage(Path root, boolean syncFull, boolean checksum, boolean deleteIrrecoverable,
			boolean keepRejected, String rejectedDir) {
		this.root = root;
		this.syncFull = syncFull;
		this.checksum = checksum;
		this.deleteIrrecoverable = deleteIrrecoverable;
		this.keepRejected = keepRejected;
		this.rejectedDir = (rejectedDir == null || rejectedDir.isBlank()) ? "rejected" : rejectedDir;
	}

	/** The storage of a {@code [SERVICE]} section, its root created; null without {@code storage.path}. */
	public static FilesystemStorage of(ServiceConfig s) throws IOException {
		if (s.storagePath == null || s.storagePath.isBlank()) {
			return null;
		}
		Path root = Path.of(s.storagePath).toAbsolutePath();
		if (!Files.isDirectory(root)) {
			Files.createDirectories(root);
			LOG.info("created root path {}", root);
		}
		String sync = (s.storageSync == null) ? "normal" : s.storageSync.trim().toLowerCase(java.util.Locale.ROOT);
		if (!sync.equals("normal") && !sync.equals("full")) {
			throw new IllegalArgumentException("invalid storage.sync '" + s.storageSync + "' (normal or full)");
		}
		return new FilesystemStorage(root, sync.equals("full"), s.storageChecksum, s.storageDeleteIrrecoverableChunks,
				s.storageKeepRejected, s.storageRejectedPath);
	}

	public Path root() {
		return this.root;
	}

	public boolean syncFull() {
		return this.syncFull;
	}

	public boolean checksum() {
		return this.checksum;
	}

	@Override
	public boolean persistent() {
		return true;
	}

	@Override
	public FsChunk open(String stream, String name, String tag, int eventType) throws IOException {
		Path dir = this.root.resolve(stream);
		if (!Files.isDirectory(dir)) {
			Files.createDirectories(dir);
			if (this.syncFull) {
				syncDirectory(this.root);
			}
		}
		return FsChunk.create(this, dir, stream, name, ChunkMeta.of(tag, eventType).encode());
	}

	void syncDirectory(Path dir) {
		try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
			ch.force(true);
		}
		catch (IOException ex) {
			LOG.debug("cannot sync directory {}: {}", dir, ex.toString());
		}
	}

	private boolean isSpecial(Path dir) {
		String n = dir.getFileName().toString();
		return n.equals(QUARANTINE_DIR) || n.equals(this.rejectedDir) || n.startsWith(".");
	}

	/** Chunk files sort by their time ({@code <pid>-<sec>.<nsec>.flb}), oldest first. */
	static final Comparator<Path> BY_CHUNK_TIME = Comparator.comparing((Path p) -> {
		String n = p.getFileName().toString();
		int dash = n.indexOf('-');
		String t = (dash >= 0) ? n.substring(dash + 1) : n;
		int dot = t.indexOf('.');
		String sec = (dot >= 0) ? t.substring(0, dot) : t;
		return String.format("%20s", sec) + t.substring(Math.max(0, dot));
	}).thenComparing(Path::toString);

	/**
	 * Every chunk file left under the root, oldest first, checked: sound ones are returned; a
	 * damaged one (truncated, CRC mismatch, bytes that are not whole events) is moved to
	 * {@code quarantine/} and the whole events it still holds are written back as a sound chunk of
	 * the same name, which is returned; one that is not a chunk at all (empty, bad header,
	 * unreadable metadata) is quarantined (deleted with {@code storage.delete_irrecoverable_chunks}).
	 */
	public List<BacklogChunk> scanBacklog() {
		List<Path> files = new ArrayList<>();
		try (Stream<Path> dirs = Files.list(this.root)) {
			for (Path dir : dirs.filter(Files::isDirectory).filter((d) -> !isSpecial(d)).toList()) {
				try (Stream<Path> fs = Files.list(dir)) {
					fs.forEach((f) -> {
						String n = f.getFileName().toString();
						if (n.endsWith(".salvage.tmp")) {
							try {
								Files.deleteIfExists(f);
							}
							catch (IOException ex) {
								// left
							}
						}
						else if (n.endsWith(".flb") && Files.isRegularFile(f)) {
							files.add(f);
						}
					});
				}
			}
		}
		catch (IOException ex) {
			LOG.error("cannot scan {}: {}", this.root, ex.toString());
			return List.of();
		}
		files.sort(BY_CHUNK_TIME);
		List<BacklogChunk> out = new ArrayList<>();
		for (Path f : files) {
			BacklogChunk c = check(f);
			if (c != null) {
				out.add(c);
			}
		}
		return out;
	}

	private BacklogChunk check(Path f) {
		String stream = f.getParent().getFileName().toString();
		String where = stream + "/" + f.getFileName();
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(f);
		}
		catch (IOException ex) {
			LOG.error("cannot read {}: {}", where, ex.toString());
			return null;
		}
		ChunkFile.Parsed p;
		ChunkMeta meta;
		try {
			p = ChunkFile.parse(bytes);
			meta = ChunkMeta.parse(p.metadata());
		}
		catch (ChunkFormatException ex) {
			LOG.error("format check failed: {} ({})", where, ex.getMessage());
			irrecoverable(f, stream, bytes.length);
			return null;
		}
		byte[] content = p.content();
		ChunkRecords.Scan scan = ChunkRecords.scan(content, 0, content.length);
		List<String> damage = new ArrayList<>();
		if (p.truncated()) {
			damage.add("truncated: content length " + Integer.toUnsignedString(p.declaredLength()) + ", file holds "
					+ content.length);
		}
		if (p.crc() == ChunkFile.CrcState.MISMATCH && this.checksum) {
			damage.add("invalid crc32");
		}
		if (!scan.clean()) {
			damage.add("bytes " + scan.validBytes() + ".." + content.length + " of the content are not whole events");
		}
		if (p.crc() == ChunkFile.CrcState.RUNNING && damage.isEmpty()) {
			LOG.info("chunk {} was open for writing when its process stopped (crc32 field holds the running"
					+ " state); its {} record(s) are whole", where, scan.records());
		}
		if (damage.isEmpty()) {
			if (scan.records() == 0) {
				LOG.info("chunk {} holds no records, deleting", where);
				deleteQuietly(f);
				return null;
			}
			int size = scan.validBytes();
			LOG.debug("register {}", where);
			return new BacklogChunk(FsChunk.existing(this, f, stream, p.metadata().length, size), meta.tag(),
					meta.eventType(), scan.records(), size);
		}
		long lost = (long) bytes.length - ChunkFile.HEADER_SIZE - p.metadata().length - scan.validBytes();
		this.lostBytes.addAndGet(Math.max(0, lost));
		this.salvagedRecords.addAndGet(scan.records());
		LOG.error("chunk {} is damaged ({}): {} whole record(s) salvaged, the file is {}", where,
				String.join("; ", damage), scan.records(),
				this.deleteIrrecoverable ? "deleted" : "moved to " + QUARANTINE_DIR + "/" + where);
		Path tmp = f.resolveSibling(f.getFileName() + ".salvage.tmp");
		try {
			if (scan.records() > 0) {
				byte[] good = Arrays.copyOf(content, scan.validBytes());
				byte[] m = meta.encode();
				Files.write(tmp, ChunkFile.encode(m, good, this.checksum));
			}
			irrecoverable(f, stream, 0);
			if (scan.records() > 0) {
				Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
				LOG.debug("register {} (salvaged)", where);
				return new BacklogChunk(FsChunk.existing(this, f, stream, p.metadata().length, scan.validBytes()),
						meta.tag(), meta.eventType(), scan.records(), scan.validBytes());
			}
		}
		catch (IOException ex) {
			LOG.error("cannot salvage {}: {}", where, ex.toString());
		}
		return null;
	}

	/** Moves a damaged file aside (or deletes it); counts it. */
	private void irrecoverable(Path f, String stream, long lost) {
		this.quarantinedChunks.incrementAndGet();
		this.lostBytes.addAndGet(lost);
		if (this.deleteIrrecoverable) {
			deleteQuietly(f);
			return;
		}
		try {
			Path dir = this.root.resolve(QUARANTINE_DIR).resolve(stream);
			Files.createDirectories(dir);
			Path target = dir.resolve(f.getFileName());
			for (int i = 1; Files.exists(target); i++) {
				target = dir.resolve(f.getFileName() + "." + i);
			}
			Files.move(f, target);
		}
		catch (IOException ex) {
			LOG.error("cannot quarantine {}: {}", f, ex.toString());
		}
	}

	private static void deleteQuietly(Path f) {
		try {
			Files.deleteIfExists(f);
		}
		catch (IOException ex) {
			LOG.warn("cannot delete {}: {}", f, ex.toString());
		}
	}

	/** Whether {@code storage.keep.rejected} is on. */
	public boolean keepsRejected() {
		return this.keepRejected;
	}

	/**
	 * Dead letter: writes a chunk that an output rejected (ERROR, retries exhausted) to
	 * {@code <storage.path>/<storage.rejected.path>/<stream>/<name>} as a chunk file.
	 */
	public void reject(String stream, String name, String tag, int eventType, byte[] content, int off, int len,
			String output, String why) {
		Path dir = this.root.resolve(this.rejectedDir).resolve(stream);
		Path target = dir.resolve(name);
		try {
			Files.createDirectories(dir);
			if (Files.exists(target)) {
				return; // already kept (rejected by another output)
			}
			byte[] c = Arrays.copyOfRange(content, off, off + len);
			Files.write(target, ChunkFile.encode(ChunkMeta.of(tag, eventType).encode(), c, this.checksum),
					StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			this.rejectedChunks.incrementAndGet();
			LOG.warn("chunk '{}' rejected by {} ({}): kept as {}", name, output, why, this.root.relativize(target));
		}
		catch (IOException ex) {
			LOG.error("cannot keep rejected chunk '{}': {}", name, ex.toString());
		}
	}

	/** Chunk files now under the root (not quarantined or rejected). */
	public int countFiles() {
		int n = 0;
		try (Stream<Path> dirs = Files.list(this.root)) {
			for (Path d : dirs.filter(Files::isDirectory).filter((d) -> !isSpecial(d)).toList()) {
				try (Stream<Path> fs = Files.list(d)) {
					n += (int) fs.filter((f) -> f.toString().endsWith(".flb")).count();
				}
			}
		}
		catch (IOException ex) {
			return n;
		}
		return n;
	}
}
