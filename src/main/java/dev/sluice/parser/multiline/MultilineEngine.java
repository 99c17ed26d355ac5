package dev.sluice.parser.multiline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.event.EventTime;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.multiline.MultilineParser.Type;

/**
 * Fluent Bit's multiline core ({@code flb_ml}): lines or records arrive per stream (a file, a
 * tag), are tried against a list of multiline parsers (the last one that matched is tried first),
 * grouped per stream and per {@code key_group} value, and leave through the {@link Sink} when a
 * group is complete, when it is cut off by a line that does not continue it, after
 * {@code flush timeout} of inactivity ({@link #flushExpired()}, driven by the caller with an
 * injectable clock), or when its buffer reaches the size limit (the text is truncated there).
 * A line no parser accepts is passed on unchanged, after the stream's pending group.
 *
 * <p>Used by the {@code multiline} filter ({@link #appendRecord}) and by inputs such as tail
 * ({@link #appendText}). Thread-safe (one lock); the sink runs under the lock and must not call
 * back into the engine.
 */
public final class MultilineEngine {

	private static final Logger LOG = LoggerFactory.getLogger("multiline");

	/** Receives every record the engine emits. */
	@FunctionalInterface
	public interface Sink {

		/**
		 * @param streamId the stream the record belongs to
		 * @param time the record time
		 * @param record the record (owned by the receiver)
		 * @param forced whether a timeout (rather than the data) completed it
		 */
		void emit(Object streamId, EventTime time, Map<String, Object> record, boolean forced);
	}

	private final List<Instance> instances = new ArrayList<>();

	private final long flushTimeoutMillis;

	private final long bufferLimit;

	private final LongSupplier clockMillis;

	private final Sink sink;

	private Instance lru;

	/**
	 * @param parsers the multiline parsers in the order to try them (already given their
	 * {@code key_content} for this user)
	 * @param flushTimeoutMillis inactivity after which a pending group is flushed; 0 or less: the
	 * largest {@code flush_timeout} of the parsers
	 * @param bufferLimit largest pending group in bytes ({@code multiline_buffer_limit}); 0: none
	 * @param clockMillis the clock, in milliseconds
	 * @param sink receives the records
	 */
	public MultilineEngine(List<MultilineParser> parsers, long flushTimeoutMillis, long bufferLimit,
			LongSupplier clockMillis, Sink sink) {
		if (parsers.isEmpty()) {
			throw new IllegalArgumentException("at least one multiline parser is needed");
		}
		long max = 0;
		for (MultilineParser p : parsers) {
			this.instances.add(new Instance(p));
			max = Math.max(max, p.flushTimeoutMillis());
		}
		this.flushTimeoutMillis = (flushTimeoutMillis > 0) ? flushTimeoutMillis : max;
		this.bufferLimit = bufferLimit;
		this.clockMillis = clockMillis;
		this.sink = sink;
	}

	public long flushTimeoutMillis() {
		return this.flushTimeoutMillis;
	}

	// ---- input ----

	/** Appends a record (Fluent Bit's {@code flb_ml_append_object}). */
	public synchronized void appendRecord(Object streamId, EventTime time, Map<String, Object> record) {
		append(streamId, time, record, null);
	}

	/**
	 * Feeds one line read by an input (tail): the same as {@link #appendText} over the whole
	 * array. Records come out through the sink given to the constructor.
	 */
	public void feed(byte[] line, Object streamId, EventTime time) {
		appendText(streamId, time, line, 0, line.length);
	}

	/** Appends one line of text (Fluent Bit's {@code flb_ml_append} with text). */
	public synchronized void appendText(Object streamId, EventTime time, byte[] line, int off, int len) {
		append(streamId, time, null, Arrays.copyOfRange(line, off, off + len));
	}

