package dev.sluice.plugins.filter.throttle;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code throttle} filter. */
public class ThrottleConfig {

	@ConfigOption(name = "rate", description = "Set throttle rate", defaultValue = "1")
	public double rate;

	@ConfigOption(name = "window", description = "Set throttle window", defaultValue = "5")
	public int window;

	@ConfigOption(name = "print_status", description = "Set whether or not to print status information", defaultValue = "false")
	public boolean printStatus;

	@ConfigOption(name = "interval", description = "Set the slide interval", defaultValue = "1")
	public String interval;
}
