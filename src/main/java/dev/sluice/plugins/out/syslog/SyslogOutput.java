package dev.sluice.plugins.out.syslog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;

import dev.sluice.event.LogEvent;
import dev.sluice.event.RecordAccessor;
import dev.sluice.net.upstream.Connection;
import dev.sluice.net.upstream.NetSettings;
import dev.sluice.net.upstream.Upstream;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code syslog} output: each record becomes one syslog message
 * ({@link SyslogFormatter}), sent as a datagram ({@code mode udp}, default) or written to a kept
 * alive TCP connection ({@code mode tcp}, TLS with {@code tls on}; {@code mode tls} turns TLS on)
 * with newline or octet-counting framing ({@code syslog_framing}). A failed connect or write is a
 * RETRY of the whole chunk (records already written may arrive twice: at least once over TCP);
 * a record that cannot be formatted is logged and skipped.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "syslog", description = "Syslog", config = SyslogOutputConfig.class,
		network = true)
public final class SyslogOutput implements OutputPlugin<SyslogOutputConfig> {

	static final int DEFAULT_PORT = 514;

	private Logger log;

	private SyslogFormatter formatter;

	private Upstream upstream;

	private DatagramChannel channel;

	private String target;

	@Override
	public void init(SyslogOutputConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		String host = (c.host != null && !c.host.isEmpty()) ? c.host : "127.0.0.1";
		int port = (c.port > 0) ? c.port : DEFAULT_PORT;
		String mode = (c.mode != null) ? c.mode.toLowerCase(Locale.ROOT) : "udp";
		switch (mode) {
			case "udp", "tcp", "tls" -> {
			}
			case "dtls" -> throw new IllegalArgumentException("syslog mode dtls is not supported by Sluice (use tls)");
			default -> throw new IllegalArgumentException("unknown syslog mode " + c.mode);
		}
		SyslogFormatter.Format format = switch ((c.syslogFormat != null) ? c.syslogFormat.toLowerCase(Locale.ROOT)
				: "rfc5424") {
			case "rfc3164" -> SyslogFormatter.Format.RFC3164;
			case "rfc5424" -> SyslogFormatter.Format.RFC5424;
			default -> throw new IllegalArgumentException("unknown syslog format " + c.syslogFormat);
		};
		SyslogFormatter.Framing framing;
		String fr = (c.syslogFraming != null) ? c.syslogFraming.toLowerCase(Locale.ROOT) : "newline";
		switch (fr) {
			case "newline" -> framing = mode.equals("udp") ? SyslogFormatter.Framing.NONE
					: SyslogFormatter.Framing.NEWLINE;
			case "octet_counting" -> {
				if (mode.equals("udp")) {
					throw new IllegalArgumentException(
							"invalid configuration: syslog_framing=octet_counting requires mode=tcp or mode=tls");
				}
				framing = SyslogFormatter.Framing.OCTET_COUNTING;
			}
			default -> throw new IllegalArgumentException("unknown syslog_framing " + c.syslogFraming
					+ " (newline or octet_counting)");
		}
		if (format == SyslogFormatter.Format.RFC5424 && c.allowLongerSdId) {
			this.log.warn("Allow longer SD-ID. It may violate RFC5424.");
		}
		if (c.syslogSeverityPreset < 0 || c.syslogSeverityPreset > 7) {
			throw new IllegalArgumentException(
					"invalid severity level " + c.syslogSeverityPreset + ". It should be 0-7.");
		}
		if (c.syslogFacilityPreset < 0 || c.syslogFacilityPreset > 23) {
			throw new IllegalArgumentException(
					"invalid facility level " + c.syslogFacilityPreset + ". It should be 0-23.");
		}
		String sdPreset = null;
		if (c.syslogSdPreset != null && format == SyslogFormatter.Format.RFC5424) {
			if (!SyslogFormatter.validSdPreset(c.syslogSdPreset, c.allowLongerSdId)) {
				throw new IllegalArgumentException("invalid syslog_sd_preset '" + c.syslogSdPreset + "'");
			}
			sdPreset = c.syslogSdPreset;
		}
		int maxsize = (int) ((c.syslogMaxsize > 0) ? Math.min(c.syslogMaxsize, Integer.MAX_VALUE)
				: (format == SyslogFormatter.Format.RFC3164) ? 1024 : 2048);
		this.formatter = new SyslogFormatter(new SyslogFormatter.Settings(format, framing, maxsize,
				accessor(c.syslogSeverityKey, "Severity"), c.syslogSeverityPreset, accessor(c.syslogFacilityKey, "Facility"),
				c.syslogFacilityPreset, accessor(c.syslogHostnameKey, "Hostname"), c.syslogHostnamePreset,
				accessor(c.syslogAppnameKey, "Appname"), c.syslogAppnamePreset, accessor(c.syslogProcidKey, "Procid"),
				c.syslogProcidPreset, accessor(c.syslogMsgidKey, "Msgid"), c.syslogMsgidPreset,
				SyslogFormatter.sdKeys(c.syslogSdKey), sdPreset, accessor(c.syslogMessageKey, "Message"),
				c.allowLongerSdId), this.log::warn);
		Map<String, String> props = context.properties();
		NetSettings net = NetSettings.from(props, mode.equals("tls"));
		this.target = host + ":" + port;
		if (mode.equals("udp")) {
			if (net.tls() != null) {
				throw new IllegalArgumentException("mode=udp with tls=on is unsupported");
			}
			DatagramChannel ch = DatagramChannel.open();
			try {
				if (net.sourceAddress() != null) {
					ch.bind(net.sourceAddress());
				}
				ch.connect(new InetSocketAddress(host, port));
			}
			catch (IOException ex) {
				ch.close();
				throw new IOException("could not create the UDP socket to " + this.target + ": " + ex.getMessage(), ex);
			}
			this.channel = ch;
		}
		else {
			this.upstream = new Upstream(host, port, net);
		}
		this.log.info("setup done for {} (TLS={})", this.target, (net.tls() != null) ? "on" : "off");
	}

