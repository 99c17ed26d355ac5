{{/*
The classic configuration: a [SERVICE] section the chart needs (HTTP server for the probes,
hot reload for the reloader, filesystem storage for the aggregator), then the inputs, filters and
outputs from values, or the mode's defaults when those are empty.
*/}}
{{- define "sluice.classicConfig" -}}
[SERVICE]
    Flush        {{ .Values.config.flush }}
    Log_Level    {{ .Values.config.logLevel }}
    HTTP_Server  On
    HTTP_Listen  0.0.0.0
    HTTP_Port    {{ .Values.config.httpPort }}
    Hot_Reload   On
{{- if .Values.config.parsers }}
    Parsers_File /etc/sluice/parsers.conf
{{- end }}
{{- if .Values.adminToken.secretName }}
    Admin.Token  ${SLUICE_ADMIN_TOKEN}
{{- end }}
{{- if eq .Values.mode "aggregator" }}
    storage.path              /var/lib/sluice/storage
    storage.sync              normal
    storage.checksum          off
    storage.backlog.mem_limit {{ .Values.aggregator.storage.backlogMemLimit }}
{{- end }}
{{- with .Values.config.service }}
{{ . | trimSuffix "\n" }}
{{- end }}

{{ default (include (printf "sluice.%s.inputs" .Values.mode) .) .Values.config.inputs | trimSuffix "\n" }}
{{- with (default (include (printf "sluice.%s.filters" .Values.mode) .) .Values.config.filters) }}

{{ . | trimSuffix "\n" }}
{{- end }}

{{ default (include (printf "sluice.%s.outputs" .Values.mode) .) .Values.config.outputs | trimSuffix "\n" }}
{{- end -}}

{{/* daemonset: every container's log on the node, enriched with pod metadata. */}}
{{- define "sluice.daemonset.inputs" -}}
[INPUT]
    Name              tail
    Tag               kube.*
    Path              {{ .Values.daemonset.logPath }}
    multiline.parser  docker, cri
    DB                /var/lib/sluice/tail-containers.db
    Mem_Buf_Limit     50MB
    Skip_Long_Lines   On
    Refresh_Interval  10
{{- end -}}

{{- define "sluice.daemonset.filters" -}}
{{- $k := .Values.daemonset.kubernetes -}}
[FILTER]
    Name                kubernetes
    Match               kube.*
    Kube_URL            {{ $k.kubeUrl }}
    Kube_CA_File        /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    Kube_Token_File     /var/run/secrets/kubernetes.io/serviceaccount/token
    Kube_Tag_Prefix     kube.var.log.containers.
    Merge_Log           {{ ternary "On" "Off" $k.mergeLog }}
    Keep_Log            {{ ternary "On" "Off" $k.keepLog }}
    K8S-Logging.Parser  {{ ternary "On" "Off" $k.k8sLoggingParser }}
    K8S-Logging.Exclude {{ ternary "On" "Off" $k.k8sLoggingExclude }}
    Labels              {{ ternary "On" "Off" $k.labels }}
    Annotations         {{ ternary "On" "Off" $k.annotations }}
{{- end -}}

{{- define "sluice.daemonset.outputs" -}}
[OUTPUT]
    Name    stdout
    Match   *
    Format  json_lines
{{- end -}}

{{/* sidecar: the application's log files in a shared emptyDir. */}}
{{- define "sluice.sidecar.inputs" -}}
[INPUT]
    Name              tail
    Tag               app.*
    Path              {{ .Values.sidecar.logPath }}
    DB                /var/lib/sluice/tail-app.db
    Mem_Buf_Limit     16MB
    Refresh_Interval  5
{{- end -}}

{{- define "sluice.sidecar.filters" -}}
[FILTER]
    Name    record_modifier
    Match   *
    Record  pod_name ${POD_NAME}
    Record  namespace ${POD_NAMESPACE}
{{- end -}}

{{- define "sluice.sidecar.outputs" -}}
[OUTPUT]
    Name    stdout
    Match   *
    Format  json_lines
{{- end -}}

{{/* aggregator: network inputs buffered on the PVC, out to Kafka. */}}
{{- define "sluice.aggregator.inputs" -}}
[INPUT]
    Name          forward
    Listen        0.0.0.0
    Port          {{ .Values.aggregator.ports.forward }}
    storage.type  filesystem

[INPUT]
    Name          http
    Listen        0.0.0.0
    Port          {{ .Values.aggregator.ports.http }}
    storage.type  filesystem

[INPUT]
    Name          opentelemetry
    Listen        0.0.0.0
    Port          {{ .Values.aggregator.ports.otlp }}
    storage.type  filesystem
{{- end -}}

{{- define "sluice.aggregator.filters" -}}
{{- end -}}

{{- define "sluice.aggregator.outputs" -}}
[OUTPUT]
    Name                      kafka
    Match                     *
    Brokers                   {{ .Values.aggregator.kafka.brokers }}
    Topics                    {{ .Values.aggregator.kafka.topic }}
    Format                    {{ .Values.aggregator.kafka.format }}
    storage.total_limit_size  {{ .Values.aggregator.storage.totalLimitSize }}
    Retry_Limit               no_limits
{{- end -}}
