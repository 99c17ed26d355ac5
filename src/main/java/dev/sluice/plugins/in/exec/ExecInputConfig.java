package dev.sluice.plugins.in.exec;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code exec} input, with Fluent Bit's names, defaults and descriptions (not in the 5.1.1 build's schema). */
public class ExecInputConfig {

	@ConfigOption(name = "command", description = "Set the command to execute")
	public String command;

	@ConfigOption(name = "parser", description = "Set a parser")
	public String parser;

	@ConfigOption(name = "interval_sec", description = "Set the collector interval", defaultValue = "1")
	public int intervalSec;

	@ConfigOption(name = "interval_nsec", description = "Set the collector interval (nanoseconds)", defaultValue = "0")
	public long intervalNsec;

	@ConfigOption(name = "buf_size", description = "Set the buffer size", defaultValue = "4096", type = OptionType.SIZE)
	public long bufSize;

	@ConfigOption(name = "oneshot", description = "execute the command only once", defaultValue = "false")
	public boolean oneshot;

	@ConfigOption(name = "exit_after_oneshot",
			description = "exit fluent-bit after the command terminates in one-shot mode", defaultValue = "false")
	public boolean exitAfterOneshot;

	@ConfigOption(name = "propagate_exit_code",
			description = "propagate oneshot exit command fluent-bit exit code using shell exit code translation conventions",
			defaultValue = "false")
	public boolean propagateExitCode;
}
