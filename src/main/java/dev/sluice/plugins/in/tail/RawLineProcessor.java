package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.msgpack.core.MessagePacker;

import dev.sluice.event.EventEncoder;

/**
 * No parser: each line becomes {@code {[path_key: name,] [offset_key: offset,] key: line}}, in
 * that order, as Fluent Bit's {@code flb_tail_file_pack_line} writes it. The line's bytes are
 * copied as they are into a msgpack string (no decoding, no {@link String} per line).
 */
public final class RawLineProcessor implements LineProcessor {

	private final byte[] key;

	private final byte[] pathKey;

	private final byte[] offsetKey;

	private byte[] pathValue;

	private String pathValueOf;

	public RawLineProcessor(String key, String pathKey, String offsetKey) {
		this.key = key.getBytes(StandardCharsets.UTF_8);
		this.pathKey = (pathKey != null) ? pathKey.getBytes(StandardCharsets.UTF_8) : null;
		this.offsetKey = (offsetKey != null) ? offsetKey.getBytes(StandardCharsets.UTF_8) : null;
	}

	/** How many fields {@link #appendCustomKeys} adds. */
	public int customKeyCount() {
		return ((this.pathKey != null) ? 1 : 0) + ((this.offsetKey != null) ? 1 : 0);
	}

	@Override
	public int line(byte[] buf, int off, int len, LineSource source, EventEncoder out) throws IOException {
		MessagePacker p = out.beginEvent(source.time(), Map.of());
		p.packMapHeader(1 + customKeyCount());
		appendCustomKeys(p, source);
		p.packRawStringHeader(this.key.length);
		p.writePayload(this.key);
		p.packRawStringHeader(len);
		p.writePayload(buf, off, len);
		out.endEvent();
		return 1;
	}

	/** Writes the {@code path_key} and {@code offset_key} fields (when configured). */
	public void appendCustomKeys(MessagePacker p, LineSource source) throws IOException {
		if (this.pathKey != null) {
			if (this.pathValueOf != source.path()) {
				this.pathValue = source.path().getBytes(StandardCharsets.UTF_8);
				this.pathValueOf = source.path();
			}
			p.packRawStringHeader(this.pathKey.length);
			p.writePayload(this.pathKey);
			p.packRawStringHeader(this.pathValue.length);
			p.writePayload(this.pathValue);
		}
		if (this.offsetKey != null) {
			p.packRawStringHeader(this.offsetKey.length);
			p.writePayload(this.offsetKey);
			p.packLong(source.offset());
		}
	}
}
