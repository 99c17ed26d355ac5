package dev.sluice.plugins.in.syslog;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.msgpack.core.MessagePacker;
import org.slf4j.Logger;

import dev.sluice.config.ClassicConfigReader;
import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigSection;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.net.server.DatagramServer;
import dev.sluice.net.server.Records;
import dev.sluice.net.server.StreamServer;
import dev.sluice.parser.ParseResult;
import dev.sluice.parser.Parser;
import dev.sluice.parser.ParserDefinition;
import dev.sluice.parser.ParserRegistry;
import dev.sluice.parser.StockParsers;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code syslog} input: syslog messages over UDP, TCP, or a UNIX datagram or stream
 * socket ({@code mode unix_udp} (default), {@code unix_tcp}, {@code tcp}, {@code udp}), each
 * parsed with {@code parser} (default {@code syslog-rfc5424} for tcp/udp,
 * {@code syslog-rfc3164-local} for the unix modes).
 *
 * <ul>
 * <li>Streams are framed by newlines ({@code format newline}, default; a NUL also ends a
 * message, a trailing CR is dropped) or by RFC 6587 octet counting ({@code format
 * octet_counting}: {@code LEN SP MSG}; a frame that starts with {@code <} is read up to its
 * newline, as senders that mix both do). A datagram is one message.</li>
 * <li>A message the parser does not match is logged ({@code error parsing log message with parser
 * ...}) and dropped, as in Fluent Bit. The record's time is the parsed time, else now.</li>
 * <li>{@code raw_message_key} keeps the message as received (msgpack bin, as Fluent Bit);
 * {@code source_address_key} adds the sender ({@code udp://127.0.0.1:40000}, {@code unix://}).</li>
 * <li>A stream frame larger than {@code buffer_max_size} (default {@code buffer_chunk_size},
 * 32 KB) is logged and the connection closed; a datagram larger than it is cut there.</li>
 * <li>The parser is looked up in the pipeline's parsers first; the stock {@code syslog-*}
 * parsers of Fluent Bit's {@code parsers.conf} are built in, so they need no parsers file.</li>
 * <li>Stream modes take {@code tls on} with the {@code tls.*} settings and {@code net.io_timeout}
 * (an idle connection is closed).</li>
 * <li>While the instance is paused sockets are not read.</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "syslog", description = "Syslog", config = SyslogInputConfig.class,
		network = true)
public final class SyslogInput implements InputPlugin<SyslogInputConfig> {

	static final int DEFAULT_PORT = 5140;

	enum Mode {
		UNIX_UDP, UNIX_TCP, TCP, UDP
	}

	private static final java.util.concurrent.ConcurrentHashMap<String, Parser> STOCK = new java.util.concurrent.ConcurrentHashMap<>();

	private Logger log;

	private Mode mode;

	private boolean octetCounting;

	private Parser parser;

	private byte[] rawKey;

	private byte[] sourceKey;

	private int chunkSize;

	private int maxSize;

	private StreamServer streams;

	private DatagramServer datagrams;

	private final AtomicLong parseErrors = new AtomicLong();

	@Override
	public void init(SyslogInputConfig config, InputContext context) throws Exception {
		this.log = context.log();
		this.mode = mode(config.mode);
		if (config.format != null) {
			String f = config.format.trim().toLowerCase(Locale.ROOT);
			if (f.equals("octet_counting") || f.equals("octet")) {
				this.octetCounting = true;
			}
			else if (!f.equals("newline")) {
				this.log.warn("unknown frame '{}', using 'newline'", config.format);
			}
		}
		if (config.bufferChunkSize <= 0) {
			throw new IllegalArgumentException("invalid buffer_chunk_size");
		}
		this.chunkSize = (int) Math.min(config.bufferChunkSize, Integer.MAX_VALUE - 16);
		long max = (config.bufferMaxSize > 0) ? config.bufferMaxSize : config.bufferChunkSize;
		this.maxSize = (int) Math.min(Math.max(max, 1), Integer.MAX_VALUE - 16);
		if (config.receiveBufferSize < 0 || config.receiveBufferSize > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("invalid receive_buffer_size");
		}
		boolean unix = this.mode == Mode.UNIX_UDP || this.mode == Mode.UNIX_TCP;
		String parserName = (config.parser != null && !config.parser.isEmpty()) ? config.parser
				: unix ? "syslog-rfc3164-local" : "syslog-rfc5424";
		this.parser = parser(context.parsers(), parserName);
		if (this.parser == null) {
			throw new IllegalArgumentException("parser not set: parser '" + parserName + "' is not registered");
		}
		this.rawKey = bytes(config.rawMessageKey);
		this.sourceKey = bytes(config.sourceAddressKey);
		String perm = (config.unixPerm != null && !config.unixPerm.isEmpty()) ? config.unixPerm : "0644";
		int rcvbuf = (int) config.receiveBufferSize;
		if (unix) {
			if (config.path == null || config.path.isEmpty()) {
				throw new IllegalArgumentException("mode " + this.mode.name().toLowerCase(Locale.ROOT)
						+ " needs 'path', the UNIX socket to listen on");
			}
			if (this.mode == Mode.UNIX_UDP) {
				this.datagrams = DatagramServer.unix(config.path, perm, rcvbuf);
			}
			else {
				this.streams = StreamServer.unix(config.path, perm, 128, this.log).configure(context);
			}
		}
		else {
			int port = (config.port > 0) ? config.port : DEFAULT_PORT;
			String listen = (config.listen != null && !config.listen.isEmpty()) ? config.listen : "0.0.0.0";
			if (this.mode == Mode.UDP) {
				this.datagrams = DatagramServer.udp(listen, port, rcvbuf);
			}
			else {
				this.streams = StreamServer.tcp(listen, port, 128, this.log).configure(context);
			}
		}
		this.log.info("{} server listening on {} (parser {}{})", this.mode.name().toLowerCase(Locale.ROOT),
				(this.streams != null) ? this.streams.address() : this.datagrams.address(), this.parser.name(),
				(this.streams != null) ? (this.octetCounting ? ", octet counting" : ", newline framing") : "");
	}

	static Mode mode(String value) {
		if (value == null) {
			return Mode.UNIX_UDP;
		}
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "unix_udp" -> Mode.UNIX_UDP;
			case "unix_tcp" -> Mode.UNIX_TCP;
			case "tcp" -> Mode.TCP;
			case "udp" -> Mode.UDP;
			default -> throw new IllegalArgumentException("Unknown syslog mode " + value);
		};
	}

	/**
	 * The pipeline's parser by that name, else the stock one of that name (only that one is
	 * compiled); null when neither exists.
	 */
	static Parser parser(ParserRegistry registry, String name) {
		Parser p = registry.parser(name);
		if (p != null) {
			return p;
		}
		return STOCK.computeIfAbsent(name, (n) -> {
			ConfigDocument doc = new ClassicConfigReader(Map.of()).readParsersFile(StockParsers.CONTENT,
					StockParsers.FILE_NAME);
			for (ConfigSection sec : doc.sections("parser")) {
				if (n.equals(sec.get("name"))) {
					return Parser.create(ParserDefinition.fromSection(sec));
				}
			}
			return null;
		});
	}

	private static byte[] bytes(String s) {
		return (s != null && !s.isEmpty()) ? s.getBytes(StandardCharsets.UTF_8) : null;
	}

	/** Messages dropped because the parser did not match (for tests). */
	long parseErrors() {
		return this.parseErrors.get();
	}

	@Override
	public void collect(InputContext context) throws Exception {
		if (this.streams != null) {
			this.streams.run(context, "syslog-conn", (c) -> serve(c, context));
			return;
		}
		if (this.datagrams.blocksNatively()) {
			// a native receive pins its carrier: read UNIX datagrams on a platform thread
			Thread t = Thread.ofPlatform().daemon().name("syslog-" + context.name()).start(() -> receive(context));
			try {
				t.join();
			}
			finally {
				this.datagrams.close();
				t.join(1000);
			}
			return;
		}
		receive(context);
	}

	@Override
	public void exit() {
		if (this.streams != null) {
			this.streams.close();
		}
		if (this.datagrams != null) {
			this.datagrams.close();
		}
	}

	private void receive(InputContext ctx) {
		byte[] buf = new byte[this.maxSize];
		EventEncoder enc = new EventEncoder();
		try {
			while (ctx.isRunning()) {
				if (ctx.isPaused() && !ctx.awaitResume()) {
					return;
				}
				int n;
				try {
					n = this.datagrams.receive(buf);
				}
				catch (ClosedChannelException ex) {
					return;
				}
				catch (IOException ex) {
					if (!ctx.isRunning()) {
						return;
					}
					this.log.warn("receive on {} failed: {}", this.datagrams.address(), ex.getMessage());
					continue;
				}
				if (n <= 0) {
					continue;
				}
				int len = n;
				while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == 0)) {
					len--;
				}
				if (len == 0) {
					continue;
				}
				message(buf, 0, len, this.datagrams.lastSource(), enc);
				if (!append(ctx, enc)) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.datagrams.close();
		}
	}

	private boolean append(InputContext ctx, EventEncoder enc) {
		try {
			ctx.append(ctx.tag(), enc);
			return true;
		}
		catch (IllegalStateException ex) {
			enc.reset();
			return false;
		}
	}

	private void serve(StreamServer.Connection c, InputContext ctx) throws IOException, InterruptedException {
		EventEncoder enc = new EventEncoder();
		byte[] buf = new byte[Math.min(this.chunkSize, this.maxSize)];
		int start = 0;
		int end = 0;
		while (ctx.isRunning()) {
			if (ctx.isPaused() && !ctx.awaitResume()) {
				return;
			}
			if (end == buf.length) {
				if (start > 0) {
					System.arraycopy(buf, start, buf, 0, end - start);
					end -= start;
					start = 0;
				}
				else if (buf.length >= this.maxSize) {
					this.log.error("fd={} peer={}: message exceeds buffer_max_size ({} bytes); closing connection",
							c.id(), c.remoteAddress(), this.maxSize);
					return;
				}
				else {
					buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, this.maxSize));
				}
			}
			int r = c.read(buf, end, buf.length - end);
			if (r < 0) {
				if (end > start) {
					if (this.octetCounting && Character.isDigit(buf[start])) {
						this.log.warn("fd={} peer={}: connection closed inside a message ({} bytes dropped)", c.id(),
								c.remoteAddress(), end - start);
					}
					else {
						// a last message without its newline
						int len = end;
						while (len > start && buf[len - 1] == '\r') {
							len--;
						}
						if (len > start) {
							message(buf, start, len - start, c.remoteAddress(), enc);
						}
					}
					append(ctx, enc);
				}
				return;
			}
			end += r;
			start = this.octetCounting ? octets(buf, start, end, c, enc) : lines(buf, start, end, c.remoteAddress(), enc);
			if (!append(ctx, enc) || start < 0) {
				return;
			}
			if (start == end) {
				start = 0;
				end = 0;
			}
		}
	}

	/** Newline framing: handles each complete line; returns the start of the incomplete rest. */
	private int lines(byte[] b, int p, int end, String source, EventEncoder enc) {
		int i = p;
		while (i < end) {
			byte c = b[i];
			if (c == '\n' || c == 0) {
				int len = i;
				while (len > p && b[len - 1] == '\r') {
					len--;
				}
				if (len > p) {
					message(b, p, len - p, source, enc);
				}
				p = i + 1;
			}
			i++;
		}
		return p;
	}

	/**
	 * Octet-counting framing ({@code LEN SP MSG}); returns the start of the incomplete rest, or -1
	 * when the connection must be closed (bad framing, a frame over buffer_max_size).
	 */
	private int octets(byte[] b, int p, int end, StreamServer.Connection c, EventEncoder enc) {
		while (p < end) {
			byte first = b[p];
			if (first == '\n' || first == '\r' || first == ' ' || first == 0) {
				p++;
				continue;
			}
			if (first == '<') {
				// a non-transparent frame among counted ones: up to its newline
				int nl = indexOfNewline(b, p, end);
				if (nl < 0) {
					return p;
				}
				int len = nl;
				while (len > p && b[len - 1] == '\r') {
					len--;
				}
				message(b, p, len - p, c.remoteAddress(), enc);
				p = nl + 1;
				continue;
			}
			long n = 0;
			int i = p;
			while (i < end && i - p < 10 && b[i] >= '0' && b[i] <= '9') {
				n = n * 10 + (b[i] - '0');
				i++;
			}
			if (i == end && i - p < 10) {
				return p; // the length is not complete yet
			}
			if (i == p || b[i] != ' ') {
				this.log.error("fd={} peer={}: invalid octet-counting frame (expected 'LENGTH SP MESSAGE'): {}; "
						+ "closing connection", c.id(), c.remoteAddress(), preview(b, p, end));
				return -1;
			}
			if (n > this.maxSize) {
				this.log.error("fd={} peer={}: message of {} bytes exceeds buffer_max_size ({} bytes); closing "
						+ "connection", c.id(), c.remoteAddress(), n, this.maxSize);
				return -1;
			}
			int msg = i + 1;
			if (end - msg < n) {
				return p;
			}
			int len = (int) n;
			int stop = msg + len;
			while (stop > msg && (b[stop - 1] == '\n' || b[stop - 1] == '\r')) {
				stop--;
			}
			if (stop > msg) {
				message(b, msg, stop - msg, c.remoteAddress(), enc);
			}
			p = msg + len;
		}
		return p;
	}

	private static int indexOfNewline(byte[] b, int p, int end) {
		for (int i = p; i < end; i++) {
			if (b[i] == '\n' || b[i] == 0) {
				return i;
			}
		}
		return -1;
	}

	private static String preview(byte[] b, int p, int end) {
		int n = Math.min(end - p, 48);
		String s = new String(b, p, n, StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r");
		return (end - p > n) ? s + "..." : s;
	}

	/** Parses one message and adds its record to {@code enc}; logs and drops it when the parser does not match. */
	private void message(byte[] b, int off, int len, String source, EventEncoder enc) {
		ParseResult r = this.parser.parse(b, off, len);
		if (r == null) {
			this.parseErrors.incrementAndGet();
			this.log.warn("error parsing log message with parser '{}' from {}", this.parser.name(), source);
			this.log.debug("unparsed log message: {}", new String(b, off, len, StandardCharsets.UTF_8));
			return;
		}
		try {
			MessagePacker pk = enc.beginEvent((r.time() != null) ? r.time() : EventTime.now(), Map.of());
			Records.appendToMap(pk, r.map(), new byte[][] { this.rawKey, this.sourceKey },
					new Object[] { (this.rawKey != null) ? Arrays.copyOfRange(b, off, off + len) : null, source });
			enc.endEvent();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}
}
