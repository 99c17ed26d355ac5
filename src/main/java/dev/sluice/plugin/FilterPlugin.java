package dev.sluice.plugin;

import dev.sluice.event.EventBytes;

/**
 * A filter plugin: runs at ingestion, on the thread of the input that appends, for every append
 * whose tag the instance matches. It must not block on I/O. One plugin object serves one
 * instance; {@link #filter} may be called from several input threads at once.
 *
 * @param <C> the configuration class named in {@link Plugin#config()}
 */
public interface FilterPlugin<C> {

	default void init(C config, FilterContext context) throws Exception {
	}

	/**
	 * Filters a run of events. Returns null when nothing changed (Fluent Bit's
	 * {@code FLB_FILTER_NOTOUCH}), or the events that replace the input (possibly none).
	 */
	EventBytes filter(EventBytes events, String tag, FilterContext context);

	default void exit() throws Exception {
	}
}
