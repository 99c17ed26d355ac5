package dev.sluice.plugins.in.tail;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code tail} input, in the order, with the names, types, defaults and
 * descriptions Fluent Bit 5.1 declares (checked against {@code fluent-bit -J} by
 * {@code TailSchemaConformanceTest}).
 */
public class TailConfig {

	@ConfigOption(name = "path", description = "pattern specifying log files or multiple ones through the use of common wildcards.", type = OptionType.CLIST)
	public List<String> path;

	@ConfigOption(name = "exclude_path", description = "Set one or multiple shell patterns separated by commas to exclude files matching a certain criteria, e.g: 'exclude_path *.gz,*.zip'", type = OptionType.CLIST)
	public List<String> excludePath;

	@ConfigOption(name = "key", description = "when a message is unstructured (no parser applied), it's appended as a string under the key name log. This option allows to define an alternative name for that key.", defaultValue = "log", type = OptionType.STR)
	public String key = "log";

	@ConfigOption(name = "read_from_head", description = "For new discovered files on start (without a database offset/position), read the content from the head of the file, not tail.", defaultValue = "false", type = OptionType.BOOL)
	public boolean readFromHead = false;

	@ConfigOption(name = "read_newly_discovered_files_from_head", description = "For new discovered files after start (without a database offset/position), read the content from the head of the file, not tail.", defaultValue = "true", type = OptionType.BOOL)
	public boolean readNewlyDiscoveredFilesFromHead = true;

	@ConfigOption(name = "refresh_interval", description = "interval to refresh the list of watched files expressed in seconds.", defaultValue = "60", type = OptionType.STR)
	public String refreshInterval = "60";

	@ConfigOption(name = "watcher_interval", description = "interval to check if monitored symbolic link files have been rotated.", defaultValue = "2s", type = OptionType.TIME)
	public Duration watcherInterval = Duration.ofSeconds(2);

	@ConfigOption(name = "progress_check_interval", description = "interval to check for pending data in monitored files. This is used with inotify to detect file changes that may have been missed.", defaultValue = "2s", type = OptionType.TIME)
	public Duration progressCheckInterval = Duration.ofSeconds(2);

	@ConfigOption(name = "progress_check_interval_nsec", description = "nanosecond component of the progress check interval.", defaultValue = "0", type = OptionType.INT)
	public long progressCheckIntervalNsec = 0;

	@ConfigOption(name = "rotate_wait", description = "specify the number of extra time in seconds to monitor a file once is rotated in case some pending data is flushed.", defaultValue = "5", type = OptionType.TIME)
	public Duration rotateWait = Duration.ofSeconds(5);

	@ConfigOption(name = "docker_mode", description = "If enabled, the plugin will recombine split Docker log lines before passing them to any parser as configured above. This mode cannot be used at the same time as Multiline.", defaultValue = "false", type = OptionType.BOOL)
	public boolean dockerMode = false;

	@ConfigOption(name = "docker_mode_flush", description = "wait period time in seconds to flush queued unfinished split lines.", defaultValue = "4", type = OptionType.INT)
	public int dockerModeFlush = 4;

	@ConfigOption(name = "docker_mode_parser", description = "specify the parser name to fetch log first line for muliline log", type = OptionType.STR)
	public String dockerModeParser;

	@ConfigOption(name = "path_key", description = "set the 'key' name where the name of monitored file will be appended.", type = OptionType.STR)
	public String pathKey;

	@ConfigOption(name = "offset_key", description = "set the 'key' name where the offset of monitored file will be appended.", type = OptionType.STR)
	public String offsetKey;

	@ConfigOption(name = "ignore_older", description = "ignore records older than 'ignore_older'. Supports m,h,d (minutes, hours, days) syntax. Default behavior is to read all records. Option only available when a Parser is specified and it can parse the time of a record.", defaultValue = "0", type = OptionType.TIME)
	public Duration ignoreOlder = Duration.ZERO;

	@ConfigOption(name = "ignore_active_older_files", description = "ignore files that are older than the value set in ignore_older even if the file is being ingested.", defaultValue = "false", type = OptionType.BOOL)
	public boolean ignoreActiveOlderFiles = false;

	@ConfigOption(name = "buffer_chunk_size", description = "set the initial buffer size to read data from files. This value is used too to increase buffer size.", defaultValue = "32768", type = OptionType.SIZE)
	public long bufferChunkSize = 32768;

	@ConfigOption(name = "buffer_max_size", description = "set the limit of the buffer size per monitored file. When a buffer needs to be increased (e.g: very long lines), this value is used to restrict how much the memory buffer can grow. If reading a file exceed this limit, the file is removed from the monitored file list.", defaultValue = "32768", type = OptionType.SIZE)
	public long bufferMaxSize = 32768;

	@ConfigOption(name = "static_batch_size", description = "On start, Fluent Bit might process files which already contains data, these files are called 'static' files. The configuration property in question set's the maximum number of bytes to process per iteration for the static files monitored.", defaultValue = "50M", type = OptionType.SIZE)
	public long staticBatchSize = 50_000_000L;

