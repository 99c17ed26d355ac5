package dev.sluice.plugins.out.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code file} output: appends each chunk to {@code path/file}, the file name
 * defaulting to the chunk's tag (made safe: each {@code /}-separated part keeps only letters,
 * digits, {@code - _ .}, and {@code .} or {@code ..} parts become {@code _}).
 *
 * <p>Formats: the default ({@code out_file}) {@code tag: [sec.nsec, {json}]}; {@code plain} the
 * record as JSON; {@code csv} {@code sec.nsec} and the values, with {@code csv_column_names} a
 * {@code timestamp,"key",…} header before the first record of each flush (as Fluent Bit, which
 * cannot tell that an appended file is not empty); {@code ltsv} {@code "time":<%f>} and
 * {@code key:value} pairs; {@code template} the template with {@code {time}} and
 * {@code {key}} filled; {@code msgpack} the raw events. Values in csv, ltsv and template are
 * printed as msgpack-c prints them ({@code "text"}, {@code 1.500000}); {@code delimiter} and
 * {@code label_delimiter} accept only {@code tab} ({@code \t}), {@code space} and
 * {@code comma}, as in Fluent Bit.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "file", description = "Generate log file", config = FileConfig.class, workers = 1)
public final class FileOutput implements OutputPlugin<FileConfig> {

	enum Format {
		OUT_FILE, PLAIN, CSV, LTSV, TEMPLATE, MSGPACK
	}

	private FileConfig config;

	private Format format = Format.OUT_FILE;

	private byte[] delimiter;

	private byte[] labelDelimiter;

	private byte[] template;

	private JsonFormatter formatter;

	@Override
	public void init(FileConfig config, OutputContext context) {
		this.config = config;
		this.formatter = JsonFormatter.standard();
		checkAction("on_missing_field", config.onMissingField);
		checkAction("on_limit_reached", config.onLimitReached);
		if (config.maxDynamicFiles < 0) {
			throw new IllegalArgumentException("file: max_dynamic_files must not be negative");
		}
		if ((config.onMissingField.equalsIgnoreCase("fallback") || config.onLimitReached.equalsIgnoreCase("fallback"))
				&& config.fallbackFile == null) {
			throw new IllegalArgumentException("file: fallback_file is required for fallback actions");
		}
		if (config.path != null && config.path.indexOf('$') >= 0) {
			if (config.path.startsWith("$")) {
				throw new IllegalArgumentException(
						"file: dynamic 'path' must include a static prefix before record accessors");
			}
			throw new IllegalArgumentException("file: record accessors in 'path' are not supported yet");
		}
		if (config.file != null && config.file.indexOf('$') >= 0) {
			throw new IllegalArgumentException("file: record accessors in 'file' are not supported yet");
		}
		if (config.enableStrftime && ((config.path != null && config.path.indexOf('%') >= 0)
				|| (config.file != null && config.file.indexOf('%') >= 0))) {
			throw new IllegalArgumentException("file: option 'enable_strftime' is not supported yet");
		}
		if (config.rotate) {
			throw new IllegalArgumentException("file: option 'rotate' is not supported yet");
		}
		if (config.format != null) {
			switch (config.format.toLowerCase(Locale.ROOT)) {
				case "csv" -> {
					this.format = Format.CSV;
					this.delimiter = bytes(",");
				}
				case "ltsv" -> {
					this.format = Format.LTSV;
					this.delimiter = bytes("\t");
					this.labelDelimiter = bytes(":");
				}
				case "plain" -> this.format = Format.PLAIN;
				case "msgpack" -> this.format = Format.MSGPACK;
				case "template" -> this.format = Format.TEMPLATE;
				case "out_file" -> this.format = Format.OUT_FILE;
				default -> throw new IllegalArgumentException("file: unknown format " + config.format + ". abort.");
			}
		}
		String d = checkDelimiter(config.delimiter);
		if (d != null) {
			this.delimiter = bytes(d);
		}
		d = checkDelimiter(config.labelDelimiter);
		if (d != null) {
			this.labelDelimiter = bytes(d);
		}
		this.template = bytes(config.template);
	}

