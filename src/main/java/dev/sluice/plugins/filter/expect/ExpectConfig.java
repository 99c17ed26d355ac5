package dev.sluice.plugins.filter.expect;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code expect} filter; the rules are read in the order written. */
public class ExpectConfig {

	@ConfigOption(name = "key_exists", description = "check that the given key name exists in the record", multiple = true)
	public List<String> keyExists;

	@ConfigOption(name = "key_not_exists", description = "check that the given key name do not exists in the record", multiple = true)
	public List<String> keyNotExists;

	@ConfigOption(name = "key_val_is_null", description = "check that the value of the key is NULL", multiple = true)
	public List<String> keyValIsNull;

	@ConfigOption(name = "key_val_is_not_null", description = "check that the value of the key is NOT NULL", multiple = true)
	public List<String> keyValIsNotNull;

	@ConfigOption(name = "key_val_eq", description = "check that the value of the key equals the given value", type = OptionType.SLIST, multiple = true, maxSplit = 1)
	public List<List<String>> keyValEq;

	@ConfigOption(name = "action", description = "action to take when a rule does not match: 'warn', 'exit' or 'result_key'.", defaultValue = "warn")
	public String action;

	@ConfigOption(name = "result_key", description = "specify the key name to append a boolean that indicates rule is matched or not. This key is to be used only when 'action' is 'result_key'.", defaultValue = "matched")
	public String resultKey;
}
