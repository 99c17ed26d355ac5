/**
 * The command line: Fluent Bit's flags parsed the way its {@code getopt_long} loop parses them
 * ({@link dev.sluice.cli.CommandLine}), the help screens, per-plugin help and {@code -J} schema
 * ({@link dev.sluice.cli.Help}, {@link dev.sluice.cli.PluginSchema}), and the entry point that
 * answers the informational flags itself and hands everything else to a
 * {@link dev.sluice.cli.Runner} ({@link dev.sluice.cli.CliMain}).
 */
package dev.sluice.cli;
