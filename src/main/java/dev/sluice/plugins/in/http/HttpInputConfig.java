package dev.sluice.plugins.in.http;

import java.util.List;

import dev.sluice.net.server.HttpServerConfig;
import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code http} input, as Fluent Bit 5.1.1 declares them (same order): the HTTP
 * server options ({@link HttpServerConfig}; port 0 means 9880), then its own.
 */
public class HttpInputConfig extends HttpServerConfig {

	@ConfigOption(name = "add_remote_addr", description = "Adds REMOTE_ADDR field to the record. The value of REMOTE_ADDR is the client's address.", defaultValue = "false")
	public boolean addRemoteAddr;

	@ConfigOption(name = "remote_addr_key", description = "Key name for the remote address field added to the record.", defaultValue = "REMOTE_ADDR")
	public String remoteAddrKey;

	@ConfigOption(name = "success_header", description = "Add an HTTP header key/value pair on success. Multiple headers can be set.", type = OptionType.SLIST, maxSplit = 1, multiple = true)
	public List<List<String>> successHeader;

	@ConfigOption(name = "tag_key", description = "Specify a key name for extracting the tag from incoming request data.")
	public String tagKey;

	@ConfigOption(name = "successful_response_code", description = "Set successful response code. 200, 201 and 204 are supported.", defaultValue = "201")
	public int successfulResponseCode;

	@ConfigOption(name = "enable_health_endpoint", description = "Enable the GET /health endpoint for this input instance.", defaultValue = "false")
	public boolean enableHealthEndpoint;
}
