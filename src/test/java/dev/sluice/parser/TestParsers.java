package dev.sluice.parser;

import java.time.Instant;
import java.util.Map;

import dev.sluice.config.ClassicConfigReader;
import dev.sluice.config.ConfigDocument;

/** Builds parsers from classic parsers-file text, for tests. */
public final class TestParsers {

	private TestParsers() {
	}

	public static ConfigDocument doc(String conf) {
		return new ClassicConfigReader(Map.of()).readParsersFile(conf, "parsers.conf");
	}

	public static ParserRegistry registry(String conf) {
		return ParserRegistry.of(doc(conf));
	}

	/** The first parser defined by {@code conf}, with a clock fixed in June 2017. */
	public static Parser parser(String conf) {
		ConfigDocument d = doc(conf);
		ParserDefinition def = ParserDefinition.fromSection(d.sections("parser").get(0));
		return Parser.create(def, () -> Instant.parse("2017-06-01T00:00:00Z").getEpochSecond());
	}
}
