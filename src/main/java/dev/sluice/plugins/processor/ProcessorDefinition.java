package dev.sluice.plugins.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sluice.config.ConfigBinder;
import dev.sluice.config.ConfigError;
import dev.sluice.config.ConfigProperty;
import dev.sluice.config.ConfigSection;
import dev.sluice.config.FilterCommonConfig;
import dev.sluice.config.InstanceDefinition;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * One processor of an input or output ({@code processors: {logs: [...]}} in YAML): a filter plugin
 * (any registered filter) or a processor-only plugin such as {@code content_modifier}, bound like
 * a filter but without a match rule: it applies to every record of its owner.
 *
 * @param instance the bound plugin (kind filter; its name is {@code <plugin>.<index>}, the index
 * among the owner's processors of the signal)
 * @param signal {@code logs}, {@code metrics} or {@code traces}
 * @param owner the owner's instance name (e.g. {@code dummy.0})
 * @param scope {@code input} or {@code output}
 * @param condition the processor's {@code condition}, or null (honoured by processor-only plugins
 * only, as in Fluent Bit)
 */
public record ProcessorDefinition(InstanceDefinition instance, String signal, String owner, String scope,
		Condition condition) {

	/** The processor-only plugins (not usable as {@code [FILTER]}). */
	public static PluginDescriptor processorOnly(String name) {
		for (Class<?> c : dev.sluice.plugins.BuiltinPlugins.PROCESSORS) {
			PluginDescriptor d = PluginDescriptor.of(c);
			if (d.name().equals(name)) {
				return d;
			}
		}
		return null;
	}

	/**
	 * Binds the {@code processors.*} children of an input or output section. Problems go to
	 * {@code errors} with their file and line.
	 */
	public static List<ProcessorDefinition> read(ConfigSection owner, String ownerName, String scope,
			PluginRegistry registry, List<ConfigError> errors) {
		List<ProcessorDefinition> out = new ArrayList<>();
		owner.children().forEach((group, sections) -> {
			if (!group.startsWith("processors")) {
				return;
			}
			String signal = group.startsWith("processors.") ? group.substring("processors.".length()) : "";
			if (!List.of("logs", "metrics", "traces").contains(signal)) {
				errors.add(new ConfigError(sections.isEmpty() ? owner.origin() : sections.get(0).origin(),
						"processors: unknown signal type '" + signal + "' (expected logs, metrics or traces)"));
				return;
			}
			int index = 0;
			for (ConfigSection s : sections) {
				ProcessorDefinition p = readOne(s, signal, ownerName, scope, index++, registry, errors);
				if (p != null) {
					out.add(p);
				}
			}
		});
		return List.copyOf(out);
	}

	private static ProcessorDefinition readOne(ConfigSection s, String signal, String ownerName, String scope,
			int index, PluginRegistry registry, List<ConfigError> errors) {
		ConfigProperty nameProp = s.property("name");
		if (nameProp == null || nameProp.value().isBlank()) {
			errors.add(new ConfigError(s.origin(), "processor has no 'name' property"));
			return null;
		}
		String pluginName = nameProp.value().strip().toLowerCase(Locale.ROOT);
		PluginDescriptor d = processorOnly(pluginName);
		if (d == null) {
			d = registry.find(PluginKind.FILTER, pluginName);
		}
		if (d == null) {
			errors.add(new ConfigError(nameProp.origin(), "processor '" + nameProp.value().strip()
					+ "' does not exist (processors are content_modifier or any filter plugin)"));
			return null;
		}
		int before = errors.size();
		Condition condition = Condition.read(s, errors);
		// the binder sees the plugin's own keys only: the condition block is read above
		ConfigSection plain = new ConfigSection("processor", s.origin());
		for (ConfigProperty p : s.properties()) {
			if (!p.name().startsWith("condition.")) {
				plain.properties().add(p);
			}
		}
		for (String g : s.children().keySet()) {
			if (!g.equals("condition.rules")) {
				errors.add(new ConfigError(s.children().get(g).get(0).origin(), d.name()
						+ ": unknown configuration property '" + g + "'"));
			}
		}
		ConfigBinder.Bound b = ConfigBinder.bind(d, new FilterCommonConfig(), plain, errors);
		if (errors.size() > before) {
			return null;
		}
		InstanceDefinition def = new InstanceDefinition(d, d.name() + "." + index, b.common(), b.config(),
				b.properties(), plain);
		return new ProcessorDefinition(def, signal, ownerName, scope, condition);
	}
}
