package dev.sluice.plugin;

/** A filter instance's view of the engine. */
public interface FilterContext extends PluginContext {

	/**
	 * Emits events outside a {@code filter} call (Fluent Bit's emitter input, as the multiline
	 * filter uses for groups completed by a timeout): they run through the filters that follow
	 * this one for the tag and are then routed, accounted to the input that last sent that tag
	 * through this filter. Thread-safe. Returns false when they could not be emitted (no input
	 * has sent that tag here yet, or the engine does not support it).
	 */
	default boolean emit(String tag, dev.sluice.event.EventBytes events) {
		return false;
	}
}
