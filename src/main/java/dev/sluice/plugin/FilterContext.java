package dev.sluice.plugin;

/** A filter instance's view of the engine. */
public interface FilterContext extends PluginContext {

	/**
	 * Creates this instance's emitter (call in {@code init}, at most once): a hidden input named
	 * {@code name} (its alias) with the given buffer limit and storage type, as Fluent Bit's
	 * {@code rewrite_tag} and {@code multiline} filters create {@code emitter_for_<filter>}.
	 * @param name the emitter's name, unique among inputs
	 * @param memBufLimit the emitter's {@code mem_buf_limit} in bytes, 0 for none
	 * @param storageType {@code memory} or {@code filesystem}
	 * @throws IllegalArgumentException when an input with that name exists
	 * @throws UnsupportedOperationException when the host has no emitters
	 */
	default Emitter createEmitter(String name, long memBufLimit, String storageType) {
		throw new UnsupportedOperationException("this host cannot create emitters");
	}

	/**
	 * Counts one processing error of this instance that the plugin handled itself (logged,
	 * records passed on), such as a Lua runtime error: it shows in the instance's error metric.
	 */
	default void reportError() {
	}

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
