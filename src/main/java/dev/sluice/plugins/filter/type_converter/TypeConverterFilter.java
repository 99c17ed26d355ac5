package dev.sluice.plugins.filter.type_converter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventEncoder;
import dev.sluice.event.LogEvent;
import dev.sluice.event.RecordAccessor;
import dev.sluice.plugin.FilterContext;
import dev.sluice.plugin.FilterPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.filter.FilterEvents;

/**
 * Fluent Bit's {@code type_converter} filter. Each rule {@code FROM_KEY TO_KEY TYPE} of
 * {@code str_key}, {@code int_key}, {@code uint_key} and {@code float_key} (applied in that order
 * of kinds) appends TO_KEY with the value of FROM_KEY (a record accessor) converted to TYPE
 * ({@code int}, {@code uint}, {@code float}, {@code hex}, {@code string}, {@code bool}); the
 * original keys stay. A value that cannot be converted is appended unchanged (logged). TO_KEY is
 * appended even when the record has that key already (the record then repeats it), as in Fluent
 * Bit.
 */
@Plugin(kind = PluginKind.FILTER, name = "type_converter", description = "Data type converter", config = TypeConverterConfig.class)
public final class TypeConverterFilter implements FilterPlugin<TypeConverterConfig> {

	record Rule(String fromKey, RecordAccessor from, String toKey, Typecast.Type fromType, Typecast.Type toType) {
	}

	private final List<Rule> rules = new ArrayList<>();

	@Override
	public void init(TypeConverterConfig config, FilterContext context) {
		add(context, config.strKey, Typecast.Type.STRING);
		add(context, config.intKey, Typecast.Type.INT);
		add(context, config.uintKey, Typecast.Type.UINT);
		add(context, config.floatKey, Typecast.Type.FLOAT);
		if (this.rules.isEmpty()) {
			throw new IllegalArgumentException("no rules");
		}
	}

	private void add(FilterContext context, List<List<String>> rules, Typecast.Type from) {
		if (rules == null) {
			return;
		}
		for (List<String> r : rules) {
			if (r.size() != 3) {
				context.log().error("invalid record parameters, expects 'from_key to_key type' {}", r.size());
				continue;
			}
			Typecast.Type to = Typecast.type(r.get(2));
			RecordAccessor ra;
			try {
				ra = RecordAccessor.parse(r.get(0));
			}
			catch (IllegalArgumentException ex) {
				ra = null;
			}
			if (to == null || ra == null) {
				context.log().error("configuration error. ignore the key={}", r.get(0));
				continue;
			}
			this.rules.add(new Rule(r.get(0), ra, r.get(1), from, to));
		}
	}

	@Override
	public EventBytes filter(EventBytes events, String tag, FilterContext context) {
		List<FilterEvents.Slice> slices;
		try {
			slices = FilterEvents.slices(events);
		}
		catch (RuntimeException ex) {
			context.log().warn("cannot decode events with tag '{}', passing them on: {}", tag, ex.getMessage());
			return null;
		}
		EventEncoder enc = new EventEncoder();
		boolean modified = false;
		for (FilterEvents.Slice s : slices) {
			LogEvent e = s.event();
			List<Map.Entry<String, Object>> out = FilterEvents.entries(e.body());
			boolean changed = false;
			for (Rule r : this.rules) {
				if (!r.from.exists(e.body())) {
					continue;
				}
				Object v = r.from.get(e.body());
				try {
					out.add(FilterEvents.entry(r.toKey, Typecast.convert(v, r.fromType, r.toType)));
					modified = true;
					changed = true;
				}
				catch (Typecast.Failed ex) {
					context.log().error("failed to convert. key={} ({})", r.fromKey, ex.getMessage());
					out.add(FilterEvents.entry(r.toKey, v));
				}
			}
			if (changed || out.size() != e.body().size()) {
				FilterEvents.write(enc, e.time(), e.metadata(), out);
			}
			else {
				FilterEvents.copy(enc, events, s);
			}
		}
		return modified ? EventBytes.of(enc) : null;
	}
}
