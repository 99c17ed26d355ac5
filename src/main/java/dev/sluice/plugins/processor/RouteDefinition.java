package dev.sluice.plugins.processor;

import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;

/**
 * One conditional route of an input ({@code routes: {logs: [...]}} in YAML): records meeting the
 * condition go to the named outputs; a {@code default: true} route takes the records no other
 * route of the input took.
 *
 * @param name the route's name
 * @param signal {@code logs} (or {@code any}); {@code metrics} and {@code traces} routes are read
 * but never match, as in Fluent Bit
 * @param condition the condition
 * @param outputs output names or aliases, as written
 * @param section where it was configured
 */
public record RouteDefinition(String name, String signal, Condition condition, List<String> outputs,
		ConfigSection section) {

	public boolean isDefault() {
		return this.condition.isDefault();
	}

	/** Whether this route applies to log records. */
	public boolean forLogs() {
		return this.signal.equals("logs") || this.signal.equals("any");
	}

	/**
	 * Reads the {@code routes.*} children of an input section. Problems go to {@code errors} with
	 * their file and line; output names are checked later, against the outputs.
	 */
	public static List<RouteDefinition> read(ConfigSection input, List<ConfigError> errors) {
		List<RouteDefinition> out = new ArrayList<>();
		java.util.Set<String> names = new java.util.HashSet<>();
		input.children().forEach((group, sections) -> {
			if (!group.startsWith("routes")) {
				return;
			}
			String signal = group.startsWith("routes.") ? group.substring("routes.".length()) : "";
			if (!List.of("logs", "metrics", "traces", "any").contains(signal)) {
				errors.add(new ConfigError(sections.isEmpty() ? input.origin() : sections.get(0).origin(),
						"routes: unknown signal type '" + signal + "' (expected logs, metrics, traces or any)"));
				return;
			}
			for (ConfigSection s : sections) {
				RouteDefinition r = readOne(s, signal, errors);
				if (r != null) {
					if (!names.add(signal + "/" + r.name())) {
						errors.add(new ConfigError(s.property("name").origin(), "route name '" + r.name()
								+ "' is used twice"));
					}
					out.add(r);
				}
			}
		});
		return List.copyOf(out);
	}

	private static RouteDefinition readOne(ConfigSection s, String signal, List<ConfigError> errors) {
		ConfigProperty name = s.property("name");
		boolean ok = true;
		for (ConfigProperty p : s.properties()) {
			String k = p.name();
			if (!(k.equals("name") || k.equals("to.outputs") || k.equals("per_record_routing")
					|| k.startsWith("condition."))) {
				errors.add(new ConfigError(p.origin(), "unknown route property '" + k + "'"));
				ok = false;
			}
		}
		for (String g : s.children().keySet()) {
			if (!g.equals("condition.rules")) {
				errors.add(new ConfigError(s.children().get(g).get(0).origin(), "unknown route property '" + g + "'"));
				ok = false;
			}
		}
		if (name == null || name.value().isBlank()) {
			errors.add(new ConfigError(s.origin(), "route has no 'name'"));
			return null;
		}
		int before = errors.size();
		Condition c = Condition.read(s, errors);
		if (errors.size() > before) {
			return null;
		}
		if (c == null || (!c.isDefault() && c.rules().isEmpty())) {
			errors.add(new ConfigError(s.origin(), "route '" + name.value() + "' has no condition (set condition.rules,"
					+ " or condition.default: true)"));
			return null;
		}
		List<String> outputs = new ArrayList<>();
		for (String o : s.getAll("to.outputs")) {
			if (!o.isBlank()) {
				outputs.add(o.strip());
			}
		}
		if (outputs.isEmpty()) {
			errors.add(new ConfigError(s.origin(), "route '" + name.value() + "' has no 'to.outputs'"));
			return null;
		}
		return ok ? new RouteDefinition(name.value().strip(), signal, c, List.copyOf(outputs), s) : null;
	}
}
