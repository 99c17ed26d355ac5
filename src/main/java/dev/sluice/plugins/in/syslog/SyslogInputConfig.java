package dev.sluice.plugins.in.syslog;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code syslog} input, as Fluent Bit 5.1.1 declares them. */
public class SyslogInputConfig {

	@ConfigOption(name = "listen", description = "Listen Address", defaultValue = "0.0.0.0")
	public String listen;

	@ConfigOption(name = "host", description = "Hostname", defaultValue = "localhost")
	public String host;

	/** 0 means the plugin's default, 5140. */
	@ConfigOption(name = "port", description = "Listen Port", defaultValue = "0")
	public int port;

	/** {@code unix_udp} (default), {@code unix_tcp}, {@code tcp} or {@code udp}. */
	@ConfigOption(name = "mode", description = "Set the socket mode: unix_tcp, unix_udp, tcp or udp")
	public String mode;

	@ConfigOption(name = "path", description = "Set the path for the UNIX socket")
	public String path;

	/** Octal; default 0644. */
	@ConfigOption(name = "unix_perm", description = "Set the permissions for the UNIX socket")
	public String unixPerm;

	@ConfigOption(name = "buffer_chunk_size", description = "Set the buffer chunk size", defaultValue = "32768",
			type = OptionType.SIZE)
	public long bufferChunkSize;

	/** 0 (unset) means buffer_chunk_size. */
	@ConfigOption(name = "buffer_max_size", description = "Set the buffer chunk size", type = OptionType.SIZE)
	public long bufferMaxSize;

	/** Default {@code syslog-rfc5424} for tcp/udp, {@code syslog-rfc3164-local} for the unix modes. */
	@ConfigOption(name = "parser", description = "Set the parser")
	public String parser;

	@ConfigOption(name = "receive_buffer_size", description = "Set the socket receiving buffer size",
			type = OptionType.SIZE)
	public long receiveBufferSize;

	@ConfigOption(name = "raw_message_key", description = "Key where the raw message will be preserved")
	public String rawMessageKey;

	@ConfigOption(name = "source_address_key", description = "Key where the source address will be injected")
	public String sourceAddressKey;

	/** Stream framing: {@code newline} (default) or {@code octet_counting}. */
	@ConfigOption(name = "format", description = "Format of TCP framing: newline (default) or octet_counting (RFC 6587)")
	public String format;
}
