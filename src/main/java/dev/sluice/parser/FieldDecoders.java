package dev.sluice.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.parser.ParserDefinition.Action;
import dev.sluice.parser.ParserDefinition.Backend;
import dev.sluice.parser.ParserDefinition.DecoderRule;

/**
 * A parser's {@code Decode_Field} / {@code Decode_Field_As} rules, applied to a parsed record as
 * Fluent Bit's {@code flb_parser_decoder_do}: rules are grouped by field; per field, rules run in
 * order, {@code try_next} moves on after a failure, {@code do_next} after a success; at most one
 * {@code Decode_Field_As} result replaces the value, and a {@code Decode_Field} (json) result is
 * merged as extra keys at the end of the record (the original field stays). Thread-safe.
 */
final class FieldDecoders {

	private final Map<String, List<DecoderRule>> byField = new LinkedHashMap<>();

	private final Map<String, byte[]> fieldKeys = new LinkedHashMap<>();

	FieldDecoders(List<DecoderRule> rules) {
		for (DecoderRule r : rules) {
			this.byField.computeIfAbsent(r.field(), (k) -> new ArrayList<>()).add(r);
			this.fieldKeys.put(r.field(), r.field().getBytes(StandardCharsets.UTF_8));
		}
	}

	private List<DecoderRule> rulesFor(MapSlices m, int i) {
		if (!m.keyIsString(i)) {
			return null;
		}
		for (Map.Entry<String, byte[]> e : this.fieldKeys.entrySet()) {
			if (m.keyEquals(i, e.getValue())) {
				return this.byField.get(e.getKey());
			}
		}
		return null;
	}

	/** Decodes; returns the new map bytes, or the input when no field has a decoder. */
	byte[] apply(byte[] map) {
		MapSlices m = MapSlices.scan(map, 0, map.length);
		if (m == null) {
			return map;
		}
		int matched = -1;
		for (int i = 0; i < m.size() && matched < 0; i++) {
			if (rulesFor(m, i) != null) {
				matched = i;
			}
		}
		if (matched < 0) {
			return map;
		}
		MsgpackWriter w = new MsgpackWriter(map.length + 64);
		w.mapHeader(m.size());
		byte[] extra = null;
		for (int i = 0; i < m.size(); i++) {
			List<DecoderRule> rules = (i < matched) ? null : rulesFor(m, i);
			if (rules == null || !m.valueIsString(i)) {
				w.writeRaw(map, m.entryStart(i), m.entryEnd(i) - m.entryStart(i));
				continue;
			}
			byte[] data = java.util.Arrays.copyOfRange(map, m.valuePayloadStart(i), m.valuePayloadEnd(i));
			boolean addExtra = rules.stream().anyMatch((r) -> !r.as());
			if (addExtra) {
				extra = null;
			}
			boolean decoded = false;
			boolean decodedAs = false;
			Decoded in = null;
			Decoded out = null;
			for (DecoderRule rule : rules) {
				if (!rule.as() && rule.action() == Action.DO_NEXT && decoded) {
					continue;
				}
				if (decodedAs && in != null && in.object) {
					continue;
				}
				Decoded d = decode(rule.backend(), data);
				if (d == null) {
					if (rule.action() == Action.TRY_NEXT || rule.action() == Action.DO_NEXT) {
						continue;
					}
					break;
				}
				if (rule.as()) {
					in = d;
					data = d.bytes;
					decodedAs = true;
				}
				else {
					out = d;
					decoded = true;
				}
				if (rule.action() == Action.DO_NEXT) {
					continue;
				}
				break;
			}
			w.writeRaw(map, m.entryStart(i), m.valueStart(i) - m.entryStart(i));
			if (decodedAs) {
				if (in.object) {
					w.writeRaw(in.bytes);
				}
				else {
					w.str(in.bytes, 0, in.bytes.length);
				}
			}
			else {
				w.writeRaw(map, m.valueStart(i), m.entryEnd(i) - m.valueStart(i));
			}
			if (decoded && out.object) {
				extra = out.bytes;
			}
		}
		byte[] result = w.toByteArray();
		if (extra == null) {
			return result;
		}
		MapSlices x = MapSlices.scan(extra, 0, extra.length);
		if (x == null) {
			return result;
		}
		MsgpackWriter merged = new MsgpackWriter(result.length + extra.length);
		merged.mapHeader(m.size() + x.size());
		MapSlices r = MapSlices.scan(result, 0, result.length);
		if (r.size() > 0) {
			merged.writeRaw(result, r.entryStart(0), r.entryEnd(r.size() - 1) - r.entryStart(0));
		}
		if (x.size() > 0) {
			merged.writeRaw(extra, x.entryStart(0), x.entryEnd(x.size() - 1) - x.entryStart(0));
		}
		return merged.toByteArray();
	}

	/** A decoder's output: text, or an encoded msgpack object. */
	private record Decoded(byte[] bytes, boolean object) {
	}

