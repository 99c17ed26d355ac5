package dev.sluice.plugins.in.cpu;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code cpu} input, with Fluent Bit's names, defaults and descriptions (not in the 5.1.1 build's schema). */
public class CpuInputConfig {

	/** -1: the whole system. */
	@ConfigOption(name = "pid", description = "Configure a single process to measure usage via their PID",
			defaultValue = "-1")
	public int pid;

	@ConfigOption(name = "interval_sec", description = "Set the collector interval", defaultValue = "1")
	public int intervalSec;

	@ConfigOption(name = "interval_nsec", description = "Set the collector interval (sub seconds)", defaultValue = "0")
	public long intervalNsec;
}
