{{/* Name of the chart, or nameOverride. */}}
{{- define "backtrack.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: the release name when it already contains the chart name. */}}
{{- define "backtrack.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "backtrack.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "backtrack.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Name of cluster-scoped objects: unique per release namespace. */}}
{{- define "backtrack.clusterName" -}}
{{- printf "%s-%s" (include "backtrack.fullname" .) .Release.Namespace | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "backtrack.selectorLabels" -}}
app.kubernetes.io/name: {{ include "backtrack.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "backtrack.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "backtrack.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: backtrack
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "backtrack.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "backtrack.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* registry/repository:tag or registry/repository@digest; tag defaults to the chart's appVersion. */}}
{{- define "backtrack.imageRef" -}}
{{- $repo := .image.repository -}}
{{- if .image.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" .image.registry) .image.repository }}{{ end -}}
{{- if .image.digest -}}
{{ $repo }}@{{ .image.digest }}
{{- else -}}
{{ $repo }}:{{ default .appVersion .image.tag }}
{{- end -}}
{{- end }}

{{- define "backtrack.operatorImage" -}}
{{ include "backtrack.imageRef" (dict "image" .Values.image "appVersion" .Chart.AppVersion) }}
{{- end }}

{{- define "backtrack.agentImage" -}}
{{ include "backtrack.imageRef" (dict "image" .Values.agent.image "appVersion" .Chart.AppVersion) }}
{{- end }}

{{/*
The operator's permissions in each namespace it watches (a ClusterRole when it watches all of them). Every rule is
one of the API calls listed, with where it is made and why, in e2e/src/test/resources/chart/operator-api-calls.yaml;
OperatorRbacTest fails when the two differ or when the controller's code makes a call the list does not name.
*/}}
{{- define "backtrack.watchedNamespaceRules" -}}
- apiGroups: ["backtrack.io"]
  resources: ["backups"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["backtrack.io"]
  resources: ["restores"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["backtrack.io"]
  resources: ["backupschedules"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["backtrack.io"]
  resources: ["backupstorages"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["backtrack.io"]
  resources: ["backups/status", "restores/status", "backupschedules/status", "backupstorages/status"]
  verbs: ["patch"]
- apiGroups: ["backtrack.io"]
  resources: ["backups/finalizers", "restores/finalizers", "backupstorages/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "patch"]
{{- end }}

{{/* Leader election: the Lease in the release namespace. */}}
{{- define "backtrack.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end }}
