package dev.sluice.plugin;

/**
 * An output plugin. Lifecycle: registered ({@link Plugin}); {@link #init} once per configured
 * instance (may refuse by throwing); {@link #flush} for each chunk routed to the instance, on a
 * virtual thread, at most {@link OutputContext#workers()} at once, so blocking I/O is fine;
 * {@link #exit} once after the last flush. One plugin object serves one instance.
 *
 * <p>An exception thrown by {@code flush} is logged and treated as {@link FlushResult#RETRY}.
 *
 * @param <C> the configuration class named in {@link Plugin#config()}
 */
public interface OutputPlugin<C> {

	default void init(C config, OutputContext context) throws Exception {
	}

	FlushResult flush(Chunk chunk, OutputContext context) throws Exception;

	default void exit() throws Exception {
	}
}