	private void append(Object streamId, EventTime time, Map<String, Object> record, byte[] text) {
		boolean processed = false;
		Instance lru = this.lru;
		if (lru != null && Objects.equals(lru.lastStreamId, streamId)) {
			if (tryParser(lru, streamId, time, record, text)) {
				processed = true;
			}
			else {
				flushInstance(lru, streamId, false);
			}
		}
		else if (lru != null && lru.lastStreamId != null) {
			lru = null;
		}
		if (!processed) {
			for (Instance inst : this.instances) {
				if (lru != null && inst == lru) {
					continue;
				}
				if (tryParser(inst, streamId, time, record, text)) {
					this.lru = inst;
					inst.lastStreamId = streamId;
					lru = inst;
					processed = true;
					break;
				}
			}
		}
		if (processed) {
			return;
		}
		Instance inst = (lru != null) ? lru : this.instances.get(0);
		if (lru != null) {
			flushInstance(lru, streamId, false);
		}
		flushInstance(inst, streamId, false);
		EventTime t = nonZero(time);
		if (record != null) {
			this.sink.emit(streamId, t, record, false);
		}
		else {
			Map<String, Object> m = new LinkedHashMap<>();
			String key = (inst.parser.keyContent() != null) ? inst.parser.keyContent() : "log";
			String s = new String(text, StandardCharsets.UTF_8);
			m.put(key, (inst.parser.keyContent() == null && !s.endsWith("\n")) ? s + "\n" : s);
			this.sink.emit(streamId, t, m, false);
		}
	}

	private EventTime nonZero(EventTime t) {
		if (t != null && (t.seconds() != 0 || t.nanos() != 0)) {
			return t;
		}
		return EventTime.ofEpochNanos(this.clockMillis.getAsLong() * 1_000_000L);
	}

	private boolean tryParser(Instance inst, Object streamId, EventTime time, Map<String, Object> record,
			byte[] text) {
		MultilineParser p = inst.parser;
		Map<String, Object> map = record;
		EventTime outTime = null;
		if (p.parser() != null) {
			byte[] toParse;
			if (record != null) {
				if (p.keyContent() == null || !record.containsKey(p.keyContent())) {
					return false;
				}
				Object v = record.get(p.keyContent());
				toParse = bytesOf(v);
				if (toParse == null) {
					return false;
				}
			}
			else {
				toParse = text;
			}
			ParseResult r = p.parser().parse(toParse, 0, toParse.length);
			if (r == null) {
				return false;
			}
			map = r.record();
			outTime = r.time();
			if (outTime != null && outTime.seconds() == 0 && outTime.nanos() == 0) {
				outTime = null;
			}
		}
		if (outTime == null) {
			outTime = nonZero(time);
		}
		Stream stream = inst.stream(streamId);
		if (map == null) {
			return packageContent(inst, stream, null, text, outTime, null, null, null);
		}
		byte[] content = stringValue(map, p.keyContent());
		if (content == null) {
			return false;
		}
		byte[] pattern = (p.keyPattern() != null) ? stringValue(map, p.keyPattern()) : null;
		byte[] group = (p.keyGroup() != null) ? stringValue(map, p.keyGroup()) : null;
		return packageContent(inst, stream, map, null, outTime, content, pattern,
				(group != null) ? new String(group, StandardCharsets.UTF_8) : null);
	}

	private static byte[] bytesOf(Object v) {
		if (v instanceof String s) {
			return s.getBytes(StandardCharsets.UTF_8);
		}
		if (v instanceof byte[] b) {
			return b;
		}
		return null;
	}

	/** A string value (Fluent Bit's {@code get_key_id} needs a string key and value). */
	private static byte[] stringValue(Map<String, Object> map, String key) {
		if (key == null) {
			return null;
		}
		Object v = map.get(key);
		return (v instanceof String s) ? s.getBytes(StandardCharsets.UTF_8) : null;
	}