	private static Decoded decode(Backend backend, byte[] in) {
		return switch (backend) {
			case JSON -> {
				byte[] text = unescape(in);
				// Fluent Bit checks the first byte: no leading blanks
				if (text.length == 0 || text[0] != '{') {
					yield null;
				}
				MsgpackWriter w = new MsgpackWriter(text.length + 16);
				JsonToMsgpack j = new JsonToMsgpack();
				if (j.convert(text, 0, text.length, w) != JsonToMsgpack.Result.OBJECT) {
					yield null;
				}
				yield new Decoded(Parser.compactTopHeader(w), true);
			}
			case ESCAPED -> new Decoded(unescape(in), false);
			case ESCAPED_UTF8 -> new Decoded(unescapeUtf8(in), false);
			case MYSQL_QUOTED -> new Decoded(mysqlQuoted(in), false);
		};
	}

	/** Fluent Bit's {@code unescape_string}: C escapes to control characters, {@code \X} to X. */
	static byte[] unescape(byte[] buf) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length);
		int i = 0;
		while (i < buf.length) {
			if (buf[i] == '\\') {
				if (i + 1 < buf.length) {
					byte n = buf[i + 1];
					int c = switch (n) {
						case 'n' -> '\n';
						case 'a' -> 7;
						case 'b' -> '\b';
						case 't' -> '\t';
						case 'v' -> 11;
						case 'f' -> '\f';
						case 'r' -> '\r';
						default -> -1;
					};
					if (c >= 0) {
						out.write(c);
						i += 2;
						continue;
					}
					i++;
				}
				else {
					i++;
					continue;
				}
			}
			out.write(buf[i++]);
		}
		return out.toByteArray();
	}

	/** Fluent Bit's {@code unescape_string_utf8}: C escapes (octal, hex, 4- and 8-digit unicode) to UTF-8. */
	static byte[] unescapeUtf8(byte[] in) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		int i = 0;
		while (i < in.length && in[i] != 0) {
			int ch;
			int next = (i + 1 < in.length) ? in[i + 1] : 0;
			if (in[i] == '\\' && !(next == '"' || next == '\'' || next == '\\' || next == '/')) {
				int[] r = readEscape(in, i + 1);
				ch = r[0];
				i += r[1] + 1;
			}
			else {
				ch = in[i] & 0xFF;
				i++;
			}
			if (ch < 0x80) {
				out.write(ch);
			}
			else if (ch < 0x800) {
				out.write((ch >> 6) | 0xC0);
				out.write((ch & 0x3F) | 0x80);
			}
			else if (ch < 0x10000) {
				out.write((ch >> 12) | 0xE0);
				out.write(((ch >> 6) & 0x3F) | 0x80);
				out.write((ch & 0x3F) | 0x80);
			}
			else if (ch < 0x110000) {
				out.write((ch >> 18) | 0xF0);
				out.write(((ch >> 12) & 0x3F) | 0x80);
				out.write(((ch >> 6) & 0x3F) | 0x80);
				out.write((ch & 0x3F) | 0x80);
			}
		}
		return out.toByteArray();
	}

	private static int[] readEscape(byte[] s, int p) {
		int c0 = (p < s.length) ? s[p] & 0xFF : 0;
		int ch = c0;
		int i = 1;
		switch (c0) {
			case 'n' -> ch = '\n';
			case 't' -> ch = '\t';
			case 'r' -> ch = '\r';
			case 'b' -> ch = '\b';
			case 'f' -> ch = '\f';
			case 'v' -> ch = 11;
			case 'a' -> ch = 7;
			default -> {
				if (c0 >= '0' && c0 <= '7') {
					i = 0;
					int v = 0;
					int dno = 0;
					do {
						v = v * 8 + (s[p + i] - '0');
						dno++;
						i++;
					}
					while (p + i < s.length && s[p + i] >= '0' && s[p + i] <= '7' && dno < 3);
					ch = v;
				}
				else if (c0 == 'x' || c0 == 'u' || c0 == 'U') {
					int max = (c0 == 'x') ? 2 : (c0 == 'u') ? 4 : 8;
					int v = 0;
					int dno = 0;
					while (p + i < s.length && Character.digit(s[p + i], 16) >= 0 && dno < max) {
						v = v * 16 + Character.digit(s[p + i], 16);
						dno++;
						i++;
					}
					if (dno > 0) {
						ch = v;
					}
				}
			}
		}
		return new int[] { ch, i };
	}

	/** MySQL quoted strings: surrounding quotes removed, backslash escapes and doubled quotes undone. */
	static byte[] mysqlQuoted(byte[] in) {
		if (in.length < 2 || !((in[0] == '"' && in[in.length - 1] == '"') || (in[0] == '\'' && in[in.length - 1] == '\''))) {
			return in;
		}
		byte quote = in[0];
		ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		for (int i = 1; i < in.length - 1; i++) {
			byte c = in[i];
			if (c == '\\' && i + 1 < in.length - 1) {
				byte n = in[++i];
				out.write(switch (n) {
					case '0' -> 0;
					case 'b' -> '\b';
					case 'n' -> '\n';
					case 'r' -> '\r';
					case 't' -> '\t';
					case 'Z' -> 26;
					default -> n;
				});
			}
			else if (c == quote && i + 1 < in.length - 1 && in[i + 1] == quote) {
				out.write(quote);
				i++;
			}
			else {
				out.write(c);
			}
		}
		return out.toByteArray();
	}
}
