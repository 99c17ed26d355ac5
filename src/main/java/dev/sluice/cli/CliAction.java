package dev.sluice.cli;

/** What a command line asks for. */
public enum CliAction {

	/** Run the pipeline (or, with {@code -D}, validate it and exit). */
	RUN,

	/** {@code -h} before any {@code -i}/{@code -F}/{@code -o}: the general help. */
	HELP,

	/** {@code -i NAME -h} (and {@code -F}, {@code -o}): one plugin's options as text. */
	PLUGIN_HELP,

	/** {@code -J}: the whole plugin catalogue as JSON, or one plugin's after {@code -i NAME}. */
	SCHEMA_JSON,

	/** {@code -V}: the version. */
	VERSION
}
