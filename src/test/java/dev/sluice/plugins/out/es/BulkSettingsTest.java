package dev.sluice.plugins.out.es;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.plugins.out.opensearch.OpensearchOutputConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BulkSettings#from}: which settings each plugin's options fill (by field name). */
class BulkSettingsTest {

	private static List<String> settingsNotIn(Class<?> options) {
		List<String> missing = new ArrayList<>();
		for (Field f : BulkSettings.class.getDeclaredFields()) {
			if (Modifier.isStatic(f.getModifiers())) {
				continue;
			}
			try {
				assertThat(options.getField(f.getName()).getType()).as(f.getName()).isEqualTo(f.getType());
			}
			catch (NoSuchFieldException ex) {
				missing.add(f.getName());
			}
		}
		return missing;
	}

	@Test
	void esFillsEverySetting() {
		assertThat(settingsNotIn(EsOutputConfig.class)).isEmpty();
	}

	@Test
	void opensearchFillsAllButTheElasticOnes() {
		assertThat(settingsNotIn(OpensearchOutputConfig.class)).containsExactly("httpApiKey", "cloudId", "cloudAuth",
				"upstream");
	}

	@Test
	void copiesValuesAndDefaultsHostAndPort() throws Exception {
		EsOutputConfig c = new EsOutputConfig();
		c.index = "logs";
		c.tlsVerify = true;
		c.cloudId = "id";
		BulkSettings s = BulkSettings.from(c);
		assertThat(s.host).isEqualTo("127.0.0.1");
		assertThat(s.port).isEqualTo(9200);
		assertThat(s.index).isEqualTo("logs");
		assertThat(s.tlsVerify).isTrue();
		assertThat(s.cloudId).isEqualTo("id");
		OpensearchOutputConfig o = new OpensearchOutputConfig();
		o.host = "search";
		o.port = 9201;
		BulkSettings t = BulkSettings.from(o);
		assertThat(t.host).isEqualTo("search");
		assertThat(t.port).isEqualTo(9201);
		assertThat(t.cloudId).isNull();
	}
}
