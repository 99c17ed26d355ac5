package dev.sluice.plugins.out.http;

import java.time.Duration;
import java.util.List;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/** Options of the {@code http} output, as Fluent Bit 5.1.1 declares them (in its order). */
public class HttpOutputConfig {

	@ConfigOption(name = "host", description = "Host Address", defaultValue = "")
	public String host;

	@ConfigOption(name = "port", description = "host Port", defaultValue = "0")
	public int port;

	@ConfigOption(name = "tls", description = "Enable or disable TLS/SSL support", defaultValue = "off")
	public boolean tls;

	@ConfigOption(name = "tls.verify", description = "Force certificate validation", defaultValue = "on")
	public boolean tlsVerify;

	@ConfigOption(name = "tls.verify_client_cert", description = "Enable or disable client certificate verification", defaultValue = "off")
	public boolean tlsVerifyClientCert;

	@ConfigOption(name = "tls.debug", description = "Set TLS debug verbosity level. It accept the following values: 0 (No debug), 1 (Error), 2 (State change), 3 (Informational) and 4 Verbose", defaultValue = "1")
	public int tlsDebug;

	@ConfigOption(name = "tls.ca_file", description = "Absolute path to CA certificate file")
	public String tlsCaFile;

	@ConfigOption(name = "tls.ca_path", description = "Absolute path to scan for certificate files")
	public String tlsCaPath;

	@ConfigOption(name = "tls.crt_file", description = "Absolute path to Certificate file")
	public String tlsCrtFile;

	@ConfigOption(name = "tls.key_file", description = "Absolute path to private Key file")
	public String tlsKeyFile;

	@ConfigOption(name = "tls.key_passwd", description = "Optional password for tls.key_file file", secret = true)
	public String tlsKeyPasswd;

	@ConfigOption(name = "tls.vhost", description = "Hostname to be used for TLS SNI extension")
	public String tlsVhost;

	@ConfigOption(name = "tls.verify_hostname", description = "Enable or disable to verify hostname", defaultValue = "off")
	public boolean tlsVerifyHostname;

	@ConfigOption(name = "tls.min_version", description = "Specify the minimum version of TLS")
	public String tlsMinVersion;

	@ConfigOption(name = "tls.max_version", description = "Specify the maximum version of TLS")
	public String tlsMaxVersion;

	@ConfigOption(name = "tls.ciphers", description = "Specify TLS ciphers up to TLSv1.2")
	public String tlsCiphers;

	@ConfigOption(name = "tls.proxy.ca_file", description = "Absolute path to CA certificate file used to verify the HTTPS proxy certificate. Independent from tls.ca_file (destination CA)")
	public String tlsProxyCaFile;

	@ConfigOption(name = "tls.proxy.ca_path", description = "Absolute path to scan for CA certificate files used to verify the HTTPS proxy certificate")
	public String tlsProxyCaPath;

	@ConfigOption(name = "tls.proxy.verify", description = "Force HTTPS proxy certificate validation", defaultValue = "on")
	public boolean tlsProxyVerify;

	@ConfigOption(name = "tls.proxy.verify_hostname", description = "Enable or disable HTTPS proxy hostname verification", defaultValue = "on")
	public boolean tlsProxyVerifyHostname;

	@ConfigOption(name = "proxy", description = "Specify an HTTP Proxy. The expected format of this value is http://host:port. ")
	public String proxy;

	@ConfigOption(name = "allow_duplicated_headers", description = "Specify if duplicated headers are allowed or not", defaultValue = "true")
	public boolean allowDuplicatedHeaders;

	@ConfigOption(name = "log_response_payload", description = "Specify if the response paylod should be logged or not", defaultValue = "true")
	public boolean logResponsePayload;

	@ConfigOption(name = "http.response_timeout", description = "Set maximum time to wait for a server response", defaultValue = "60s", type = OptionType.TIME)
	public Duration httpResponseTimeout;

	@ConfigOption(name = "http.read_idle_timeout", description = "Set maximum allowed time between two consecutive reads", defaultValue = "0s", type = OptionType.TIME)
	public Duration httpReadIdleTimeout;

	@ConfigOption(name = "http_user", description = "Set HTTP auth user")
	public String httpUser;

	@ConfigOption(name = "http_passwd", description = "Set HTTP auth password", defaultValue = "", secret = true)
	public String httpPasswd;

	@ConfigOption(name = "oauth2.enable", description = "Enable OAuth2 client credentials for outgoing requests", defaultValue = "false")
	public boolean oauth2Enable;

	@ConfigOption(name = "oauth2.token_url", description = "OAuth2 token endpoint URL")
	public String oauth2TokenUrl;

	@ConfigOption(name = "oauth2.client_id", description = "OAuth2 client_id")
	public String oauth2ClientId;

	@ConfigOption(name = "oauth2.client_secret", description = "OAuth2 client_secret", secret = true)
	public String oauth2ClientSecret;

	@ConfigOption(name = "oauth2.user_agent", description = "Optional User-Agent header for OAuth2 token requests")
	public String oauth2UserAgent;

	@ConfigOption(name = "oauth2.scope", description = "Optional OAuth2 scope")
	public String oauth2Scope;

	@ConfigOption(name = "oauth2.audience", description = "Optional OAuth2 audience parameter")
	public String oauth2Audience;

