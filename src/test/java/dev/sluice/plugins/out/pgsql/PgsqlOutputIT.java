package dev.sluice.plugins.out.pgsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sluice.config.ConfigBinder;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Origin;
import dev.sluice.config.OutputCommonConfig;
import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.EventTime;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugins.TestChunk;
import dev.sluice.plugins.TestContext;

/**
 * The pgsql output against a real PostgreSQL server (Debian package {@code postgresql}) that the
 * test starts with initdb/pg_ctl, reading the rows back with JDBC.
 */
class PgsqlOutputIT {

	static PostgresServer pg;

	private final TestContext ctx = new TestContext("pgsql.0");

	@BeforeAll
	static void startServer() throws Exception {
		pg = new PostgresServer();
	}

	@AfterAll
	static void stopServer() throws Exception {
		if (pg != null) {
			pg.close();
		}
	}

	static Map<String, Object> rec(Object... kv) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.put((String) kv[i], kv[i + 1]);
		}
		return m;
	}

	static EventBytes events(long firstSecond, int n, String run) {
		EventEncoder enc = new EventEncoder();
		for (int i = 0; i < n; i++) {
			enc.append(new EventTime(firstSecond + i, 250_000_000), Map.of(),
					rec("run", run, "n", (long) i, "msg", "it's \"quoted\"", "nested", rec("k", "v")));
		}
		return EventBytes.of(enc);
	}

	private PgsqlOutput output(String... kv) throws Exception {
		PluginDescriptor d = PluginDescriptor.of(PgsqlOutput.class);
		ConfigSection s = new ConfigSection("output", Origin.COMMAND_LINE);
		s.add("name", "pgsql", Origin.COMMAND_LINE);
		s.add("match", "*", Origin.COMMAND_LINE);
		s.add("host", "127.0.0.1", Origin.COMMAND_LINE);
		s.add("port", String.valueOf(pg.port), Origin.COMMAND_LINE);
		s.add("user", "postgres", Origin.COMMAND_LINE);
		s.add("password", "unused-with-trust", Origin.COMMAND_LINE);
		for (int i = 0; i < kv.length; i += 2) {
			s.add(kv[i], kv[i + 1], Origin.COMMAND_LINE);
		}
		List<ConfigError> errors = new ArrayList<>();
		ConfigBinder.Bound b = ConfigBinder.bind(d, new OutputCommonConfig(), s, errors);
		assertThat(errors).isEmpty();
		PgsqlOutput o = new PgsqlOutput();
		o.init((PgsqlOutputConfig) b.config(), this.ctx);
		return o;
	}

	/** Rows of a run: tag, epoch seconds of time, data as text, in n order. */
	static List<List<Object>> rows(String table, String run) throws Exception {
		List<List<Object>> out = new ArrayList<>();
		try (Connection c = pg.connect("fluentbit"); Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("SELECT tag, extract(epoch from time::timestamptz)::float8, data::text FROM "
						+ table + " WHERE data->>'run' = '" + run + "' ORDER BY (data->>'n')::int, time")) {
			while (rs.next()) {
				out.add(List.of(rs.getString(1), rs.getDouble(2), rs.getString(3)));
			}
		}
		return out;
	}

	@Test
	void createsTheTableAndInsertsOneRowPerRecord() throws Exception {
		PgsqlOutput o = output("table", "Logs_A");
		try {
			try (Connection c = pg.connect("fluentbit"); Statement st = c.createStatement();
					ResultSet rs = st.executeQuery("SELECT column_name, data_type FROM information_schema.columns "
							+ "WHERE table_name = 'Logs_A' ORDER BY ordinal_position")) {
				List<String> cols = new ArrayList<>();
				while (rs.next()) {
					cols.add(rs.getString(1) + " " + rs.getString(2));
				}
				assertThat(cols).containsExactly("tag character varying", "time timestamp without time zone", "data jsonb");
			}
			assertThat(o.flush(TestChunk.of("app.log", events(1_795_314_791L, 3, "a")), this.ctx)).isEqualTo(FlushResult.OK);
			List<List<Object>> rows = rows("\"Logs_A\"", "a");
			assertThat(rows).hasSize(3);
			assertThat(rows.get(0).get(0)).isEqualTo("app.log");
			assertThat((Double) rows.get(0).get(1)).isEqualTo(1_795_314_791.25);
			assertThat((Double) rows.get(2).get(1)).isEqualTo(1_795_314_793.25);
			// jsonb normalises the text: keys sorted by length then bytes, ", " and ": " separators
			assertThat(rows.get(1).get(2)).isEqualTo(
					"{\"n\": 1, \"msg\": \"it's \\\"quoted\\\"\", \"run\": \"a\", \"date\": 1795314792.25, \"nested\": {\"k\": \"v\"}}");
		}
		finally {
			o.exit();
		}
	}

	@Test
	void timestampKeyAndDefaultTable() throws Exception {
		PgsqlOutput o = output("timestamp_key", "ts");
		try {
			assertThat(o.flush(TestChunk.of("t", events(1_700_000_000L, 1, "b")), this.ctx)).isEqualTo(FlushResult.OK);
			List<List<Object>> rows = rows("fluentbit", "b");
			assertThat(rows).hasSize(1);
			assertThat((Double) rows.get(0).get(1)).isEqualTo(1_700_000_000.25);
			assertThat((String) rows.get(0).get(2)).contains("\"ts\": 1700000000.25").doesNotContain("\"date\"");
		}
		finally {
			o.exit();
		}
	}

	@Test
	void serverDownIsRetryThenUpDeliversEachChunkOnce() throws Exception {
		PgsqlOutput o = output("table", "retry_t");
		try {
			assertThat(o.flush(TestChunk.of("r", events(1_795_000_000L, 2, "before")), this.ctx)).isEqualTo(FlushResult.OK);
			pg.stop();
			EventBytes chunk = events(1_795_000_100L, 4, "during");
			assertThat(o.flush(TestChunk.of("r", chunk), this.ctx)).isEqualTo(FlushResult.RETRY);
			assertThat(o.flush(TestChunk.of("r", chunk), this.ctx)).isEqualTo(FlushResult.RETRY);
			pg.start();
			assertThat(o.flush(TestChunk.of("r", chunk), this.ctx)).isEqualTo(FlushResult.OK);
			assertThat(rows("retry_t", "before")).hasSize(2);
			assertThat(rows("retry_t", "during")).hasSize(4).extracting((r) -> r.get(1))
				.containsExactly(1_795_000_100.25, 1_795_000_101.25, 1_795_000_102.25, 1_795_000_103.25);
		}
		finally {
			o.exit();
		}
	}

	@Test
	void asyncPoolRunsFlushesConcurrently() throws Exception {
		PgsqlOutput o = output("table", "pool_t", "async", "on", "min_pool_size", "2", "max_pool_size", "3");
		ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
		try {
			List<Future<FlushResult>> results = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				EventBytes ev = events(1_795_100_000L + i * 10, 5, "pool");
				results.add(ex.submit((Callable<FlushResult>) () -> o.flush(TestChunk.of("p", ev), this.ctx)));
			}
			for (Future<FlushResult> f : results) {
				assertThat(f.get()).isEqualTo(FlushResult.OK);
			}
			assertThat(rows("pool_t", "pool")).hasSize(60);
		}
		finally {
			ex.close();
			o.exit();
		}
	}
}
