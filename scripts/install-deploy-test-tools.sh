#!/usr/bin/env bash
# Tools the deployment tests (test/deploy) use when they are there: nginx (to
# run the frontend and edge configuration), promtool (to check the Prometheus
# config and run the alert rule tests) and shellcheck. nginx and promtool are
# unpacked from Debian's packages into /opt/image2svg-test-tools, not
# installed, so no nginx or Prometheus service is started or left enabled;
# the tests look there. Idempotent; run as root or with sudo.
set -euo pipefail
DEST="${DEPLOY_TOOLS_DIR:-/opt/image2svg-test-tools}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if [ -x "$DEST/usr/sbin/nginx" ] && [ -x "$DEST/usr/bin/promtool" ] && command -v shellcheck >/dev/null 2>&1; then
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
