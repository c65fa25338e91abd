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
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Where the database CA certificate is mounted (postgresql.tls.caSecret). */}}
{{- define "cvd-planner.dbCaPath" -}}
/etc/cvd-planner-db-ca/ca.crt
{{- end }}

{{/* Millicores in a Kubernetes CPU quantity ("2", "1.5", "1500m"); 0 when empty. */}}
{{- define "cvd-planner.cpuMillis" -}}
{{- $q := toString . | trim }}
{{- if not $q }}0
{{- else if hasSuffix "m" $q }}{{ trimSuffix "m" $q | atoi }}
{{- else }}{{ mulf (float64 $q) 1000 | int }}
{{- end }}
{{- end }}

{{/*
OMP_NUM_THREADS: ompNumThreads, or with "auto" the CPU limit (whole cores) shared by the jobs
that run at once (config.cvd-planner.jobs.concurrency, default 2), at least 1. Refuses more
threads than the CPU limit allows.
*/}}
{{- define "cvd-planner.ompNumThreads" -}}
{{- $limit := dig "limits" "cpu" "" (.Values.resources | default dict) }}
{{- $cores := div (include "cvd-planner.cpuMillis" $limit | atoi) 1000 }}
{{- $concurrency := dig "cvd-planner" "jobs" "concurrency" 2 (.Values.config | default dict) | int }}
{{- if eq (toString .Values.ompNumThreads) "auto" }}
{{- max 1 (div $cores (max 1 $concurrency)) }}
{{- else }}
{{- $n := int .Values.ompNumThreads }}
{{- if and (gt $cores 0) (gt $n $cores) }}
{{- fail (printf "ompNumThreads (%d) must not exceed the CPU limit (%s = %d whole cores): ND4J would oversubscribe the cores and slow every job down" $n (toString $limit) $cores) }}
{{- end }}
{{- $n }}
{{- end }}
{{- end }}

{{/* The JDBC URL built from postgresql.host/port/database/parameters; host is required. */}}
{{- define "cvd-planner.jdbcUrl" -}}
{{- $root := . }}
{{- $pg := .Values.postgresql }}
{{- $host := required "postgresql.host is required: the chart needs an external PostgreSQL (or postgresql.existingSecret with existingSecretKeys.url)" $pg.host }}
{{- if regexMatch "(^|&)sslmode=" ($pg.parameters | default "") }}
{{- fail "postgresql.parameters: set postgresql.sslmode instead of sslmode= in parameters" }}
{{- end }}
{{- $tls := $pg.tls | default dict }}
{{- if and (has $pg.sslmode (list "verify-ca" "verify-full")) (not $tls.caSecret) }}
{{- fail (printf "postgresql.sslmode %s checks the server's certificate: set postgresql.tls.caSecret to the Secret holding the CA certificate" $pg.sslmode) }}
{{- end }}
{{- $params := list (printf "sslmode=%s" $pg.sslmode) }}
{{- if $tls.caSecret }}
{{- $params = append $params (printf "sslrootcert=%s" (include "cvd-planner.dbCaPath" $root)) }}
{{- end }}
{{- if $pg.parameters }}
{{- $params = append $params $pg.parameters }}
{{- end }}
{{- printf "jdbc:postgresql://%s:%v/%s?%s" $host $pg.port $pg.database (join "&" $params) }}
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

{{/*
Milliseconds in a Spring Boot duration written as <number><unit> (unit ms, s, m, h or d; a bare
number is milliseconds, as Spring reads it). Called with (dict "name" <setting> "value" <duration>).
*/}}
{{- define "cvd-planner.durationMs" -}}
{{- $text := toString .value | trim }}
{{- $pattern := "^([0-9]+)(ms|s|m|h|d)?$" }}
{{- if not (regexMatch $pattern $text) }}
{{- fail (printf "%s: cannot read the duration %q; write it as <number><unit>, unit ms, s, m, h or d (e.g. 20s)" .name $text) }}
{{- end }}
{{- $units := dict "" 1 "ms" 1 "s" 1000 "m" 60000 "h" 3600000 "d" 86400000 }}
{{- mul (regexReplaceAll $pattern $text "${1}" | atoi) (get $units (regexReplaceAll $pattern $text "${2}")) }}
{{- end }}

{{/*
Refuses settings that cannot work, and returns the least terminationGracePeriodSeconds for the
job engine's real shutdown: preStop + 2 x jobs.shutdownWait (db-scheduler waits shutdownWait
for running jobs, interrupts them and waits as long again) + the HTTP drain
(spring.lifecycle.timeout-per-shutdown-phase) + 15 s (db-scheduler's poller and housekeeper
threads, 1 s + 5 s each at worst, and closing the connection pool). The engine stops before the
web server and its stop is not cut short by the phase timeout, so the terms add up.
*/}}
{{- define "cvd-planner.minGracePeriodSeconds" -}}
{{- $config := .Values.config | default dict }}
{{- if hasKey $config "db-scheduler" }}
{{- fail "config.db-scheduler: db-scheduler.* settings have no effect (the job engine builds its own scheduler from cvd-planner.jobs.*, docs/jobs.md); set jobs.shutdownWait or config.cvd-planner.jobs.*" }}
{{- end }}
{{- $jobsConfig := dig "cvd-planner" "jobs" (dict) $config }}
{{- if or (hasKey $jobsConfig "shutdown-wait") (hasKey $jobsConfig "shutdownWait") }}
{{- fail "config.cvd-planner.jobs.shutdown-wait: set jobs.shutdownWait instead (the chart sets CVD_PLANNER_JOBS_SHUTDOWN_WAIT from it and sizes the grace period with it)" }}
{{- end }}
{{- range .Values.extraEnv }}
{{- if or (has .name (list "CVD_PLANNER_JOBS_SHUTDOWN_WAIT" "CVD_PLANNER_DEMO_ENABLED" "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")) (hasPrefix "DB_SCHEDULER_" .name) }}
{{- fail (printf "extraEnv %s: set jobs.shutdownWait, demo.enabled or config.spring.lifecycle.timeout-per-shutdown-phase instead (db-scheduler.* settings have no effect)" .name) }}
{{- end }}
{{- end }}
{{- $waitMs := include "cvd-planner.durationMs" (dict "name" "jobs.shutdownWait" "value" .Values.jobs.shutdownWait) | atoi }}
{{- if lt $waitMs 1 }}
{{- fail "jobs.shutdownWait must be positive" }}
{{- end }}
{{- $drain := dig "spring" "lifecycle" "timeout-per-shutdown-phase" "30s" $config }}
{{- $drainMs := include "cvd-planner.durationMs" (dict "name" "config.spring.lifecycle.timeout-per-shutdown-phase" "value" $drain) | atoi }}
{{- $ms := add (mul 2 $waitMs) $drainMs 15000 }}
{{- add (int .Values.preStopSleepSeconds) (div (add $ms 999) 1000) }}
{{- end }}
