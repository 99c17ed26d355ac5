package dev.sluice.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole configuration, in the neutral model both readers produce: the sections in the order
 * they were written (including those of included files), the variables defined by {@code @SET}
 * or YAML {@code env}, and every file that was read (for reload watching).
 */
public final class ConfigDocument {

	private final Path mainFile;

	private final List<ConfigSection> sections = new ArrayList<>();

	private final Map<String, String> variables = new LinkedHashMap<>();

	private final List<Path> files = new ArrayList<>();

	public ConfigDocument(Path mainFile) {
		this.mainFile = mainFile;
	}

	/** The main file, or null for a configuration built from the command line only. */
	public Path mainFile() {
		return this.mainFile;
	}

	public List<ConfigSection> sections() {
		return this.sections;
	}

	public Map<String, String> variables() {
		return this.variables;
	}

	public List<Path> files() {
		return this.files;
	}

	/** Sections of one type (lower case), in order. */
	public List<ConfigSection> sections(String type) {
		return this.sections.stream().filter((s) -> s.type().equals(type)).toList();
	}

	/**
	 * The service section, merged: every {@code [SERVICE]} section's properties in order (a later
	 * one wins), created empty when there is none.
	 */
	public ConfigSection service() {
		List<ConfigSection> all = sections("service");
		if (all.size() == 1) {
			return all.get(0);
		}
		ConfigSection merged = new ConfigSection("service", all.isEmpty() ? Origin.DEFAULT : all.get(0).origin());
		for (ConfigSection s : all) {
			merged.properties().addAll(s.properties());
		}
		if (all.isEmpty()) {
			this.sections.add(0, merged);
		}
		return merged;
	}
}
