package dev.sluice.plugins.out.pgsql;

import dev.sluice.plugin.ConfigOption;

/**
 * Options of the {@code pgsql} output, with Fluent Bit's names and defaults
 * ({@code plugins/out_pgsql}, which reads them as plain properties; the descriptions follow its
 * documentation).
 */
public class PgsqlOutputConfig {

	@ConfigOption(name = "host", description = "Hostname/IP address of the PostgreSQL instance", defaultValue = "127.0.0.1")
	public String host;

	@ConfigOption(name = "port", description = "PostgreSQL port", defaultValue = "5432")
	public int port;

	@ConfigOption(name = "user", description = "PostgreSQL username (default: the current system user)")
	public String user;

	@ConfigOption(name = "password", description = "Password of the PostgreSQL username", secret = true)
	public String password;

	@ConfigOption(name = "database", description = "Database name to connect to", defaultValue = "fluentbit")
	public String database;

	@ConfigOption(name = "table", description = "Table name where to store data (created when missing)", defaultValue = "fluentbit")
	public String table;

	@ConfigOption(name = "connection_options", description = "Specifies any PostgreSQL connection options you want, e.g. '-c statement_timeout=5000'")
	public String connectionOptions;

	@ConfigOption(name = "timestamp_key", description = "Key in the JSON object containing the record timestamp", defaultValue = "date")
	public String timestampKey;

	@ConfigOption(name = "async", description = "Define if we will use async or sync connections", defaultValue = "false")
	public boolean async;

	@ConfigOption(name = "min_pool_size", description = "Minimum number of connection in async mode", defaultValue = "1")
	public int minPoolSize;

	@ConfigOption(name = "max_pool_size", description = "Maximum amount of connections in async mode", defaultValue = "4")
	public int maxPoolSize;

	@ConfigOption(name = "cockroachdb", description = "Set to true if you will connect the plugin with a CockroachDB", defaultValue = "false")
	public boolean cockroachdb;
}
