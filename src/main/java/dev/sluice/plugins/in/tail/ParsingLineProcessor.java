package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.parser.MsgpackWriter;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.Parser;

/**
 * {@code parser}: each line is parsed; the record is the parsed map followed by the
 * {@code path_key}/{@code offset_key} fields, with the time from the data when the parser found
 * one. A line the parser does not match is packed raw ({@code {key: line}}), as Fluent Bit does.
 */
final class ParsingLineProcessor implements LineProcessor {

	private final Parser parser;

	private final RawLineProcessor raw;

	ParsingLineProcessor(Parser parser, RawLineProcessor raw) {
		this.parser = parser;
		this.raw = raw;
	}

	private final EventTime[] time = new EventTime[1];

	@Override
	public boolean direct() {
		return true;
	}

	@Override
	public int lineDirect(byte[] buf, int off, int len, LineSource source, MsgpackWriter out) {
		int start = out.size();
		out.ensureCapacity(RawLineProcessor.EVENT_HEADER_LENGTH);
		out.writeRaw(EMPTY_HEADER, 0, RawLineProcessor.EVENT_HEADER_LENGTH);
		if (!this.parser.parseInto(buf, off, len, out, this.raw.customKeyCount(), this.time)) {
			out.truncate(start);
			return this.raw.lineDirect(buf, off, len, source, out);
		}
		this.raw.appendCustomKeys(out, source);
		EventTime t = this.time[0];
		this.time[0] = null;
		RawLineProcessor.putEventHeader(out.buffer(), start, (t != null) ? t : source.time());
		return 1;
	}

	private static final byte[] EMPTY_HEADER = new byte[RawLineProcessor.EVENT_HEADER_LENGTH];

	@Override
	public int line(byte[] buf, int off, int len, LineSource source, EventEncoder out) throws IOException {
		ParseResult r = this.parser.parse(buf, off, len);
		if (r == null) {
			return this.raw.line(buf, off, len, source, out);
		}
		writeParsed(r.time(), r.map(), source, out, this.raw);
		return 1;
	}

	/** Writes a parsed map (msgpack bytes) with the custom keys appended after its own fields. */
	static void writeParsed(EventTime time, byte[] map, LineSource source, EventEncoder out, RawLineProcessor raw)
			throws IOException {
		int size;
		int headerLength;
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(map)) {
			size = u.unpackMapHeader();
			headerLength = (int) u.getTotalReadBytes();
		}
		MessagePacker p = out.beginEvent((time != null) ? time : source.time(), Map.of());
		p.packMapHeader(size + raw.customKeyCount());
		p.writePayload(map, headerLength, map.length - headerLength);
		raw.appendCustomKeys(p, source);
		out.endEvent();
	}
}
