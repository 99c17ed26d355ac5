package dev.sluice.plugins.filter.kubernetes;

import java.time.Duration;

import dev.sluice.plugin.ConfigOption;
import dev.sluice.plugin.OptionType;

/**
 * Options of the {@code kubernetes} filter: Fluent Bit's {@code filter_kubernetes} config map
 * (names, order, types, defaults and descriptions from {@code plugins/filter_kubernetes/kubernetes.c}).
 */
public class KubernetesFilterConfig {

	@ConfigOption(name = "buffer_size", description = "buffer size to receive response from API server", defaultValue = "32K", type = OptionType.SIZE)
	public long bufferSize = 32 * 1024;

	@ConfigOption(name = "tls.debug", description = "set TLS debug level: 0 (no debug), 1 (error), 2 (state change), 3 (info) and 4 (verbose)", defaultValue = "0", type = OptionType.INT)
	public int tlsDebug;

	@ConfigOption(name = "tls.verify", description = "enable or disable verification of TLS peer certificate", defaultValue = "true", type = OptionType.BOOL)
	public boolean tlsVerify = true;

	@ConfigOption(name = "tls.vhost", description = "set optional TLS virtual host", type = OptionType.STR)
	public String tlsVhost;

	@ConfigOption(name = "tls.verify_hostname", description = "enable or disable to verify hostname", defaultValue = "off", type = OptionType.BOOL)
	public boolean tlsVerifyHostname;

	@ConfigOption(name = "merge_log", description = "merge 'log' key content as individual keys", defaultValue = "false", type = OptionType.BOOL)
	public boolean mergeLog;

	@ConfigOption(name = "merge_parser", description = "specify a 'parser' name to parse the 'log' key content", type = OptionType.STR)
	public String mergeParser;

	@ConfigOption(name = "merge_log_key", description = "set the 'key' name where the content of 'key' will be placed. Only used if the option 'merge_log' is enabled", type = OptionType.STR)
	public String mergeLogKey;

	@ConfigOption(name = "merge_log_trim", description = "remove ending '\\n' or '\\r' characters from the log content", defaultValue = "true", type = OptionType.BOOL)
	public boolean mergeLogTrim = true;

	@ConfigOption(name = "keep_log", description = "keep original log content if it was successfully parsed and merged", defaultValue = "true", type = OptionType.BOOL)
	public boolean keepLog = true;

	@ConfigOption(name = "kube_url", description = "Kubernetes API server URL", defaultValue = "https://kubernetes.default.svc", type = OptionType.STR)
	public String kubeUrl = "https://kubernetes.default.svc";

	@ConfigOption(name = "kube_meta_preload_cache_dir", description = "set directory with metadata files", type = OptionType.STR)
	public String kubeMetaPreloadCacheDir;

