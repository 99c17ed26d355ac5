package dev.sluice.plugins.out.pgsql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;

import dev.sluice.event.EventBytes;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code pgsql} output, over the PostgreSQL JDBC driver. At start it connects
 * ({@code min_pool_size} connections; refusing to start when the server cannot be reached, as
 * Fluent Bit does) and creates the table when missing:
 * {@code CREATE TABLE IF NOT EXISTS "<table>" (tag varchar, time timestamp, data jsonb)}. Each
 * flush inserts one row per record in one statement (so a chunk is stored whole or not at all):
 * the records as Fluent Bit's JSON array with {@code timestamp_key} holding the time as a double,
 * expanded by {@code json_array_elements}; {@code time} is {@code to_timestamp} of that key
 * ({@code cockroachdb}: an interval added to 1970-01-01). The table name is quoted as an
 * identifier, the tag and the JSON are bound parameters.
 *
 * <p>Without {@code async} one connection is used, one flush at a time; with it, up to
 * {@code max_pool_size} flushes run on their own connections (the engine runs at most
 * {@code workers} flushes of the instance at once, default 1: raise it with the pool). A failed statement is a RETRY;
 * a connection that failed is closed and replaced on the next flush (the server being down,
 * then up again, delivers each chunk once).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "pgsql", description = "PostgreSQL", config = PgsqlOutputConfig.class)
public final class PgsqlOutput implements OutputPlugin<PgsqlOutputConfig> {

	private Logger log;

	private String url;

	private Properties connProps;

	private String insert;

	private String timestampKey;

	private final ArrayDeque<Connection> idle = new ArrayDeque<>();

	private Semaphore slots;

	private final JsonFormatter json = JsonFormatter.standard();

	@Override
	public void init(PgsqlOutputConfig c, OutputContext context) throws Exception {
		this.log = context.log();
		String host = (c.host != null && !c.host.isEmpty()) ? c.host : "127.0.0.1";
		int port = (c.port > 0) ? c.port : 5432;
		String database = (c.database != null && !c.database.isEmpty()) ? c.database : "fluentbit";
		String table = (c.table != null && !c.table.isEmpty()) ? c.table : "fluentbit";
		this.timestampKey = (c.timestampKey != null && !c.timestampKey.isEmpty()) ? c.timestampKey : "date";
		int max = Math.max(1, c.maxPoolSize);
		int min = (c.minPoolSize < 1 || c.minPoolSize > max) ? max : c.minPoolSize;
		if (!c.async) {
			min = 1;
			max = 1;
		}
		this.slots = new Semaphore(max, true);
		this.url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
		this.connProps = new Properties();
		String user = c.user;
		if (user == null || user.isEmpty()) {
			this.log.warn("You didn't supply a valid user to connect,your current unix user will be used");
			user = System.getProperty("user.name");
		}
		this.connProps.setProperty("user", user);
		if (c.password != null) {
			this.connProps.setProperty("password", c.password);
		}
		if (c.connectionOptions != null && !c.connectionOptions.isBlank()) {
			this.connProps.setProperty("options", c.connectionOptions);
		}
		this.connProps.setProperty("ApplicationName", "sluice");
		this.connProps.setProperty("connectTimeout", "10");
		String quotedTable = quoteIdentifier(table);
		String time = c.cockroachdb
				? "CAST(value->>" + quoteLiteral(this.timestampKey) + " AS INTERVAL) + DATE'1970-01-01'"
				: "to_timestamp(CAST(value->>" + quoteLiteral(this.timestampKey) + " as FLOAT))";
		this.insert = "INSERT INTO " + quotedTable + " (tag, time, data) SELECT ?, " + time
				+ ", * FROM json_array_elements(CAST(? AS json))";
		for (int i = 0; i < min; i++) {
			try {
				this.idle.add(connect());
			}
			catch (SQLException ex) {
				closeAll();
				throw new IllegalStateException("failed to connect to host=" + host + " with error: " + ex.getMessage(), ex);
			}
		}
		this.log.info("host={} port={} dbname={} OK", host, port, database);
		this.log.info("we check that the table {} exists, if not we create it", quotedTable);
		Connection first = this.idle.peekFirst();
		try (Statement st = first.createStatement()) {
			st.execute("CREATE TABLE IF NOT EXISTS " + quotedTable + " (tag varchar, time timestamp, data jsonb);");
		}
		catch (SQLException ex) {
			closeAll();
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/** {@code PQescapeIdentifier}: double quotes around, inner double quotes doubled. */
	static String quoteIdentifier(String name) {
		return "\"" + name.replace("\"", "\"\"") + "\"";
	}

	/** A standard SQL string literal: single quotes doubled. */
	static String quoteLiteral(String s) {
		return "'" + s.replace("'", "''") + "'";
	}

	String insertStatement() {
		return this.insert;
	}

	private Connection connect() throws SQLException {
		Connection conn = DriverManager.getConnection(this.url, this.connProps);
		conn.setAutoCommit(true);
		return conn;
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) throws Exception {
		EventBytes ev = chunk.events();
		String body;
		try {
			body = new String(this.json.formatEvents(ev, JsonFormatter.Format.JSON, JsonFormatter.DateFormat.DOUBLE,
					this.timestampKey), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (RuntimeException ex) {
			this.log.error("Can't parse the msgpack into json: {}", ex.getMessage());
			return FlushResult.ERROR;
		}
		this.slots.acquire();
		Connection conn = null;
		try {
			synchronized (this.idle) {
				conn = this.idle.pollFirst();
			}
			// a kept connection may have died with the server meanwhile: then one fresh try
			for (int attempt = 0; attempt < 2; attempt++) {
				boolean pooled = conn != null;
				if (conn == null) {
					try {
						conn = connect();
					}
					catch (SQLException ex) {
						this.log.error("failed to connect to {}: {}", this.url, ex.getMessage());
						return FlushResult.RETRY;
					}
				}
				try (PreparedStatement ps = conn.prepareStatement(this.insert)) {
					ps.setString(1, chunk.tag());
					ps.setString(2, body);
					int rows = ps.executeUpdate();
					this.log.debug("inserted {} rows", rows);
					return FlushResult.OK;
				}
				catch (SQLException ex) {
					boolean alive = isConnectionAlive(conn, ex);
					if (!alive) {
						closeQuietly(conn);
						conn = null;
					}
					if (alive || !pooled) {
						this.log.error("{}", ex.getMessage());
						return FlushResult.RETRY;
					}
					this.log.debug("kept connection failed ({}); reconnecting", ex.getMessage());
				}
			}
			return FlushResult.RETRY;
		}
		finally {
			if (conn != null) {
				synchronized (this.idle) {
					this.idle.addFirst(conn);
				}
			}
			this.slots.release();
		}
	}

	/** Whether a connection can be used again after {@code ex}: a connection error (SQL state 08…) or a closed connection cannot. */
	private static boolean isConnectionAlive(Connection conn, SQLException ex) {
		String state = ex.getSQLState();
		if (state != null && state.startsWith("08")) {
			return false;
		}
		try {
			return !conn.isClosed() && conn.isValid(2);
		}
		catch (SQLException e) {
			return false;
		}
	}

	private static void closeQuietly(Connection c) {
		try {
			c.close();
		}
		catch (SQLException ex) {
			// closing
		}
	}

	private void closeAll() {
		synchronized (this.idle) {
			for (Connection c : this.idle) {
				closeQuietly(c);
			}
			this.idle.clear();
		}
	}

	@Override
	public void exit() {
		closeAll();
	}
}
