package dev.sluice.config.read;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands an include pattern the way Fluent Bit's {@code glob(3)} call does: {@code *}, {@code ?}
 * and {@code [...]} in any path component; names starting with a dot are only matched by a
 * component that starts with a dot; only regular files are returned. Unlike Fluent Bit (which asks
 * for {@code GLOB_NOSORT}), the result is sorted, so the order of included files is deterministic.
 */
public final class Glob {

	private Glob() {
	}

	/** Whether Fluent Bit treats an include path as a pattern (it contains {@code *}). */
	public static boolean isPattern(String path) {
		return path.indexOf('*') >= 0;
	}

	/**
	 * Regular files matching an absolute pattern, sorted by path.
	 * @param pattern an absolute path whose components may contain glob characters
	 * @return the matching files, possibly empty
	 */
	public static List<Path> expand(Path pattern) {
		Path root = pattern.getRoot();
		Path base = (root != null) ? root : Path.of("");
		List<String> parts = new ArrayList<>();
		boolean globbing = false;
		for (Path part : pattern) {
			String name = part.toString();
			if (!globbing && !hasGlobChars(name)) {
				base = base.resolve(name);
			}
			else {
				globbing = true;
				parts.add(name);
			}
		}
		List<Path> out = new ArrayList<>();
		if (parts.isEmpty()) {
			if (Files.isRegularFile(base)) {
				out.add(base);
			}
			return out;
		}
		walk(base, parts, 0, out);
		out.sort(null);
		return out;
	}

	private static void walk(Path dir, List<String> parts, int index, List<Path> out) {
		if (!Files.isDirectory(dir)) {
			return;
		}
		String part = parts.get(index);
		boolean last = index == parts.size() - 1;
		if (!hasGlobChars(part)) {
			Path next = dir.resolve(part);
			if (last) {
				if (Files.isRegularFile(next)) {
					out.add(next);
				}
			}
			else {
				walk(next, parts, index + 1, out);
			}
			return;
		}
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + escapeForJava(part));
		List<Path> entries;
		try (Stream<Path> list = Files.list(dir)) {
			entries = list.sorted().toList();
		}
		catch (IOException ex) {
			return;
		}
		for (Path entry : entries) {
			Path name = entry.getFileName();
			if (name.toString().startsWith(".") && !part.startsWith(".")) {
				continue;
			}
			if (!matcher.matches(name)) {
				continue;
			}
			if (last) {
				if (Files.isRegularFile(entry)) {
					out.add(entry);
				}
			}
			else {
				walk(entry, parts, index + 1, out);
			}
		}
	}

	private static boolean hasGlobChars(String s) {
		return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
	}

	/** POSIX glob has no {@code {a,b}} groups: make Java's matcher take braces literally. */
	private static String escapeForJava(String part) {
		return part.replace("{", "\\{").replace("}", "\\}");
	}
}
