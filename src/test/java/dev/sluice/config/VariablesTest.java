package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VariablesTest {

	private final Variables vars = new Variables(Map.of("SET", "from-set", "SHADOW", "set-wins", "SET_EMPTY", ""),
			Map.of("ENV", "from-env", "SHADOW", "env-loses", "ENV_EMPTY", "", "HOSTNAME", "box-1"));

	@Test
	void lookupOrder() {
		assertThat(this.vars.lookup("SET")).isEqualTo("from-set");
		assertThat(this.vars.lookup("ENV")).isEqualTo("from-env");
		assertThat(this.vars.lookup("SHADOW")).isEqualTo("set-wins");
		assertThat(this.vars.lookup("SET_EMPTY")).isEmpty();
		assertThat(this.vars.lookup("ENV_EMPTY")).isNull();
		assertThat(this.vars.lookup("NOPE")).isNull();
		assertThat(this.vars.lookup("HOSTNAME")).isEqualTo("box-1");
	}

	@Test
	void plainReferences() {
		assertThat(this.vars.expand("${SET}")).isEqualTo("from-set");
		assertThat(this.vars.expand("a-${ENV}-b-${SHADOW}")).isEqualTo("a-from-env-b-set-wins");
		assertThat(this.vars.expand("no variables $ { } $x")).isEqualTo("no variables $ { } $x");
		assertThat(this.vars.expand("${HOSTNAME}.log")).isEqualTo("box-1.log");
		assertThat(this.vars.warnings()).isEmpty();
	}

	@Test
	void defaults() {
		assertThat(this.vars.expand("${NOPE:-def}")).isEqualTo("def");
		assertThat(this.vars.expand("${SET_EMPTY:-def}")).isEqualTo("def");
		assertThat(this.vars.expand("${ENV_EMPTY:-def}")).isEqualTo("def");
		assertThat(this.vars.expand("${SET:-def}")).isEqualTo("from-set");
		assertThat(this.vars.expand("${NOPE:-}")).isEmpty();
		assertThat(this.vars.expand("${NOPE:-a:-b}")).isEqualTo("a:-b");
		assertThat(this.vars.expand("${NOPE:-${ENV}/x}")).isEqualTo("from-env/x");
		assertThat(this.vars.expand("${NOPE:-${ALSO_NOPE:-deep}}!")).isEqualTo("deep!");
		assertThat(this.vars.warnings()).isEmpty();
	}

	@Test
	void unsetWithoutDefaultIsEmptyWithAWarning() {
		assertThat(this.vars.expand("x${NOPE}y${ENV_EMPTY}z")).isEqualTo("xyz");
		assertThat(this.vars.warnings()).containsExactly("[env] variable ${NOPE} is used but not set",
				"[env] variable ${ENV_EMPTY} is used but not set");
		assertThat(this.vars.expand("${SET_EMPTY}")).isEmpty();
		assertThat(this.vars.warnings()).hasSize(2);
	}

	@Test
	void unsetReportedToACallback() {
		List<String> names = new ArrayList<>();
		assertThat(this.vars.expand("${A}${SET}${B:-b}${C}", names::add)).isEqualTo("from-setb");
		assertThat(names).containsExactly("A", "C");
		assertThat(this.vars.warnings()).isEmpty();
	}

	@Test
	void malformedReferencesAreKeptLiterally() {
		assertThat(this.vars.expand("${SET")).isEqualTo("${SET");
		assertThat(this.vars.expand("a ${SET} ${unterminated")).isEqualTo("a from-set ${unterminated");
		assertThat(this.vars.expand("${}${SET}")).isEqualTo("${}from-set");
		assertThat(this.vars.expand("")).isEmpty();
		assertThat(this.vars.expand(null)).isNull();
	}

	@Test
	void expansionIsASinglePass() {
		Variables v = new Variables(Map.of("A", "${B}", "B", "b"), Map.of());
		assertThat(v.expand("${A}")).isEqualTo("${B}");
	}

	@Test
	void hostnameDefaultsToTheMachineName() {
		Variables v = new Variables(Map.of(), Map.of());
		assertThat(v.lookup("HOSTNAME")).isNotBlank();
		assertThat(new Variables(Map.of("HOSTNAME", "mine"), Map.of()).expand("${HOSTNAME}")).isEqualTo("mine");
	}
}
