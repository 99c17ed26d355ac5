package dev.sluice.plugin;

/** An output instance's view of the engine. */
public interface OutputContext extends PluginContext {

	/** The number of flushes of this instance that may run at once. */
	int workers();
}
