package dev.sluice.plugins.out.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.JsonFormatter;
import dev.sluice.event.LogEvent;
import dev.sluice.net.upstream.Connection;
import dev.sluice.net.upstream.NetSettings;
import dev.sluice.net.upstream.Upstream;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.rewrite_tag.TagTemplate;

/**
 * Fluent Bit's {@code tcp} output: writes each chunk to a TCP (or TLS) peer over a kept-alive
 * connection from an {@link Upstream}.
 *
 * <ul>
 * <li>{@code format msgpack} (default): the chunk's bytes as they are, i.e. Fluent Bit's v2
 * events {@code [[time, {meta}], {record}]} back to back;</li>
 * <li>{@code json}, {@code json_lines}, {@code json_stream}: the records as Fluent Bit's JSON
 * formats print them ({@code json_date_key} first, {@code json_date_format});</li>
 * <li>{@code raw_message_key}: one line per record with the value of that key (a
 * {@code $accessor}, or a plain key name), records without it give an empty line.</li>
 * </ul>
 * A failed connect or write is a RETRY (the connection is dropped); what the peer received of a
 * failed write may arrive again (at least once).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "tcp", description = "TCP Output", config = TcpOutputConfig.class,
		workers = 2, network = true)
public final class TcpOutput implements OutputPlugin<TcpOutputConfig> {

	static final int DEFAULT_PORT = 5170;

	private Logger log;

	private Upstream upstream;

	private JsonFormatter.Format format;

	private JsonFormatter.DateFormat dateFormat;

	private String dateKey;

	private TagTemplate rawMessageKey;

	private final JsonFormatter json = JsonFormatter.standard();

	@Override
	public void init(TcpOutputConfig config, OutputContext context) throws Exception {
		this.log = context.log();
		String host = (config.host != null && !config.host.isEmpty()) ? config.host : "127.0.0.1";
		int port = (config.port > 0) ? config.port : DEFAULT_PORT;
		this.format = null;
		if (config.format != null && !config.format.equalsIgnoreCase("msgpack")) {
			this.format = JsonFormatter.Format.parse(config.format);
			if (this.format == null) {
				this.log.error("unrecognized 'format' option '{}'. Using 'msgpack'", config.format);
			}
		}
		this.dateKey = isFalse(config.jsonDateKey) ? null : config.jsonDateKey;
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
			this.rawMessageKey = rawMessageKey(config.rawMessageKey);
		}
		this.upstream = new Upstream(host, port, NetSettings.from(context.properties(), false));
	}

	/** {@code raw_message_key}: a record accessor template; a plain key name means {@code $name}. */
	public static TagTemplate rawMessageKey(String key) {
		String k = key.strip();
		try {
			return TagTemplate.parse(k.contains("$") ? k : "$" + k);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("could not create record accessor for raw_message_key: " + ex.getMessage(),
					ex);
		}
	}

	/** Fluent Bit's {@code flb_utils_bool(v) == FLB_FALSE}. */
	public static boolean isFalse(String v) {
		if (v == null) {
			return false;
		}
		return switch (v.toLowerCase(Locale.ROOT)) {
			case "false", "off", "no" -> true;
			default -> false;
		};
	}

	/** The bytes one flush writes ({@code compose_payload}). */
	byte[] payload(Chunk chunk) {
		EventBytes ev = chunk.events();
		if (this.rawMessageKey != null) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(ev.length());
			for (LogEvent e : chunk.decode()) {
				String s = this.rawMessageKey.translate(chunk.tag(), e.body(), null);
				out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
				out.write('\n');
			}
			return out.toByteArray();
		}
		if (this.format == null) {
			return null;
		}
		return this.json.formatEvents(ev, this.format, this.dateFormat, this.dateKey);
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		Connection c;
		try {
			c = this.upstream.acquire();
		}
		catch (IOException ex) {
			this.log.error("no upstream connections available to {}: {}", this.upstream.target(), ex.getMessage());
			return FlushResult.RETRY;
		}
		byte[] payload;
		try {
			payload = payload(chunk);
		}
		catch (RuntimeException ex) {
			this.log.error("error formatting JSON payload of chunk '{}': {}", chunk.name(), ex.getMessage());
			this.upstream.release(c);
			return FlushResult.ERROR;
		}
		try {
			if (payload == null) {
				EventBytes ev = chunk.events();
				c.write(ev.data(), ev.offset(), ev.length());
			}
			else {
				c.write(payload);
			}
		}
		catch (IOException ex) {
			this.log.error("could not write to {}: {}", this.upstream.target(), ex.getMessage());
			this.upstream.discard(c);
			return FlushResult.RETRY;
		}
		this.upstream.release(c);
		return FlushResult.OK;
	}

	Upstream upstream() {
		return this.upstream;
	}

	@Override
	public void exit() {
		if (this.upstream != null) {
			this.upstream.close();
		}
	}
}
