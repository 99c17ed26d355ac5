package dev.sluice.config;

import java.util.Map;

import dev.sluice.plugin.PluginDescriptor;

/**
 * One configured, validated plugin instance.
 *
 * @param descriptor the plugin type
 * @param name the instance name, {@code <plugin>.<index>} with the index among all instances of
 * the kind (as Fluent Bit: {@code dummy.0}, {@code tail.1})
 * @param common the bound common options ({@link InputCommonConfig}, {@link FilterCommonConfig}
 * or {@link OutputCommonConfig})
 * @param config the bound plugin options
 * @param properties every configured key (lower case) with its last value
 * @param section the section it was bound from
 * @param processors the instance's processors (YAML {@code processors}; inputs and outputs), in order
 * @param routes an input's conditional routes (YAML {@code routes}); empty: routed by {@code Match}
 */
public record InstanceDefinition(PluginDescriptor descriptor, String name, Object common, Object config,
		Map<String, String> properties, ConfigSection section,
		java.util.List<dev.sluice.plugins.processor.ProcessorDefinition> processors,
		java.util.List<dev.sluice.plugins.processor.RouteDefinition> routes) {

	/** An instance without processors or routes. */
	public InstanceDefinition(PluginDescriptor descriptor, String name, Object common, Object config,
			Map<String, String> properties, ConfigSection section) {
		this(descriptor, name, common, config, properties, section, java.util.List.of(), java.util.List.of());
	}

	/** The same instance with processors and routes. */
	public InstanceDefinition with(java.util.List<dev.sluice.plugins.processor.ProcessorDefinition> processors,
			java.util.List<dev.sluice.plugins.processor.RouteDefinition> routes) {
		return new InstanceDefinition(this.descriptor, this.name, this.common, this.config, this.properties,
				this.section, java.util.List.copyOf(processors), java.util.List.copyOf(routes));
	}

	/** The processors of one signal ({@code logs}, {@code metrics}, {@code traces}). */
	public java.util.List<dev.sluice.plugins.processor.ProcessorDefinition> processors(String signal) {
		return this.processors.stream().filter((p) -> p.signal().equals(signal)).toList();
	}

	/** The alias when set, else the name. */
	public String displayName() {
		String alias = switch (this.common) {
			case InputCommonConfig c -> c.alias;
			case FilterCommonConfig c -> c.alias;
			case OutputCommonConfig c -> c.alias;
			default -> null;
		};
		return (alias != null && !alias.isEmpty()) ? alias : this.name;
	}

	@SuppressWarnings("unchecked")
	public <C> C commonAs(Class<C> type) {
		return (C) this.common;
	}
}
