package dev.sluice.cli;

/**
 * Runs a pipeline described by a command line: reads the configuration file if there is one,
 * merges the command line into it ({@link CliOptions#applyTo}), validates it, and either runs it
 * until stopped or, with {@link CliOptions#dryRun()}, prints
 * {@code configuration test is successful} to stderr and stops.
 */
@FunctionalInterface
public interface Runner {

	/**
	 * @param options the parsed command line; its action is {@link CliAction#RUN}
	 * @return the process exit code
	 */
	int run(CliOptions options);
}
