{{/* Names: <release>-tributary unless the release name already says tributary. */}}
{{- define "tributary.fullname" -}}
{{- if contains "tributary" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-tributary" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tributary.labels" -}}
app.kubernetes.io/name: tributary
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "broker") */}}
{{- define "tributary.selector" -}}
app.kubernetes.io/name: tributary
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tributary.tag" -}}
{{- default .Chart.AppVersion .Values.imageTag -}}
{{- end -}}

{{/* An image reference: (dict "root" $ "repository" .Values.images.broker) */}}
{{- define "tributary.image" -}}
{{- printf "%s%s:%s" .root.Values.images.registry .repository (include "tributary.tag" .root) -}}
{{- end -}}

{{- define "tributary.zookeeper.connect" -}}
{{- $full := include "tributary.fullname" . -}}
{{- $hosts := list -}}
{{- range $i := until (int .Values.zookeeper.replicaCount) -}}
{{- $hosts = append $hosts (printf "%s-zookeeper-%d.%s-zookeeper-headless.%s.svc:%d" $full $i $full $.Release.Namespace (int $.Values.zookeeper.clientPort)) -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{- define "tributary.bootstrap" -}}
{{- printf "%s-broker.%s.svc:%d" (include "tributary.fullname" .) .Release.Namespace (int .Values.broker.kafkaPort) -}}
{{- end -}}

{{/* Pod placement and security, shared by every Tributary pod */}}
{{- define "tributary.podCommon" -}}
{{- with .Values.images.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
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

{{- define "tributary.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: false
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* Actuator probes on a port: (dict "root" $ "port" 8081) */}}
{{- define "tributary.actuatorProbes" -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: {{ .port }}}
  periodSeconds: {{ .root.Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.startup.failureThreshold }}
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: {{ .port }}}
  periodSeconds: {{ .root.Values.probes.readiness.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.readiness.failureThreshold }}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: {{ .port }}}
  periodSeconds: {{ .root.Values.probes.liveness.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.liveness.failureThreshold }}
{{- end -}}

{{/* Values that would break quorum or the coordinators' shared store stop the render. */}}
{{- define "tributary.validate" -}}
{{- $zk := int .Values.zookeeper.replicaCount -}}
{{- if eq (mod $zk 2) 0 -}}
{{- fail (printf "zookeeper.replicaCount is %d: use an odd number (an even ensemble survives no more failures than one server fewer, and %d split 50/50 has no quorum)" $zk $zk) -}}
{{- end -}}
{{- if and .Values.podDisruptionBudget.enabled (gt $zk 1) (gt (int .Values.podDisruptionBudget.maxUnavailable) (div (sub $zk 1) 2)) -}}
{{- fail (printf "podDisruptionBudget.maxUnavailable %d would let voluntary disruptions take %d of %d ZooKeeper servers and lose the quorum (at most %d)" (int .Values.podDisruptionBudget.maxUnavailable) (int .Values.podDisruptionBudget.maxUnavailable) $zk (div (sub $zk 1) 2)) -}}
{{- end -}}
{{- if and (gt (int .Values.groupCoordinator.replicas) 1) (not .Values.postgresql.enabled) (not .Values.groupCoordinator.externalDatabase.url) -}}
{{- fail "groupCoordinator.replicas > 1 needs a shared group store: postgresql.enabled or groupCoordinator.externalDatabase.url" -}}
{{- end -}}
{{- end -}}
