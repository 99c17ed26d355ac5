package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.msgpack.core.MessagePacker;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;
import dev.sluice.parser.multiline.MultilineEngine;
import dev.sluice.parser.multiline.MultilineParser;

/**
 * {@code multiline.parser}: lines go through the multiline engine (one stream per file); the
 * records it completes (by the data, by {@code flush_timeout}, or when the file closes) are
 * written with the {@code path_key}/{@code offset_key} fields appended. The reader commits a
 * file's offset only after what the encoder holds was appended, and a pending group is flushed
 * before the file is closed, so a line is never lost between the engine and the buffer.
 */
final class MultilineLineProcessor implements LineProcessor {

	private record Pending(EventTime time, Map<String, Object> record) {
	}

	private final MultilineEngine engine;

	private final RawLineProcessor raw;

	private final List<Pending> ready = new ArrayList<>();

	MultilineLineProcessor(List<MultilineParser> parsers, long bufferLimit, RawLineProcessor raw) {
		this.raw = raw;
		this.engine = new MultilineEngine(parsers, 0, bufferLimit, System::currentTimeMillis,
				(stream, time, record, forced) -> this.ready.add(new Pending(time, record)));
	}

	@Override
	public int line(byte[] buf, int off, int len, LineSource source, EventEncoder out) throws IOException {
		this.engine.appendText(source.streamId(), source.time(), buf, off, len);
		return drain(source, out);
	}

	@Override
	public int flush(LineSource source, EventEncoder out, boolean force) throws IOException {
		if (force) {
			this.engine.flushStream(source.streamId());
		}
		else {
			this.engine.flushExpired();
		}
		return drain(source, out);
	}

	private int drain(LineSource source, EventEncoder out) throws IOException {
		int n = this.ready.size();
		for (Pending pr : this.ready) {
			MessagePacker p = out.beginEvent((pr.time() != null) ? pr.time() : source.time(), Map.of());
			p.packMapHeader(pr.record().size() + this.raw.customKeyCount());
			for (Map.Entry<String, Object> e : pr.record().entrySet()) {
				p.packString(e.getKey());
				MsgpackValues.pack(p, e.getValue());
			}
			this.raw.appendCustomKeys(p, source);
			out.endEvent();
		}
		this.ready.clear();
		return n;
	}
}
