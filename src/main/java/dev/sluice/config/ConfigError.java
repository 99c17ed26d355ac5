package dev.sluice.config;

/**
 * One problem found in a configuration.
 *
 * @param origin where, as precisely as known
 * @param message what is wrong, naming the key and instance where there is one
 */
public record ConfigError(Origin origin, String message) {

	@Override
	public String toString() {
		return "error in " + this.origin + ": " + this.message;
	}
}
