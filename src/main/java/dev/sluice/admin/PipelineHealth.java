package dev.sluice.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.sluice.engine.Engine;
import dev.sluice.engine.InputInstance;
import dev.sluice.engine.PipelineManager;

/**
 * The Kubernetes probes' answers. Liveness ({@code engine}): the engine thread is alive and its
 * loop went round recently (it does at least once a second), so a wedged engine gets the pod
 * restarted. Readiness ({@code pipeline}): a pipeline generation is running and not stopping, and
 * at least one input accepts data; paused inputs and why are in the details.
 */
public final class PipelineHealth {

	/** An engine loop silent for this long is wedged. */
	static final long WEDGED_NANOS = 10_000_000_000L;

	private PipelineHealth() {
	}

	public static HealthIndicator liveness(PipelineManager manager) {
		return () -> {
			Engine e = manager.engine();
			if (e == null) {
				return Health.up().withDetail("engine", "starting").build();
			}
			long silentMs = e.sinceLastLoopNanos() / 1_000_000;
			if (!e.isAlive() && !e.isStopping()) {
				return Health.down().withDetail("engine", "thread not running").build();
			}
			if (e.isAlive() && silentMs * 1_000_000 > WEDGED_NANOS) {
				return Health.down().withDetail("engine", "wedged").withDetail("silent_ms", silentMs).build();
			}
			return Health.up().withDetail("engine", e.isStopping() ? "stopping" : "running").build();
		};
	}

	public static HealthIndicator readiness(PipelineManager manager) {
		return () -> {
			Engine e = manager.engine();
			if (e == null) {
				return Health.outOfService().withDetail("pipeline", "starting").build();
			}
			if (e.isStopping() && !manager.isReloading()) {
				return Health.outOfService().withDetail("pipeline", "stopping").build();
			}
			Map<String, Object> paused = new LinkedHashMap<>();
			int accepting = 0;
			for (InputInstance in : e.inputs()) {
				if (in.isPaused()) {
					List<String> why = new ArrayList<>();
					in.pauseReasons().forEach((r) -> why.add(r.name().toLowerCase(java.util.Locale.ROOT)));
					paused.put(in.displayName(), why);
				}
				else {
					accepting++;
				}
			}
			Status status = (accepting > 0 || e.inputs().isEmpty() || manager.isReloading()) ? Status.UP
					: Status.OUT_OF_SERVICE;
			return Health.status(status)
				.withDetail("pipeline", manager.isReloading() ? "reloading" : "running")
				.withDetail("generation", manager.current().number())
				.withDetail("paused_inputs", paused)
				.build();
		};
	}
}
