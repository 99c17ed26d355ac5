package dev.sluice.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.plugins.filter.FilterEvents;
import dev.sluice.plugins.processor.RouteDefinition;

/**
 * An input's conditional routes, resolved against the outputs: decides, record by record, the set
 * of outputs each record goes to. A record goes to the outputs of every route whose condition it
 * meets; one that meets none goes to the outputs of the {@code default} routes; one with no
 * output at all is dropped. Thread-safe (immutable).
 */
final class ConditionalRouter {

	/**
	 * A set of outputs records are routed to: chunks are kept apart by tag and route set.
	 *
	 * @param key identifies the set (output indices)
	 * @param outputs the outputs, in configuration order
	 */
	record RouteSet(String key, List<OutputInstance> outputs) {
	}

	/**
	 * Records of one append that go to the same outputs.
	 *
	 * @param routes where they go
	 * @param events the records, in their original order
	 */
	record Part(RouteSet routes, EventBytes events) {
	}

	private record Resolved(RouteDefinition def, BitSet outputs) {
	}

	private final List<Resolved> conditional = new ArrayList<>();

	private final BitSet defaults = new BitSet();

	private final List<OutputInstance> outputs;

	private final Map<BitSet, RouteSet> sets = new java.util.concurrent.ConcurrentHashMap<>();

	ConditionalRouter(List<RouteDefinition> routes, List<OutputInstance> outputs) {
		this.outputs = List.copyOf(outputs);
		for (RouteDefinition r : routes) {
			if (!r.forLogs()) {
				continue;
			}
			BitSet set = new BitSet();
			for (String name : r.outputs()) {
				for (OutputInstance o : outputs) {
					if (o.displayName().equals(name) || o.name().equals(name)) {
						set.set(o.id());
					}
				}
			}
			if (r.isDefault()) {
				this.defaults.or(set);
			}
			else {
				this.conditional.add(new Resolved(r, set));
			}
		}
	}

	/** The set of outputs of a bit set of output ids (cached). */
	RouteSet routeSet(BitSet ids) {
		return this.sets.computeIfAbsent(ids, (b) -> {
			List<OutputInstance> list = new ArrayList<>();
			for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
				list.add(this.outputs.get(i));
			}
			return new RouteSet(b.toString(), List.copyOf(list));
		});
	}

	/** Splits events by route set; the records that go nowhere are left out. */
	List<Part> split(EventBytes events) {
		Map<BitSet, EventEncoder> groups = new LinkedHashMap<>();
		List<FilterEvents.Slice> slices = FilterEvents.slices(events);
		BitSet only = null;
		for (FilterEvents.Slice s : slices) {
			BitSet to = new BitSet();
			boolean matchedAny = false;
			for (Resolved r : this.conditional) {
				if (r.def().condition().matches(s.event())) {
					to.or(r.outputs());
					matchedAny = true;
				}
			}
			if (!matchedAny) {
				to.or(this.defaults);
			}
			if (to.isEmpty()) {
				continue;
			}
			groups.computeIfAbsent(to, (k) -> new EventEncoder()).appendEncoded(events.data(), s.offset(), s.length(), 1);
			only = to;
		}
		List<Part> out = new ArrayList<>(groups.size());
		if (groups.size() == 1 && groups.values().iterator().next().records() == events.records()) {
			out.add(new Part(routeSet(only), events));
			return out;
		}
		for (Map.Entry<BitSet, EventEncoder> g : groups.entrySet()) {
			out.add(new Part(routeSet(g.getKey()), EventBytes.of(g.getValue())));
		}
		return out;
	}
}
