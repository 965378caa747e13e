#!/usr/bin/env bash
# Pins the production files' third-party images by digest. For each line of
# deploy/images.txt (VARIABLE image:tag) it asks the registry for the tag's
# current digest (`docker buildx imagetools inspect`, the manifest list's
# digest, so every platform keeps working) and writes
#   VARIABLE=sha256:...           into .env (or --env-file FILE), which
#                                 docker-compose.prod.yml and
#                                 docker-compose.logging.yml read;
#   digest: sha256:...            under the image's entry in
#                                 k8s/kustomization.yaml (Redis).
# Re-run it to move to a newer build of the same tags, and commit or keep the
# result with the release. The repository itself holds no digests: they come
# from the registry at release time, never made up.
#
#   scripts/pin-images.sh [--env-file FILE] [--check]
#
# --check resolves nothing: it exits 1 naming every image whose digest is
# missing from the env file or the kustomization (for a release pipeline).
# Needs docker with buildx and registry access (not --check). IMAGE2SVG_ROOT
# points at another checkout (the tests use it).
set -euo pipefail
ROOT="${IMAGE2SVG_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
ENV_FILE="$ROOT/.env"
CHECK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --env-file) ENV_FILE="${2:?--env-file needs a file}"; shift 2 ;;
    --check) CHECK=1; shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "pin-images.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
LIST="$ROOT/deploy/images.txt"
KUSTOMIZATION="$ROOT/k8s/kustomization.yaml"

# image:tag -> repository name as kustomize writes it (no tag).
repo_of() { printf '%s\n' "${1%:*}"; }

# The digest recorded in the kustomization for a repository, or nothing.
kustomize_digest() {
  awk -v name="$1" '
    /^  - name: / { current = $3 }
    current == name && /^    digest: / { print $2 }
  ' "$KUSTOMIZATION"
}
in_kustomization() { grep -q "^  - name: $1\$" "$KUSTOMIZATION"; }

# Sets (or adds) `digest:` under the entry of one repository.
set_kustomize_digest() {
  local tmp
  tmp="$(mktemp)"
  awk -v name="$1" -v digest="$2" '
    function flush() { if (current == name && !written) { print "    digest: " digest; written = 1 } }
    /^  - name: / { flush(); current = $3; print; next }
    /^[^ ]/ { flush(); current = ""; print; next }
    current == name && /^    digest: / { next }
    { print }
    END { flush() }
  ' "$KUSTOMIZATION" >"$tmp"
  cat "$tmp" >"$KUSTOMIZATION"
  rm -f "$tmp"
}

env_digest() { if [ -f "$ENV_FILE" ]; then sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; fi; }

set_env_digest() {
  local tmp
  tmp="$(mktemp)"
  if [ -f "$ENV_FILE" ]; then grep -v "^$1=" "$ENV_FILE" >"$tmp" || true; fi
  printf '%s=%s\n' "$1" "$2" >>"$tmp"
  cat "$tmp" >"$ENV_FILE"
  rm -f "$tmp"
}

DIGEST_RE='^sha256:[0-9a-f]{64}$'
missing=0
while read -r variable image; do
  case "$variable" in '' | \#*) continue ;; esac
  repo="$(repo_of "$image")"
  if [ "$CHECK" -eq 1 ]; then
    if ! [[ "$(env_digest "$variable")" =~ $DIGEST_RE ]]; then
      echo "not pinned: $image ($variable missing from $ENV_FILE)" >&2
      missing=1
    fi
    if in_kustomization "$repo" && ! [[ "$(kustomize_digest "$repo")" =~ $DIGEST_RE ]]; then
      echo "not pinned: $image (no digest in k8s/kustomization.yaml)" >&2
      missing=1
    fi
    continue
  fi
  digest="$(docker buildx imagetools inspect "$image" --format '{{.Manifest.Digest}}')"
  if ! [[ "$digest" =~ $DIGEST_RE ]]; then
    echo "pin-images.sh: $image: the registry answered \"$digest\", not a sha256 digest" >&2
    exit 1
  fi
  set_env_digest "$variable" "$digest"
  if in_kustomization "$repo"; then set_kustomize_digest "$repo" "$digest"; fi
  echo "$image@$digest"
done <"$LIST"
exit "$missing"
