package dev.sluice.storage;

import dev.sluice.net.forward.MsgpackBytes;

/**
 * Walks the content of a chunk record by record, checking each is a whole event
 * {@code [[time, {meta}], {body}]} (or the legacy {@code [time, {body}]}), so that what a damaged
 * file still holds can be salvaged.
 */
public final class ChunkRecords {

	private ChunkRecords() {
	}

	/**
	 * @param records whole events from the start
	 * @param validBytes how many leading bytes they take
	 * @param clean every byte is a whole event (or a zero tail: page padding)
	 */
	public record Scan(int records, int validBytes, boolean clean) {
	}

	public static Scan scan(byte[] b, int off, int len) {
		int limit = off + len;
		int p = off;
		int n = 0;
		while (p < limit) {
			int end = eventEnd(b, p, limit);
			if (end < 0) {
				boolean zeros = true;
				for (int i = p; i < limit; i++) {
					if (b[i] != 0) {
						zeros = false;
						break;
					}
				}
				return new Scan(n, p - off, zeros);
			}
			n++;
			p = end;
		}
		return new Scan(n, p - off, true);
	}

	/** The end of the event starting at {@code p}, or -1 when the bytes there are not one. */
	static int eventEnd(byte[] b, int p, int limit) {
		int end;
		try {
			end = MsgpackBytes.end(b, p, limit);
		}
		catch (RuntimeException ex) {
			return -1;
		}
		if (end == MsgpackBytes.INCOMPLETE) {
			return -1;
		}
		// [header, body]
		if ((b[p] & 0xff) != 0x92) {
			return -1;
		}
		int h = p + 1;
		int hEnd;
		if ((b[h] & 0xff) == 0x92) {
			// [time, {meta}]
			int t = h + 1;
			if (!isTime(b, t)) {
				return -1;
			}
			int tEnd = MsgpackBytes.end(b, t, end);
			if (tEnd < 0 || !MsgpackBytes.isMap(b, tEnd)) {
				return -1;
			}
			hEnd = MsgpackBytes.end(b, tEnd, end);
		}
		else if (isTime(b, h)) {
			hEnd = MsgpackBytes.end(b, h, end);
		}
		else {
			return -1;
		}
		if (hEnd < 0 || hEnd >= end || !MsgpackBytes.isMap(b, hEnd) || MsgpackBytes.end(b, hEnd, end) != end) {
			return -1;
		}
		return end;
	}

	private static boolean isTime(byte[] b, int p) {
		int t = b[p] & 0xff;
		return t <= 0x7f // positive fixint
				|| (t >= 0xcc && t <= 0xd3) // ints
				|| t == 0xca || t == 0xcb // float
				|| (t == 0xd7 && b.length > p + 1 && b[p + 1] == 0) // fixext8 type 0: EventTime
				|| (t == 0xc7 && b.length > p + 2 && (b[p + 1] & 0xff) == 8 && b[p + 2] == 0);
	}
}
