package dev.sluice.plugins.out.nullout;

import java.util.Locale;

import dev.sluice.event.EventBytes;
import dev.sluice.event.EventFormatException;
import dev.sluice.event.JsonFormatter;
import dev.sluice.plugin.Chunk;
import dev.sluice.plugin.FlushResult;
import dev.sluice.plugin.OutputContext;
import dev.sluice.plugin.OutputPlugin;
import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code null} output: throws events away. With {@code format} set to a JSON format
 * it first converts each chunk to JSON (and discards that), to measure the conversion, as Fluent
 * Bit does.
 */
@Plugin(kind = PluginKind.OUTPUT, name = "null", description = "Throws away events", config = NullConfig.class,
		eventTypes = Plugin.LOGS | Plugin.METRICS | Plugin.TRACES)
public final class NullOutput implements OutputPlugin<NullConfig> {

	private JsonFormatter.Format format;

	private JsonFormatter.DateFormat dateFormat = JsonFormatter.DateFormat.DOUBLE;

	private String dateKey;

	@Override
	public void init(NullConfig config, OutputContext context) {
		if (config.format != null) {
			this.format = JsonFormatter.Format.parse(config.format);
			if (this.format == null && !config.format.equalsIgnoreCase("msgpack")) {
				context.log().error("unrecognized 'format' option. Using 'msgpack'");
			}
		}
		this.dateKey = config.jsonDateKey;
		if (this.dateKey != null) {
			String s = this.dateKey.toLowerCase(Locale.ROOT);
			if (s.equals("false") || s.equals("off") || s.equals("no")) {
				this.dateKey = null;
			}
		}
		if (config.jsonDateFormat != null) {
			JsonFormatter.DateFormat df = JsonFormatter.DateFormat.parse(config.jsonDateFormat);
			if (df == null) {
				context.log().error("invalid json_date_format '{}'. Using 'double' type", config.jsonDateFormat);
			}
			else {
				this.dateFormat = df;
			}
		}
	}

	@Override
	public FlushResult flush(Chunk chunk, OutputContext context) {
		if (this.format != null && chunk.eventType() == 0) {
			EventBytes e = chunk.events();
			try {
				JsonFormatter.standard().formatEvents(e, this.format, this.dateFormat, this.dateKey);
			}
			catch (EventFormatException ex) {
				context.log().error("Log event decoder error : {}", ex.getMessage());
			}
		}
		return FlushResult.OK;
	}
}
