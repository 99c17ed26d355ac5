package dev.sluice.plugins.filter.multiline;

import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code multiline} filter, as Fluent Bit 5.1 declares them. */
public class MultilineFilterConfig {

	@ConfigOption(name = "debug_flush", description = "enable debugging for concatenation flush to stdout", defaultValue = "false")
	public boolean debugFlush;

	@ConfigOption(name = "buffer", description = "Enable buffered mode. In buffered mode, the filter can concatenate multilines from inputs that ingest records one by one (ex: Forward), rather than in chunks, re-emitting them into the beggining of the pipeline using the in_emitter instance. With buffer off, this filter will not work with most inputs, except tail.", defaultValue = "true")
	public boolean buffer;

	@ConfigOption(name = "mode", description = "Mode can be 'parser' for regex concat, or 'partial_message' to concat split docker logs.", defaultValue = "parser")
	public String mode;

	@ConfigOption(name = "flush_ms", description = "Flush time for pending multiline records", defaultValue = "2000", type = OptionType.INT)
	public int flushMs;

	@ConfigOption(name = "multiline.parser", description = "specify one or multiple multiline parsers: docker, cri, go, java, etc.", type = OptionType.CLIST, multiple = true)
	public List<String> multilineParser;

	@ConfigOption(name = "multiline.key_content", description = "specify the key name that holds the content to process.")
	public String keyContent;

	@ConfigOption(name = "emitter_name", description = "")
	public String emitterName;

	@ConfigOption(name = "emitter_storage.type", description = "", defaultValue = "memory")
	public String emitterStorageType;

	@ConfigOption(name = "emitter_mem_buf_limit", description = "set a memory buffer limit to restrict memory usage of emitter", defaultValue = "10M", type = OptionType.SIZE)
	public long emitterMemBufLimit;
}
