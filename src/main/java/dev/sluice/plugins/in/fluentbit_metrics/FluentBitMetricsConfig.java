package dev.sluice.plugins.in.fluentbit_metrics;

import java.time.Duration;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code fluentbit_metrics} input, as Fluent Bit's in_fluentbit_metrics declares them. */
public class FluentBitMetricsConfig {

	@ConfigOption(name = "scrape_interval", description = "scrape interval to collect the internal metrics of Fluent Bit.", defaultValue = "2", type = OptionType.TIME)
	public Duration scrapeInterval;

	@ConfigOption(name = "scrape_on_start", description = "scrape metrics upon start, useful to avoid waiting for 'scrape_interval' for the first round of metrics.", defaultValue = "false")
	public boolean scrapeOnStart;
}
