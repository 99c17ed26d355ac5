package dev.sluice.plugins.filter.lua;

import dev.sluice.plugin.ConfigOption;

/** Options of the {@code lua} filter. */
public class LuaConfig {

	@ConfigOption(name = "script", description = "The path of lua script.")
	public String script;

	@ConfigOption(name = "code", description = "String that contains the Lua script source code")
	public String code;

	@ConfigOption(name = "call", description = "Lua function name that will be triggered to do filtering.")
	public String call;

	@ConfigOption(name = "type_int_key", description = "If these keys are matched, the fields are converted to integer. If more than one key, delimit by space.")
	public String typeIntKey;

	@ConfigOption(name = "type_array_key", description = "If these keys are matched, the fields are converted to array. If more than one key, delimit by space.")
	public String typeArrayKey;

	@ConfigOption(name = "protected_mode", description = "If enabled, Lua script will be executed in protected mode. It prevents to crash when invalid Lua script is executed.", defaultValue = "true")
	public boolean protectedMode;

	@ConfigOption(name = "time_as_table", description = "If enabled, Fluent-bit will pass the timestamp as a Lua table with keys \"sec\" for seconds since epoch and \"nsec\" for nanoseconds.", defaultValue = "false")
	public boolean timeAsTable;

	@ConfigOption(name = "enable_flb_null", description = "If enabled, null will be converted to flb_null in Lua. It is useful to prevent removing key/value since nil is a special value to remove key value from map in Lua.", defaultValue = "false")
	public boolean enableFlbNull;
}
