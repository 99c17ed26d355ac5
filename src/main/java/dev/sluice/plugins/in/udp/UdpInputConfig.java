package dev.sluice.plugins.in.udp;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code udp} input, as Fluent Bit 5.1.1 declares them. */
public class UdpInputConfig {

	@ConfigOption(name = "listen", description = "Listen Address", defaultValue = "0.0.0.0")
	public String listen;

	@ConfigOption(name = "host", description = "Hostname", defaultValue = "localhost")
	public String host;

	/** 0 means the plugin's default, 5170. */
	@ConfigOption(name = "port", description = "Listen Port", defaultValue = "0")
	public int port;

	/** {@code json} (default) or {@code none}. */
	@ConfigOption(name = "format", description = "Set the format: json or none")
	public String format;

	/** For {@code format none}; escapes such as {@code \n} are read; default a newline. */
	@ConfigOption(name = "separator", description = "Set separator")
	public String separator;

	@ConfigOption(name = "parser", description = "Optional parser for line-delimited records")
	public String parser;

	/** In KB (as Fluent Bit): the buffer's initial size and growth step; default 32 KB. */
	@ConfigOption(name = "chunk_size", description = "Set the chunk size")
	public String chunkSize;

	/** In KB: the largest datagram read; default chunk_size. */
	@ConfigOption(name = "buffer_size", description = "Set the buffer size")
	public String bufferSize;

	@ConfigOption(name = "source_address_key", description = "Key where the source address will be injected")
	public String sourceAddressKey;

	@ConfigOption(name = "workers", description = "Set the number of UDP listener workers", defaultValue = "1")
	public int workers;
}
