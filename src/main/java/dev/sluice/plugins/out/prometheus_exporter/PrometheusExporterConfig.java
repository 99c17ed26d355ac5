package dev.sluice.plugins.out.prometheus_exporter;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code prometheus_exporter} output, as Fluent Bit's out_prometheus_exporter declares them. */
public class PrometheusExporterConfig {

	@ConfigOption(name = "host", description = "HTTP Server listen address", defaultValue = "0.0.0.0")
	public String host;

	@ConfigOption(name = "port", description = "HTTP Server listen port", defaultValue = "2021")
	public int port;

	@ConfigOption(name = "add_label", description = "Add a label to every metric: 'add_label name value'. Multiple labels can be set.", type = OptionType.SLIST, maxSplit = 1, multiple = true)
	public List<List<String>> addLabel;

	@ConfigOption(name = "add_timestamp", description = "Add timestamp to every metric honoring collection time.", defaultValue = "false")
	public boolean addTimestamp;
}
