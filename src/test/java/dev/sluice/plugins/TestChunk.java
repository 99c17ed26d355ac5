package dev.sluice.plugins;

import java.util.List;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.plugin.Chunk;

/** A unit-test {@link Chunk}: given events under a tag. */
public record TestChunk(String name, String tag, String input, int eventType, EventBytes events) implements Chunk {

	public static TestChunk of(String tag, EventBytes events) {
		return new TestChunk("1-1.1.flb", tag, "dummy.0", 0, events);
	}

	public static TestChunk of(String tag, List<LogEvent> events) {
		EventEncoder enc = new EventEncoder();
		events.forEach(enc::append);
		return of(tag, EventBytes.of(enc));
	}
}
