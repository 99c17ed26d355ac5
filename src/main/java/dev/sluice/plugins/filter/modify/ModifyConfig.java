package dev.sluice.plugins.filter.modify;

import java.util.List;

import dev.sluice.plugin.ConfigOption;

/**
 * Options of the {@code modify} filter. Every option is repeatable; the filter reads them in the
 * order written (rules apply in that order), so these fields only declare them.
 */
public class ModifyConfig {

	@ConfigOption(name = "Set", description = "Add a key/value pair with key KEY and value VALUE. If KEY already exists, this field is overwritten.", multiple = true)
	public List<String> set;

	@ConfigOption(name = "Add", description = "Add a key/value pair with key KEY and value VALUE if KEY does not exist", multiple = true)
	public List<String> add;

	@ConfigOption(name = "Remove", description = "Remove a key/value pair with key KEY if it exists", multiple = true)
	public List<String> remove;

	@ConfigOption(name = "Remove_wildcard", description = "Remove all key/value pairs with key matching wildcard KEY", multiple = true)
	public List<String> removeWildcard;

	@ConfigOption(name = "Remove_regex", description = "Remove all key/value pairs with key matching regexp KEY", multiple = true)
	public List<String> removeRegex;

	@ConfigOption(name = "Move_To_Start", description = "Move key/value pairs with keys matching KEY to the start of the message", multiple = true)
	public List<String> moveToStart;

	@ConfigOption(name = "Move_To_End", description = "Move key/value pairs with keys matching KEY to the end of the message", multiple = true)
	public List<String> moveToEnd;

	@ConfigOption(name = "Rename", description = "Rename a key/value pair with key KEY to RENAMED_KEY if KEY exists AND RENAMED_KEY does not exist", multiple = true)
	public List<String> rename;

	@ConfigOption(name = "Hard_Rename", description = "Rename a key/value pair with key KEY to RENAMED_KEY if KEY exists. If RENAMED_KEY already exists, this field is overwritten", multiple = true)
	public List<String> hardRename;

	@ConfigOption(name = "Copy", description = "Copy a key/value pair with key KEY to COPIED_KEY if KEY exists AND COPIED_KEY does not exist", multiple = true)
	public List<String> copy;

	@ConfigOption(name = "Hard_copy", description = "Copy a key/value pair with key KEY to COPIED_KEY if KEY exists. If COPIED_KEY already exists, this field is overwritten", multiple = true)
	public List<String> hardCopy;

	@ConfigOption(name = "Condition", description = "Set the condition to modify. Key_exists, Key_does_not_exist, A_key_matches, No_key_matches, Key_value_equals, Key_value_does_not_equal, Key_value_matches, Key_value_does_not_match, Matching_keys_have_matching_values and Matching_keys_do_not_have_matching_values are supported.", multiple = true)
	public List<String> condition;
}
