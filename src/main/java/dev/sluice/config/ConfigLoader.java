package dev.sluice.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a configuration file with the reader its extension calls for: {@code .yaml} and
 * {@code .yml} (any case) are YAML, anything else is Fluent Bit's classic format, as in Fluent Bit.
 * Not thread-safe (it keeps the last read's warnings).
 */
public final class ConfigLoader {

	private final Map<String, String> environment;

	private List<String> warnings = List.of();

	/** A loader using the process environment. */
	public ConfigLoader() {
		this(System.getenv());
	}

	/** A loader using the given environment instead of the process one (for tests). */
	public ConfigLoader(Map<String, String> environment) {
		this.environment = Map.copyOf(environment);
	}

	/** Whether a file is read as YAML. */
	public static boolean isYaml(Path file) {
		Path name = file.getFileName();
		String n = (name != null) ? name.toString().toLowerCase(Locale.ROOT) : "";
		return n.endsWith(".yaml") || n.endsWith(".yml");
	}

	/**
	 * Reads a main configuration file and its includes.
	 * @throws ConfigException when the file is missing or has errors
	 */
	public ConfigDocument load(Path file) {
		requireFile(file, "configuration file");
		if (isYaml(file)) {
			YamlConfigReader reader = new YamlConfigReader(this.environment);
			try {
				return reader.read(file);
			}
			finally {
				this.warnings = reader.warnings();
			}
		}
		ClassicConfigReader reader = new ClassicConfigReader(this.environment);
		try {
			return reader.read(file);
		}
		finally {
			this.warnings = reader.warnings();
		}
	}

	/** Reads a parsers file ({@code parsers_file}), with the environment only. */
	public ConfigDocument loadParsersFile(Path file) {
		return loadParsersFile(file, Map.of());
	}

	/**
	 * Reads a parsers file ({@code parsers_file}); values may use the main configuration's
	 * variables.
	 * @throws ConfigException when the file is missing or has errors
	 */
	public ConfigDocument loadParsersFile(Path file, Map<String, String> variables) {
		requireFile(file, "parsers file");
		if (isYaml(file)) {
			YamlConfigReader reader = new YamlConfigReader(this.environment);
			try {
				return reader.readParsersFile(file, variables);
			}
			finally {
				this.warnings = reader.warnings();
			}
		}
		ClassicConfigReader reader = new ClassicConfigReader(this.environment);
		try {
			return reader.readParsersFile(file, variables);
		}
		finally {
			this.warnings = reader.warnings();
		}
	}

	/** Warnings of the last load. */
	public List<String> warnings() {
		return this.warnings;
	}

	private static void requireFile(Path file, String what) {
		if (!Files.isRegularFile(file)) {
			throw new ConfigException(new Origin(file.toString(), 0),
					"cannot open " + what + " '" + file + "': no such file");
		}
	}
}