	private boolean packageContent(Instance inst, Stream stream, Map<String, Object> fullMap, byte[] text,
			EventTime time, byte[] content, byte[] pattern, String groupKey) {
		MultilineParser p = inst.parser;
		Group group = stream.group(groupKey);
		if (stream.lastGroup == null) {
			stream.lastGroup = group;
		}
		else if (stream.lastGroup != group) {
			flushGroup(inst, stream, stream.lastGroup, false);
			stream.lastGroup = group;
		}
		group.lastAppend = this.clockMillis.getAsLong();
		byte[] data = (pattern != null) ? pattern : (content != null) ? content : text;
		byte[] value = (content != null) ? content : text;
		switch (p.type()) {
			case REGEX -> {
				return ruleProcess(inst, stream, group, fullMap, time, value) != -1;
			}
			case ENDSWITH, EQUAL -> {
				byte[] m = p.matchString();
				boolean matched;
				if (p.type() == Type.ENDSWITH) {
					if (data == null || m.length > data.length) {
						return false;
					}
					matched = Arrays.equals(data, data.length - m.length, data.length, m, 0, m.length);
				}
				else {
					matched = data != null && Arrays.equals(data, m);
				}
				boolean ruleMatch = matched != p.negate();
				if (!group.hasMap) {
					register(group, time, fullMap);
				}
				breaklinePrepare(p, group);
				if (cat(group, value)) {
					flushGroup(inst, stream, group, false);
					return true;
				}
				if (ruleMatch) {
					flushGroup(inst, stream, group, false);
				}
				return true;
			}
			default -> {
				return false;
			}
		}
	}

	private int ruleProcess(Instance inst, Stream stream, Group group, Map<String, Object> fullMap, EventTime time,
			byte[] data) {
		MultilineRule rule = null;
		if (group.ruleToState != null) {
			for (MultilineRule st : group.ruleToState.next) {
				if (st.isStartState()) {
					continue;
				}
				if (st.regex().find(data, 0, data.length)) {
					if (group.len >= 1 && group.buf[group.len - 1] != '\n') {
						group.append(new byte[] { '\n' }, 1);
					}
					if (data.length == 0) {
						group.append(new byte[] { '\n' }, 1);
					}
					else if (cat(group, data)) {
						flushGroup(inst, stream, group, false);
						group.ruleToState = null;
						return 1;
					}
					rule = st;
					break;
				}
			}
		}
		if (rule == null) {
			for (MultilineRule r : inst.parser.rules()) {
				if (r.isStartState() && r.regex().find(data, 0, data.length)) {
					rule = r;
					break;
				}
			}
			if (rule != null) {
				if (group.len > 0) {
					flushGroup(inst, stream, group, false);
				}
				group.ruleToState = rule;
				boolean truncated = cat(group, data);
				register(group, time, fullMap);
				if (truncated) {
					flushGroup(inst, stream, group, false);
					group.ruleToState = null;
					return 1;
				}
			}
		}
		if (rule != null) {
			group.ruleToState = rule;
			boolean nextStart = false;
			for (MultilineRule n : rule.next) {
				if (n.isStartState()) {
					nextStart = true;
					break;
				}
			}
			if (nextStart && group.len > 0) {
				flushGroup(inst, stream, group, false);
			}
			return 0;
		}
		return -1;
	}

	/** Appends within the buffer limit; returns true when the data had to be truncated. */
	private boolean cat(Group group, byte[] data) {
		if (this.bufferLimit > 0 && (long) group.len + data.length > this.bufferLimit) {
			int room = (int) Math.max(0, this.bufferLimit - group.len);
			group.append(data, room);
			LOG.warn("multiline buffer limit of {} bytes reached, record truncated", this.bufferLimit);
			return true;
		}
		group.append(data, data.length);
		return false;
	}

	private static void register(Group group, EventTime time, Map<String, Object> fullMap) {
		group.time = time;
		if (fullMap != null) {
			group.firstMap = new LinkedHashMap<>(fullMap);
			group.hasMap = true;
		}
	}

	private static void breaklinePrepare(MultilineParser p, Group group) {
		if (p.keyContent() != null) {
			return;
		}
		if (group.len > 0 && group.buf[group.len - 1] != '\n') {
			group.append(new byte[] { '\n' }, 1);
		}
	}

	// ---- flushing ----

	private void flushGroup(Instance inst, Stream stream, Group group, boolean forced) {
		MultilineParser p = inst.parser;
		breaklinePrepare(p, group);
		EventTime t = nonZero(group.time);
		if (group.hasMap) {
			Map<String, Object> out = new LinkedHashMap<>();
			String text = new String(group.buf, 0, group.len, StandardCharsets.UTF_8);
			for (Map.Entry<String, Object> e : group.firstMap.entrySet()) {
				if (p.keyContent() != null && e.getKey().equals(p.keyContent())) {
					out.put(e.getKey(), text);
				}
				else {
					out.put(e.getKey(), e.getValue());
				}
			}
			group.firstMap = null;
			group.hasMap = false;
			this.sink.emit(stream.id, t, out, forced);
		}
		else if (group.len > 0) {
			Map<String, Object> out = new LinkedHashMap<>();
			out.put((p.keyContent() != null) ? p.keyContent() : "log",
					new String(group.buf, 0, group.len, StandardCharsets.UTF_8));
			this.sink.emit(stream.id, t, out, forced);
		}
		group.clear();
	}

