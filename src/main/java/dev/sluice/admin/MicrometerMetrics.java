package dev.sluice.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.sluice.engine.Engine;
import dev.sluice.engine.FilterInstance;
import dev.sluice.engine.InputInstance;
import dev.sluice.engine.OutputInstance;
import dev.sluice.engine.PipelineGeneration;
import dev.sluice.engine.PipelineManager;

/**
 * Publishes the engine's counters through Micrometer (so {@code /actuator/prometheus} shows the
 * same {@code fluentbit_*_total{name="…"}} series as Fluent Bit's endpoints). Meters are read
 * from the instances' counters on scrape, and replaced when a reload starts a new generation.
 */
public final class MicrometerMetrics {

	private final MeterRegistry registry;

	private final List<Meter> meters = new ArrayList<>();

	public MicrometerMetrics(MeterRegistry registry, PipelineManager manager) {
		this.registry = registry;
		manager.onGeneration(this::bind);
	}

	private synchronized void bind(PipelineGeneration generation) {
		for (Meter m : this.meters) {
			this.registry.remove(m);
		}
		this.meters.clear();
		Engine e = generation.engine();
		for (InputInstance in : e.inputs()) {
			counter("fluentbit.input.records", "Number of input records.", in.displayName(), in.metrics().records);
			counter("fluentbit.input.bytes", "Number of input bytes.", in.displayName(), in.metrics().bytes);
			this.meters.add(Gauge.builder("fluentbit.input.ingestion.paused", in, (i) -> i.isPaused() ? 1 : 0)
				.description("Is the input paused or not?")
				.tag("name", in.displayName())
				.register(this.registry));
		}
		for (FilterInstance f : e.filters()) {
			counter("fluentbit.filter.records", "Total number of new records processed.", f.displayName(), f.metrics().records);
			counter("fluentbit.filter.bytes", "Total number of new bytes processed.", f.displayName(), f.metrics().bytes);
			counter("fluentbit.filter.add.records", "Total number of new added records.", f.displayName(), f.metrics().addRecords);
			counter("fluentbit.filter.drop.records", "Total number of dropped records.", f.displayName(), f.metrics().dropRecords);
			counter("fluentbit.filter.drop.bytes", "Total number of dropped bytes.", f.displayName(), f.metrics().dropBytes);
		}
		for (OutputInstance o : e.outputs()) {
			String n = o.displayName();
			counter("fluentbit.output.proc.records", "Number of processed output records.", n, o.metrics().procRecords);
			counter("fluentbit.output.proc.bytes", "Number of processed output bytes.", n, o.metrics().procBytes);
			counter("fluentbit.output.errors", "Number of output errors.", n, o.metrics().errors);
			counter("fluentbit.output.retries", "Number of output retries.", n, o.metrics().retries);
			counter("fluentbit.output.retries.failed",
					"Number of abandoned batches because the maximum number of re-tries was reached.", n,
					o.metrics().retriesFailed);
			counter("fluentbit.output.dropped.records", "Number of dropped records.", n, o.metrics().droppedRecords);
			counter("fluentbit.output.retried.records", "Number of retried records.", n, o.metrics().retriedRecords);
		}
	}

	private void counter(String name, String help, String instance, LongAdder value) {
		this.meters.add(FunctionCounter.builder(name, value, LongAdder::doubleValue)
			.description(help)
			.tag("name", instance)
			.register(this.registry));
	}
}
