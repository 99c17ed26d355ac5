package dev.sluice.engine;

import java.util.ArrayList;
import java.util.List;

import dev.sluice.event.EventBytes;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugins.processor.ConditionalProcessor;
import dev.sluice.plugins.processor.ProcessorDefinition;

/**
 * A running processor of an input or output: a filter-kind plugin instance applied to every
 * record of its owner, in the owner's order, with {@code fluentbit_processor_*} counters. A
 * processor that throws passes its input on unchanged, counted as an error.
 */
public final class ProcessorInstance {

	private final ProcessorDefinition definition;

	private final FilterInstance filter;

	private final int stage;

	private final Metrics.Processor metrics = new Metrics.Processor();

	ProcessorInstance(ProcessorDefinition definition, Engine engine, int stage) {
		this.definition = definition;
		this.filter = new FilterInstance(definition.instance(), engine, definition.instance().descriptor().newPlugin());
		this.stage = stage;
		if (definition.condition() != null && !(this.filter.plugin() instanceof ConditionalProcessor)) {
			this.filter.log().warn("conditional processing is not supported by filter '{}' used as a processor:"
					+ " its condition is ignored", definition.instance().descriptor().name());
		}
	}

	/** The processors of one signal of an owner, ready to init. */
	static List<ProcessorInstance> of(List<ProcessorDefinition> defs, Engine engine) {
		List<ProcessorInstance> out = new ArrayList<>();
		int stage = 0;
		for (ProcessorDefinition d : defs) {
			if (d.signal().equals("logs")) {
				out.add(new ProcessorInstance(d, engine, stage++));
			}
		}
		return List.copyOf(out);
	}

	public ProcessorDefinition definition() {
		return this.definition;
	}

	/** The processor's plugin name ({@code processor} label). */
	public String name() {
		return this.definition.instance().descriptor().name();
	}

	/** {@code input} or {@code output} ({@code scope} label). */
	public String scope() {
		return this.definition.scope();
	}

	/** The owner instance's name ({@code owner} label). */
	public String owner() {
		return this.definition.owner();
	}

	/** The position among the owner's log processors, from 0 ({@code stage} label). */
	public int stage() {
		return this.stage;
	}

	/** {@code logs} ({@code signal} label). */
	public String signal() {
		return this.definition.signal();
	}

	public Metrics.Processor metrics() {
		return this.metrics;
	}

	public Object plugin() {
		return this.filter.plugin();
	}

	void init() throws Exception {
		try {
			this.filter.init();
		}
		catch (Exception ex) {
			String msg = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
			throw new dev.sluice.config.ConfigException(this.definition.instance().section().origin(),
					"failed initialize processor " + name() + " of " + scope() + " " + owner() + ": " + msg);
		}
	}

	void exit() {
		this.filter.exit();
	}

	/** Runs the processor; returns what replaces {@code in} (possibly no records). */
	@SuppressWarnings("unchecked")
	EventBytes apply(EventBytes in, String tag) {
		this.metrics.invocations.increment();
		this.metrics.itemsIn.add(in.records());
		EventBytes out;
		try {
			if (this.definition.condition() != null && this.filter.plugin() instanceof ConditionalProcessor cp) {
				out = cp.filter(in, tag, this.filter, this.definition.condition());
			}
			else {
				out = ((FilterPlugin<Object>) this.filter.plugin()).filter(in, tag, this.filter);
			}
		}
		catch (RuntimeException ex) {
			this.metrics.errors.increment();
			this.metrics.itemsOut.add(in.records());
			this.filter.log().error("processor failed on {} record(s) with tag '{}', passing them on unchanged: {}",
					in.records(), tag, ex.toString());
			return in;
		}
		if (out == null) {
			out = in;
		}
		this.metrics.itemsOut.add(out.records());
		if (out.records() < in.records()) {
			this.metrics.itemsDrop.add(in.records() - out.records());
		}
		else if (out.records() > in.records()) {
			this.metrics.itemsAdd.add(out.records() - in.records());
		}
		return out;
	}

	/** Runs a chain of processors; stops early when no record is left. */
	static EventBytes applyAll(List<ProcessorInstance> chain, EventBytes in, String tag) {
		EventBytes out = in;
		for (ProcessorInstance p : chain) {
			out = p.apply(out, tag);
			if (out.records() == 0) {
				break;
			}
		}
		return out;
	}

	@Override
	public String toString() {
		return scope() + ":" + owner() + ":" + name() + "." + this.stage;
	}
}
