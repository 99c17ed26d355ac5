package dev.sluice.plugins.out.file;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code file} output, as Fluent Bit 5.1.1 declares them. */
public class FileConfig {

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
}
