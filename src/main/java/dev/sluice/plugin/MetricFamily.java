package dev.sluice.plugin;

import java.util.List;
import java.util.Map;

/**
 * One metric of the service's own metrics ({@link InputContext#serviceMetrics()}), as a
 * Prometheus family: a name, its help text, its type ({@code counter} or {@code gauge}) and one
 * sample per label set.
 */
public record MetricFamily(String name, String help, String type, List<Sample> samples) {

	/** One value of a family, with its labels in order. */
	public record Sample(Map<String, String> labels, double value) {
	}
}
