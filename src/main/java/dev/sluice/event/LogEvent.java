package dev.sluice.event;

import java.util.Map;

/**
 * One decoded log event: {@code [[time, {metadata}], {body}]}. Values in the maps are
 * {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@code null}, {@code byte[]},
 * {@link java.util.List}, {@link Map} or {@link EventTime}.
 *
 * @param time the event time
 * @param metadata the event metadata (empty for most inputs)
 * @param body the record
 */
public record LogEvent(EventTime time, Map<String, Object> metadata, Map<String, Object> body) {

	public LogEvent(EventTime time, Map<String, Object> body) {
		this(time, Map.of(), body);
	}
}
