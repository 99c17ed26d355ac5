package dev.sluice.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every error found in it (not only the first).
 */
public class ConfigException extends RuntimeException {

	private final List<ConfigError> errors;

	public ConfigException(List<ConfigError> errors) {
		super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
		this.errors = List.copyOf(errors);
	}

	public ConfigException(Origin origin, String message) {
		this(List.of(new ConfigError(origin, message)));
	}

	public List<ConfigError> errors() {
		return this.errors;
	}
}
