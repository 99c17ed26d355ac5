package dev.sluice.plugins.out.pgsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.sluice.plugins.TestContext;
import dev.sluice.testing.Ports;

/** What the pgsql output does without a server (the server tests are {@link PgsqlOutputIT}). */
class PgsqlOutputTest {

	@Test
	void identifiersAndLiteralsAreQuoted() {
		assertThat(PgsqlOutput.quoteIdentifier("fluentbit")).isEqualTo("\"fluentbit\"");
		assertThat(PgsqlOutput.quoteIdentifier("a\"b; drop")).isEqualTo("\"a\"\"b; drop\"");
		assertThat(PgsqlOutput.quoteLiteral("it's")).isEqualTo("'it''s'");
	}

	@Test
	void unreachableServerRefusesToStart() {
		PgsqlOutputConfig c = new PgsqlOutputConfig();
		c.host = "127.0.0.1";
		c.port = Ports.free();
		c.user = "postgres";
		c.database = "fluentbit";
		c.table = "x";
		c.timestampKey = "date";
		c.maxPoolSize = 4;
		c.minPoolSize = 1;
		PgsqlOutput o = new PgsqlOutput();
		assertThatThrownBy(() -> o.init(c, new TestContext("pgsql.0"))).hasMessageContaining("failed to connect to host=127.0.0.1");
	}
}
