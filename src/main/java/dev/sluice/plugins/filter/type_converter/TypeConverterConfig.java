package dev.sluice.plugins.filter.type_converter;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code type_converter} filter: rules {@code FROM_KEY TO_KEY TYPE}. */
public class TypeConverterConfig {

	@ConfigOption(name = "int_key", description = "Convert integer to other type. e.g. int_key id id_str string", type = OptionType.SLIST, multiple = true, maxSplit = 3)
	public List<List<String>> intKey;

	@ConfigOption(name = "uint_key", description = "Convert unsinged integer to other type. e.g. uint_key id id_str string", type = OptionType.SLIST, multiple = true, maxSplit = 3)
	public List<List<String>> uintKey;

	@ConfigOption(name = "float_key", description = "Convert float to other type. e.g. float_key ratio id_str string", type = OptionType.SLIST, multiple = true, maxSplit = 3)
	public List<List<String>> floatKey;

	@ConfigOption(name = "str_key", description = "Convert string to other type. e.g. str_key id id_val integer", type = OptionType.SLIST, multiple = true, maxSplit = 3)
	public List<List<String>> strKey;
}