	private static byte[] bytes(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private static void checkAction(String name, String value) {
		String v = value.toLowerCase(Locale.ROOT);
		if (!(v.equals("error") || v.equals("drop") || v.equals("fallback"))) {
			throw new IllegalArgumentException(
					"file: invalid " + name + " value '" + value + "', expected error, drop or fallback");
		}
	}

	/** Fluent Bit's {@code check_delimiter}: only these names are understood. */
	static String checkDelimiter(String s) {
		if (s == null) {
			return null;
		}
		String l = s.toLowerCase(Locale.ROOT);
		return switch (l) {
			case "\\t", "tab" -> "\t";
			case "space" -> " ";
			case "comma" -> ",";
			default -> null;
		};
	}

	/** The file a chunk of this tag is written to. */
	Path target(String tag) {
		String name = (this.config.file != null) ? this.config.file : sanitizeTag(tag);
		return (this.config.path != null) ? Path.of(this.config.path + "/" + name) : Path.of(name);
	}

	/** Fluent Bit's {@code sanitize_tag_name}. */
	static String sanitizeTag(String tag) {
		byte[] b = tag.getBytes(StandardCharsets.UTF_8);
		StringBuilder out = new StringBuilder(b.length);
		int i = 0;
		while (i < b.length) {
			while (i < b.length && (b[i] == '/' || b[i] == '\\')) {
				i++;
			}
			if (i >= b.length) {
				break;
			}
			int start = i;
			while (i < b.length && b[i] != '/' && b[i] != '\\') {
				i++;
			}
			int n = i - start;
			if (out.length() > 0) {
				out.append('/');
			}
			if ((n == 1 && b[start] == '.') || (n == 2 && b[start] == '.' && b[start + 1] == '.')) {
				out.append('_');
				continue;
			}
			for (int k = start; k < i; k++) {
				int c = b[k] & 0xff;
				boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
						|| c == '_' || c == '.';
				out.append(ok ? (char) c : '_');
			}
		}
		return (out.length() == 0) ? "_" : out.toString();
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		if (chunk.eventType() != 0) {
			context.log().error("file: writing metrics or trace events is not supported yet");
			return FlushResult.ERROR;
		}
		EventBytes e = chunk.events();
		JsonFormatter.Sink sink = JsonFormatter.Sink.pooled(e.length() * 2 + 64);
		try {
			return write(chunk, e, sink, context);
		}
		finally {
			sink.release();
		}
	}

	private FlushResult write(Chunk chunk, EventBytes e, JsonFormatter.Sink sink, OutputContext context) {
		try {
			if (this.format == Format.MSGPACK) {
				sink.write(e.data(), e.offset(), e.length());
			}
			else {
				format(chunk, sink, context);
			}
		}
		catch (EventFormatException ex) {
			context.log().error("Log event decoder error : {}", ex.getMessage());
			return FlushResult.ERROR;
		}
		Path target = target(chunk.tag());
		try (OutputStream out = open(target, context)) {
			if (out == null) {
				return FlushResult.ERROR;
			}
			sink.writeTo(out);
		}
		catch (IOException ex) {
			context.log().error("error writing: {}: {}", target, ex.getMessage());
			return FlushResult.RETRY;
		}
		return FlushResult.OK;
	}

	private OutputStream open(Path target, OutputContext context) {
		try {
			return Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
					StandardOpenOption.WRITE);
		}
		catch (NoSuchFileException ex) {
			if (this.config.mkdir && target.toAbsolutePath().getParent() != null) {
				Path dir = target.toAbsolutePath().getParent();
				try {
					if (Files.exists(dir) && !Files.isDirectory(dir)) {
						context.log().error("{} is not a directory", dir);
					}
					else {
						Files.createDirectories(dir);
						return Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
								StandardOpenOption.WRITE);
					}
				}
				catch (IOException ex2) {
					context.log().error("could not create directory '{}': {}", dir, ex2.getMessage());
				}
			}
			context.log().error("error opening: {}", target);
			return null;
		}
		catch (IOException ex) {
			context.log().error("error opening: {}: {}", target, ex.getMessage());
			return null;
		}
	}

	private void format(Chunk chunk, JsonFormatter.Sink o, OutputContext context) {
		JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(chunk.events());
		byte[] b = c.data();
		byte[] tag = bytes(chunk.tag());
		boolean columnNames = this.config.csvColumnNames;
		while (c.next()) {
			if (c.isGroupMarker()) {
				continue;
			}
			int body = c.bodyOffset();
			switch (this.format) {
				case OUT_FILE -> {
					o.write(tag);
					o.writeAscii(": [");
					o.writeLong(c.seconds());
					o.write('.');
					JsonFormatter.appendPadded(o, c.nanos(), 9);
					o.writeAscii(", ");
					this.formatter.writeJson(b, body, o);
					o.writeAscii("]\n");
				}
				case PLAIN -> {
					this.formatter.writeJson(b, body, o);
					o.write('\n');
				}
				case CSV -> {
					csv(c, b, body, columnNames, o);
					columnNames = false;
				}
				case LTSV -> ltsv(c, b, body, o);
				case TEMPLATE -> template(c, b, body, o, context);
				default -> throw new IllegalStateException();
			}
		}
	}

	private void csv(JsonFormatter.EventCursor c, byte[] b, int body, boolean columnNames, JsonFormatter.Sink o) {
		long mh = JsonFormatter.mapHeader(b, body);
		int n = (int) (mh >>> 32);
		if (mh < 0 || n == 0) {
			return;
		}
		int first = (int) mh;
		if (columnNames) {
			o.writeAscii("timestamp");
			o.write(this.delimiter);
			int p = first;
			for (int i = 0; i < n; i++) {
				p = JsonFormatter.printMsgpack(b, p, o);
				p = JsonFormatter.skip(b, p);
				if (i + 1 < n) {
					o.write(this.delimiter);
				}
			}
			o.write('\n');
		}
		o.writeLong(c.seconds());
		o.write('.');
		JsonFormatter.appendPadded(o, c.nanos(), 9);
		o.write(this.delimiter);
		int p = first;
		for (int i = 0; i < n; i++) {
			p = JsonFormatter.skip(b, p);
			p = JsonFormatter.printMsgpack(b, p, o);
			if (i + 1 < n) {
				o.write(this.delimiter);
			}
		}
		o.write('\n');
	}

	private void ltsv(JsonFormatter.EventCursor c, byte[] b, int body, JsonFormatter.Sink o) {
		long mh = JsonFormatter.mapHeader(b, body);
		int n = (int) (mh >>> 32);
		if (mh < 0 || n == 0) {
			return;
		}
		o.writeAscii("\"time\"");
		o.write(this.labelDelimiter);
		JsonFormatter.appendFixed(o, timeDouble(c), 6);
		o.write(this.delimiter);
		int p = (int) mh;
		for (int i = 0; i < n; i++) {
			p = JsonFormatter.printMsgpack(b, p, o);
			o.write(this.labelDelimiter);
			p = JsonFormatter.printMsgpack(b, p, o);
			if (i + 1 < n) {
				o.write(this.delimiter);
			}
		}
		o.write('\n');
	}

	private static double timeDouble(JsonFormatter.EventCursor c) {
		return (double) c.seconds() + ((double) c.nanos() / 1.0e9);
	}

	/** Fluent Bit's template_output: {@code {key}} placeholders, {@code {time}} the event time. */
	private void template(JsonFormatter.EventCursor c, byte[] b, int body, JsonFormatter.Sink o,
			OutputContext context) {
		byte[] t = this.template;
		int inbrace = -1;
		for (int i = 0; i < t.length; i++) {
			byte ch = t[i];
			if (ch == '{') {
				if (inbrace >= 0) {
					o.write(t, inbrace, i - inbrace);
				}
				inbrace = i;
			}
			else if (ch == '}' && inbrace >= 0) {
				if (!placeholder(c, b, body, t, inbrace + 1, i - inbrace - 1, o, context)) {
					o.write(t, inbrace, i - inbrace + 1);
				}
				inbrace = -1;
			}
			else if (inbrace < 0) {
				o.write(ch);
			}
		}
		if (inbrace >= 0) {
			o.write(t, inbrace, t.length - inbrace);
		}
		o.write('\n');
	}

	private static final byte[] TIME = { 't', 'i', 'm', 'e' };

	private static boolean placeholder(JsonFormatter.EventCursor c, byte[] b, int body, byte[] t, int keyOff,
			int keyLen, JsonFormatter.Sink o, OutputContext context) {
		// strncmp(key, "time", size) == 0: any prefix of "time", even an empty one
		if (keyLen <= TIME.length && java.util.Arrays.equals(t, keyOff, keyOff + keyLen, TIME, 0, keyLen)) {
			JsonFormatter.appendFixed(o, timeDouble(c), 6);
			return true;
		}
		long mh = JsonFormatter.mapHeader(b, body);
		if (mh < 0) {
			context.log().error("invalid object type (type={})", b[body] & 0xff);
			return false;
		}
		int n = (int) (mh >>> 32);
		int p = (int) mh;
		for (int i = 0; i < n; i++) {
			long s = JsonFormatter.strSpan(b, p);
			int v = JsonFormatter.skip(b, p);
			if (s >= 0 && (int) s == keyLen) {
				int so = (int) (s >>> 32);
				if (java.util.Arrays.equals(b, so, so + keyLen, t, keyOff, keyOff + keyLen)) {
					long vs = JsonFormatter.strSpan(b, v);
					if (vs >= 0) {
						o.write(b, (int) (vs >>> 32), (int) vs);
					}
					else {
						JsonFormatter.printMsgpack(b, v, o);
					}
					return true;
				}
			}
			p = JsonFormatter.skip(b, v);
		}
		return false;
	}
}
