{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "cvd-planner.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, plus the chart name unless it already holds it. */}}
{{- define "cvd-planner.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cvd-planner.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cvd-planner.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cvd-planner.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cvd-planner.labels" -}}
helm.sh/chart: {{ include "cvd-planner.chart" . }}
{{ include "cvd-planner.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cvd-planner.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* The JDBC URL built from postgresql.host/port/database/parameters; host is required. */}}
{{- define "cvd-planner.jdbcUrl" -}}
{{- $pg := .Values.postgresql }}
{{- $host := required "postgresql.host is required: the chart needs an external PostgreSQL (or postgresql.existingSecret with existingSecretKeys.url)" $pg.host }}
{{- $url := printf "jdbc:postgresql://%s:%v/%s" $host $pg.port $pg.database }}
{{- if $pg.parameters }}
{{- $url = printf "%s?%s" $url $pg.parameters }}
{{- end }}
{{- $url }}
{{- end }}

{{/* The Secret that holds the datasource: the user's existingSecret or the chart's own. */}}
{{- define "cvd-planner.datasourceSecretName" -}}
{{- .Values.postgresql.existingSecret | default (printf "%s-datasource" (include "cvd-planner.fullname" .)) }}
{{- end }}

{{/*
One datasource environment variable. With existingSecret, a non-empty key reads the user's
Secret and an empty key takes the plain value; without it, the chart's Secret holds all three.
*/}}
{{- define "cvd-planner.datasourceEnv" -}}
{{- $root := .root }}
{{- $pg := $root.Values.postgresql }}
- name: {{ .env }}
{{- if $pg.existingSecret }}
{{- $key := index $pg.existingSecretKeys .part }}
{{- if $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $pg.existingSecret }}
      key: {{ $key }}
{{- else if eq .part "password" }}
{{- fail "postgresql.existingSecretKeys.password must name the entry of postgresql.existingSecret that holds the password" }}
{{- else if eq .part "url" }}
  value: {{ include "cvd-planner.jdbcUrl" $root | quote }}
{{- else }}
  value: {{ $pg.username | quote }}
{{- end }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ include "cvd-planner.datasourceSecretName" $root }}
      key: {{ .part }}
{{- end }}
{{- end }}
