package dev.sluice.net.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.event.MsgpackValues;

/**
 * Builds what Fluent Bit 5.1.1's out_forward writes for one chunk of v2 events
 * ({@code [[EventTime, {meta}], {record}]}…), byte for byte where a peer can see it:
 *
 * <ul>
 * <li>Forward mode (default): {@code [tag, [entries], options?]}; the entries are the chunk's
 * v2 events as they are (metadata kept) with {@code retain_metadata_in_forward_mode} on;
 * {@code [EventTime, record]} with an array32 header each when it is off; {@code [uint seconds,
 * record]} with {@code time_as_integer} (metadata dropped).</li>
 * <li>CompressedPackedForward ({@code compress gzip}): {@code [tag, bin(gzip(entries)), options]}.</li>
 * <li>Message mode (a tag with record accessors): {@code [tag, time, record, options]} per record,
 * the metadata in the options.</li>
 * <li>Options are a map with a 32-bit header, keys in this order: {@code chunk} (with
 * {@code require_ack_response}: base64 of the first 16 bytes of SHA-512 over the entries),
 * {@code size}, {@code compressed}, {@code fluent_signal}, then {@code add_option} pairs. Forward
 * mode sends them when {@code send_options}, {@code require_ack_response}, compression or an
 * {@code add_option} asks for them.</li>
 * </ul>
 */
public final class ForwardEncoder {

	/**
	 * What to produce.
	 * @param timeAsInteger integer seconds instead of EventTime
	 * @param sendOptions always send the options map
	 * @param requireAck add a {@code chunk} id (the caller waits for the ack)
	 * @param gzip CompressedPackedForward
	 * @param retainMetadata keep v2 entries in Forward mode
	 * @param addOptions extra option pairs
	 * @param fixedTag a tag replacing the chunk's, or null
	 * @param dynamicTag a per-record tag (Message mode), or null
	 */
	public record Settings(boolean timeAsInteger, boolean sendOptions, boolean requireAck, boolean gzip,
			boolean retainMetadata, List<List<String>> addOptions, String fixedTag,
			TagFunction dynamicTag) {

		public static Settings defaults() {
			return new Settings(false, false, false, false, true, List.of(), null, null);
		}
	}

	/** Computes a record's tag in Message mode. */
	@FunctionalInterface
	public interface TagFunction {

		String tag(String chunkTag, Map<String, Object> record);
	}

	/**
	 * One message to write.
	 * @param bytes the message
	 * @param chunk the {@code chunk} option to expect back as ack, or null
	 * @param records the events it carries
	 */
	public record Message(byte[] bytes, String chunk, int records) {
	}

	private ForwardEncoder() {
	}

	/** Encodes one chunk's events ({@code data[off, off+len)}) as the messages to send. */
	public static List<Message> encode(String tag, byte[] data, int off, int len, Settings s) {
		try {
			if (s.dynamicTag() != null) {
				return messageMode(tag, data, off, len, s);
			}
			return List.of(forwardMode((s.fixedTag() != null) ? s.fixedTag() : tag, data, off, len, s));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The slices of one v2 event: time value, metadata map (or -1), record map. */
	private record Slices(int time, int timeEnd, int meta, int metaEnd, int rec, int recEnd) {
	}

	private static Slices slices(byte[] b, int p, int end) {
		if (!MsgpackBytes.isArray(b, p) || MsgpackBytes.arraySize(b, p) < 2) {
			return null;
		}
		int h = p + MsgpackBytes.containerHeaderLength(b, p);
		int t;
		int te;
		int m = -1;
		int me = -1;
		int he = MsgpackBytes.endComplete(b, h, end);
		if (MsgpackBytes.isArray(b, h)) {
			long n = MsgpackBytes.arraySize(b, h);
			t = h + MsgpackBytes.containerHeaderLength(b, h);
			te = MsgpackBytes.endComplete(b, t, he);
			if (n >= 2 && MsgpackBytes.isMap(b, te)) {
				m = te;
				me = MsgpackBytes.endComplete(b, te, he);
			}
		}
		else {
			t = h;
			te = he;
		}
		int r = he;
		int re = MsgpackBytes.endComplete(b, r, end);
		if (!MsgpackBytes.isMap(b, r)) {
			return null;
		}
		// skip group markers (seconds -1 and -2 as 32-bit values)
		if ((b[t] & 0xff) == 0xd7 && b[t + 1] == 0 && MsgpackBytes.u32(b, t + 2) >= 0xfffffffeL) {
			return null;
		}
		return new Slices(t, te, m, me, r, re);
	}

	private static long seconds(byte[] b, int t, int te) throws IOException {
		try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b, t, te - t)) {
			var time = dev.sluice.event.EventDecoder.readTime(u);
			return (time != null) ? time.seconds() : 0;
		}
	}

