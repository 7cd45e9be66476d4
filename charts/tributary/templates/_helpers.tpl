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

{{/* Actuator probes on a port: (dict "root" $ "port" 8081); over TLS in the secure profile (the
kubelet does not check the certificate; health needs no login) */}}
{{- define "tributary.actuatorProbes" -}}
{{- $scheme := ternary "HTTPS" "HTTP" .root.Values.security.enabled -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: {{ .port }}, scheme: {{ $scheme }}}
  periodSeconds: {{ .root.Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.startup.failureThreshold }}
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: {{ .port }}, scheme: {{ $scheme }}}
  periodSeconds: {{ .root.Values.probes.readiness.periodSeconds }}
  failureThreshold: {{ .root.Values.probes.readiness.failureThreshold }}
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: {{ .port }}, scheme: {{ $scheme }}}
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
{{- if and .Values.security.enabled (not .Values.security.existingSecret) -}}
{{- fail "security.enabled needs security.existingSecret: the name of a Secret with the TLS material and passwords (see values.yaml); they are never taken from values" -}}
{{- end -}}
{{- if and (gt (int .Values.groupCoordinator.replicas) 1) (not .Values.postgresql.enabled) (not .Values.groupCoordinator.externalDatabase.url) -}}
{{- fail "groupCoordinator.replicas > 1 needs a shared group store: postgresql.enabled or groupCoordinator.externalDatabase.url" -}}
{{- end -}}
{{- end -}}

{{/* The brokers' secure profile: environment (passwords through a Spring config tree, which trims
the files' trailing newline) and the Secret's volume. */}}
{{- define "tributary.brokerSecurityEnv" -}}
{{- if .Values.security.enabled }}
- name: SPRING_CONFIG_IMPORT
  value: "optional:configtree:/etc/tributary/security/config/"
- {name: TRIBUTARY_BROKER_SECURITY_PROTOCOL, value: SASL_SSL}
- {name: TRIBUTARY_BROKER_SECURITY_GROUPCOORDINATORPROTOCOL, value: SSL}
- {name: TRIBUTARY_BROKER_SECURITY_SSL_KEYSTORELOCATION, value: /etc/tributary/security/tls/broker.p12}
- {name: TRIBUTARY_BROKER_SECURITY_SSL_TRUSTSTORELOCATION, value: /etc/tributary/security/tls/truststore.p12}
- {name: TRIBUTARY_BROKER_SECURITY_SASL_ENABLEDMECHANISMS, value: SCRAM-SHA-512}
- {name: TRIBUTARY_BROKER_SECURITY_SASL_INTERBROKERMECHANISM, value: SCRAM-SHA-512}
- {name: TRIBUTARY_BROKER_SECURITY_SASL_INTERBROKERUSER, value: {{ .Values.security.superUser | quote }}}
- {name: TRIBUTARY_BROKER_SECURITY_AUTHORIZER_ENABLED, value: "true"}
- {name: TRIBUTARY_BROKER_SECURITY_AUTHORIZER_SUPERUSERS, value: {{ printf "User:%s" .Values.security.superUser | quote }}}
- {name: TRIBUTARY_BROKER_SECURITY_AUTHORIZER_ALLOWEVERYONEIFNOACLFOUND, value: "false"}
{{ include "tributary.httpsEnv" . }}
{{- end }}
{{- end -}}

{{/* Every service's HTTPS: the SSL bundle "http" of the Secret's keystore and truststore serves
server.port (reloaded when the mounted files change) and is trusted for the calls between the
services; its passwords come from the config tree of the "security" volume. */}}
{{- define "tributary.httpsEnv" -}}
- {name: SERVER_SSL_BUNDLE, value: http}
- {name: TRIBUTARY_HTTP_CLIENT_SSLBUNDLE, value: http}
- {name: SPRING_SSL_BUNDLE_JKS_HTTP_RELOADONUPDATE, value: "true"}
- {name: SPRING_SSL_BUNDLE_JKS_HTTP_KEY_ALIAS, value: {{ .Values.security.keyAlias | quote }}}
- {name: SPRING_SSL_BUNDLE_JKS_HTTP_KEYSTORE_LOCATION, value: "file:/etc/tributary/security/tls/broker.p12"}
- {name: SPRING_SSL_BUNDLE_JKS_HTTP_KEYSTORE_TYPE, value: PKCS12}
- {name: SPRING_SSL_BUNDLE_JKS_HTTP_TRUSTSTORE_LOCATION, value: "file:/etc/tributary/security/tls/truststore.p12"}
- {name: SPRING_SSL_BUNDLE_JKS_HTTP_TRUSTSTORE_TYPE, value: PKCS12}
{{- end -}}

