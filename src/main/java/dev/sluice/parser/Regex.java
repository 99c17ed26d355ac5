package dev.sluice.parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jcodings.specific.NonStrictUTF8Encoding;
import org.joni.Matcher;
import org.joni.NameEntry;
import org.joni.Option;
import org.joni.Region;
import org.joni.Syntax;
import org.joni.exception.JOniException;

/**
 * The one regular-expression engine of Sluice, used by parsers, {@code Match_Regex}, grep and
 * every other plugin that takes a regex. Fluent Bit uses Onigmo with Ruby syntax and UTF-8; this
 * facade uses joni, the JVM port of Oniguruma/Onigmo, with the same syntax, so {@code (?<name>…)},
 * {@code \h}, {@code \A}, {@code \z}, possessive quantifiers and Ruby's {@code ^}/{@code $} (line
 * anchors) behave as in Fluent Bit. Matching runs on UTF-8 bytes; positions are byte offsets.
 * Immutable and thread-safe.
 *
 * <p>Pattern forms, as Fluent Bit's {@code flb_regex_create}: {@code /re/} is the same as
 * {@code re}; {@code /re/flags} with flags {@code i} (ignore case), {@code m} (dot matches
 * newline), {@code x} (extended) and {@code o} (ignored) sets options; any other flag letter makes
 * the whole text a literal pattern.
 */
public final class Regex {

	private final String source;

	private final org.joni.Regex regex;

	private final List<String> groupNames;

	/** Group numbers of each name, in the order of {@link #groupNames}. */
	private final int[][] groupNumbers;

