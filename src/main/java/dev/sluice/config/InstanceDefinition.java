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
 */
public record InstanceDefinition(PluginDescriptor descriptor, String name, Object common, Object config,
		Map<String, String> properties, ConfigSection section) {

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
