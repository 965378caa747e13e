{{/* An image reference: repository:tag, with @digest when one is set. */}}
{{- define "image2svg.image" -}}
{{- .repository }}:{{ .tag }}{{ if .digest }}@{{ .digest }}{{ end }}
{{- end }}

{{/* Labels on every object, as k8s/kustomization.yaml adds them, plus Helm's own. */}}
{{- define "image2svg.labels" -}}
app.kubernetes.io/part-of: image2svg
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "image2svg.pullPolicy" -}}
{{- if .Values.images.pullPolicy }}
imagePullPolicy: {{ .Values.images.pullPolicy }}
{{- end }}
{{- end }}

{{/* The volume of secret files for a pod: the keys listed. */}}
{{- define "image2svg.secretVolume" -}}
- name: secrets
  secret:
    secretName: {{ .root.Values.secrets.name }}
    defaultMode: 288 # 0440
    items:
      {{- range .keys }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}
