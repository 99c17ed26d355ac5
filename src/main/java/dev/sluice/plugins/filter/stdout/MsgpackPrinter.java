package dev.sluice.plugins.filter.stdout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageUnpacker;

import dev.sluice.plugins.filter.CFormat;

/**
 * msgpack-c's {@code msgpack_object_print}, which Fluent Bit's stdout filter (and the stdout
 * output's msgpack format) use: {@code {"k"=>"v", "n"=>1}}, arrays {@code [1, 2]}, floats with
 * C's {@code %f}, strings as raw bytes between quotes (no escaping), binaries and extensions with
 * non-printable bytes as {@code \xNN}, extensions prefixed {@code (ext: TYPE)}. Works on the raw
 * msgpack so repeated keys and the exact types print as written.
 */
public final class MsgpackPrinter {

	private MsgpackPrinter() {
	}

	/** Prints the next value of the unpacker. */
	public static void print(MessageUnpacker u, ByteArrayOutputStream out) throws IOException {
		MessageFormat f = u.getNextFormat();
		switch (f.getValueType()) {
			case NIL -> {
				u.unpackNil();
				ascii(out, "nil");
			}
			case BOOLEAN -> ascii(out, u.unpackBoolean() ? "true" : "false");
			case INTEGER -> {
				if (f == MessageFormat.UINT64) {
					ascii(out, u.unpackBigInteger().toString());
				}
				else {
					ascii(out, Long.toString(u.unpackLong()));
				}
			}
			case FLOAT -> ascii(out, CFormat.f(u.unpackDouble()));
			case STRING -> {
				int n = u.unpackRawStringHeader();
				out.write('"');
				out.write(u.readPayload(n));
				out.write('"');
			}
			case BINARY -> {
				int n = u.unpackBinaryHeader();
				out.write('"');
				bin(out, u.readPayload(n));
				out.write('"');
			}
			case EXTENSION -> {
				ExtensionTypeHeader h = u.unpackExtensionTypeHeader();
				ascii(out, "(ext: " + h.getType() + ")");
				out.write('"');
				bin(out, u.readPayload(h.getLength()));
				out.write('"');
			}
			case ARRAY -> {
				int n = u.unpackArrayHeader();
				out.write('[');
				for (int i = 0; i < n; i++) {
					if (i > 0) {
						ascii(out, ", ");
					}
					print(u, out);
				}
				out.write(']');
			}
			case MAP -> {
				int n = u.unpackMapHeader();
				out.write('{');
				for (int i = 0; i < n; i++) {
					if (i > 0) {
						ascii(out, ", ");
					}
					print(u, out);
					ascii(out, "=>");
					print(u, out);
				}
				out.write('}');
			}
			default -> {
				u.skipValue();
				ascii(out, "#<UNKNOWN>");
			}
		}
	}

	private static void bin(ByteArrayOutputStream out, byte[] b) {
		for (byte x : b) {
			int c = x & 0xFF;
			if (c == '"') {
				ascii(out, "\\\"");
			}
			else if (c >= 0x20 && c < 0x7F) {
				out.write(c);
			}
			else {
				ascii(out, String.format("\\x%02x", c));
			}
		}
	}

	static void ascii(ByteArrayOutputStream out, String s) {
		out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
	}
}
