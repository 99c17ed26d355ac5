package dev.sluice.plugins.in.tail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Shell patterns as Fluent Bit uses them: {@code path} is expanded like {@code glob(3)} with
 * {@code GLOB_TILDE} (wildcards within one path component, {@code *} {@code ?} {@code [...]},
 * hidden names only matched by a pattern starting with a dot, results sorted), and
 * {@code exclude_path} is tested like {@code fnmatch(3)} without flags against the whole name
 * ({@code *} also crosses {@code /}).
 */
final class Glob {

	private Glob() {
	}

	/** Expands a path pattern to the names that exist (files and others; callers filter). */
	static List<Path> expand(String pattern) {
		String p = pattern;
		if (p.startsWith("~")) {
			int slash = p.indexOf('/');
			String user = (slash < 0) ? p.substring(1) : p.substring(1, slash);
			if (user.isEmpty()) {
				p = System.getProperty("user.home") + ((slash < 0) ? "" : p.substring(slash));
			}
		}
		if (!hasWildcard(p)) {
			Path single = Path.of(p);
			return Files.exists(single) ? List.of(single) : List.of();
		}
		boolean absolute = p.startsWith("/");
		String[] parts = p.split("/+");
		List<Path> current = new ArrayList<>();
		int start = 0;
		if (absolute) {
			current.add(Path.of("/"));
			start = (parts.length > 0 && parts[0].isEmpty()) ? 1 : 0;
		}
		else {
			current.add(null);
		}
		for (int i = start; i < parts.length; i++) {
			String comp = parts[i];
			if (comp.isEmpty()) {
				continue;
			}
			boolean last = i == parts.length - 1;
			List<Path> next = new ArrayList<>();
			if (!hasWildcard(comp)) {
				for (Path c : current) {
					Path n = (c == null) ? Path.of(comp) : c.resolve(comp);
					if (last ? Files.exists(n) : Files.isDirectory(n)) {
						next.add(n);
					}
				}
			}
			else {
				Pattern re = Pattern.compile(toRegex(comp, false));
				boolean dotOk = comp.startsWith(".");
				for (Path c : current) {
					Path dir = (c == null) ? Path.of(".") : c;
					TreeSet<String> names = new TreeSet<>();
					try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
						for (Path e : ds) {
							String name = e.getFileName().toString();
							if ((dotOk || !name.startsWith(".")) && re.matcher(name).matches()) {
								names.add(name);
							}
						}
					}
					catch (IOException | SecurityException ex) {
						continue;
					}
					for (String name : names) {
						Path n = (c == null) ? Path.of(name) : c.resolve(name);
						if (last || Files.isDirectory(n)) {
							next.add(n);
						}
					}
				}
			}
			current = next;
			if (current.isEmpty()) {
				return List.of();
			}
		}
		List<Path> out = new ArrayList<>();
		for (Path c : current) {
			if (c != null) {
				out.add(c);
			}
		}
		out.sort(null);
		return out;
	}

	static boolean hasWildcard(String s) {
		return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
	}

	/** An {@code fnmatch(3)} pattern (no flags) as a compiled regex over the whole name. */
	static Pattern fnmatch(String pattern) {
		return Pattern.compile(toRegex(pattern, true), Pattern.DOTALL);
	}

	private static String toRegex(String glob, boolean starCrossesSlash) {
		StringBuilder sb = new StringBuilder();
		int n = glob.length();
		for (int i = 0; i < n; i++) {
			char c = glob.charAt(i);
			switch (c) {
				case '*' -> sb.append(starCrossesSlash ? ".*" : "[^/]*");
				case '?' -> sb.append(starCrossesSlash ? "." : "[^/]");
				case '\\' -> {
					if (i + 1 < n) {
						sb.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
					}
					else {
						sb.append("\\\\");
					}
				}
				case '[' -> {
					int j = i + 1;
					if (j < n && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
						j++;
					}
					if (j < n && glob.charAt(j) == ']') {
						j++;
					}
					while (j < n && glob.charAt(j) != ']') {
						j++;
					}
					if (j >= n) {
						sb.append("\\[");
					}
					else {
						String body = glob.substring(i + 1, j);
						StringBuilder cls = new StringBuilder("[");
						int k = 0;
						if (body.startsWith("!") || body.startsWith("^")) {
							cls.append('^');
							k = 1;
						}
						for (; k < body.length(); k++) {
							char b = body.charAt(k);
							if (b == '\\' || b == '[' || b == ']' || b == '&' || b == '^') {
								cls.append('\\');
							}
							cls.append(b);
						}
						sb.append(cls).append(']');
						i = j;
					}
				}
				default -> sb.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return sb.toString();
	}
}
