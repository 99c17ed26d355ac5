package dev.sluice.config.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sluice.config.ConfigDocument;
import dev.sluice.config.ConfigError;
import dev.sluice.config.Origin;

/**
 * The files one configuration reads (main file and includes), shared by both readers: each file
 * is read once ({@code file already included} otherwise, by real path), recorded in the
 * document's file list, and every problem opening it is reported at the line that named it.
 */
public final class IncludedFiles {

	private final Set<Path> seen = new HashSet<>();

	/**
	 * Reads a file's text, or returns null having added the error.
	 * @param at where the file was named (the include line, or the main file itself)
	 */
	public String read(Path file, Origin at, List<ConfigError> errors, ConfigDocument document) {
		if (!Files.isRegularFile(file)) {
			errors.add(new ConfigError(at, "cannot open file '" + file + "': no such file"));
			return null;
		}
		if (!markSeen(file)) {
			errors.add(new ConfigError(at, "file already included: " + file));
			return null;
		}
		try {
			String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
			document.files().add(file);
			return text;
		}
		catch (IOException ex) {
			errors.add(new ConfigError(at, "cannot read file '" + file + "': " + ex.getMessage()));
			return null;
		}
	}

	/** Records a file as read; false when it already was. */
	public boolean markSeen(Path file) {
		Path key;
		try {
			key = file.toRealPath();
		}
		catch (IOException ex) {
			key = file.toAbsolutePath().normalize();
		}
		return this.seen.add(key);
	}
}
