package dev.sluice.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValuesTest {

	@ParameterizedTest
	@CsvSource({ "0,0", "100,100", "1K,1000", "1k,1000", "1KB,1000", "5M,5000000", "5mb,5000000", "1.5G,1500000000",
			"2MB,2000000", "32768,32768", "false,0", "512K,512000", "0.5K,500", "100KB,100000" })
	void sizesAreDecimal(String text, long bytes) {
		assertThat(ConfigValues.parseSize(text)).isEqualTo(bytes);
	}

	@Test
	void badSizesNameTheProblem() {
		assertThatThrownBy(() -> ConfigValues.parseSize("lots")).hasMessageContaining("expected a size");
		assertThatThrownBy(() -> ConfigValues.parseSize("5X")).hasMessageContaining("unknown size unit 'X'");
	}

	@ParameterizedTest
	@CsvSource({ "10,10000", "10s,10000", "500ms,500", "5m,300000", "5M,300000", "1h,3600000", "1d,86400000",
			"1.5,1500", "0,0" })
	void times(String text, long millis) {
		assertThat(ConfigValues.parseTime(text)).isEqualTo(Duration.ofMillis(millis));
	}

	@Test
	void badTimes() {
		assertThatThrownBy(() -> ConfigValues.parseTime("soon")).hasMessageContaining("expected a time");
		assertThatThrownBy(() -> ConfigValues.parseTime("5w")).hasMessageContaining("unknown time unit 'w'");
	}

	@ParameterizedTest
	@CsvSource({ "on,true", "On,true", "true,true", "YES,true", "off,false", "false,false", "No,false" })
	void booleans(String text, boolean value) {
		assertThat(ConfigValues.parseBool(text)).isEqualTo(value);
	}

	@Test
	void badBoolean() {
		assertThatThrownBy(() -> ConfigValues.parseBool("maybe")).hasMessageContaining("expected a boolean");
	}

	@Test
	void lists() {
		assertThat(ConfigValues.splitComma(" a, b ,,c ", -1)).containsExactly("a", "b", "c");
		assertThat(ConfigValues.splitComma("a,b,c,d", 2)).containsExactly("a", "b", "c,d");
		assertThat(ConfigValues.splitSpace("level  ^debug$", 1)).containsExactly("level", "^debug$");
		assertThat(ConfigValues.splitSpace("msg  hello world  x", 1)).containsExactly("msg", "hello world  x");
		assertThat(ConfigValues.splitSpace("\"a b\" c \"d\"", -1)).containsExactly("a b", "c", "d");
		assertThat(ConfigValues.splitSpace("$k ^(a)$ new.$1 false", 3)).containsExactly("$k", "^(a)$", "new.$1", "false");
	}

	@Test
	void humanSizes() {
		assertThat(ConfigValues.humanSize(100)).isEqualTo("100b");
		assertThat(ConfigValues.humanSize(1_258_291)).isEqualTo("1.2M");
		assertThat(ConfigValues.humanSize(5_000_000)).isEqualTo("4.8M");
	}
}
