package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongSupplier;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.Parser;

/**
 * {@code docker_mode}: recombines the lines Docker's {@code json-file} driver splits (a log
 * line over 16 KB becomes several JSON lines whose {@code log} value does not end with
 * {@code \n}). Each line is looked at as JSON; the top-level {@code "log"} string value is
 * found without decoding it. As in Fluent Bit ({@code tail_dockermode.c}):
 * <ul>
 * <li>a line that is not a JSON object with a string {@code log} flushes what is pending and
 * then goes to the wrapped processor as it is;</li>
 * <li>a line whose {@code log} does not end with a newline is held: its (still escaped)
 * {@code log} value is appended to the pending text and the line is kept as the template;</li>
 * <li>a line whose {@code log} ends with a newline completes the entry: the template (the last
 * line) with its {@code log} value replaced by the concatenation is handed to the wrapped
 * processor (raw or {@code parser}), stamped with the time it was completed;</li>
 * <li>with {@code docker_mode_parser}, a complete entry is held too, and further lines are
 * appended to it until a line matches that parser (the first line of the next entry), so
 * multi-line messages are joined;</li>
 * <li>what is pending is flushed after {@code docker_mode_flush} seconds without a new line,
 * and when the file is closed.</li>
 * </ul>
 * A complete line with nothing pending (the usual case) is handed on unchanged: its bytes are
 * neither copied nor re-encoded. {@code offset_key} reports the offset of an entry's first line.
 */
final class DockerModeLineProcessor implements LineProcessor {

	private static final byte[] NONE = new byte[0];

	private final LineProcessor next;

	private final Parser firstLine;

	private final long flushNanos;

	private final LongSupplier nanoClock;

	/** The concatenated (escaped) {@code log} values of the pending parts. */
	private byte[] text = new byte[256];

	private int textLen;

	/** The last pending line (the template) and where its {@code log} value is. */
	private byte[] last = NONE;

	private int lastLen;

	private int lastValueStart;

	private int lastValueEnd;

	/** Whether the pending text ends with a newline (only held with docker_mode_parser). */
	private boolean complete;

	private long firstOffset;

	private long deadline;

	/** Filled by {@link #scan}: the {@code log} value's bounds (between the quotes). */
	private int valueStart;

	private int valueEnd;

	DockerModeLineProcessor(LineProcessor next, Parser firstLine, int flushSeconds, LongSupplier nanoClock) {
		this.next = next;
		this.firstLine = firstLine;
		this.flushNanos = Math.max(1, flushSeconds) * 1_000_000_000L;
		this.nanoClock = nanoClock;
	}

	@Override
	public int line(byte[] buf, int off, int len, LineSource source, EventEncoder out) throws IOException {
		int n = 0;
		if (this.firstLine != null && this.lastLen > 0 && this.complete
				&& this.firstLine.parse(buf, off, len) != null) {
			n += emit(source, out, source.time());
		}
		if (!scan(buf, off, len)) {
			n += emit(source, out, source.time());
			return n + this.next.line(buf, off, len, source, out);
		}
		boolean nl = endsWithNewline(buf, this.valueStart, this.valueEnd);
		if (nl && this.lastLen == 0 && this.firstLine == null) {
			// the fast path: a whole line and nothing pending
			return n + this.next.line(buf, off, len, source, out);
		}
		if (this.lastLen == 0) {
			this.firstOffset = source.offset();
		}
		appendText(buf, this.valueStart, this.valueEnd - this.valueStart);
		if (this.last.length < len) {
			this.last = new byte[Math.max(len, this.last.length * 2)];
		}
		System.arraycopy(buf, off, this.last, 0, len);
		this.lastLen = len;
		this.lastValueStart = this.valueStart - off;
		this.lastValueEnd = this.valueEnd - off;
		this.complete = nl;
		this.deadline = this.nanoClock.getAsLong() + this.flushNanos;
		if (nl && this.firstLine == null) {
			n += emit(source, out, source.time());
		}
		return n;
	}

	@Override
	public int flush(LineSource source, EventEncoder out, boolean force) throws IOException {
		if (this.lastLen == 0 || (!force && this.nanoClock.getAsLong() - this.deadline < 0)) {
			return 0;
		}
		return emit(source, out, EventTime.now());
	}

	/** Hands the pending entry (the template with the joined {@code log}) on; resets. */
	private int emit(LineSource source, EventEncoder out, EventTime time) throws IOException {
		if (this.lastLen == 0) {
			return 0;
		}
		int tail = this.lastLen - this.lastValueEnd;
		int len = this.lastValueStart + this.textLen + tail;
		byte[] line = new byte[len];
		System.arraycopy(this.last, 0, line, 0, this.lastValueStart);
		System.arraycopy(this.text, 0, line, this.lastValueStart, this.textLen);
		System.arraycopy(this.last, this.lastValueEnd, line, this.lastValueStart + this.textLen, tail);
		this.lastLen = 0;
		this.textLen = 0;
		this.complete = false;
		if (this.text.length > 1 << 20) {
			this.text = new byte[256]; // do not keep a huge buffer for the file's lifetime
			this.last = NONE;
		}
		long offset = source.offset;
		EventTime was = source.time;
		source.offset = this.firstOffset;
		source.time = time;
		try {
			return this.next.line(line, 0, len, source, out);
		}
		finally {
			source.offset = offset;
			source.time = was;
		}
	}

