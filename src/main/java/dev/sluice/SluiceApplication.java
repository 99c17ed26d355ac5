package dev.sluice;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

import dev.sluice.admin.EmptyErrorController;
import dev.sluice.admin.MonitoringController;

/**
 * The Spring Boot application: the monitoring and admin HTTP server, actuator, and the parent
 * context of every pipeline generation. Started by {@link SluiceService}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ MonitoringController.class, EmptyErrorController.class, dev.sluice.admin.AdminController.class })
public class SluiceApplication {

	@org.springframework.context.annotation.Bean
	org.springframework.boot.health.contributor.HealthIndicator engineHealthIndicator(
			dev.sluice.engine.PipelineManager manager) {
		return dev.sluice.admin.PipelineHealth.liveness(manager);
	}

	@org.springframework.context.annotation.Bean
	org.springframework.boot.health.contributor.HealthIndicator pipelineHealthIndicator(
			dev.sluice.engine.PipelineManager manager) {
		return dev.sluice.admin.PipelineHealth.readiness(manager);
	}

	@org.springframework.context.annotation.Bean
	dev.sluice.admin.MicrometerMetrics micrometerMetrics(io.micrometer.core.instrument.MeterRegistry registry,
			dev.sluice.engine.PipelineManager manager) {
		return new dev.sluice.admin.MicrometerMetrics(registry, manager);
	}
}