{{/* The Secret's items every service's HTTPS needs, under the "security" volume. */}}
{{- define "tributary.httpsVolumeItems" -}}
- {key: broker.p12, path: tls/broker.p12}
- {key: truststore.p12, path: tls/truststore.p12}
- {key: keystore-password, path: config/spring.ssl.bundle.jks.http.keystore.password}
- {key: truststore-password, path: config/spring.ssl.bundle.jks.http.truststore.password}
{{- end -}}

{{- define "tributary.brokerSecurityVolume" -}}
{{- if .Values.security.enabled }}
- name: security
  secret:
    secretName: {{ .Values.security.existingSecret }}
    defaultMode: 0400
    items:
      {{- include "tributary.httpsVolumeItems" . | nindent 6 }}
      - {key: keystore-password, path: config/tributary.broker.security.ssl.keystore-password}
      - {key: truststore-password, path: config/tributary.broker.security.ssl.truststore-password}
      - {key: admin-password, path: config/tributary.broker.security.sasl.inter-broker-password}
{{- end }}
{{- end -}}

{{/* metadata-service's and the group-coordinator's HTTPS and HTTP security, and their volume. */}}
{{- define "tributary.httpSecurityEnv" -}}
{{- if .Values.security.enabled }}
- name: SPRING_CONFIG_IMPORT
  value: "optional:configtree:/etc/tributary/security/config/"
- {name: TRIBUTARY_HTTP_SECURITY_ENABLED, value: "true"}
- {name: TRIBUTARY_HTTP_SECURITY_SUPERUSERS, value: {{ printf "User:%s" .Values.security.superUser | quote }}}
{{ include "tributary.httpsEnv" . }}
{{- end }}
{{- end -}}

{{- define "tributary.httpSecurityVolume" -}}
{{- if .Values.security.enabled }}
- name: security
  secret:
    secretName: {{ .Values.security.existingSecret }}
    defaultMode: 0400
    items:
      {{- include "tributary.httpsVolumeItems" . | nindent 6 }}
{{- end }}
{{- end -}}

{{/* The group-coordinator's secure profile: the HTTP side as metadata-service's, plus its Kafka
listener, which only the brokers call: TLS requiring a client certificate from the Secret's CA (the
brokers present broker.p12, principal User:<security.brokerPrincipal>) and the ACLs checked again
for the client principal each relayed request carries. The super users are indexed, so that a
certificate subject with commas stays one principal. */}}
{{- define "tributary.groupSecurityEnv" -}}
{{- if .Values.security.enabled }}
{{ include "tributary.httpSecurityEnv" . }}
- {name: TRIBUTARY_GROUP_SECURITY_PROTOCOL, value: SSL}
- {name: TRIBUTARY_GROUP_SECURITY_SSL_KEYSTORELOCATION, value: /etc/tributary/security/tls/broker.p12}
- {name: TRIBUTARY_GROUP_SECURITY_SSL_TRUSTSTORELOCATION, value: /etc/tributary/security/tls/truststore.p12}
- {name: TRIBUTARY_GROUP_SECURITY_SSL_CLIENTAUTH, value: required}
- {name: TRIBUTARY_GROUP_SECURITY_AUTHORIZER_ENABLED, value: "true"}
- {name: TRIBUTARY_GROUP_SECURITY_AUTHORIZER_SUPERUSERS_0, value: {{ printf "User:%s" .Values.security.superUser | quote }}}
- {name: TRIBUTARY_GROUP_SECURITY_AUTHORIZER_SUPERUSERS_1, value: {{ printf "User:%s" .Values.security.brokerPrincipal | quote }}}
- {name: TRIBUTARY_GROUP_SECURITY_AUTHORIZER_ALLOWEVERYONEIFNOACLFOUND, value: "false"}
{{- end }}
{{- end -}}

{{- define "tributary.groupSecurityVolume" -}}
{{- if .Values.security.enabled }}
- name: security
  secret:
    secretName: {{ .Values.security.existingSecret }}
    defaultMode: 0400
    items:
      {{- include "tributary.httpsVolumeItems" . | nindent 6 }}
      - {key: keystore-password, path: config/tributary.group.security.ssl.keystore-password}
      - {key: truststore-password, path: config/tributary.group.security.ssl.truststore-password}
{{- end }}
{{- end -}}

{{/* The helm test's clients log in as the super user (the Secret's admin.properties, which names
/run/secrets/truststore.p12, as in compose/compose.secure.yaml). */}}
{{- define "tributary.testCommandConfig" -}}
{{- if .Values.security.enabled }}, --command-config, /run/secrets/admin.properties{{ end }}
{{- end -}}

{{- define "tributary.testSecurityMounts" -}}
{{- if .Values.security.enabled }}
- {name: security, mountPath: /run/secrets/truststore.p12, subPath: truststore.p12, readOnly: true}
- {name: security, mountPath: /run/secrets/admin.properties, subPath: admin.properties, readOnly: true}
{{- end }}
{{- end -}}
