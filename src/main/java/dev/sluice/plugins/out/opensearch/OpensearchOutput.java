package dev.sluice.plugins.out.opensearch;

import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;
import dev.sluice.plugins.out.es.BulkOutput;
import dev.sluice.plugins.out.es.BulkWriter;

/**
 * Fluent Bit's {@code opensearch} output: the {@code es} output's bulk writer (shared code), with
 * OpenSearch's option set: each chunk becomes a {@code _bulk} request; only the records whose bulk
 * items failed with a retryable status are sent again (see {@link BulkWriter}).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "opensearch", description = "OpenSearch", config = OpensearchOutputConfig.class,
		network = true)
public final class OpensearchOutput extends BulkOutput<OpensearchOutputConfig> {

}
