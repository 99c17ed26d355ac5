package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One monitored file: identified by device and inode (its name may change by rotation), read
 * through its own open channel with a per-file buffer that starts at {@code buffer_chunk_size}
 * and grows up to {@code buffer_max_size}. {@code readPos} is the file position after the
 * buffered bytes; the committed position (what the database keeps) is {@code readPos - len}.
 * Used by the collector thread only.
 */
final class TailFile {

	/** Device and inode. */
	record Key(long dev, long ino) {

		@Override
		public String toString() {
			return this.dev + ":" + this.ino;
		}
	}

	final Key key;

	final String origName;

	final String tag;

	final int watchFd;

	final FileChannel channel;

	final LineSource source;

	final LineProcessor processor;

	/** The current name (changes on rotation). */
	volatile Path path;

	byte[] buf;

	int len;

	long readPos;

	long dbId = -1;

	/** Skip bytes up to the next newline (rest of a long line). */
	boolean skipNext;

	boolean skipWarned;

	/** When rotation (rename) was seen, nanoTime; 0 while not rotated. */
	long rotatedAt;

	boolean deleted;

	boolean rotateWaitExpiredLogged;

	boolean atEof;

	TailFile(Key key, Path path, String tag, int watchFd, FileChannel channel, int bufSize, LineProcessor processor,
			LineSource source) {
		this.key = key;
		this.path = path;
		this.origName = path.toString();
		this.tag = tag;
		this.watchFd = watchFd;
		this.channel = channel;
		this.buf = new byte[bufSize];
		this.processor = processor;
		this.source = source;
	}

	long committed() {
		return this.readPos - this.len;
	}

	boolean rotated() {
		return this.rotatedAt != 0 || this.deleted;
	}

	long size() throws IOException {
		return this.channel.size();
	}

	void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closing
		}
	}
}