	private Regex(String source, org.joni.Regex regex) {
		this.source = source;
		this.regex = regex;
		List<String> names = new ArrayList<>();
		List<int[]> numbers = new ArrayList<>();
		for (Iterator<NameEntry> it = regex.namedBackrefIterator(); it.hasNext();) {
			NameEntry e = it.next();
			names.add(new String(e.name, e.nameP, e.nameEnd - e.nameP, StandardCharsets.UTF_8));
			int[] refs = e.getBackRefs().clone();
			Arrays.sort(refs);
			numbers.add(refs);
		}
		// Onigmo iterates names in order of first definition: order by the first group number
		Integer[] order = new Integer[names.size()];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, Comparator.comparingInt((i) -> numbers.get(i)[0]));
		List<String> sortedNames = new ArrayList<>();
		int[][] sortedNumbers = new int[order.length][];
		for (int i = 0; i < order.length; i++) {
			sortedNames.add(names.get(order[i]));
			sortedNumbers[i] = numbers.get(order[i]);
		}
		this.groupNames = List.copyOf(sortedNames);
		this.groupNumbers = sortedNumbers;
	}

	/**
	 * Compiles a pattern ({@code re}, {@code /re/} or {@code /re/flags}).
	 * @throws IllegalArgumentException with the reason when the pattern is invalid
	 */
	public static Regex compile(String source) {
		String p = source;
		int options = Option.NONE;
		int len = p.length();
		int lastSlash = p.lastIndexOf('/');
		boolean flagged = false;
		if (len > 0 && p.charAt(0) == '/' && lastSlash > 0 && lastSlash < len - 1) {
			int opts = Option.NONE;
			boolean valid = true;
			for (int i = lastSlash + 1; i < len; i++) {
				switch (p.charAt(i)) {
					case 'm' -> opts |= Option.MULTILINE;
					case 'i' -> opts |= Option.IGNORECASE;
					case 'x' -> opts |= Option.EXTEND;
					case 'o' -> {
						// accepted and ignored, as Fluent Bit does
					}
					default -> valid = false;
				}
			}
			if (valid && opts != Option.NONE) {
				options = opts;
				flagged = true;
				p = p.substring(1, lastSlash);
			}
			else if (valid) {
				// only 'o': Fluent Bit keeps the default options and the pattern as written
				flagged = false;
			}
		}
		if (!flagged && len >= 2 && p.charAt(0) == '/' && p.charAt(len - 1) == '/') {
			p = p.substring(1, len - 1);
		}
		byte[] b = p.getBytes(StandardCharsets.UTF_8);
		try {
			return new Regex(source, new org.joni.Regex(b, 0, b.length, options, NonStrictUTF8Encoding.INSTANCE, Syntax.RUBY));
		}
		catch (JOniException ex) {
			throw new IllegalArgumentException("invalid regex '" + source + "': " + ex.getMessage(), ex);
		}
	}

	public String source() {
		return this.source;
	}

	/** Whether the regex matches anywhere in the text (Onigmo search). */
	public boolean find(CharSequence text) {
		byte[] b = bytes(text);
		return find(b, 0, b.length);
	}

	/** Whether the regex matches anywhere in the bytes (UTF-8). */
	public boolean find(byte[] data, int off, int len) {
		Matcher m = this.regex.matcherNoRegion(data, off, off + len);
		return m.search(off, off + len, Option.NONE) != Matcher.FAILED;
	}

	/** Whether the regex matches at the start of the text (Onigmo match at 0). */
	public boolean matchesAtStart(CharSequence text) {
		byte[] b = bytes(text);
		Matcher m = this.regex.matcherNoRegion(b, 0, b.length);
		return m.match(0, b.length, Option.NONE) != Matcher.FAILED;
	}

	/** Named groups in pattern order (a name used twice appears once). */
	public List<String> groupNames() {
		return this.groupNames;
	}

	/** Number of capture groups (named groups only when the pattern names any, as Onigmo's Ruby syntax). */
	public int groupCount() {
		return this.regex.numberOfCaptures();
	}

	/**
	 * Searches the text; on a match returns the named captures in pattern order (groups that did
	 * not participate map to null), else null.
	 */
	public Map<String, String> captures(CharSequence text) {
		byte[] b = bytes(text);
		Match m = search(b, 0, b.length);
		if (m == null) {
			return null;
		}
		Map<String, String> out = new LinkedHashMap<>();
		for (int i = 0; i < this.groupNames.size(); i++) {
			String value = null;
			for (int g : this.groupNumbers[i]) {
				if (m.start(g) >= 0) {
					value = m.text(g);
					break;
				}
			}
			out.put(this.groupNames.get(i), value);
		}
		return out;
	}

	/** Searches the text; on a match returns all numbered groups (0 = whole match), else null. */
	public String[] groups(CharSequence text) {
		byte[] b = bytes(text);
		Match m = search(b, 0, b.length);
		if (m == null) {
			return null;
		}
		String[] g = new String[m.groupCount() + 1];
		for (int i = 0; i < g.length; i++) {
			g[i] = (m.start(i) >= 0) ? m.text(i) : null;
		}
		return g;
	}

	/** Searches bytes (UTF-8); returns the match with byte positions, or null. */
	public Match search(byte[] data, int off, int len) {
		Matcher m = this.regex.matcher(data, off, off + len);
		if (m.search(off, off + len, Option.NONE) == Matcher.FAILED) {
			return null;
		}
		Region r = m.getEagerRegion();
		int n = (r != null) ? r.getNumRegs() : 1;
		int[] pos = new int[n * 2];
		// joni reports positions relative to the matcher's start
		if (r != null) {
			for (int i = 0; i < n; i++) {
				int b = r.getBeg(i);
				int e = r.getEnd(i);
				pos[2 * i] = (b < 0) ? -1 : b + off;
				pos[2 * i + 1] = (e < 0) ? -1 : e + off;
			}
		}
		else {
			pos[0] = m.getBegin() + off;
			pos[1] = m.getEnd() + off;
		}
		return new Match(data, pos);
	}

	/**
	 * Calls the visitor once per named group number, in name order then group order, as Fluent
	 * Bit's {@code flb_regex_parse} does ({@code start} is -1 for a group that did not
	 * participate).
	 */
	public void forEachNamed(Match m, NamedVisitor visitor) {
		for (int i = 0; i < this.groupNames.size(); i++) {
			for (int g : this.groupNumbers[i]) {
				visitor.visit(this.groupNames.get(i), m.start(g), m.end(g));
			}
		}
	}

	/** Receives one named capture. */
	@FunctionalInterface
	public interface NamedVisitor {

		void visit(String name, int start, int end);
	}

	private static byte[] bytes(CharSequence text) {
		return text.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.source;
	}

	/** One match: byte positions of each group in the searched array (-1 when not matched). */
	public static final class Match {

		private final byte[] data;

		private final int[] pos;

		Match(byte[] data, int[] pos) {
			this.data = data;
			this.pos = pos;
		}

		public int groupCount() {
			return this.pos.length / 2 - 1;
		}

		public int start(int group) {
			return (group * 2 < this.pos.length) ? this.pos[group * 2] : -1;
		}

		public int end(int group) {
			return (group * 2 + 1 < this.pos.length) ? this.pos[group * 2 + 1] : -1;
		}

		public String text(int group) {
			int s = start(group);
			return (s < 0) ? null : new String(this.data, s, end(group) - s, StandardCharsets.UTF_8);
		}
	}
}
