package dev.sluice;

/**
 * Entry point of the build's Spring AOT step ({@code spring-boot:process-aot}, see pom.xml): it
 * runs {@link SluiceApplication} as {@link SluiceService} does with the HTTP server on, and the
 * plugin stops it once the bean definitions are known, writing them out as code
 * ({@code SluiceApplication__ApplicationContextInitializer} and friends). {@link SluiceService}
 * starts Spring from that code when it is there, which skips parsing the configuration classes
 * and evaluating the auto-configurations' conditions: about 40% of Spring's start.
 * <p>
 * Conditions are evaluated at build time, with the properties of
 * {@link SluiceService#springApplication}; what the run sets (port, address, token) is bound at
 * start as usual. Without the HTTP server Spring starts the ordinary way.
 */
final class SpringAot {

	private SpringAot() {
	}

	public static void main(String[] args) {
		SluiceService.springApplication(true, 0, "127.0.0.1").run(args);
	}
}
