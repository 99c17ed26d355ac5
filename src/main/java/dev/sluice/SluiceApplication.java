package dev.sluice;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The Spring Boot application: the monitoring and admin HTTP server, actuator, and the parent
 * context of every pipeline generation. Started by {@link SluiceService}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SluiceApplication {
}
