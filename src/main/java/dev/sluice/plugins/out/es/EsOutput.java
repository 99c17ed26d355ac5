package dev.sluice.plugins.out.es;

import dev.sluice.plugin.Plugin;
import dev.sluice.plugin.PluginKind;

/**
 * Fluent Bit's {@code es} output: each chunk becomes a {@code _bulk} request to Elasticsearch;
 * only the records whose bulk items failed with a retryable status are sent again (see
 * {@link BulkWriter}).
 */
@Plugin(kind = PluginKind.OUTPUT, name = "es", description = "Elasticsearch", config = EsOutputConfig.class,
		workers = 2, network = true)
public final class EsOutput extends BulkOutput<EsOutputConfig> {

}