	private static RecordAccessor accessor(String key, String what) {
		if (key == null || key.isBlank()) {
			return null;
		}
		try {
			return RecordAccessor.parse(key);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("could not create record accessor for " + what + " Key: " + ex.getMessage(),
					ex);
		}
	}

	SyslogFormatter formatter() {
		return this.formatter;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		if (this.channel != null) {
			for (LogEvent e : chunk.decode()) {
				byte[] m = format(e);
				if (m == null) {
					continue;
				}
				try {
					this.channel.write(ByteBuffer.wrap(m));
				}
				catch (IOException ex) {
					this.log.error("could not send to {}: {}", this.target, ex.toString());
					return FlushResult.RETRY;
				}
			}
			return FlushResult.OK;
		}
		ByteArrayOutputStream all = new ByteArrayOutputStream(chunk.size());
		for (LogEvent e : chunk.decode()) {
			byte[] m = format(e);
			if (m != null) {
				all.writeBytes(m);
			}
		}
		Connection c;
		try {
			c = this.upstream.acquire();
		}
		catch (IOException ex) {
			this.log.error("no upstream connections available to {}: {}", this.target, ex.getMessage());
			return FlushResult.RETRY;
		}
		try {
			c.write(all.toByteArray());
		}
		catch (IOException ex) {
			this.log.error("could not write to {}: {}", this.target, ex.getMessage());
			this.upstream.discard(c);
			return FlushResult.RETRY;
		}
		this.upstream.release(c);
		return FlushResult.OK;
	}

	private byte[] format(LogEvent e) {
		try {
			return this.formatter.format(e.time(), e.body());
		}
		catch (RuntimeException ex) {
			this.log.error("error formating message: {}", ex.toString());
			return null;
		}
	}

	@Override
	public void exit() throws IOException {
		if (this.upstream != null) {
			this.upstream.close();
		}
		if (this.channel != null) {
			this.channel.close();
		}
	}
}
