package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * A validated pipeline: the service options and every plugin instance, bound. Built from a
 * {@link ConfigDocument} by {@link #build}, which reports every error it finds at once.
 *
 * @param document the source
 * @param service the service options
 * @param inputs input instances in configuration order
 * @param filters filter instances in configuration order
 * @param outputs output instances in configuration order
 */
public record PipelineDefinition(ConfigDocument document, ServiceConfig service, List<InstanceDefinition> inputs,
		List<InstanceDefinition> filters, List<InstanceDefinition> outputs) {

	/**
	 * Binds and validates a document against the registry.
	 * @throws ConfigException with every error found
	 */
	public static PipelineDefinition build(ConfigDocument doc, PluginRegistry registry) {
		List<ConfigError> errors = new ArrayList<>();
		ServiceConfig service = ConfigBinder.bindLenient(new ServiceConfig(), doc.service(), errors);
		List<InstanceDefinition> inputs = new ArrayList<>();
		List<InstanceDefinition> filters = new ArrayList<>();
		List<InstanceDefinition> outputs = new ArrayList<>();
		for (ConfigSection s : doc.sections()) {
			PluginKind kind = switch (s.type()) {
				case "input" -> PluginKind.INPUT;
				case "filter" -> PluginKind.FILTER;
				case "output" -> PluginKind.OUTPUT;
				default -> null;
			};
			if (kind == null) {
				continue;
			}
			ConfigProperty nameProp = s.property("name");
			if (nameProp == null || nameProp.value().isBlank()) {
				errors.add(new ConfigError(s.origin(), "section '" + kind.label() + "' has no 'name' property"));
				continue;
			}
			String pluginName = nameProp.value().strip().toLowerCase(Locale.ROOT);
			PluginDescriptor d = registry.find(kind, pluginName);
			if (d == null) {
				errors.add(new ConfigError(nameProp.origin(), "section '" + kind.label()
						+ "' tried to instance a plugin name that doesn't exist: '" + nameProp.value().strip() + "'"
						+ suggestion(registry, kind, pluginName)));
				continue;
			}
			List<InstanceDefinition> list = switch (kind) {
				case INPUT -> inputs;
				case FILTER -> filters;
				case OUTPUT -> outputs;
			};
			Object common = switch (kind) {
				case INPUT -> new InputCommonConfig();
				case FILTER -> new FilterCommonConfig();
				case OUTPUT -> new OutputCommonConfig();
			};
			ConfigBinder.Bound b = ConfigBinder.bind(d, common, s, errors);
			String name = d.name() + "." + list.size();
			InstanceDefinition def = new InstanceDefinition(d, name, b.common(), b.config(), b.properties(), s);
			if (kind != PluginKind.FILTER) {
				def = def.with(dev.sluice.plugins.processor.ProcessorDefinition.read(s, name, kind.label(), registry, errors),
						(kind == PluginKind.INPUT) ? dev.sluice.plugins.processor.RouteDefinition.read(s, errors) : List.of());
			}
			validateCommon(def, errors);
			list.add(def);
		}
		checkNames(inputs, errors);
		checkNames(filters, errors);
		checkNames(outputs, errors);
		checkRoutes(inputs, outputs, errors);
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		return new PipelineDefinition(doc, service, List.copyOf(inputs), List.copyOf(filters), List.copyOf(outputs));
	}

	private static void validateCommon(InstanceDefinition def, List<ConfigError> errors) {
		String regex = switch (def.common()) {
			case FilterCommonConfig c -> c.matchRegex;
			case OutputCommonConfig c -> c.matchRegex;
			default -> null;
		};
		if (regex != null) {
			try {
				dev.sluice.parser.Regex.compile(regex);
			}
			catch (IllegalArgumentException ex) {
				ConfigProperty p = def.section().property("match_regex");
				errors.add(new ConfigError((p != null) ? p.origin() : def.section().origin(),
						def.name() + ": match_regex: " + ex.getMessage()));
			}
		}
		if (def.common() instanceof FilterCommonConfig c && c.match == null && c.matchRegex == null) {
			errors.add(new ConfigError(def.section().origin(),
					"NO match rule for " + def.name() + " filter instance (set Match or Match_Regex)"));
		}
	}

	/** Every output a conditional route names must exist (by alias or instance name). */
	private static void checkRoutes(List<InstanceDefinition> inputs, List<InstanceDefinition> outputs,
			List<ConfigError> errors) {
		for (InstanceDefinition in : inputs) {
			for (dev.sluice.plugins.processor.RouteDefinition r : in.routes()) {
				for (String o : r.outputs()) {
					boolean found = outputs.stream().anyMatch((d) -> d.displayName().equals(o) || d.name().equals(o));
					if (!found) {
						ConfigProperty p = r.section().properties().stream()
							.filter((q) -> q.name().equals("to.outputs") && q.value().strip().equals(o))
							.findFirst().orElse(null);
						errors.add(new ConfigError((p != null) ? p.origin() : r.section().origin(), "route '" + r.name()
								+ "' of input " + in.displayName() + ": output '" + o + "' does not exist"));
					}
				}
			}
		}
	}

	private static void checkNames(List<InstanceDefinition> list, List<ConfigError> errors) {
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (InstanceDefinition d : list) {
			if (!seen.add(d.displayName())) {
				ConfigProperty p = d.section().property("alias");
				errors.add(new ConfigError((p != null) ? p.origin() : d.section().origin(),
						d.descriptor().kind().label() + " instance name '" + d.displayName() + "' is used twice"));
			}
		}
	}

	private static String suggestion(PluginRegistry registry, PluginKind kind, String name) {
		String best = null;
		int bestD = Integer.MAX_VALUE;
		for (PluginDescriptor d : registry.all(kind)) {
			int dist = ConfigBinder.levenshtein(name, d.name());
			if (dist < bestD) {
				bestD = dist;
				best = d.name();
			}
		}
		return (best != null && bestD <= 2) ? " (did you mean '" + best + "'?)" : "";
	}
}
