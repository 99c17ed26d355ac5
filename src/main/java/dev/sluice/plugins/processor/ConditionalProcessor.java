package dev.sluice.plugins.processor;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.FilterContext;

/**
 * A processor plugin that honours a processor {@code condition} itself (Fluent Bit's native
 * processors do; filters used as processors do not): records that do not meet it pass unchanged.
 */
public interface ConditionalProcessor {

	/** As {@link dev.sluice.plugin.FilterPlugin#filter}, only for records meeting {@code condition}. */
	EventBytes filter(EventBytes events, String tag, FilterContext context, Condition condition);
}
