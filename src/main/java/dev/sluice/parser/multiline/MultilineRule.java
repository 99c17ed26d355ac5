package dev.sluice.parser.multiline;

import java.util.ArrayList;
import java.util.List;

import dev.sluice.parser.Regex;

/**
 * One rule of a regex multiline parser: {@code "from_states" "/regex/" "to_state"}. A rule whose
 * from-states include {@code start_state} can begin a group; after a rule matched, the candidates
 * for the next line are the rules whose from-states include its to-state.
 */
public final class MultilineRule {

	private final List<String> fromStates;

	private final Regex regex;

	private final String toState;

	private final boolean startState;

	final List<MultilineRule> next = new ArrayList<>();

	/**
	 * @param fromStates comma-separated states (trimmed)
	 * @param regex the pattern ({@code /re/} form accepted)
	 * @param toState the next state, or null
	 * @throws IllegalArgumentException for an empty state list or an invalid regex
	 */
	public MultilineRule(String fromStates, String regex, String toState) {
		List<String> states = new ArrayList<>();
		for (String s : fromStates.split(",")) {
			String t = s.strip();
			if (!t.isEmpty()) {
				states.add(t);
			}
		}
		if (states.isEmpty()) {
			throw new IllegalArgumentException("rule is empty or has invalid 'from_states' tokens");
		}
		this.fromStates = List.copyOf(states);
		this.startState = this.fromStates.contains("start_state");
		this.regex = Regex.compile(regex);
		this.toState = toState;
	}

	public List<String> fromStates() {
		return this.fromStates;
	}

	public Regex regex() {
		return this.regex;
	}

	public String toState() {
		return this.toState;
	}

	public boolean isStartState() {
		return this.startState;
	}

	/** Links every rule's successors (Fluent Bit's {@code flb_ml_rule_init}). */
	static void link(List<MultilineRule> rules) {
		for (MultilineRule rule : rules) {
			rule.next.clear();
			if (rule.toState == null) {
				continue;
			}
			boolean exists = false;
			for (MultilineRule r : rules) {
				if (r.fromStates.contains(rule.toState)) {
					exists = true;
					rule.next.add(r);
				}
			}
			if (!exists) {
				throw new IllegalArgumentException("to_state='" + rule.toState + "' is not registered");
			}
		}
	}

	@Override
	public String toString() {
		return this.fromStates + " " + this.regex + " -> " + this.toState;
	}
}
