package dev.sluice.plugins.in.dummy;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code dummy} input, as Fluent Bit 5.1.1 declares them. */
public class DummyConfig {

	@ConfigOption(name = "samples", description = "set a number of times to generate event.", defaultValue = "0")
	public int samples;

	@ConfigOption(name = "dummy", description = "set the sample record to be generated. It should be a JSON object.Environment variables are resolved dynamically.", defaultValue = "{\"message\":\"dummy\"}")
	public String dummy;

	@ConfigOption(name = "metadata", description = "set the sample metadata to be generated. It should be a JSON object.Environment variables are resolved dynamically.", defaultValue = "{}")
	public String metadata;

	@ConfigOption(name = "rate", description = "set a number of events per second.", defaultValue = "1")
	public int rate;

	@ConfigOption(name = "interval_sec", description = "set seconds of interval to generate events. overrides rate setting.", defaultValue = "0")
	public int intervalSec;

	@ConfigOption(name = "interval_nsec", description = "set nanoseconds of interval to generate events. overrides rate setting.", defaultValue = "0")
	public int intervalNsec;

	@ConfigOption(name = "copies", description = "set the number of copies to generate per collectd.", defaultValue = "1")
	public int copies;

	@ConfigOption(name = "start_time_sec", description = "set a dummy base timestamp in seconds.", defaultValue = "-1")
	public int startTimeSec;

	@ConfigOption(name = "start_time_nsec", description = "set a dummy base timestamp in nanoseconds.", defaultValue = "-1")
	public int startTimeNsec;

	@ConfigOption(name = "fixed_timestamp", description = "used a fixed timestamp, allows the message to pre-generated once.", defaultValue = "off")
	public boolean fixedTimestamp;

	@ConfigOption(name = "flush_on_startup", description = "generate the first event on startup", defaultValue = "false")
	public boolean flushOnStartup;

	@ConfigOption(name = "test_hang_on_exit", description = "TEST ONLY: simulate hang during exit to test hot reload watchdog", defaultValue = "false")
	public boolean testHangOnExit;
}