	private static Message forwardMode(String tag, byte[] b, int off, int len, Settings s) throws IOException {
		int end = off + len;
		byte[] entries;
		int count = 0;
		if (s.retainMetadata() && !s.timeAsInteger()) {
			entries = Arrays.copyOfRange(b, off, end);
			int p = off;
			while (p < end) {
				p = MsgpackBytes.endComplete(b, p, end);
				count++;
			}
		}
		else {
			ByteSink sink = new ByteSink(len);
			MessageBufferPacker tp = MessagePack.newDefaultBufferPacker();
			int p = off;
			while (p < end) {
				int e = MsgpackBytes.endComplete(b, p, end);
				Slices sl = slices(b, p, e);
				p = e;
				if (sl == null) {
					continue;
				}
				if (s.timeAsInteger()) {
					sink.write(0x92);
					tp.clear();
					tp.packLong(seconds(b, sl.time(), sl.timeEnd()));
					sink.write(tp.toByteArray());
				}
				else {
					sink.write(new byte[] { (byte) 0xdd, 0, 0, 0, 2 });
					sink.write(b, sl.time(), sl.timeEnd() - sl.time());
				}
				sink.write(b, sl.rec(), sl.recEnd() - sl.rec());
				count++;
			}
			entries = sink.toByteArray();
		}
		String chunk = s.requireAck() ? chunkId(entries, 0, entries.length) : null;
		boolean options = s.sendOptions() || s.requireAck() || s.gzip() || !s.addOptions().isEmpty();
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(options ? 3 : 2);
		p.packString(tag);
		if (s.gzip()) {
			byte[] gz = gzip(entries);
			p.packBinaryHeader(gz.length);
			p.writePayload(gz);
		}
		else {
			p.packArrayHeader(count);
			p.writePayload(entries);
		}
		if (options) {
			int n = 2 + (chunk != null ? 1 : 0) + (s.gzip() ? 1 : 0) + s.addOptions().size();
			mapHeader32(p, n);
			if (chunk != null) {
				p.packString("chunk");
				p.packString(chunk);
			}
			p.packString("size");
			p.packInt(count);
			if (s.gzip()) {
				p.packString("compressed");
				p.packString("gzip");
			}
			p.packString("fluent_signal");
			p.packInt(0);
			addOptions(p, s);
		}
		return new Message(p.toByteArray(), chunk, count);
	}

	private static void addOptions(MessageBufferPacker p, Settings s) throws IOException {
		for (List<String> kv : s.addOptions()) {
			p.packString(kv.get(0));
			p.packString((kv.size() > 1) ? kv.get(1) : "");
		}
	}

	private static List<Message> messageMode(String tag, byte[] b, int off, int len, Settings s) throws IOException {
		List<Message> out = new ArrayList<>();
		int end = off + len;
		int p = off;
		MessageBufferPacker mp = MessagePack.newDefaultBufferPacker();
		while (p < end) {
			int e = MsgpackBytes.endComplete(b, p, end);
			Slices sl = slices(b, p, e);
			int start = p;
			p = e;
			if (sl == null) {
				continue;
			}
			Map<String, Object> record;
			try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b, sl.rec(), sl.recEnd() - sl.rec())) {
				record = MsgpackValues.unpackMapBody(u, u.unpackMapHeader());
			}
			String t = s.dynamicTag().tag(tag, record);
			if (t == null || t.isEmpty()) {
				t = tag;
			}
			String chunk = s.requireAck() ? chunkId(b, start, e - start) : null;
			mp.clear();
			mp.packArrayHeader(4);
			mp.packString(t);
			if (s.timeAsInteger()) {
				mp.packLong(seconds(b, sl.time(), sl.timeEnd()));
			}
			else {
				mp.writePayload(b, sl.time(), sl.timeEnd() - sl.time());
			}
			mp.writePayload(b, sl.rec(), sl.recEnd() - sl.rec());
			mapHeader32(mp, 2 + (chunk != null ? 1 : 0) + s.addOptions().size());
			if (chunk != null) {
				mp.packString("chunk");
				mp.packString(chunk);
			}
			mp.packString("fluent_signal");
			mp.packInt(0);
			mp.packString("metadata");
			if (sl.meta() >= 0) {
				mp.writePayload(b, sl.meta(), sl.metaEnd() - sl.meta());
			}
			else {
				mp.packMapHeader(0);
			}
			addOptions(mp, s);
			out.add(new Message(mp.toByteArray(), chunk, 1));
		}
		return out;
	}

	private static void mapHeader32(MessageBufferPacker p, int n) throws IOException {
		p.writePayload(new byte[] { (byte) 0xdf, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n });
	}

	/** Base64 of the first 16 bytes of SHA-512 over the bytes: the ack id Fluent Bit sends. */
	public static String chunkId(byte[] b, int off, int len) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-512");
			md.update(b, off, len);
			return Base64.getEncoder().encodeToString(Arrays.copyOf(md.digest(), 16));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, data.length / 4));
		try (GZIPOutputStream gz = new GZIPOutputStream(bos, 8192)) {
			gz.write(data);
		}
		return bos.toByteArray();
	}
}
