package dev.sluice.parser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one regular-expression engine of Sluice, used by parsers, {@code Match_Regex}, grep and
 * every other plugin that takes a regex. Fluent Bit uses Onigmo (Ruby syntax); this facade is
 * the single place that decides the engine. Immutable and thread-safe.
 *
 * <p>Current implementation: {@link java.util.regex}. To be replaced by an Onigmo-compatible
 * engine (joni) behind the same methods.
 */
public final class Regex {

	private final String source;

	private final Pattern pattern;

	private final List<String> groupNames;

	private Regex(String source, Pattern pattern) {
		this.source = source;
		this.pattern = pattern;
		this.groupNames = List.copyOf(pattern.namedGroups().entrySet().stream()
			.sorted(Map.Entry.comparingByValue())
			.map(Map.Entry::getKey)
			.toList());
	}

	/**
	 * Compiles a pattern; {@code /.../flags} with flags {@code i}, {@code m}, {@code x} is
	 * accepted as Fluent Bit's parsers do.
	 * @throws IllegalArgumentException with the reason when the pattern is invalid
	 */
	public static Regex compile(String source) {
		String p = source;
		int flags = 0;
		if (p.length() >= 2 && p.charAt(0) == '/' && p.lastIndexOf('/') > 0) {
			int end = p.lastIndexOf('/');
			String f = p.substring(end + 1);
			if (f.chars().allMatch((c) -> c == 'i' || c == 'm' || c == 'x')) {
				for (char c : f.toCharArray()) {
					flags |= switch (c) {
						case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
						case 'm' -> Pattern.DOTALL; // Ruby's /m: dot matches newline
						default -> Pattern.COMMENTS;
					};
				}
				p = p.substring(1, end);
			}
		}
		try {
			return new Regex(source, Pattern.compile(p, flags));
		}
		catch (java.util.regex.PatternSyntaxException ex) {
			throw new IllegalArgumentException("invalid regex '" + source + "': " + ex.getDescription(), ex);
		}
	}

	public String source() {
		return this.source;
	}

	/** Whether the regex matches anywhere in the text (Onigmo search). */
	public boolean find(CharSequence text) {
		return this.pattern.matcher(text).find();
	}

	/** Whether the regex matches at the start of the text (Onigmo match at 0). */
	public boolean matchesAtStart(CharSequence text) {
		return this.pattern.matcher(text).lookingAt();
	}

	/** Named groups in pattern order. */
	public List<String> groupNames() {
		return this.groupNames;
	}

	/**
	 * Searches the text; on a match returns the named captures in pattern order (groups that did
	 * not participate map to null), else null.
	 */
	public Map<String, String> captures(CharSequence text) {
		Matcher m = this.pattern.matcher(text);
		if (!m.find()) {
			return null;
		}
		Map<String, String> out = new LinkedHashMap<>();
		for (String g : this.groupNames) {
			out.put(g, m.group(g));
		}
		return out;
	}

	/** Searches the text; on a match returns all numbered groups (0 = whole match), else null. */
	public String[] groups(CharSequence text) {
		Matcher m = this.pattern.matcher(text);
		if (!m.find()) {
			return null;
		}
		String[] g = new String[m.groupCount() + 1];
		for (int i = 0; i <= m.groupCount(); i++) {
			g[i] = m.group(i);
		}
		return g;
	}

	@Override
	public String toString() {
		return this.source;
	}
}
