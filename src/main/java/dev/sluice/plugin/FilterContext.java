package dev.sluice.plugin;

/** A filter instance's view of the engine. */
public interface FilterContext extends PluginContext {
}
