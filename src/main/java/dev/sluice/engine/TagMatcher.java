package dev.sluice.engine;

import dev.sluice.parser.Regex;

/**
 * Fluent Bit's routing rule for one filter or output: {@code Match} (byte-wise, case-sensitive;
 * {@code *} matches any run of characters, dots included; nothing else is a wildcard) and
 * {@code Match_Regex} (matched from the start of the tag only: a regex matching a prefix is a
 * match). With both, either may match; with neither, nothing matches.
 */
public final class TagMatcher {

	private final String match;

	private final Regex regex;

	public TagMatcher(String match, String matchRegex) {
		this.match = match;
		this.regex = (matchRegex != null) ? Regex.compile(matchRegex) : null;
	}

	public boolean matches(String tag) {
		if (this.regex != null && this.regex.matchesAtStart(tag)) {
			return true;
		}
		return this.match != null && glob(this.match, tag);
	}

	/** {@code *}-only glob over the whole tag, as Fluent Bit's {@code router_match}. */
	public static boolean glob(String pattern, String tag) {
		int p = 0;
		int t = 0;
		int starP = -1;
		int starT = -1;
		int pn = pattern.length();
		int tn = tag.length();
		while (t < tn) {
			if (p < pn && pattern.charAt(p) == '*') {
				while (p < pn && pattern.charAt(p) == '*') {
					p++;
				}
				if (p == pn) {
					return true;
				}
				starP = p;
				starT = t;
			}
			else if (p < pn && pattern.charAt(p) == tag.charAt(t)) {
				p++;
				t++;
			}
			else if (starP >= 0) {
				p = starP;
				t = ++starT;
			}
			else {
				return false;
			}
		}
		while (p < pn && pattern.charAt(p) == '*') {
			p++;
		}
		return p == pn;
	}

	@Override
	public String toString() {
		return (this.regex != null ? "regex=" + this.regex + " " : "") + (this.match != null ? "match=" + this.match : "");
	}
}
