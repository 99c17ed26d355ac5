package dev.sluice.config.read;

import java.util.List;
import java.util.ListIterator;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.Variables;

/**
 * Applies {@link Variables} to every property value of a document (children included), after the
 * whole configuration has been read, so that a variable defined anywhere applies everywhere, as in
 * Fluent Bit (which sets every {@code @SET}/{@code env} variable before it reads any property).
 */
public final class Expansion {

	private Expansion() {
	}

	/**
	 * Expands every value in place.
	 * @param document the document
	 * @param variables the variables
	 * @param warnings receives one warning per use of an unset variable, with its origin
	 */
	public static void expand(ConfigDocument document, Variables variables, List<String> warnings) {
		for (ConfigSection section : document.sections()) {
			expand(section, variables, warnings);
		}
	}

	private static void expand(ConfigSection section, Variables variables, List<String> warnings) {
		ListIterator<ConfigProperty> it = section.properties().listIterator();
		while (it.hasNext()) {
			ConfigProperty p = it.next();
			String value = variables.expand(p.value(),
					(name) -> warnings.add(p.origin() + ": " + Variables.unsetWarning(name)));
			if (!value.equals(p.value())) {
				it.set(new ConfigProperty(p.key(), value, p.origin()));
			}
		}
		for (List<ConfigSection> group : section.children().values()) {
			for (ConfigSection child : group) {
				expand(child, variables, warnings);
			}
		}
	}
}
