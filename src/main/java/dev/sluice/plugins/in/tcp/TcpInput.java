package dev.sluice.plugins.in.tcp;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Arrays;

import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.net.server.StreamServer;
import dev.sluice.net.server.TextRecords;
import dev.sluice.parser.Parser;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code tcp} input: JSON values or separator-delimited text over TCP (default port
 * 5170).
 *
 * <ul>
 * <li>{@code format json} (default): JSON objects one after the other, back to back or separated
 * by whitespace/newlines; an array becomes {@code {"msg": [...]}}; invalid JSON is logged and
 * skipped up to the next newline, the connection stays open.</li>
 * <li>{@code format none}: each {@code separator}-delimited piece (default {@code \n}) is
 * {@code {"log": piece}}, or parsed with {@code parser}.</li>
 * <li>{@code chunk_size} and {@code buffer_size} are in KB (Fluent Bit's unit for this plugin):
 * each connection's buffer starts at {@code chunk_size} and grows up to {@code buffer_size}; a
 * record that does not fit is logged and the connection is closed (as Fluent Bit does).</li>
 * <li>{@code source_address_key} adds the sender, {@code tcp://127.0.0.1:40000}.</li>
 * <li>{@code tls on} with the {@code tls.*} settings serves TLS; {@code net.io_timeout} closes
 * connections idle that long.</li>
 * <li>One virtual thread per connection; the records of one read are appended together; while
 * the instance is paused connections are not read (the sender sees TCP backpressure).</li>
 * </ul>
 */
@Plugin(kind = PluginKind.INPUT, name = "tcp", description = "TCP", config = TcpInputConfig.class, network = true)
public final class TcpInput implements InputPlugin<TcpInputConfig> {

	static final int DEFAULT_PORT = 5170;

	static final int DEFAULT_CHUNK = 32768;

	private StreamServer server;

	private Logger log;

	private TextRecords.Format format;

	private byte[] separator;

	private Parser parser;

	private String sourceKey;

	private int chunkSize;

	private int bufferSize;

	@Override
	public void init(TcpInputConfig config, InputContext context) throws Exception {
		this.log = context.log();
		this.format = TextRecords.Format.of(config.format);
		this.separator = TextRecords.separator(config.separator);
		this.sourceKey = config.sourceAddressKey;
		this.chunkSize = kilobytes("chunk_size", config.chunkSize, DEFAULT_CHUNK);
		this.bufferSize = kilobytes("buffer_size", config.bufferSize, this.chunkSize);
		if (this.bufferSize < this.chunkSize) {
			this.bufferSize = this.chunkSize;
		}
		if (config.parser != null && !config.parser.isEmpty()) {
			this.parser = context.parsers().parser(config.parser);
			if (this.parser == null) {
				throw new IllegalArgumentException("parser '" + config.parser + "' is not registered");
			}
		}
		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		String listen = (config.listen != null && !config.listen.isEmpty()) ? config.listen : "0.0.0.0";
		this.server = StreamServer.tcp(listen, port, backlog(context), this.log);
		this.server.configure(context);
		this.log.info("listening on {}", this.server.address());
	}

	/** Fluent Bit reads these as a number of KB ({@code atoi(v) * 1024}); unset: the default in bytes. */
	static int kilobytes(String key, String value, int dflt) {
		if (value == null || value.isBlank()) {
			return dflt;
		}
		try {
			long kb = Long.parseLong(value.trim());
			if (kb <= 0 || kb > (Integer.MAX_VALUE - 16) / 1024) {
				throw new IllegalArgumentException(key + " must be a positive number of KB, got '" + value + "'");
			}
			return (int) (kb * 1024);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(key + " must be a number of KB (such as 32), got '" + value + "'");
		}
	}

	static int backlog(InputContext context) {
		String v = context.property("net.backlog");
		return (v != null) ? Integer.parseInt(v.trim()) : 128;
	}

	/** The bound address (for tests). */
	public SocketAddress localAddress() throws IOException {
		return this.server.localAddress();
	}

	/** For tests: connections open now. */
	public int openConnections() {
		return this.server.openConnections();
	}

	@Override
	public void collect(InputContext context) throws Exception {
		this.server.run(context, "tcp-conn", (c) -> serve(c, context));
	}

	@Override
	public void exit() {
		if (this.server != null) {
			this.server.close();
		}
	}

	private void serve(StreamServer.Connection c, InputContext ctx) throws IOException, InterruptedException {
		TextRecords decoder = new TextRecords(this.format, this.separator, this.parser, this.sourceKey, this.log);
		EventEncoder enc = new EventEncoder();
		String source = (this.sourceKey != null) ? c.remoteAddress() : null;
		byte[] buf = new byte[this.chunkSize];
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
				else if (buf.length >= this.bufferSize) {
					this.log.error("fd={} peer={}: incoming data exceed limit ({} KB, buffer_size); closing connection",
							c.id(), c.remoteAddress(), this.bufferSize / 1024);
					return;
				}
				else {
					buf = Arrays.copyOf(buf, Math.min(buf.length + this.chunkSize, this.bufferSize));
				}
			}
			int r = c.read(buf, end, buf.length - end);
			if (r < 0) {
				// the peer closed: what is left is a last record (json: only if complete)
				if (end > start) {
					decoder.decode(buf, start, end, true, source, enc);
					append(ctx, enc, c);
				}
				return;
			}
			end += r;
			start = decoder.decode(buf, start, end, false, source, enc);
			if (!append(ctx, enc, c)) {
				return;
			}
			if (start == end) {
				start = 0;
				end = 0;
			}
		}
	}

	private boolean append(InputContext ctx, EventEncoder enc, StreamServer.Connection c) {
		try {
			ctx.append(ctx.tag(), enc);
			return true;
		}
		catch (IllegalStateException ex) {
			this.log.debug("fd={}: input stopped; {} records not taken", c.id(), enc.records());
			enc.reset();
			return false;
		}
	}
}
