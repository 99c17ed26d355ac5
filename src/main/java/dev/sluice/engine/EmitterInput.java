package dev.sluice.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.Emitter;
import dev.sluice.plugin.InputContext;
import dev.sluice.plugin.InputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code in_emitter}: the hidden input a filter re-emits records through (created by
 * {@link Engine#createEmitter}, never configured by users). Filters queue events with
 * {@link Handle#emit}; the instance's own thread appends them, so they run through the filters
 * of the new tag (except the owning filter) on that thread, never on the emitting one.
 */
@Plugin(kind = PluginKind.INPUT, name = "emitter", description = "Record Emitter", internal = true)
final class EmitterInput implements InputPlugin<Plugin.NoConfig> {

	private record Item(String tag, EventBytes events) {
	}

	private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	@Override
	public void collect(InputContext context) {
		try {
			while (context.isRunning()) {
				Item item = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (item != null) {
					append(context, item);
				}
			}
		}
		catch (InterruptedException ex) {
			// stopping: drain below
		}
		Item item;
		while ((item = this.queue.poll()) != null) {
			append(context, item);
		}
	}

	private void append(InputContext context, Item item) {
		this.queuedBytes.addAndGet(-item.events.length());
		try {
			context.append(item.tag, item.events);
		}
		catch (RuntimeException ex) {
			context.log().error("error registering chunk with tag: {}: {}", item.tag, ex.toString());
		}
	}

	/** The handle given to the owning filter. */
	static final class Handle implements Emitter {

		private final InputInstance instance;

		private final EmitterInput plugin;

		Handle(InputInstance instance, EmitterInput plugin) {
			this.instance = instance;
			this.plugin = plugin;
		}

		@Override
		public String name() {
			return this.instance.displayName();
		}

		InputInstance instance() {
			return this.instance;
		}

		@Override
		public boolean emit(String tag, EventBytes events) {
			if (events.records() == 0) {
				return true;
			}
			if (this.instance.isPaused() || !this.instance.isRunning()) {
				return false;
			}
			long limit = this.instance.memBufLimit();
			if (limit > 0 && this.instance.bufferedBytes() + this.plugin.queuedBytes.get() >= limit) {
				this.instance.log().debug("emitter memory buffer limit reached. Not accepting record.");
				return false;
			}
			this.plugin.queuedBytes.addAndGet(events.length());
			this.plugin.queue.add(new Item(tag, events));
			return true;
		}
	}
}
