package dev.sluice.plugins.in.forward;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code forward} input, as Fluent Bit 5.1.1 declares them. */
public class ForwardInputConfig {

	@ConfigOption(name = "listen", description = "Listen Address", defaultValue = "0.0.0.0")
	public String listen;

	@ConfigOption(name = "host", description = "Hostname", defaultValue = "localhost")
	public String host;

	/** 0 means the protocol's default, 24224 (unless {@code unix_path} is set). */
	@ConfigOption(name = "port", description = "Listen Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "tag_prefix", description = "Prefix incoming tag with the defined value.")
	public String tagPrefix;

	@ConfigOption(name = "shared_key", description = "Shared key for secure forward authentication.", secret = true)
	public String sharedKey;

	@ConfigOption(name = "self_hostname", description = "Hostname used in the handshake process for secure forward authentication.")
	public String selfHostname;

	@ConfigOption(name = "security.users", description = "Specify username and password pairs.", type = OptionType.STR, multiple = true, secret = true)
	public List<String> users;

	@ConfigOption(name = "unix_path", description = "The path to unix socket to receive a Forward message.")
	public String unixPath;

	@ConfigOption(name = "unix_perm", description = "Set the permissions for the UNIX socket.")
	public String unixPerm;

	@ConfigOption(name = "buffer_chunk_size", description = "The buffer memory size used to receive a Forward message.", defaultValue = "1024000", type = OptionType.SIZE)
	public long bufferChunkSize;

	@ConfigOption(name = "buffer_max_size", description = "The maximum buffer memory size used to receive a Forward message.", defaultValue = "6144000", type = OptionType.SIZE)
	public long bufferMaxSize;

	@ConfigOption(name = "empty_shared_key", description = "Enable an empty string as the shared key for authentication.", defaultValue = "false")
	public boolean emptySharedKey;

	@ConfigOption(name = "workers", description = "Set the number of Forward listener workers", defaultValue = "1")
	public int workers;
}