	@ConfigOption(name = "kube_ca_file", description = "Kubernetes TLS CA file", defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", type = OptionType.STR)
	public String kubeCaFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

	@ConfigOption(name = "kube_ca_path", description = "Kubernetes TLS ca path", type = OptionType.STR)
	public String kubeCaPath;

	@ConfigOption(name = "kube_tag_prefix", description = "prefix used in tag by the input plugin", defaultValue = "kube.var.log.containers.", type = OptionType.STR)
	public String kubeTagPrefix = "kube.var.log.containers.";

	@ConfigOption(name = "kube_namespace_file", description = "Kubernetes namespace file", defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/namespace", type = OptionType.STR)
	public String kubeNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

	@ConfigOption(name = "kube_token_file", description = "Kubernetes authorization token file", defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/token", type = OptionType.STR)
	public String kubeTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

	@ConfigOption(name = "kube_token_command", description = "command to get Kubernetes authorization token", type = OptionType.STR)
	public String kubeTokenCommand;

	@ConfigOption(name = "labels", description = "include Kubernetes labels on every record", defaultValue = "true", type = OptionType.BOOL)
	public boolean labels = true;

	@ConfigOption(name = "annotations", description = "include Kubernetes annotations on every record", defaultValue = "true", type = OptionType.BOOL)
	public boolean annotations = true;

	@ConfigOption(name = "owner_references", description = "include Kubernetes owner references on every record", defaultValue = "false", type = OptionType.BOOL)
	public boolean ownerReferences;

	@ConfigOption(name = "namespace_labels", description = "include Kubernetes namespace labels on every record", defaultValue = "false", type = OptionType.BOOL)
	public boolean namespaceLabels;

	@ConfigOption(name = "namespace_annotations", description = "include Kubernetes namespace annotations on every record", defaultValue = "false", type = OptionType.BOOL)
	public boolean namespaceAnnotations;

	@ConfigOption(name = "namespace_exclude", description = "allow namespaces to exclude their pods' logs via the fluentbit.io/exclude annotation (requires access to the namespaces API)", defaultValue = "false", type = OptionType.BOOL)
	public boolean namespaceExclude;

	@ConfigOption(name = "namespace_metadata_only", description = "ignore pod metadata entirely and only fetch namespace metadata", defaultValue = "false", type = OptionType.BOOL)
	public boolean namespaceMetadataOnly;

	@ConfigOption(name = "k8s-logging.parser", description = "allow Pods to suggest a parser", defaultValue = "false", type = OptionType.BOOL)
	public boolean k8sLoggingParser;

	@ConfigOption(name = "k8s-logging.exclude", description = "allow Pods to exclude themselves from the logging pipeline", defaultValue = "false", type = OptionType.BOOL)
	public boolean k8sLoggingExclude;

	@ConfigOption(name = "use_journal", description = "use Journald (Systemd) mode", defaultValue = "false", type = OptionType.BOOL)
	public boolean useJournal;

	@ConfigOption(name = "regex_parser", description = "optional regex parser to extract metadata from container name or container log file name", type = OptionType.STR)
	public String regexParser;

	@ConfigOption(name = "dummy_meta", description = "use 'dummy' metadata, do not talk to API server", defaultValue = "false", type = OptionType.BOOL)
	public boolean dummyMeta;

	@ConfigOption(name = "dns_retries", description = "dns lookup retries N times until the network start working", defaultValue = "6", type = OptionType.INT)
	public int dnsRetries = 6;

	@ConfigOption(name = "dns_wait_time", description = "dns interval between network status checks", defaultValue = "30", type = OptionType.TIME)
	public Duration dnsWaitTime = Duration.ofSeconds(30);

	@ConfigOption(name = "cache_use_docker_id", description = "fetch K8s meta when docker_id is changed", defaultValue = "false", type = OptionType.BOOL)
	public boolean cacheUseDockerId;

	@ConfigOption(name = "use_tag_for_meta", description = "use tag associated to retrieve metadata instead of kube-server", defaultValue = "false", type = OptionType.BOOL)
	public boolean useTagForMeta;

	@ConfigOption(name = "use_kubelet", description = "use kubelet to get metadata instead of kube-server", defaultValue = "false", type = OptionType.BOOL)
	public boolean useKubelet;

	@ConfigOption(name = "kubelet_host", description = "kubelet host to connect with when using kubelet", defaultValue = "127.0.0.1", type = OptionType.STR)
	public String kubeletHost = "127.0.0.1";

	@ConfigOption(name = "kubelet_port", description = "kubelet port to connect with when using kubelet", defaultValue = "10250", type = OptionType.INT)
	public int kubeletPort = 10250;

	@ConfigOption(name = "kube_token_ttl", description = "kubernetes token ttl, until it is reread from the token file. Default: 10m", defaultValue = "10m", type = OptionType.TIME)
	public Duration kubeTokenTtl = Duration.ofMinutes(10);

	@ConfigOption(name = "kube_meta_io_timeout", description = "network read timeout for the API server / kubelet metadata request. The request is synchronous on the pipeline thread, so without a bound a stalled connection blocks in_tail indefinitely. Default: 30s (0 = legacy).", defaultValue = "30s", type = OptionType.TIME)
	public Duration kubeMetaIoTimeout = Duration.ofSeconds(30);

	@ConfigOption(name = "kube_meta_negative_cache_ttl", description = "how long a failed pod metadata lookup is remembered so records for that pod pass through un-enriched instead of re-issuing a blocking request per line while the control plane is unreachable. Default: 60s (0 = disabled).", defaultValue = "60s", type = OptionType.TIME)
	public Duration kubeMetaNegativeCacheTtl = Duration.ofSeconds(60);

	@ConfigOption(name = "kube_meta_cache_ttl", description = "configurable TTL for K8s cached metadata. By default, it is set to 0 which means TTL for cache entries is disabled and cache entries are evicted at random when capacity is reached. In order to enable this option, you should set the number to a time interval. For example, set this value to 60 or 60s and cache entries which have been created more than 60s will be evicted", defaultValue = "0", type = OptionType.TIME)
	public Duration kubeMetaCacheTtl = Duration.ZERO;

	@ConfigOption(name = "kube_meta_namespace_cache_ttl", description = "configurable TTL for K8s cached namespace metadata. By default, it is set to 15m and cached entries will be evicted after 15m.Setting this to 0 will disable the cache TTL and will evict entries once the cache reaches capacity.", defaultValue = "15m", type = OptionType.TIME)
	public Duration kubeMetaNamespaceCacheTtl = Duration.ofMinutes(15);

	@ConfigOption(name = "aws_use_pod_association", description = "use custom endpoint to get pod to service name mapping", defaultValue = "false", type = OptionType.BOOL)
	public boolean awsUsePodAssociation;

	@ConfigOption(name = "use_pod_association", description = "use custom endpoint to get pod to service name mapping. this config option is kept for backward compatibility for AWS Observability users and will be deprecated in favor of aws_use_pod_association.", defaultValue = "false", type = OptionType.BOOL)
	public boolean usePodAssociation;

	@ConfigOption(name = "aws_pod_association_host", description = "host to connect with when performing pod to service name association", defaultValue = "cloudwatch-agent.amazon-cloudwatch", type = OptionType.STR)
	public String awsPodAssociationHost;

	@ConfigOption(name = "aws_pod_association_endpoint", description = "endpoint to connect with when performing pod to service name association", defaultValue = "/kubernetes/pod-to-service-env-map", type = OptionType.STR)
	public String awsPodAssociationEndpoint;

	@ConfigOption(name = "aws_pod_association_port", description = "port to connect with when performing pod to service name association", defaultValue = "4311", type = OptionType.INT)
	public int awsPodAssociationPort;

	@ConfigOption(name = "aws_pod_service_map_ttl", description = "configurable TTL for pod to service map storage. By default, it is set to 0 which means TTL for cache entries is disabled and cache entries are evicted at random when capacity is reached. In order to enable this option, you should set the number to a time interval. For example, set this value to 60 or 60s and cache entries which have been created more than 60s will be evicted", defaultValue = "0", type = OptionType.INT)
	public int awsPodServiceMapTtl;

	@ConfigOption(name = "aws_pod_service_map_refresh_interval", description = "Refresh interval for the pod to service map storage.By default, it is set to refresh every 60 seconds", defaultValue = "60", type = OptionType.INT)
	public int awsPodServiceMapRefreshInterval;

	@ConfigOption(name = "aws_pod_service_preload_cache_dir", description = "set directory with pod to service map files", type = OptionType.STR)
	public String awsPodServicePreloadCacheDir;

	@ConfigOption(name = "aws_pod_association_host_server_ca_file", description = "TLS CA certificate path for communication with agent server", defaultValue = "/etc/amazon-cloudwatch-observability-agent-server-cert/tls-ca.crt", type = OptionType.STR)
	public String awsPodAssociationHostServerCaFile;

	@ConfigOption(name = "aws_pod_association_host_client_cert_file", description = "Client Certificate path for enabling mTLS on calls to agent server", defaultValue = "/etc/amazon-cloudwatch-observability-agent-client-cert/client.crt", type = OptionType.STR)
	public String awsPodAssociationHostClientCertFile;

	@ConfigOption(name = "aws_pod_association_host_client_key_file", description = "Client Certificate Key path for enabling mTLS on calls to agent server", defaultValue = "/etc/amazon-cloudwatch-observability-agent-client-cert/client.key", type = OptionType.STR)
	public String awsPodAssociationHostClientKeyFile;

	@ConfigOption(name = "aws_pod_association_host_tls_debug", description = "set TLS debug level: 0 (no debug), 1 (error), 2 (state change), 3 (info) and 4 (verbose)", defaultValue = "0", type = OptionType.INT)
	public int awsPodAssociationHostTlsDebug;

	@ConfigOption(name = "aws_pod_association_host_tls_verify", description = "enable or disable verification of TLS peer certificate", defaultValue = "true", type = OptionType.BOOL)
	public boolean awsPodAssociationHostTlsVerify = true;

	@ConfigOption(name = "set_platform", description = "Set the platform that kubernetes is in. Possible values are k8s and eksThis should only be used for testing purpose", type = OptionType.STR)
	public String setPlatform;
}
