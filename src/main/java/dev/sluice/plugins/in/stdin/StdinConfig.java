package dev.sluice.plugins.in.stdin;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code stdin} input, as Fluent Bit 5.1.1's source declares them. */
public class StdinConfig {

	/** Fluent Bit's {@code DEFAULT_BUF_SIZE}: the smallest and the default read buffer. */
	public static final int DEFAULT_BUFFER_SIZE = 16000;

	@ConfigOption(name = "parser", description = "Set and use a fluent-bit parser")
	public String parser;

	@ConfigOption(name = "buffer_size", description = "Set the read buffer size", type = OptionType.SIZE)
	public long bufferSize = DEFAULT_BUFFER_SIZE;
}