	private void flushInstance(Instance inst, Object streamId, boolean forced) {
		Stream s = inst.streams.get(streamId);
		if (s == null) {
			return;
		}
		for (Group g : s.groups.values()) {
			flushGroup(inst, s, g, forced);
		}
	}

	/** Flushes groups idle for at least the flush timeout; forgets streams idle and empty for long. */
	public synchronized void flushExpired() {
		long now = this.clockMillis.getAsLong();
		for (Instance inst : this.instances) {
			for (Iterator<Stream> it = inst.streams.values().iterator(); it.hasNext();) {
				Stream s = it.next();
				boolean empty = true;
				long last = Long.MIN_VALUE;
				for (Group g : s.groups.values()) {
					if (g.pending() && now - g.lastAppend >= this.flushTimeoutMillis) {
						flushGroup(inst, s, g, true);
					}
					empty &= !g.pending();
					last = Math.max(last, g.lastAppend);
				}
				if (empty && now - last >= Math.max(60_000L, this.flushTimeoutMillis * 10)) {
					it.remove();
					if (Objects.equals(inst.lastStreamId, s.id) && this.lru == inst) {
						this.lru = null;
					}
				}
			}
		}
	}

	/** Flushes everything pending (Fluent Bit's {@code flb_ml_flush_pending_now}). */
	public synchronized void flushAll() {
		for (Instance inst : this.instances) {
			for (Stream s : inst.streams.values()) {
				for (Group g : s.groups.values()) {
					flushGroup(inst, s, g, true);
				}
			}
		}
	}

	/** Flushes what one stream has pending (a file being closed, say). */
	public synchronized void flushStream(Object streamId) {
		for (Instance inst : this.instances) {
			flushInstance(inst, streamId, true);
		}
	}

	/** Whether any group has data pending. */
	public synchronized boolean hasPending() {
		for (Instance inst : this.instances) {
			for (Stream s : inst.streams.values()) {
				for (Group g : s.groups.values()) {
					if (g.pending()) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** Bytes held in pending groups. */
	public synchronized long pendingBytes() {
		long n = 0;
		for (Instance inst : this.instances) {
			for (Stream s : inst.streams.values()) {
				for (Group g : s.groups.values()) {
					n += g.len;
				}
			}
		}
		return n;
	}

	// ---- state ----

	/** One parser's state (Fluent Bit's parser instance). */
	private static final class Instance {

		final MultilineParser parser;

		final Map<Object, Stream> streams = new LinkedHashMap<>();

		Object lastStreamId;

		Instance(MultilineParser parser) {
			this.parser = parser;
		}

		Stream stream(Object id) {
			return this.streams.computeIfAbsent(id, Stream::new);
		}
	}

	private static final class Stream {

		final Object id;

		final Map<String, Group> groups = new LinkedHashMap<>();

		Group lastGroup;

		Stream(Object id) {
			this.id = id;
		}

		Group group(String key) {
			return this.groups.computeIfAbsent(key, (k) -> new Group());
		}
	}

	private static final class Group {

		byte[] buf = new byte[256];

		int len;

		Map<String, Object> firstMap;

		boolean hasMap;

		EventTime time;

		MultilineRule ruleToState;

		long lastAppend;

		void append(byte[] data, int n) {
			if (this.len + n > this.buf.length) {
				this.buf = Arrays.copyOf(this.buf, Math.max(this.buf.length * 2, this.len + n));
			}
			System.arraycopy(data, 0, this.buf, this.len, n);
			this.len += n;
		}

		boolean pending() {
			return this.len > 0 || this.hasMap;
		}

		void clear() {
			this.len = 0;
			if (this.buf.length > 64 * 1024) {
				this.buf = new byte[256];
			}
		}
	}
}
