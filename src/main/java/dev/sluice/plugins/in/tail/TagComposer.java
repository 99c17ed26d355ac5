package dev.sluice.plugins.in.tail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.parser.Regex;

/**
 * A file's tag, as Fluent Bit's {@code tag_compose}: with {@code tag_regex}, every
 * {@code <name>} in the tag is replaced by that named capture of the file name ({@code _} when it
 * did not capture); otherwise the first {@code *} is replaced by the file name and the result is
 * sanitised: {@code /}, {@code \} and {@code :} become {@code .} (dropped when first), a
 * {@code .} after a {@code .} is dropped, any other {@code *} is dropped, and a trailing
 * {@code .} is removed.
 */
final class TagComposer {

	private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([A-Za-z_][A-Za-z0-9_]*)>");

	private final String tag;

	private final Regex regex;

	/** Capture names as written in {@code tag_regex}, by the name given to the engine. */
	private final Map<String, String> names = new HashMap<>();

	/**
	 * @param tag the instance tag
	 * @param tagRegex {@code tag_regex} or null
	 * @throws IllegalArgumentException when the regex is invalid or a {@code <} is not closed
	 */
	TagComposer(String tag, String tagRegex) {
		this.tag = tag;
		if (tagRegex != null) {
			// Onigmo allows '_' in group names; java.util.regex does not: rename them
			Matcher m = NAMED_GROUP.matcher(tagRegex);
			StringBuilder sb = new StringBuilder();
			int n = 0;
			while (m.find()) {
				String internal = "g" + (n++) + "x" + m.group(1).replace("_", "");
				this.names.put(internal, m.group(1));
				m.appendReplacement(sb, Matcher.quoteReplacement("(?<" + internal + ">"));
			}
			m.appendTail(sb);
			this.regex = Regex.compile(sb.toString());
			checkBrackets(tag);
		}
		else {
			this.regex = null;
		}
	}

	private static void checkBrackets(String tag) {
		int p = 0;
		int beg;
		while ((beg = tag.indexOf('<', p)) >= 0) {
			int end = tag.indexOf('>', beg + 1);
			if (end < 0 || tag.substring(beg + 1, end).indexOf('<') >= 0) {
				throw new IllegalArgumentException(
						"missing closing angle bracket in tag " + tag + " at position " + beg);
			}
			p = end + 1;
		}
	}

	/** Whether tags depend on the file (a {@code *} in the tag, or {@code tag_regex}). */
	boolean dynamic() {
		return this.regex != null || this.tag.indexOf('*') >= 0;
	}

	/**
	 * The tag for a file, or null when {@code tag_regex} does not match its name.
	 */
	String compose(String fileName) {
		if (this.regex != null) {
			Map<String, String> caps = this.regex.captures(fileName);
			if (caps == null) {
				return null;
			}
			Map<String, String> byName = new HashMap<>();
			for (Map.Entry<String, String> e : caps.entrySet()) {
				if (e.getValue() != null && !e.getValue().isEmpty()) {
					byName.put(this.names.getOrDefault(e.getKey(), e.getKey()), e.getValue());
				}
			}
			StringBuilder out = new StringBuilder();
			int p = 0;
			int beg;
			while ((beg = this.tag.indexOf('<', p)) >= 0) {
				out.append(this.tag, p, beg);
				int end = this.tag.indexOf('>', beg + 1);
				String v = byName.get(this.tag.substring(beg + 1, end));
				out.append((v != null) ? v : "_");
				p = end + 1;
			}
			out.append(this.tag, p, this.tag.length());
			return out.toString();
		}
		int star = this.tag.indexOf('*');
		if (star < 0) {
			return this.tag;
		}
		return sanitize(this.tag.substring(0, star) + fileName + this.tag.substring(star + 1));
	}

	static String sanitize(String raw) {
		StringBuilder b = new StringBuilder(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '/' || c == '\\' || c == ':') {
				if (b.isEmpty()) {
					continue;
				}
				c = '.';
			}
			if (c == '.' && !b.isEmpty() && b.charAt(b.length() - 1) == '.') {
				continue;
			}
			if (c == '*') {
				continue;
			}
			b.append(c);
		}
		if (!b.isEmpty() && b.charAt(b.length() - 1) == '.') {
			b.setLength(b.length() - 1);
		}
		return b.toString();
	}

	List<String> captureNames() {
		return List.copyOf(this.names.values());
	}
}
