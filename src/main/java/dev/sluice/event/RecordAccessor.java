package dev.sluice.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Fluent Bit's record accessor: {@code $key} followed by any number of {@code ['string']} or
 * {@code [index]} subscripts, e.g. {@code $kubernetes['labels']['app']} or {@code $a[1]['b']}.
 * A key name may contain {@code .}, {@code -} and {@code /}: {@code $a.b} names the top-level key
 * {@code "a.b"}; nesting always needs brackets. One parsed accessor is immutable and thread-safe.
 */
public final class RecordAccessor {

	private final String pattern;

	private final List<Object> path;

	private RecordAccessor(String pattern, List<Object> path) {
		this.pattern = pattern;
		this.path = path;
	}

	/**
	 * Parses an accessor. A pattern without a leading {@code $} names one top-level key
	 * literally (Fluent Bit plugins accept both forms for key options).
	 * @throws IllegalArgumentException naming the position of a syntax error
	 */
	public static RecordAccessor parse(String pattern) {
		String p = pattern.strip();
		if (p.isEmpty()) {
			throw new IllegalArgumentException("empty record accessor");
		}
		if (p.charAt(0) != '$') {
			return new RecordAccessor(pattern, List.of(p));
		}
		List<Object> path = new ArrayList<>();
		int i = 1;
		int start = i;
		if (i >= p.length() || !isIdentStart(p.charAt(i))) {
			throw error(pattern, i, "a key name");
		}
		while (i < p.length() && isIdentPart(p.charAt(i))) {
			i++;
		}
		path.add(p.substring(start, i));
		while (i < p.length()) {
			char c = p.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			if (c != '[') {
				throw error(pattern, i, "'['");
			}
			i = skipSpaces(p, i + 1);
			if (i >= p.length()) {
				throw error(pattern, i, "a subscript");
			}
			if (p.charAt(i) == '\'') {
				StringBuilder sb = new StringBuilder();
				i++;
				while (true) {
					if (i >= p.length()) {
						throw error(pattern, i, "a closing quote");
					}
					char d = p.charAt(i);
					if (d == '\'') {
						if (i + 1 < p.length() && p.charAt(i + 1) == '\'') {
							sb.append('\'');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					sb.append(d);
					i++;
				}
				path.add(sb.toString());
			}
			else {
				int s = i;
				if (i < p.length() && p.charAt(i) == '-') {
					i++;
				}
				while (i < p.length() && Character.isDigit(p.charAt(i))) {
					i++;
				}
				if (s == i) {
					throw error(pattern, i, "a quoted key or an index");
				}
				try {
					path.add(Integer.parseInt(p.substring(s, i)));
				}
				catch (NumberFormatException ex) {
					throw error(pattern, s, "an index");
				}
			}
			i = skipSpaces(p, i);
			if (i >= p.length() || p.charAt(i) != ']') {
				throw error(pattern, i, "']'");
			}
			i++;
		}
		return new RecordAccessor(pattern, Collections.unmodifiableList(path));
	}

	private static int skipSpaces(String p, int i) {
		while (i < p.length() && Character.isWhitespace(p.charAt(i))) {
			i++;
		}
		return i;
	}

	private static IllegalArgumentException error(String pattern, int at, String expected) {
		return new IllegalArgumentException("invalid record accessor '" + pattern + "': expected " + expected
				+ " at position " + at);
	}

	static boolean isIdentStart(char c) {
		return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
	}

	static boolean isIdentPart(char c) {
		return isIdentStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '/';
	}

	public String pattern() {
		return this.pattern;
	}

	/** The path: {@link String} keys and {@link Integer} indexes. */
	public List<Object> path() {
		return this.path;
	}

	/** The first key, which names a top-level field. */
	public String rootKey() {
		return (String) this.path.get(0);
	}

	/** The value, or null when any step is missing (a missing key is not an error). */
	public Object get(Map<String, ?> record) {
		return find(record).value();
	}

	/** Whether the whole path exists (its value may be null). */
	public boolean exists(Map<String, ?> record) {
		return find(record).found();
	}

	private Lookup find(Map<String, ?> record) {
		Object cur = record;
		for (Object step : this.path) {
			if (step instanceof String key && cur instanceof Map<?, ?> m) {
				if (!m.containsKey(key)) {
					return Lookup.MISSING;
				}
				cur = m.get(key);
			}
			else if (step instanceof Integer idx && cur instanceof List<?> l) {
				if (idx < 0 || idx >= l.size()) {
					return Lookup.MISSING;
				}
				cur = l.get(idx);
			}
			else {
				return Lookup.MISSING;
			}
		}
		return new Lookup(true, cur);
	}

	/**
	 * Sets the value, creating intermediate maps for missing string steps. Returns false when a
	 * step crosses a value that is not a map or list.
	 */
	@SuppressWarnings("unchecked")
	public boolean set(Map<String, Object> record, Object value) {
		Object cur = record;
		for (int i = 0; i < this.path.size() - 1; i++) {
			Object step = this.path.get(i);
			if (step instanceof String key && cur instanceof Map<?, ?> m) {
				Object next = m.get(key);
				if (next == null) {
					next = new java.util.LinkedHashMap<String, Object>();
					((Map<String, Object>) m).put(key, next);
				}
				cur = next;
			}
			else if (step instanceof Integer idx && cur instanceof List<?> l && idx >= 0 && idx < l.size()) {
				cur = l.get(idx);
			}
			else {
				return false;
			}
		}
		Object last = this.path.get(this.path.size() - 1);
		if (last instanceof String key && cur instanceof Map<?, ?> m) {
			((Map<String, Object>) m).put(key, value);
			return true;
		}
		if (last instanceof Integer idx && cur instanceof List<?> l && idx >= 0 && idx < l.size()) {
			((List<Object>) l).set(idx, value);
			return true;
		}
		return false;
	}

	/** Removes the addressed value; returns whether it existed. */
	public boolean remove(Map<String, Object> record) {
		Object cur = record;
		for (int i = 0; i < this.path.size() - 1; i++) {
			Object step = this.path.get(i);
			if (step instanceof String key && cur instanceof Map<?, ?> m) {
				cur = m.get(key);
			}
			else if (step instanceof Integer idx && cur instanceof List<?> l && idx >= 0 && idx < l.size()) {
				cur = l.get(idx);
			}
			else {
				return false;
			}
		}
		Object last = this.path.get(this.path.size() - 1);
		if (last instanceof String key && cur instanceof Map<?, ?> m && m.containsKey(key)) {
			m.remove(key);
			return true;
		}
		if (last instanceof Integer idx && cur instanceof List<?> l && idx >= 0 && idx < l.size()) {
			l.remove((int) idx);
			return true;
		}
		return false;
	}

	@Override
	public String toString() {
		return this.pattern;
	}

	private record Lookup(boolean found, Object value) {
		static final Lookup MISSING = new Lookup(false, null);
	}
}
