{{/* Names and labels. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ .Values.mode }}
{{- end -}}

{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "sluice.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "sluice.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The configuration file name in the ConfigMap (and under /etc/sluice). */}}
{{- define "sluice.configFile" -}}
{{- if eq .Values.config.format "yaml" -}}sluice.yaml{{- else -}}sluice.conf{{- end -}}
{{- end -}}

{{/* The Sluice container. */}}
{{- define "sluice.container" -}}
- name: sluice
  image: {{ include "sluice.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args: ["-c", "/etc/sluice/{{ include "sluice.configFile" . }}"]
  env:
    - name: SLUICE_JAVA_OPTS
      value: {{ .Values.javaOpts | quote }}
    - name: SLUICE_HTTP_PORT
      value: {{ .Values.config.httpPort | quote }}
    - name: NODE_NAME
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: POD_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    {{- if .Values.adminToken.secretName }}
    - name: SLUICE_ADMIN_TOKEN
      valueFrom:
        secretKeyRef:
          name: {{ .Values.adminToken.secretName }}
          key: {{ .Values.adminToken.secretKey }}
    {{- end }}
    {{- with .Values.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    - name: http
      containerPort: {{ .Values.config.httpPort }}
      protocol: TCP
    {{- if eq .Values.mode "aggregator" }}
    - name: forward
      containerPort: {{ .Values.aggregator.ports.forward }}
      protocol: TCP
    - name: http-in
      containerPort: {{ .Values.aggregator.ports.http }}
      protocol: TCP
    - name: otlp-http
      containerPort: {{ .Values.aggregator.ports.otlp }}
      protocol: TCP
    {{- end }}
  startupProbe:
    httpGet:
      path: {{ .Values.probes.liveness.path }}
      port: http
    periodSeconds: {{ .Values.probes.startup.periodSeconds }}
    failureThreshold: {{ .Values.probes.startup.failureThreshold }}
  livenessProbe:
    httpGet:
      path: {{ .Values.probes.liveness.path }}
      port: http
    initialDelaySeconds: {{ .Values.probes.liveness.initialDelaySeconds }}
    periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
    timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
    failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
  readinessProbe:
    httpGet:
      path: {{ .Values.probes.readiness.path }}
      port: http
    initialDelaySeconds: {{ .Values.probes.readiness.initialDelaySeconds }}
    periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
    timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
    failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
  resources:
    {{- toYaml .Values.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: config
      mountPath: /etc/sluice
      readOnly: true
    - name: tmp
      mountPath: /tmp
    - name: state
      mountPath: /var/lib/sluice
{{- end -}}

{{/* The reloader sidecar: POST /api/v2/reload when the mounted ConfigMap changes. */}}
{{- define "sluice.reloader" -}}
{{- if .Values.reloader.enabled }}
- name: config-reloader
  image: {{ include "sluice.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["/opt/sluice/bin/sluice-config-reloader"]
  args: ["/etc/sluice", {{ .Values.reloader.intervalSeconds | quote }}]
  env:
    - name: SLUICE_HTTP_PORT
      value: {{ .Values.config.httpPort | quote }}
    {{- if .Values.adminToken.secretName }}
    - name: SLUICE_ADMIN_TOKEN
      valueFrom:
        secretKeyRef:
          name: {{ .Values.adminToken.secretName }}
          key: {{ .Values.adminToken.secretKey }}
    {{- end }}
  resources:
    {{- toYaml .Values.reloader.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    - name: config
      mountPath: /etc/sluice
      readOnly: true
{{- end }}
{{- end -}}

{{/* Pod-level settings every mode shares. */}}
{{- define "sluice.podCommon" -}}
serviceAccountName: {{ include "sluice.serviceAccountName" . }}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "sluice.podAnnotations" -}}
{{- with .Values.podAnnotations }}
{{- toYaml . }}
{{- end }}
{{- end -}}
