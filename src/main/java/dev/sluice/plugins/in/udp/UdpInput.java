package dev.sluice.plugins.in.udp;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import org.slf4j.Logger;

import dev.sluice.event.EventEncoder;
import dev.sluice.net.server.DatagramServer;
import dev.sluice.net.server.TextRecords;
import dev.sluice.parser.Parser;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code udp} input: each datagram holds one or more records, JSON values
 * ({@code format json}, default) or {@code separator}-delimited text ({@code format none}; the
 * piece after the last separator is a record too, since a datagram is complete). Default port
 * 5170. A datagram larger than {@code buffer_size} KB (default {@code chunk_size}, 32 KB) is cut
 * there by the socket; its JSON is then invalid and logged. While the instance is paused the
 * socket is not read (the kernel drops what does not fit its buffer, as UDP does).
 */
@Plugin(kind = PluginKind.INPUT, name = "udp", description = "UDP", config = UdpInputConfig.class, network = true)
public final class UdpInput implements InputPlugin<UdpInputConfig> {

	static final int DEFAULT_PORT = 5170;

	static final int DEFAULT_CHUNK = 32768;

	private DatagramServer server;

	private Logger log;

	private TextRecords decoder;

	private int bufferSize;

	private boolean sourceKey;

	@Override
	public void init(UdpInputConfig config, InputContext context) throws Exception {
		this.log = context.log();
		TextRecords.Format format = TextRecords.Format.of(config.format);
		byte[] separator = TextRecords.separator(config.separator);
		int chunk = kilobytes("chunk_size", config.chunkSize, DEFAULT_CHUNK);
		this.bufferSize = Math.max(chunk, kilobytes("buffer_size", config.bufferSize, chunk));
		Parser parser = null;
		if (config.parser != null && !config.parser.isEmpty()) {
			parser = context.parsers().parser(config.parser);
			if (parser == null) {
				throw new IllegalArgumentException("parser '" + config.parser + "' is not registered");
			}
		}
		this.sourceKey = config.sourceAddressKey != null && !config.sourceAddressKey.isEmpty();
		this.decoder = new TextRecords(format, separator, parser, config.sourceAddressKey, this.log);
		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		String listen = (config.listen != null && !config.listen.isEmpty()) ? config.listen : "0.0.0.0";
		this.server = DatagramServer.udp(listen, port, 0);
		this.log.info("listening on {}", this.server.address());
	}

	static int kilobytes(String key, String value, int dflt) {
		if (value == null || value.isBlank()) {
			return dflt;
		}
		try {
			long kb = Long.parseLong(value.trim());
			if (kb <= 0 || kb > 64) {
				throw new IllegalArgumentException(key + " must be between 1 and 64 KB (a UDP datagram), got '" + value
						+ "'");
			}
			return (int) (kb * 1024);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(key + " must be a number of KB (such as 32), got '" + value + "'");
		}
	}

	@Override
	public void collect(InputContext ctx) throws Exception {
		byte[] buf = new byte[this.bufferSize];
		EventEncoder enc = new EventEncoder();
		try {
			while (ctx.isRunning()) {
				if (ctx.isPaused() && !ctx.awaitResume()) {
					return;
				}
				int n;
				try {
					n = this.server.receive(buf);
				}
				catch (ClosedChannelException ex) {
					return;
				}
				catch (IOException ex) {
					if (!ctx.isRunning()) {
						return;
					}
					this.log.warn("receive on {} failed: {}", this.server.address(), ex.getMessage());
					continue;
				}
				if (n <= 0) {
					continue;
				}
				String source = this.sourceKey ? this.server.lastSource() : null;
				this.decoder.decode(buf, 0, n, true, source, enc);
				try {
					ctx.append(ctx.tag(), enc);
				}
				catch (IllegalStateException ex) {
					return; // stopping
				}
			}
		}
		finally {
			this.server.close();
		}
	}

	@Override
	public void exit() {
		if (this.server != null) {
			this.server.close();
		}
	}
}
