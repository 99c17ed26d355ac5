package dev.sluice.plugins.filter.rewrite_tag;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code rewrite_tag} filter (Fluent Bit leaves most descriptions empty). */
public class RewriteTagConfig {

	@ConfigOption(name = "rule", description = "", type = OptionType.SLIST, multiple = true, maxSplit = 4)
	public List<List<String>> rule;

	@ConfigOption(name = "emitter_name", description = "")
	public String emitterName;

	@ConfigOption(name = "emitter_storage.type", description = "", defaultValue = "memory")
	public String emitterStorageType;

	@ConfigOption(name = "emitter_mem_buf_limit", description = "set a memory buffer limit to restrict memory usage of emitter", defaultValue = "10M", type = OptionType.SIZE)
	public long emitterMemBufLimit;
}
