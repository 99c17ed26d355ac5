package dev.sluice.plugins.out.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.JsonFormatter;
import dev.sluice.event.LogEvent;
import dev.sluice.net.upstream.NetSettings;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.rewrite_tag.TagTemplate;
import dev.sluice.plugins.out.tcp.TcpOutput;

/**
 * Fluent Bit's {@code udp} output: one datagram per record, on a UDP socket connected to the peer
 * at start-up (bound to {@code net.source_address} when set).
 *
 * <ul>
 * <li>{@code format json_lines} (default), {@code json}, {@code json_stream}: each record
 * formatted on its own (so {@code json} sends {@code [{…}]}), with a newline appended when the
 * text does not end with one;</li>
 * <li>{@code msgpack}: each event's bytes as they are ({@code [[time, {meta}], {record}]});</li>
 * <li>{@code raw_message_key}: the key's value and a newline.</li>
 * </ul>
 * A datagram longer than 65535 bytes is logged at debug level and sent anyway (the socket refuses
 * it). A send that fails (e.g. the peer's port answered "unreachable" to an earlier datagram) is a
 * RETRY of the whole chunk; UDP itself gives no delivery guarantee (at most once per attempt).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "udp", description = "UDP Output", config = UdpOutputConfig.class,
		workers = 2, network = true)
public final class UdpOutput implements OutputPlugin<UdpOutputConfig> {

	static final int DEFAULT_PORT = 5170;

	static final int MAX_DATAGRAM = 65535;

	private Logger log;

	private DatagramChannel channel;

	private String target;

	private JsonFormatter.Format format;

	private JsonFormatter.DateFormat dateFormat;

	private String dateKey;

	private TagTemplate rawMessageKey;

	private final JsonFormatter json = JsonFormatter.standard();

	@Override
	public void init(UdpOutputConfig config, OutputContext context) throws Exception {
		this.log = context.log();
		String host = (config.host != null && !config.host.isEmpty()) ? config.host : "127.0.0.1";
		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		this.format = null;
		String f = (config.format != null) ? config.format : "json_lines";
		if (!f.equalsIgnoreCase("msgpack")) {
			this.format = JsonFormatter.Format.parse(f);
			if (this.format == null) {
				this.log.error("unrecognized 'format' option '{}'. Using 'msgpack'", f);
			}
		}
		this.dateKey = TcpOutput.isFalse(config.jsonDateKey) ? null : config.jsonDateKey;
		this.dateFormat = JsonFormatter.DateFormat.DOUBLE;
		if (config.jsonDateFormat != null) {
			JsonFormatter.DateFormat df = JsonFormatter.DateFormat.parse(config.jsonDateFormat);
			if (df == null) {
				this.log.error("unrecognized 'json_date_format' option '{}'. Using 'double'", config.jsonDateFormat);
			}
			else {
				this.dateFormat = df;
			}
		}
		if (config.rawMessageKey != null && !config.rawMessageKey.isBlank()) {
			this.rawMessageKey = TcpOutput.rawMessageKey(config.rawMessageKey);
		}
		NetSettings net = NetSettings.from(context.properties(), false);
		if (net.tls() != null) {
			throw new IllegalArgumentException("tls is not supported by the udp output");
		}
		this.target = host + ":" + port;
		DatagramChannel ch = DatagramChannel.open();
		try {
			if (net.sourceAddress() != null) {
				ch.bind(net.sourceAddress());
			}
			ch.connect(new InetSocketAddress(host, port));
		}
		catch (IOException ex) {
			ch.close();
			throw new IOException("Error creating upstream socket to " + this.target + ": " + ex.getMessage(), ex);
		}
		this.channel = ch;
	}

	/** The datagrams of one chunk, in order. */
	List<byte[]> datagrams(Chunk chunk) {
		EventBytes ev = chunk.events();
		List<byte[]> out = new ArrayList<>(ev.records());
		if (this.rawMessageKey != null) {
			for (LogEvent e : chunk.decode()) {
				out.add((this.rawMessageKey.translate(chunk.tag(), e.body(), null) + "\n").getBytes(StandardCharsets.UTF_8));
			}
			return out;
		}
		JsonFormatter.EventCursor c = new JsonFormatter.EventCursor(ev);
		while (c.next()) {
			if (this.format == null) {
				out.add(java.util.Arrays.copyOfRange(c.data(), c.start(), c.end()));
				continue;
			}
			if (c.isGroupMarker()) {
				continue;
			}
			JsonFormatter.Sink sink = new JsonFormatter.Sink(c.end() - c.start() + 64);
			this.json.formatEvents(c.data(), c.start(), c.end() - c.start(), this.format, this.dateFormat, this.dateKey,
					sink);
			byte[] b = sink.toByteArray();
			if (b.length == 0) {
				continue;
			}
			if (b[b.length - 1] != '\n') {
				b = java.util.Arrays.copyOf(b, b.length + 1);
				b[b.length - 1] = '\n';
			}
			out.add(b);
		}
		return out;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		List<byte[]> datagrams;
		try {
			datagrams = datagrams(chunk);
		}
		catch (RuntimeException ex) {
			this.log.error("error formatting JSON payload of chunk '{}': {}", chunk.name(), ex.getMessage());
			return FlushResult.ERROR;
		}
		for (byte[] d : datagrams) {
			if (d.length > MAX_DATAGRAM) {
				this.log.debug("record size exceeds maximum datagram size : {}", d.length);
			}
			try {
				this.channel.write(ByteBuffer.wrap(d));
			}
			catch (IOException ex) {
				this.log.error("could not send a datagram to {}: {}", this.target, ex.toString());
				return FlushResult.RETRY;
			}
		}
		return FlushResult.OK;
	}

	@Override
	public void exit() throws IOException {
		if (this.channel != null) {
			this.channel.close();
		}
	}
}
