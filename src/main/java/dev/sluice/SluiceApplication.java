package dev.sluice;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.DiskSpaceHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.logging.logback.LogbackMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.startup.StartupTimeMetricsListenerAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.system.SystemMetricsAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.actuate.endpoint.web.WebMvcHealthEndpointExtensionAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Import;

import dev.sluice.admin.EmptyErrorController;
import dev.sluice.admin.MonitoringController;

/**
 * The Spring Boot application: the monitoring and admin HTTP server, actuator, and the parent
 * context of every pipeline generation. Started by {@link SluiceService}.
 * <p>
 * The auto-configurations are listed rather than discovered ({@code @EnableAutoConfiguration}
 * reads and filters every candidate on the class path, ~90, and applied some Sluice has no use
 * for): the web server and MVC, actuator's health (with the liveness and readiness groups),
 * info and Prometheus endpoints, and the JVM, system, logback and start-up time meters. Left out
 * on purpose: AOP, task execution and scheduling, multipart, project info, SSL health and meters,
 * Micrometer observations ({@code http.server.requests}) and Tomcat's session meters, whose binder
 * creates the platform MBean server (JMX, ~250 classes, and the JFR diagnostic commands).
 * <p>
 * No bean method calls another, so the class is not proxied (which also keeps the build's Spring
 * AOT step, {@link SpringAot}, from generating a CGLIB subclass).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
		LifecycleAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class, SslAutoConfiguration.class,
		JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
		// web server and MVC
		TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
		WebMvcAutoConfiguration.class, HttpEncodingAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
		// actuator endpoints
		EndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
		ManagementContextAutoConfiguration.class, ServletManagementContextAutoConfiguration.class,
		TomcatServletManagementContextAutoConfiguration.class, InfoContributorAutoConfiguration.class,
		InfoEndpointAutoConfiguration.class,
		// health, liveness and readiness
		HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
		HealthEndpointAutoConfiguration.class, WebMvcHealthEndpointExtensionAutoConfiguration.class,
		AvailabilityProbesAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
		DiskSpaceHealthContributorAutoConfiguration.class,
		// meters and /actuator/prometheus
		MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		PrometheusMetricsExportAutoConfiguration.class, JvmMetricsAutoConfiguration.class,
		SystemMetricsAutoConfiguration.class, LogbackMetricsAutoConfiguration.class,
		StartupTimeMetricsListenerAutoConfiguration.class })
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
