package dev.sluice.plugins.in.fluentbit_metrics;

import java.time.Duration;
import java.util.List;

import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.MetricFamily;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.otlp.Otlp;
import dev.sluice.plugins.otlp.OtlpMetrics;

/**
 * Fluent Bit's {@code fluentbit_metrics} input: every {@code scrape_interval} (and at start with
 * {@code scrape_on_start}) it appends Sluice's own metrics (the {@code /api/v2/metrics} set:
 * {@code fluentbit_input_records_total{name=...}} and the rest) as one metrics event. The event
 * holds an OTLP {@code ExportMetricsServiceRequest} (see {@link Otlp}), which the
 * {@code prometheus_exporter} and {@code opentelemetry} outputs read.
 */
@Plugin(kind = PluginKind.INPUT, name = "fluentbit_metrics", description = "Fluent Bit internal metrics",
		config = FluentBitMetricsConfig.class)
public final class FluentBitMetricsInput implements InputPlugin<FluentBitMetricsConfig> {

	private Duration interval;

	private boolean onStart;

	@Override
	public void init(FluentBitMetricsConfig config, InputContext context) {
		this.interval = (config.scrapeInterval == null || config.scrapeInterval.isZero() || config.scrapeInterval.isNegative())
				? Duration.ofSeconds(2) : config.scrapeInterval;
		this.onStart = config.scrapeOnStart;
	}

	@Override
	public void collect(InputContext context) throws Exception {
		if (this.onStart) {
			scrape(context);
		}
		while (context.isRunning()) {
			if (!context.sleep(this.interval)) {
				return;
			}
			if (context.isPaused() && !context.awaitResume()) {
				return;
			}
			scrape(context);
		}
	}

	private static void scrape(InputContext context) {
		List<MetricFamily> families = context.serviceMetrics();
		if (families.isEmpty()) {
			return;
		}
		try {
			context.append(context.tag(), InputContext.METRICS,
					Otlp.payloadEvent(OtlpMetrics.fromFamilies(families, "fluentbit").toByteArray()));
		}
		catch (IllegalStateException ex) {
			// stopping
		}
	}
}
