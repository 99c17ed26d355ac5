package dev.sluice.plugin;

import dev.sluice.event.EventBytes;

/**
 * A filter's emitter: a hidden input (Fluent Bit's {@code in_emitter}) through which the filter
 * re-emits events under a new tag. Emitted events re-enter the pipeline from the start: every
 * filter that matches the new tag runs on them, except the filter that owns the emitter (so a
 * record re-emitted by a {@code rewrite_tag} never passes through that same instance again),
 * and they are routed by the new tag. Created with {@link FilterContext#createEmitter}.
 */
public interface Emitter {

	/** The emitter input's name as shown in logs and metrics (its alias). */
	String name();

	/**
	 * Queues events for re-emission under the tag; they are appended by the emitter's own
	 * thread, never on the caller's. Never blocks. Returns false, having queued nothing, when the
	 * emitter is paused (its buffer reached its {@code mem_buf_limit}) or stopping.
	 */
	boolean emit(String tag, EventBytes events);
}
