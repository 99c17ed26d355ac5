package dev.sluice.plugins.filter.rewrite_tag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.sluice.event.RecordAccessor;
import dev.sluice.plugins.filter.CFormat;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * A record-accessor template as Fluent Bit translates one ({@code flb_ra_translate}): literal text
 * mixed with {@code $key['sub'][0]} record values, {@code $0}..{@code $9} regex captures,
 * {@code $TAG} and {@code $TAG[n]} (the tag split on dots). A record value ends at {@code .},
 * space, {@code ,} or {@code "}. A missing key, capture or tag part adds nothing. Numbers print
 * as C's {@code %lld} / {@code %f}, maps as JSON, binaries as hex. Immutable.
 */
public final class TagTemplate {

	sealed interface Part permits Literal, Key, Capture, Tag, TagPart {
	}

	record Literal(String text) implements Part {
	}

	record Key(RecordAccessor accessor) implements Part {
	}

	record Capture(int index) implements Part {
	}

	record Tag() implements Part {
	}

	record TagPart(int index) implements Part {
	}

	private final String pattern;

	private final List<Part> parts;

	private TagTemplate(String pattern, List<Part> parts) {
		this.pattern = pattern;
		this.parts = parts;
	}

	List<Part> parts() {
		return this.parts;
	}

	/**
	 * Parses a template, as Fluent Bit splits one into parts.
	 * @throws IllegalArgumentException when a record value part is not a valid accessor
	 */
	public static TagTemplate parse(String s) {
		List<Part> parts = new ArrayList<>();
		int len = s.length();
		int pre = 0;
		int end = 0;
		int i;
		for (i = 0; i < len; i++) {
			if (s.charAt(i) != '$') {
				continue;
			}
			if (i > pre) {
				parts.add(new Literal(s.substring(pre, i)));
			}
			pre = i;
			int n = i + 1;
			if (n >= len) {
				break;
			}
			if (Character.isDigit(s.charAt(n))) {
				int j = n;
				while (j < len && Character.isDigit(s.charAt(j))) {
					j++;
				}
				parts.add(new Capture(Integer.parseInt(s.substring(n, Math.min(j, n + 9)))));
				i++;
				pre = i + 1;
				continue;
			}
			if (n + 2 < len && s.startsWith("TAG", n)) {
				if (n + 4 < len) {
					end = -1;
					if (s.charAt(n + 3) == '[') {
						int t = n + 3;
						int close = s.indexOf(']', t);
						int rel = (close < 0) ? -1 : close - t;
						if (rel == 0) {
							rel = -1;
						}
						end = rel;
						parts.add(new TagPart(atoi(s, t + 1)));
						i = t + end + 1;
						pre = i;
						continue;
					}
				}
				parts.add(new Tag());
				i = n + 3;
				pre = n + 3;
				continue;
			}
			int quotes = 0;
			for (end = i + 1; end < len; end++) {
				char c = s.charAt(end);
				if (c == '\'') {
					quotes++;
				}
				else if (c == '.' && (quotes & 1) == 1) {
					continue;
				}
				else if (c == '.' || c == ' ' || c == ',' || c == '"') {
					break;
				}
			}
			parts.add(new Key(RecordAccessor.parse(s.substring(i, end))));
			pre = end;
			i = end;
		}
		if ((i - 1 > end && pre < i) || i == 1) {
			if (pre < len) {
				parts.add(new Literal(s.substring(pre)));
			}
		}
		return new TagTemplate(s, List.copyOf(parts));
	}

	private static int atoi(String s, int from) {
		int i = from;
		boolean neg = false;
		if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
			neg = s.charAt(i) == '-';
			i++;
		}
		long v = 0;
		while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
			v = v * 10 + (s.charAt(i++) - '0');
		}
		return (int) (neg ? -v : v);
	}

	/**
	 * Renders the template for a record.
	 * @param tag the record's tag
	 * @param record the record
	 * @param captures the numbered groups of the rule's match (0 = whole match), or null
	 */
	public String translate(String tag, Map<String, Object> record, String[] captures) {
		StringBuilder sb = new StringBuilder();
		for (Part p : this.parts) {
			switch (p) {
				case Literal l -> sb.append(l.text());
				case Tag t -> sb.append(tag);
				case TagPart t -> {
					String[] split = tag.split("\\.", -1);
					if (t.index() >= 0 && t.index() < split.length) {
						sb.append(split[t.index()]);
					}
				}
				case Capture c -> {
					if (captures != null && c.index() < captures.length && captures[c.index()] != null) {
						sb.append(captures[c.index()]);
					}
				}
				case Key k -> {
					if (k.accessor().exists(record)) {
						appendValue(sb, k.accessor().get(record));
					}
				}
			}
		}
		return sb.toString();
	}

	private static void appendValue(StringBuilder sb, Object v) {
		switch (v) {
			case null -> sb.append("null");
			case String s -> sb.append(s);
			case Boolean b -> sb.append(b);
			case Long l -> sb.append(l);
			case java.math.BigInteger b -> sb.append(b.longValue());
			case Double d -> sb.append(CFormat.f(d));
			case byte[] b -> sb.append(HexFormat.of().formatHex(b));
			case Map<?, ?> m -> sb.append(FilterEvents.toJson(m));
			case Collection<?> c -> {
				// arrays render as nothing, as in Fluent Bit
			}
			default -> sb.append(v);
		}
	}

	@Override
	public String toString() {
		return this.pattern;
	}
}
