package dev.sluice.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A chunk file under {@code storage.path}: created with its header and metadata, grown by every
 * append (the events first, then the content length and CRC in the header, so that a crash
 * between the two leaves a file whose length field covers only whole appends), synced on each
 * append with {@code storage.sync full}. Deleted when the last task holding it is done.
 */
public final class FsChunk implements StoredChunk {

	private final FilesystemStorage storage;

	private final Path path;

	private final String stream;

	private final String name;

	private final int contentStart;

	private final AtomicInteger refs = new AtomicInteger();

	private final ByteBuffer header = ByteBuffer.allocate(12);

	private FileChannel channel;

	private CRC32 crc;

	private long contentLength;

	/** The file's size: grown as Fluent Bit grows its mapped files ({@link ChunkFile#fluentBitFileSize}). */
	private long fileSize;

	private volatile boolean deleted;

	private FsChunk(FilesystemStorage storage, Path path, String stream, String name, int metaLength) {
		this.storage = storage;
		this.path = path;
		this.stream = stream;
		this.name = name;
		this.contentStart = ChunkFile.HEADER_SIZE + metaLength;
	}

	/** Creates the file of a new chunk (header and metadata, no content yet). */
	static FsChunk create(FilesystemStorage storage, Path dir, String stream, String name, byte[] meta) throws IOException {
		Path path = dir.resolve(name);
		FsChunk c = new FsChunk(storage, path, stream, name, meta.length);
		byte[] head = ChunkFile.encode(meta, new byte[0], false);
		if (storage.checksum()) {
			c.crc = new CRC32();
			c.crc.update(head, ChunkFile.OFF_META_LENGTH, head.length - ChunkFile.OFF_META_LENGTH);
			ChunkFile.writeInt(head, ChunkFile.OFF_CRC, (int) c.crc.getValue());
		}
		c.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
		try {
			writeFully(c.channel, ByteBuffer.wrap(head), 0);
			c.grow(head.length);
			if (storage.syncFull()) {
				c.channel.force(true);
				storage.syncDirectory(dir);
			}
		}
		catch (IOException ex) {
			c.channel.close();
			Files.deleteIfExists(path);
			throw ex;
		}
		return c;
	}

	/** A chunk file found on disk (backlog): read when it is queued, deleted when delivered. */
	static FsChunk existing(FilesystemStorage storage, Path path, String stream, int metaLength, long contentLength) {
		FsChunk c = new FsChunk(storage, path, stream, path.getFileName().toString(), metaLength);
		c.contentLength = contentLength;
		return c;
	}

	@Override
	public synchronized void append(byte[] b, int off, int len, int records) throws IOException {
		if (this.channel == null) {
			throw new IOException("chunk " + location() + " is sealed");
		}
		grow(this.contentStart + this.contentLength + len);
		writeFully(this.channel, ByteBuffer.wrap(b, off, len), this.contentStart + this.contentLength);
		this.contentLength += len;
		int crcField = 0;
		if (this.crc != null) {
			this.crc.update(b, off, len);
			crcField = (int) this.crc.getValue();
		}
		this.header.clear();
		this.header.putInt(crcField).putInt(0).putInt((int) this.contentLength).flip();
		writeFully(this.channel, this.header, ChunkFile.OFF_CRC);
		if (this.storage.syncFull()) {
			this.channel.force(false);
		}
	}

	/**
	 * Extends the file (zeros, sparse) to the size Fluent Bit would give it for {@code used}
	 * bytes, so the files are laid out as Fluent Bit's: one 4 KiB page, then 32 KiB steps.
	 */
	private void grow(long used) throws IOException {
		if (used <= this.fileSize) {
			return;
		}
		long size = (used > Integer.MAX_VALUE) ? used : ChunkFile.fluentBitFileSize((int) used);
		writeFully(this.channel, ByteBuffer.wrap(new byte[1]), size - 1);
		this.fileSize = size;
	}

	private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
		long p = pos;
		while (buf.hasRemaining()) {
			p += ch.write(buf, p);
		}
	}

	@Override
	public synchronized void seal() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				FilesystemStorage.LOG.warn("cannot close chunk {}: {}", location(), ex.toString());
			}
			this.channel = null;
		}
	}

	@Override
	public byte[] load() throws IOException {
		byte[] f = Files.readAllBytes(this.path);
		try {
			byte[] content = ChunkFile.parse(f).content();
			long len = contentLength();
			return (len < content.length) ? java.util.Arrays.copyOf(content, (int) len) : content;
		}
		catch (ChunkFormatException ex) {
			throw new IOException("chunk " + location() + " cannot be read back: " + ex.getMessage());
		}
	}

	@Override
	public void retain() {
		this.refs.incrementAndGet();
	}

	@Override
	public void release() {
		if (this.refs.decrementAndGet() <= 0) {
			delete();
		}
	}

	/** Removes the file (idempotent). */
	public void delete() {
		seal();
		if (this.deleted) {
			return;
		}
		this.deleted = true;
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public boolean persistent() {
		return true;
	}

	@Override
	public String location() {
		return this.stream + "/" + this.name;
	}

	public Path path() {
		return this.path;
	}

	public String stream() {
		return this.stream;
	}

	public String name() {
		return this.name;
	}

	/** Bytes of content written so far. */
	public synchronized long contentLength() {
		return this.contentLength;
	}
}