	@ConfigOption(name = "event_batch_size", description = "When Fluent Bit is processing files in event based mode the amount ofdata available for consumption could be too much and cause the input plugin to over extend and smother other pluginsThe configuration property sets the maximum number of bytes to process per iteration for the files monitored (in event mode).", defaultValue = "50M", type = OptionType.SIZE)
	public long eventBatchSize = 50_000_000L;

	@ConfigOption(name = "skip_long_lines", description = "if a monitored file reach it buffer capacity due to a very long line (buffer_max_size), the default behavior is to stop monitoring that file. This option alter that behavior and instruct Fluent Bit to skip long lines and continue processing other lines that fits into the buffer.", defaultValue = "false", type = OptionType.BOOL)
	public boolean skipLongLines = false;

	@ConfigOption(name = "exit_on_eof", description = "exit Fluent Bit when reaching EOF on a monitored file.", defaultValue = "false", type = OptionType.BOOL)
	public boolean exitOnEof = false;

	@ConfigOption(name = "skip_empty_lines", description = "Allows to skip empty lines.", defaultValue = "false", type = OptionType.BOOL)
	public boolean skipEmptyLines = false;

	@ConfigOption(name = "truncate_long_lines", description = "Truncate overlong lines after input encoding to UTF-8", defaultValue = "false", type = OptionType.BOOL)
	public boolean truncateLongLines = false;

	@ConfigOption(name = "file_cache_advise", description = "Use posix_fadvise for file access. Advise not to use kernel file cache.", defaultValue = "true", type = OptionType.BOOL)
	public boolean fileCacheAdvise = true;

	@ConfigOption(name = "inotify_watcher", description = "set to false to use file stat watcher instead of inotify.", defaultValue = "true", type = OptionType.BOOL)
	public boolean inotifyWatcher = true;

	@ConfigOption(name = "parser", description = "specify the parser name to process an unstructured message.", type = OptionType.STR)
	public String parser;

	@ConfigOption(name = "tag_regex", description = "set a regex to extract fields from the file name and use them later to compose the Tag.", type = OptionType.STR)
	public String tagRegex;

	@ConfigOption(name = "db", description = "set a database file to keep track of monitored files and it offsets.", type = OptionType.STR)
	public String db;

	@ConfigOption(name = "db.sync", description = "set a database sync method. values: extra, full, normal and off.", defaultValue = "normal", type = OptionType.STR)
	public String dbSync = "normal";

	@ConfigOption(name = "db.locking", description = "set exclusive locking mode, increase performance but don't allow external connections to the database file.", defaultValue = "false", type = OptionType.BOOL)
	public boolean dbLocking = false;

	@ConfigOption(name = "db.journal_mode", description = "Option to provide WAL configuration for Work Ahead Logging mechanism (WAL). Enabling WAL provides higher performance. Note that WAL is not compatible with shared network file systems.", defaultValue = "WAL", type = OptionType.STR)
	public String dbJournalMode = "WAL";

	@ConfigOption(name = "db.compare_filename", description = "This option determines whether to check both the inode and the filename when retrieving file information from the db.'true' verifies both the inode and filename, while 'false' checks only the inode (default).", defaultValue = "false", type = OptionType.BOOL)
	public boolean dbCompareFilename = false;

	@ConfigOption(name = "multiline", description = "if enabled, the plugin will try to discover multiline messages and use the proper parsers to compose the outgoing messages. Note that when this option is enabled the Parser option is not used.", defaultValue = "false", type = OptionType.BOOL)
	public boolean multiline = false;

	@ConfigOption(name = "multiline_flush", description = "wait period time in seconds to process queued multiline messages.", defaultValue = "4", type = OptionType.TIME)
	public Duration multilineFlush = Duration.ofSeconds(4);

	@ConfigOption(name = "parser_firstline", description = "name of the parser that matches the beginning of a multiline message. Note that the regular expression defined in the parser must include a group name (named capture).", type = OptionType.STR)
	public String parserFirstline;

	@ConfigOption(name = "parser_", description = "optional extra parser to interpret and structure multiline entries. This option can be used to define multiple parsers, e.g: Parser_1 ab1, Parser_2 ab2, Parser_N abN.", type = OptionType.PREFIX)
	public Map<String, String> parserN;

	@ConfigOption(name = "multiline.parser", description = "specify one or multiple multiline parsers: docker, cri, go, java, etc.", type = OptionType.CLIST, multiple = true)
	public List<String> multilineParser;

	@ConfigOption(name = "unicode.encoding", description = "specify the preferred input encoding for converting to UTF-8. Currently, UTF-16LE, UTF-16BE, auto are supported.", type = OptionType.STR)
	public String unicodeEncoding;

	@ConfigOption(name = "generic.encoding", description = "specify the preferred input encoding for converting to UTF-8. Currently, the following encodings are supported: ShiftJIS, UHC, GBK, GB18030, Big5, Win866, Win874, Win1250, Win1251, Win1252, Win2513, Win1254, Win1255, WIn1256", type = OptionType.STR)
	public String genericEncoding;
}
