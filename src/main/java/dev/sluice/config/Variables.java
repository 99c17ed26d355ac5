package dev.sluice.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fluent Bit's {@code ${NAME}} expansion, shared by the classic and YAML readers and the command
 * line's {@code -p key=value}.
 *
 * <p>Lookup order for a name:
 * <ol>
 * <li>the configuration's own variables ({@code @SET NAME=value}, YAML {@code env:}), even when the
 * value is empty;</li>
 * <li>the process environment; an empty environment value counts as unset (as
 * {@code flb_env_get} does);</li>
 * <li>{@code HOSTNAME}, predefined from the machine's host name when neither of the above has it.</li>
 * </ol>
 *
 * <p>Syntax: {@code ${NAME}} expands to the value, or to the empty string when unset (a warning
 * {@code [env] variable ${NAME} is used but not set} is reported). {@code ${NAME:-default}} uses
 * {@code default} when the variable is unset <em>or empty</em>; the default may itself contain
 * {@code ${...}} references (braces are matched, so {@code ${A:-${B}}} works). A <code>${</code> with no
 * closing brace, and an empty <code>${}</code>, are kept literally. Expansion is a single pass: a value that
 * itself contains {@code ${...}} is inserted as is, not expanded again (Fluent Bit stores
 * {@code @SET} values raw, too).
 */
public final class Variables {

	private final Map<String, String> defined;

	private final Map<String, String> environment;

	private final List<String> warnings = new ArrayList<>();

	private String hostname;

	/**
	 * @param defined the configuration's variables ({@code @SET}, YAML {@code env}); they win over
	 * the environment
	 * @param environment the process environment (injectable for tests)
	 */
	public Variables(Map<String, String> defined, Map<String, String> environment) {
		this.defined = new LinkedHashMap<>(defined);
		this.environment = Map.copyOf(environment);
	}

	/** Variables backed by {@link System#getenv()} only. */
	public static Variables fromSystem() {
		return new Variables(Map.of(), System.getenv());
	}

	/** The value of a variable after the lookup order above, or null when unset. */
	public String lookup(String name) {
		if (this.defined.containsKey(name)) {
			return this.defined.get(name);
		}
		String value = this.environment.get(name);
		if (value != null && !value.isEmpty()) {
			return value;
		}
		if ("HOSTNAME".equals(name)) {
			return hostname();
		}
		return null;
	}

	/**
	 * Expands every {@code ${...}} in a value. Unset variables without a default become empty and
	 * are added to {@link #warnings()}.
	 */
	public String expand(String value) {
		return expand(value, (name) -> this.warnings.add(unsetWarning(name)));
	}

	/**
	 * Expands every {@code ${...}} in a value, reporting the name of each unset variable without a
	 * default to {@code unset}.
	 */
	public String expand(String value, Consumer<String> unset) {
		if (value == null || value.indexOf("${") < 0) {
			return value;
		}
		StringBuilder out = new StringBuilder(value.length());
		int i = 0;
		int n = value.length();
		while (i < n) {
			int start = value.indexOf("${", i);
			if (start < 0) {
				out.append(value, i, n);
				break;
			}
			int end = closingBrace(value, start + 2);
			if (end < 0 || end == start + 2) {
				// unterminated or empty reference: keep the rest as written
				if (end < 0) {
					out.append(value, i, n);
					break;
				}
				out.append(value, i, end + 1);
				i = end + 1;
				continue;
			}
			out.append(value, i, start);
			String inner = value.substring(start + 2, end);
			int sep = inner.indexOf(":-");
			if (sep >= 0) {
				String name = inner.substring(0, sep);
				String found = lookup(name);
				if (found == null || found.isEmpty()) {
					out.append(expand(inner.substring(sep + 2), unset));
				}
				else {
					out.append(found);
				}
			}
			else {
				String found = lookup(inner);
				if (found == null) {
					unset.accept(inner);
				}
				else {
					out.append(found);
				}
			}
			i = end + 1;
		}
		return out.toString();
	}

	/** Warnings recorded by {@link #expand(String)}, in order. */
	public List<String> warnings() {
		return this.warnings;
	}

	/** Fluent Bit's warning for a variable used but not set. */
	public static String unsetWarning(String name) {
		return "[env] variable ${" + name + "} is used but not set";
	}

	private static int closingBrace(String value, int from) {
		int depth = 1;
		for (int i = from; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
				depth++;
				i++;
			}
			else if (c == '}') {
				depth--;
				if (depth == 0) {
					return i;
				}
			}
		}
		return -1;
	}

	private String hostname() {
		if (this.hostname == null) {
			this.hostname = systemHostname();
		}
		return this.hostname;
	}

	private static String systemHostname() {
		try {
			String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
			if (!name.isEmpty()) {
				return name;
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: fall through
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return "localhost";
		}
	}
}
