package dev.sluice.parser;

import java.io.IOException;
import java.util.Map;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

/**
 * What a parser made of one input: the record as msgpack map bytes (written directly, keys in the
 * order Fluent Bit writes them, duplicates kept) and the time found in it.
 *
 * @param time the parsed time, or null when the parser found none or could not read it (the
 * caller then keeps its own time, as Fluent Bit does with a zero time)
 * @param map the record, one msgpack map
 */
public record ParseResult(EventTime time, byte[] map) {

	/** The record decoded to Java values (a later duplicate key wins). */
	public Map<String, Object> record() {
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(this.map)) {
			return MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
