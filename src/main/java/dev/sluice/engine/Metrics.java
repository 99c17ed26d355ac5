package dev.sluice.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-instance counters, named as Fluent Bit's v1 metrics keys. Cumulative since the instance
 * started; read from any thread.
 */
public final class Metrics {

	private Metrics() {
	}

	/** {@code fluentbit_input_*}. */
	public static final class Input {

		public final LongAdder records = new LongAdder();

		public final LongAdder bytes = new LongAdder();

		/** Records dropped because nothing could take them (no route, unroutable input). */
		public final LongAdder droppedRecords = new LongAdder();
	}

	/** {@code fluentbit_filter_*}. */
	public static final class Filter {

		public final LongAdder records = new LongAdder();

		public final LongAdder bytes = new LongAdder();

		public final LongAdder addRecords = new LongAdder();

		public final LongAdder dropRecords = new LongAdder();

		public final LongAdder dropBytes = new LongAdder();

		/** Filter calls that threw; their records passed on unchanged. */
		public final LongAdder errors = new LongAdder();
	}

	/** {@code fluentbit_routing_logs_*}: per input and output pair. */
	public static final class Route {

		public final LongAdder records = new LongAdder();

		public final LongAdder bytes = new LongAdder();

		public final LongAdder dropRecords = new LongAdder();

		public final LongAdder dropBytes = new LongAdder();
	}

	/** {@code fluentbit_output_*}. */
	public static final class Output {

		public final LongAdder procRecords = new LongAdder();

		public final LongAdder procBytes = new LongAdder();

		public final LongAdder errors = new LongAdder();

		public final LongAdder retries = new LongAdder();

		public final LongAdder retriesFailed = new LongAdder();

		public final LongAdder droppedRecords = new LongAdder();

		public final LongAdder retriedRecords = new LongAdder();
	}

	/**
	 * {@code fluentbit_processor_*_total} (labels scope, owner, processor, stage, signal): one set
	 * per processor of an input or output.
	 */
	public static final class Processor {

		/** {@code invocations}: runs of the processor (one per append or per flush attempt). */
		public final LongAdder invocations = new LongAdder();

		/** {@code errors}: runs that failed; their records passed on unchanged. */
		public final LongAdder errors = new LongAdder();

		/** {@code items_in}. */
		public final LongAdder itemsIn = new LongAdder();

		/** {@code items_out}. */
		public final LongAdder itemsOut = new LongAdder();

		/** {@code items_add}. */
		public final LongAdder itemsAdd = new LongAdder();

		/** {@code items_drop}. */
		public final LongAdder itemsDrop = new LongAdder();
	}
}
