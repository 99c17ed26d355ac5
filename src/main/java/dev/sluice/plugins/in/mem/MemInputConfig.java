package dev.sluice.plugins.in.mem;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code mem} input, with Fluent Bit's names, defaults and descriptions (not in the 5.1.1 build's schema). */
public class MemInputConfig {

	@ConfigOption(name = "interval_sec", description = "Set the collector interval", defaultValue = "1")
	public int intervalSec;

	@ConfigOption(name = "interval_nsec", description = "Set the collector interval (nanoseconds)", defaultValue = "0")
	public long intervalNsec;

	/** 0: none. */
	@ConfigOption(name = "pid", description = "Set the PID of the process to measure", defaultValue = "0")
	public int pid;
}
