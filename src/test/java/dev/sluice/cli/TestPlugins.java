package dev.sluice.cli;

import java.util.List;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.OptionType;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginDescriptor;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugin.PluginRegistry;

/**
 * Small plugins for the help and schema tests. {@link FileOutput} and {@link RewriteTagFilter}
 * declare the same options (names, descriptions, defaults, types, order) as Fluent Bit 5.1.1's
 * {@code file} output and {@code rewrite_tag} filter, as captured in
 * {@code fixtures/help/schema.json}, so their help must match the captured help byte for byte.
 */
final class TestPlugins {

	private TestPlugins() {
	}

	/** A registry with every test plugin. */
	static PluginRegistry registry() {
		PluginRegistry r = new PluginRegistry();
		r.register(PluginDescriptor.of(TailInput.class));
		r.register(PluginDescriptor.of(LibInput.class));
		r.register(PluginDescriptor.of(RewriteTagFilter.class));
		r.register(PluginDescriptor.of(FileOutput.class));
		r.register(PluginDescriptor.of(NullOutput.class));
		return r;
	}

	static PluginDescriptor descriptor(PluginKind kind, String name) {
		return registry().find(kind, name);
	}

	static final class FileConfig {

		@ConfigOption(name = "path", description = "Absolute path to store the files. Log record accessor expressions are supported, and paths with record accessors must retain a static prefix. When enable_strftime is true, strftime placeholders use the UTC event timestamp")
		public String path;

		@ConfigOption(name = "file", description = "Name of the target file to write the records. If 'path' is specified, the value is prefixed. Log record accessor expressions are supported. When enable_strftime is true, strftime placeholders use the UTC event timestamp")
		public String file;

		@ConfigOption(name = "enable_strftime", description = "Enable strftime placeholders in path and file. Disabled by default so literal percent characters in existing filenames are preserved", defaultValue = "false")
		public boolean enableStrftime;

		@ConfigOption(name = "max_dynamic_files", description = "Maximum number of distinct record-accessor destinations. Set to 0 for unlimited", defaultValue = "1024")
		public int maxDynamicFiles;

		@ConfigOption(name = "on_missing_field", description = "Action for missing or unsafe dynamic destination values: error, drop or fallback", defaultValue = "error")
		public String onMissingField;

		@ConfigOption(name = "on_limit_reached", description = "Action when max_dynamic_files would be exceeded: error, drop or fallback", defaultValue = "error")
		public String onLimitReached;

		@ConfigOption(name = "fallback_path", description = "Static output path used when a configured fallback action is applied")
		public String fallbackPath;

		@ConfigOption(name = "fallback_file", description = "Static output file used when a configured fallback action is applied")
		public String fallbackFile;

		@ConfigOption(name = "format", description = "Specify the output data format, the available options are: plain (json), csv, ltsv and template. If no value is set the outgoing data is formatted using the tag and the record in json")
		public String format;

		@ConfigOption(name = "delimiter", description = "Set a custom delimiter for the records")
		public String delimiter;

		@ConfigOption(name = "label_delimiter", description = "Set a custom label delimiter, to be used with 'ltsv' format")
		public String labelDelimiter;

		@ConfigOption(name = "template", description = "Set a custom template format for the data", defaultValue = "{time} {message}")
		public String template;

		@ConfigOption(name = "csv_column_names", description = "Add column names (keys) in the first line of the target file", defaultValue = "false")
		public boolean csvColumnNames;

		@ConfigOption(name = "mkdir", description = "Recursively create output directory if it does not exist. Permissions set to 0755", defaultValue = "false")
		public boolean mkdir;

		@ConfigOption(name = "rotate", description = "Enable size based rotation of the output file", defaultValue = "false")
		public boolean rotate;

		@ConfigOption(name = "rotate_max_size", description = "Rotate the output file once it has reached this size", defaultValue = "100M", type = OptionType.SIZE)
		public long rotateMaxSize;

		@ConfigOption(name = "rotate_max_files", description = "Number of rotated files to keep", defaultValue = "7")
		public int rotateMaxFiles;

		@ConfigOption(name = "rotate_gzip", description = "Compress rotated files with gzip", defaultValue = "true")
		public boolean rotateGzip;

		@ConfigOption(name = "buffer_hint", description = "Accepted but not listed in help.", listed = false)
		public String bufferHint;
	}

	@Plugin(kind = PluginKind.OUTPUT, name = "file", description = "Generate log file", config = FileConfig.class)
	public static final class FileOutput implements OutputPlugin<FileConfig> {

		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.OK;
		}
	}

	@Plugin(kind = PluginKind.OUTPUT, name = "null", description = "Throws away events")
	public static final class NullOutput implements OutputPlugin<Plugin.NoConfig> {

		@Override
		public FlushResult flush(Chunk chunk, OutputContext context) {
			return FlushResult.OK;
		}
	}

	static final class RewriteTagConfig {

		@ConfigOption(name = "rule", description = "", type = OptionType.SLIST, maxSplit = 4)
		public List<String> rule;

		@ConfigOption(name = "emitter_name", description = "")
		public String emitterName;

		@ConfigOption(name = "emitter_storage.type", description = "", defaultValue = "memory")
		public String emitterStorageType;

		@ConfigOption(name = "emitter_mem_buf_limit", description = "set a memory buffer limit to restrict memory usage of emitter", defaultValue = "10M", type = OptionType.SIZE)
		public long emitterMemBufLimit;
	}

	@Plugin(kind = PluginKind.FILTER, name = "rewrite_tag", description = "Rewrite records tags",
			config = RewriteTagConfig.class)
	public static final class RewriteTagFilter implements FilterPlugin<RewriteTagConfig> {

		@Override
		public EventBytes filter(EventBytes events, String tag, FilterContext context) {
			return null;
		}
	}

	static final class TailConfig {

		@ConfigOption(name = "path", description = "pattern specifying log files or multiple ones through the use of common wildcards. Allows multiple patterns separated by commas.", type = OptionType.CLIST)
		public List<String> path;

		@ConfigOption(name = "parser_", description = "optional extra parser to interpret and structure multiline entries. This option can be used to define multiple parsers, e.g: Parser_1 ab1, Parser_2 ab2, Parser_N abN.", type = OptionType.PREFIX)
		public Map<String, String> parsers;

		@ConfigOption(name = "read_from_head", description = "For new discovered files on start (without a database offset/position), read the content from the head of the file, not tail.", defaultValue = "false")
		public boolean readFromHead;
	}

	@Plugin(kind = PluginKind.INPUT, name = "tail", description = "Tail files", config = TailConfig.class)
	public static final class TailInput implements InputPlugin<TailConfig> {

		@Override
		public void collect(InputContext context) {
		}
	}

	@Plugin(kind = PluginKind.INPUT, name = "lib", description = "Library mode Input", internal = true)
	public static final class LibInput implements InputPlugin<Plugin.NoConfig> {

		@Override
		public void collect(InputContext context) {
		}
	}
}
