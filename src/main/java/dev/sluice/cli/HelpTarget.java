package dev.sluice.cli;

import dev.sluice.plugin.PluginKind;

/**
 * The plugin a {@code -h} or {@code -J} after {@code -i NAME} (or {@code -F}, {@code -o},
 * {@code -C}, {@code -r}) asks about.
 *
 * @param kind {@code input}, {@code filter}, {@code output}, {@code custom} or {@code processor}
 * @param name the plugin name as given
 */
public record HelpTarget(String kind, String name) {

	/** The plugin kind, or null for customs and processors (Sluice has none). */
	public PluginKind pluginKind() {
		return switch (this.kind) {
			case "input" -> PluginKind.INPUT;
			case "filter" -> PluginKind.FILTER;
			case "output" -> PluginKind.OUTPUT;
			default -> null;
		};
	}
}