	private void appendText(byte[] b, int off, int len) {
		if (this.textLen + len > this.text.length) {
			this.text = Arrays.copyOf(this.text, Math.max(this.textLen + len, this.text.length * 2));
		}
		System.arraycopy(b, off, this.text, this.textLen, len);
		this.textLen += len;
	}

	/**
	 * Whether the escaped JSON string content {@code b[from, to)} ends with a newline
	 * ({@code \n} or {@code \u000a} whose backslash is not itself escaped).
	 */
	static boolean endsWithNewline(byte[] b, int from, int to) {
		int esc;
		if (to - from >= 2 && b[to - 1] == 'n') {
			esc = to - 2;
		}
		else if (to - from >= 6 && (b[to - 1] == 'a' || b[to - 1] == 'A') && b[to - 2] == '0' && b[to - 3] == '0'
				&& b[to - 4] == '0' && b[to - 5] == 'u') {
			esc = to - 6;
		}
		else {
			return false;
		}
		int backslashes = 0;
		for (int i = esc; i >= from && b[i] == '\\'; i--) {
			backslashes++;
		}
		return (backslashes & 1) == 1;
	}

	/**
	 * Checks that {@code b[off, off+len)} is one JSON object and finds its first top-level
	 * {@code "log"} member; true (with {@link #valueStart}/{@link #valueEnd} set) when that
	 * member's value is a string.
	 */
	private boolean scan(byte[] b, int off, int len) {
		int end = off + len;
		int i = skipWs(b, off, end);
		if (i >= end || b[i] != '{') {
			return false;
		}
		i = skipWs(b, i + 1, end);
		boolean found = false;
		boolean isString = false;
		if (i < end && b[i] == '}') {
			i++;
		}
		else {
			while (true) {
				if (i >= end || b[i] != '"') {
					return false;
				}
				int keyStart = i + 1;
				int keyEnd = stringEnd(b, keyStart, end);
				if (keyEnd < 0) {
					return false;
				}
				i = skipWs(b, keyEnd + 1, end);
				if (i >= end || b[i] != ':') {
					return false;
				}
				i = skipWs(b, i + 1, end);
				boolean isLog = !found && keyEnd - keyStart == 3 && b[keyStart] == 'l' && b[keyStart + 1] == 'o'
						&& b[keyStart + 2] == 'g';
				if (i < end && b[i] == '"') {
					int vEnd = stringEnd(b, i + 1, end);
					if (vEnd < 0) {
						return false;
					}
					if (isLog) {
						this.valueStart = i + 1;
						this.valueEnd = vEnd;
						isString = true;
					}
					i = vEnd + 1;
				}
				else {
					i = skipValue(b, i, end);
					if (i < 0) {
						return false;
					}
				}
				found |= isLog;
				i = skipWs(b, i, end);
				if (i < end && b[i] == ',') {
					i = skipWs(b, i + 1, end);
					continue;
				}
				if (i < end && b[i] == '}') {
					i++;
					break;
				}
				return false;
			}
		}
		return skipWs(b, i, end) == end && isString;
	}

	private static int skipWs(byte[] b, int i, int end) {
		while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
			i++;
		}
		return i;
	}

	/** The index of the closing quote of the string whose content starts at {@code i}; -1 if none. */
	private static int stringEnd(byte[] b, int i, int end) {
		while (i < end) {
			byte c = b[i];
			if (c == '"') {
				return i;
			}
			if (c == '\\') {
				i += 2;
			}
			else if ((c & 0xff) < 0x20) {
				return -1;
			}
			else {
				i++;
			}
		}
		return -1;
	}

	/** Skips a non-string value (number, literal, object, array); -1 when malformed. */
	private static int skipValue(byte[] b, int i, int end) {
		if (i >= end) {
			return -1;
		}
		byte c = b[i];
		if (c == '{' || c == '[') {
			int depth = 0;
			while (i < end) {
				c = b[i];
				if (c == '"') {
					i = stringEnd(b, i + 1, end);
					if (i < 0) {
						return -1;
					}
				}
				else if (c == '{' || c == '[') {
					depth++;
				}
				else if (c == '}' || c == ']') {
					if (--depth == 0) {
						return i + 1;
					}
				}
				i++;
			}
			return -1;
		}
		int start = i;
		while (i < end && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\r'
				&& b[i] != '\n' && b[i] != '"' && b[i] != '{' && b[i] != '[' && b[i] != ':') {
			i++;
		}
		return (i > start) ? i : -1;
	}
}
