package dev.sluice.net.forward;

/**
 * Byte-level msgpack helpers for framing: finds where one complete value ends in a buffer
 * without decoding it (iteratively, so deep nesting cannot overflow the stack), and reads the
 * headers the Forward protocol needs. All offsets are absolute indexes into the array.
 */
public final class MsgpackBytes {

	/** Returned by {@link #end} when the value is not complete yet. */
	public static final int INCOMPLETE = -1;

	private MsgpackBytes() {
	}

	/** Raised on bytes that can never be valid msgpack. */
	public static final class InvalidMsgpackException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		public InvalidMsgpackException(String message) {
			super(message);
		}
	}

	/**
	 * The offset just after the complete value starting at {@code off}, or {@link #INCOMPLETE}
	 * when {@code limit} comes first.
	 * @throws InvalidMsgpackException on the reserved byte {@code 0xc1}
	 */
	public static int end(byte[] b, int off, int limit) {
		long pending = 1;
		int p = off;
		while (pending > 0) {
			if (p >= limit) {
				return INCOMPLETE;
			}
			int t = b[p] & 0xff;
			pending--;
			long skip;
			int hdr;
			if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
				p += 1;
				continue;
			}
			if (t >= 0x80 && t <= 0x8f) {
				pending += 2L * (t & 0x0f);
				p += 1;
				continue;
			}
			if (t >= 0x90 && t <= 0x9f) {
				pending += (t & 0x0f);
				p += 1;
				continue;
			}
			if (t >= 0xa0 && t <= 0xbf) {
				hdr = 1;
				skip = t & 0x1f;
			}
			else {
				switch (t) {
					case 0xc4, 0xd9 -> {
						if (p + 2 > limit) {
							return INCOMPLETE;
						}
						hdr = 2;
						skip = b[p + 1] & 0xff;
					}
					case 0xc5, 0xda -> {
						if (p + 3 > limit) {
							return INCOMPLETE;
						}
						hdr = 3;
						skip = u16(b, p + 1);
					}
					case 0xc6, 0xdb -> {
						if (p + 5 > limit) {
							return INCOMPLETE;
						}
						hdr = 5;
						skip = u32(b, p + 1);
					}
					case 0xc7 -> {
						if (p + 2 > limit) {
							return INCOMPLETE;
						}
						hdr = 3;
						skip = b[p + 1] & 0xff;
					}
					case 0xc8 -> {
						if (p + 3 > limit) {
							return INCOMPLETE;
						}
						hdr = 4;
						skip = u16(b, p + 1);
					}
					case 0xc9 -> {
						if (p + 5 > limit) {
							return INCOMPLETE;
						}
						hdr = 6;
						skip = u32(b, p + 1);
					}
					case 0xca, 0xce, 0xd2 -> {
						hdr = 5;
						skip = 0;
					}
					case 0xcb, 0xcf, 0xd3 -> {
						hdr = 9;
						skip = 0;
					}
					case 0xcc, 0xd0 -> {
						hdr = 2;
						skip = 0;
					}
					case 0xcd, 0xd1 -> {
						hdr = 3;
						skip = 0;
					}
					case 0xd4 -> {
						hdr = 3;
						skip = 0;
					}
					case 0xd5 -> {
						hdr = 4;
						skip = 0;
					}
					case 0xd6 -> {
						hdr = 6;
						skip = 0;
					}
					case 0xd7 -> {
						hdr = 10;
						skip = 0;
					}
					case 0xd8 -> {
						hdr = 18;
						skip = 0;
					}
					case 0xdc -> {
						if (p + 3 > limit) {
							return INCOMPLETE;
						}
						pending += u16(b, p + 1);
						p += 3;
						continue;
					}
					case 0xdd -> {
						if (p + 5 > limit) {
							return INCOMPLETE;
						}
						pending += u32(b, p + 1);
						p += 5;
						continue;
					}
					case 0xde -> {
						if (p + 3 > limit) {
							return INCOMPLETE;
						}
						pending += 2L * u16(b, p + 1);
						p += 3;
						continue;
					}
					case 0xdf -> {
						if (p + 5 > limit) {
							return INCOMPLETE;
						}
						pending += 2L * u32(b, p + 1);
						p += 5;
						continue;
					}
					default -> throw new InvalidMsgpackException("invalid msgpack byte 0x" + Integer.toHexString(t) + " at offset " + p);
				}
			}
			long next = (long) p + hdr + skip;
			if (next > limit) {
				return INCOMPLETE;
			}
			p = (int) next;
		}
		return p;
	}

	/** Like {@link #end} but the value must be complete: throws otherwise. */
	public static int endComplete(byte[] b, int off, int limit) {
		int e = end(b, off, limit);
		if (e == INCOMPLETE) {
			throw new InvalidMsgpackException("truncated msgpack value at offset " + off);
		}
		return e;
	}

	public static boolean isArray(byte[] b, int p) {
		int t = b[p] & 0xff;
		return (t >= 0x90 && t <= 0x9f) || t == 0xdc || t == 0xdd;
	}

	public static boolean isMap(byte[] b, int p) {
		int t = b[p] & 0xff;
		return (t >= 0x80 && t <= 0x8f) || t == 0xde || t == 0xdf;
	}

	public static boolean isStr(byte[] b, int p) {
		int t = b[p] & 0xff;
		return (t >= 0xa0 && t <= 0xbf) || t == 0xd9 || t == 0xda || t == 0xdb;
	}

	public static boolean isBin(byte[] b, int p) {
		int t = b[p] & 0xff;
		return t == 0xc4 || t == 0xc5 || t == 0xc6;
	}

	public static boolean isNil(byte[] b, int p) {
		return (b[p] & 0xff) == 0xc0;
	}

	/** An array's element count (header at {@code p}, which must be an array). */
	public static long arraySize(byte[] b, int p) {
		int t = b[p] & 0xff;
		if (t >= 0x90 && t <= 0x9f) {
			return t & 0x0f;
		}
		return (t == 0xdc) ? u16(b, p + 1) : u32(b, p + 1);
	}

	/** The length of an array or map header. */
	public static int containerHeaderLength(byte[] b, int p) {
		int t = b[p] & 0xff;
		if (t == 0xdc || t == 0xde) {
			return 3;
		}
		if (t == 0xdd || t == 0xdf) {
			return 5;
		}
		return 1;
	}

	/** The offset and length of a str or bin payload: {@code [payloadOffset, payloadLength]}. */
	public static long[] rawPayload(byte[] b, int p) {
		int t = b[p] & 0xff;
		if (t >= 0xa0 && t <= 0xbf) {
			return new long[] { p + 1, t & 0x1f };
		}
		return switch (t) {
			case 0xc4, 0xd9 -> new long[] { p + 2, b[p + 1] & 0xff };
			case 0xc5, 0xda -> new long[] { p + 3, u16(b, p + 1) };
			case 0xc6, 0xdb -> new long[] { p + 5, u32(b, p + 1) };
			default -> throw new InvalidMsgpackException("expected a string or binary at offset " + p);
		};
	}

	/** A str (or bin) value as a UTF-8 string. */
	public static String string(byte[] b, int p) {
		long[] r = rawPayload(b, p);
		return new String(b, (int) r[0], (int) r[1], java.nio.charset.StandardCharsets.UTF_8);
	}

	static int u16(byte[] b, int p) {
		return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
	}

	static long u32(byte[] b, int p) {
		return ((long) (b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
	}
}
