package dev.sluice.plugins.processor.content_modifier;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code content_modifier} processor. */
public class ContentModifierConfig {

	@ConfigOption(name = "context", description = "Context where the action will be applied.", defaultValue = "body")
	public String context;

	@ConfigOption(name = "action", description = "Action to perform over the content: insert, upsert, delete, rename, hash, extract or convert.")
	public String action;

	@ConfigOption(name = "key", description = "Key to apply the action.")
	public String key;

	@ConfigOption(name = "value", description = "Value to apply the action.")
	public String value;

	@ConfigOption(name = "pattern", description = "Regular expression pattern. This property is only used by the 'extract' action.")
	public String pattern;

	@ConfigOption(name = "converted_type", description = "Specify the data type to convert to. Allowed values are string, boolean, int and double.")
	public String convertedType;
}
