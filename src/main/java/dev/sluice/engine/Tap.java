package dev.sluice.engine;

import java.util.function.Consumer;

import dev.sluice.event.EventBytes;

/**
 * A live tap on one instance: the events appended by an input (after its filters) or routed into
 * an output, whose tag matches. The consumer runs on the pipeline's thread and must not block;
 * taps cost nothing when none is open (one volatile read per append).
 *
 * @param instance the input or output, by name or alias
 * @param match a {@code Match}-style glob for the tag ({@code *} for all)
 * @param consumer receives the point ({@code input:NAME} or {@code output:NAME}), tag and events
 */
public record Tap(String instance, String match, Consumer<Tapped> consumer) {

	/** What a tap sees: one append or one chunk. */
	public record Tapped(String point, String tag, EventBytes events) {
	}

	boolean wants(InstanceBase at, String tag) {
		return (this.instance.equals(at.name()) || this.instance.equals(at.displayName()))
				&& TagMatcher.glob(this.match, tag);
	}
}
