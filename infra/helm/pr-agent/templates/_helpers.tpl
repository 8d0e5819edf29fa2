{{/* Names and labels. */}}
{{- define "pr-agent.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "pr-agent.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pr-agent.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "pr-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "pr-agent.fullname" .) .Values.serviceAccount.name }}{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{- define "pr-agent.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{/*
Environment of every pod: the variables core/settings.py reads. Secrets arrive from Secret Manager
(read by the service itself), from `secrets.existingSecret` (envFrom) and from the Temporal secrets.
*/}}
{{- define "pr-agent.env" -}}
{{- range $name, $value := .Values.config }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
- name: TEMPORAL_ADDRESS
  value: {{ .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: TASK_QUEUE_REVIEWS
  value: {{ .Values.temporal.taskQueues.reviews | quote }}
- name: TASK_QUEUE_INDEXING
  value: {{ .Values.temporal.taskQueues.indexing | quote }}
- name: TASK_QUEUE_INVESTIGATIONS
  value: {{ .Values.temporal.taskQueues.investigations | quote }}
- name: TASK_QUEUE_SYNC
  value: {{ .Values.temporal.taskQueues.sync | quote }}
- name: METRICS_PORT
  value: {{ .Values.metrics.port | quote }}
- name: PR_AGENT_DATA_DIR
  value: /data
{{- with .Values.secrets.gcpProjectId }}
- name: GCP_PROJECT_ID
  value: {{ . | quote }}
{{- end }}
{{- with .Values.secrets.stagingNamespace }}
- name: STAGING_ENV_NAMESPACE
  value: {{ . | quote }}
{{- end }}
{{- if .Values.temporal.apiKey.secretName }}
- name: TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.temporal.apiKey.secretName }}
      key: {{ .Values.temporal.apiKey.key }}
{{- end }}
{{- if .Values.temporal.mtls.secretName }}
- name: TEMPORAL_TLS_CERT
  value: /etc/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/temporal-tls/tls.key
- name: TEMPORAL_TLS_CA
  value: /etc/temporal-tls/ca.crt
{{- end }}
{{- end -}}

{{- define "pr-agent.envFrom" -}}
{{- with .Values.secrets.existingSecret }}
envFrom:
  - secretRef:
      name: {{ . }}
{{- end }}
{{- end -}}

{{/* Writable scratch space on a read-only root filesystem, and the Temporal client certificates. */}}
{{- define "pr-agent.volumeMounts" -}}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: /data
{{- if .Values.temporal.mtls.secretName }}
  - name: temporal-tls
    mountPath: /etc/temporal-tls
    readOnly: true
{{- end }}
{{- end -}}

{{- define "pr-agent.volumes" -}}
volumes:
  - name: tmp
    emptyDir: {}
  - name: data
    emptyDir:
      sizeLimit: {{ .dataSize | default "1Gi" }}
{{- if .root.Values.temporal.mtls.secretName }}
  - name: temporal-tls
    secret:
      secretName: {{ .root.Values.temporal.mtls.secretName }}
{{- end }}
{{- end -}}

{{- define "pr-agent.podSpecCommon" -}}
serviceAccountName: {{ include "pr-agent.serviceAccountName" . }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