	@ConfigOption(name = "oauth2.resource", description = "Optional OAuth2 resource parameter")
	public String oauth2Resource;

	@ConfigOption(name = "oauth2.auth_method", description = "OAuth2 client authentication method: basic, post or private_key_jwt", defaultValue = "basic")
	public String oauth2AuthMethod;

	@ConfigOption(name = "oauth2.jwt_key_file", description = "Path to PEM private key used by private_key_jwt")
	public String oauth2JwtKeyFile;

	@ConfigOption(name = "oauth2.jwt_cert_file", description = "Path to certificate file used by private_key_jwt")
	public String oauth2JwtCertFile;

	@ConfigOption(name = "oauth2.jwt_aud", description = "Audience for private_key_jwt assertion (defaults to oauth2.token_url)")
	public String oauth2JwtAud;

	@ConfigOption(name = "oauth2.jwt_header", description = "JWT header claim name for private_key_jwt thumbprint (kid or x5t)", defaultValue = "kid")
	public String oauth2JwtHeader;

	@ConfigOption(name = "oauth2.jwt_ttl_seconds", description = "Lifetime in seconds for private_key_jwt client assertions", defaultValue = "300")
	public int oauth2JwtTtlSeconds;

	@ConfigOption(name = "oauth2.refresh_skew_seconds", description = "Seconds before expiry to refresh the access token", defaultValue = "60")
	public int oauth2RefreshSkewSeconds;

	@ConfigOption(name = "oauth2.timeout", description = "Timeout for OAuth2 token requests (defaults to response_timeout when unset)", defaultValue = "0s", type = OptionType.TIME)
	public Duration oauth2Timeout;

	@ConfigOption(name = "oauth2.connect_timeout", description = "Connect timeout for OAuth2 token requests", defaultValue = "0s", type = OptionType.TIME)
	public Duration oauth2ConnectTimeout;

	@ConfigOption(name = "aws_auth", description = "Enable AWS SigV4 authentication", defaultValue = "false")
	public boolean awsAuth;

	@ConfigOption(name = "aws_service", description = "AWS destination service code, used by SigV4 authentication")
	public String awsService;

	@ConfigOption(name = "aws_region", description = "AWS region of your service")
	public String awsRegion;

	@ConfigOption(name = "aws_sts_endpoint", description = "Custom endpoint for the AWS STS API, used with the `aws_role_arn` option")
	public String awsStsEndpoint;

	@ConfigOption(name = "aws_role_arn", description = "ARN of an IAM role to assume (ex. for cross account access)")
	public String awsRoleArn;

	@ConfigOption(name = "aws_external_id", description = "Specify an external ID for the STS API, can be used with the `aws_role_arn` parameter if your role requires an external ID.")
	public String awsExternalId;

	@ConfigOption(name = "aws_profile", description = "AWS Profile name. AWS Profiles can be configured with AWS CLI and are usuallystored in $HOME/.aws/ directory.")
	public String awsProfile;

	@ConfigOption(name = "header_tag", description = "Set a HTTP header which value is the Tag")
	public String headerTag;

	@ConfigOption(name = "format", description = "Set desired payload format: json, json_stream, json_lines, gelf or msgpack", defaultValue = "json")
	public String format;

	@ConfigOption(name = "json_date_format", description = "Specify the format of the date, supported formats: double, iso8601 (e.g: 2018-05-30T09:39:52.000681Z), java_sql_timestamp (e.g: 2018-05-30 09:39:52.000681, useful for AWS Athena), and epoch.")
	public String jsonDateFormat;

	@ConfigOption(name = "json_date_key", description = "Specify the name of the date field in output", defaultValue = "date")
	public String jsonDateKey;

	@ConfigOption(name = "compress", description = "Set payload compression mechanism. Option available are 'gzip', 'snappy' and 'zstd'")
	public String compress;

	@ConfigOption(name = "header", description = "Add a HTTP header key/value pair. Multiple headers can be set", type = OptionType.SLIST, maxSplit = 1, multiple = true)
	public List<List<String>> header;

	@ConfigOption(name = "uri", description = "Specify an optional HTTP URI for the target web server, e.g: /something")
	public String uri;

	@ConfigOption(name = "http_method", description = "Specify the HTTP method to use. Supported methods are POST and PUT", defaultValue = "POST")
	public String httpMethod;

	@ConfigOption(name = "gelf_timestamp_key", description = "Specify the key to use for 'timestamp' in gelf format")
	public String gelfTimestampKey;

	@ConfigOption(name = "gelf_host_key", description = "Specify the key to use for the 'host' in gelf format")
	public String gelfHostKey;

	@ConfigOption(name = "gelf_short_message_key", description = "Specify the key to use as the 'short' message in gelf format")
	public String gelfShortMessageKey;

	@ConfigOption(name = "gelf_full_message_key", description = "Specify the key to use for the 'full' message in gelf format")
	public String gelfFullMessageKey;

	@ConfigOption(name = "gelf_level_key", description = "Specify the key to use for the 'level' in gelf format")
	public String gelfLevelKey;

	@ConfigOption(name = "body_key", description = "Specify the key which contains the body")
	public String bodyKey;

	@ConfigOption(name = "headers_key", description = "Specify the key which contains the headers")
	public String headersKey;
}
