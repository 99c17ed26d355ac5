package dev.sluice.plugins.in.kubernetes_events;

import java.time.Duration;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code kubernetes_events} input: Fluent Bit's {@code in_kubernetes_events}
 * config map (names, order, types, defaults and descriptions from
 * {@code plugins/in_kubernetes_events/kubernetes_events.c}).
 */
public class KubernetesEventsConfig {

	@ConfigOption(name = "kube_url", description = "Kubernetes API server URL", defaultValue = "https://kubernetes.default.svc", type = OptionType.STR)
	public String kubeUrl = "https://kubernetes.default.svc";

	@ConfigOption(name = "interval_sec", description = "Set the polling interval for each channel", defaultValue = "0", type = OptionType.INT)
	public int intervalSec;

	@ConfigOption(name = "interval_nsec", description = "Set the polling interval for each channel (sub seconds)", defaultValue = "500000000", type = OptionType.INT)
	public int intervalNsec = 500_000_000;

	@ConfigOption(name = "tls.debug", description = "set TLS debug level: 0 (no debug), 1 (error), 2 (state change), 3 (info) and 4 (verbose)", defaultValue = "0", type = OptionType.INT)
	public int tlsDebug;

	@ConfigOption(name = "tls.verify", description = "enable or disable verification of TLS peer certificate", defaultValue = "true", type = OptionType.BOOL)
	public boolean tlsVerify = true;

	@ConfigOption(name = "tls.vhost", description = "set optional TLS virtual host", type = OptionType.STR)
	public String tlsVhost;

	@ConfigOption(name = "kube_ca_file", description = "Kubernetes TLS CA file", defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", type = OptionType.STR)
	public String kubeCaFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

	@ConfigOption(name = "kube_ca_path", description = "Kubernetes TLS ca path", type = OptionType.STR)
	public String kubeCaPath;

	@ConfigOption(name = "kube_token_file", description = "Kubernetes authorization token file", defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/token", type = OptionType.STR)
	public String kubeTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

	@ConfigOption(name = "kube_token_ttl", description = "kubernetes token ttl, until it is reread from the token file. Default: 10m", defaultValue = "10m", type = OptionType.TIME)
	public Duration kubeTokenTtl = Duration.ofMinutes(10);

	@ConfigOption(name = "kube_request_limit", description = "kubernetes limit parameter for events query, no limit applied when set to 0", defaultValue = "0", type = OptionType.INT)
	public int kubeRequestLimit;

	@ConfigOption(name = "kube_retention_time", description = "kubernetes retention time for events. Default: 1h", defaultValue = "1h", type = OptionType.TIME)
	public Duration kubeRetentionTime = Duration.ofHours(1);

	@ConfigOption(name = "kube_namespace", description = "kubernetes namespace to get events from, gets event from all namespaces by default.", type = OptionType.STR)
	public String kubeNamespace;

	@ConfigOption(name = "db", description = "set a database file to keep track of recorded kubernetes events.", type = OptionType.STR)
	public String db;

	@ConfigOption(name = "db.sync", description = "set a database sync method. values: extra, full, normal and off.", defaultValue = "normal", type = OptionType.STR)
	public String dbSync = "normal";
}
