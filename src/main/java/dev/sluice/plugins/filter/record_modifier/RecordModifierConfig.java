package dev.sluice.plugins.filter.record_modifier;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code record_modifier} filter. */
public class RecordModifierConfig {

	@ConfigOption(name = "record", description = "Append fields. This parameter needs key and value pair.", type = OptionType.SLIST, multiple = true, maxSplit = 2)
	public List<List<String>> record;

	@ConfigOption(name = "remove_key", description = "If the key is matched, that field is removed.", multiple = true)
	public List<String> removeKey;

	@ConfigOption(name = "allowlist_key", description = "If the key is not matched, that field is removed.", multiple = true)
	public List<String> allowlistKey;

	@ConfigOption(name = "whitelist_key", description = "(Alias of allowlist_key)", multiple = true)
	public List<String> whitelistKey;

	@ConfigOption(name = "uuid_key", description = "If set, the plugin generates uuid per record.")
	public String uuidKey;
}
