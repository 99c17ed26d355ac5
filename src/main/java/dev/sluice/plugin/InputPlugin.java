package dev.sluice.plugin;

/**
 * An input plugin. Lifecycle: the type is registered ({@link Plugin}); {@link #init} is called
 * once per configured instance, on the engine's start-up path, and may refuse to start by
 * throwing; {@link #collect} then runs on the instance's own virtual thread until it returns or
 * the instance stops ({@link InputContext#isRunning()} turns false and the thread is
 * interrupted); {@link #exit} is called once at the end. One plugin object serves one instance.
 *
 * @param <C> the configuration class named in {@link Plugin#config()}
 */
public interface InputPlugin<C> {

	default void init(C config, InputContext context) throws Exception {
	}

	/**
	 * Collects events and appends them with {@link InputContext#append}. Returning ends the
	 * instance's collection (as at end of input).
	 */
	void collect(InputContext context) throws Exception;

	/** Called when the instance is paused (its buffer is full); stop reading new data. */
	default void pause() {
	}

	/** Called when the instance may collect again. */
	default void resume() {
	}

	default void exit() throws Exception {
	}
}
