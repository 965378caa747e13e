#!/usr/bin/env bash
# System packages the tests need (Debian): Chromium for the browser tests and
# redis-server for tests that start their own; poppler-utils (pdftoppm) and
# Ghostscript (gs), the real readers the PDF and EPS output is rasterised with.
# Installed only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v gs >/dev/null 2>&1 || need+=(ghostscript)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# nginx, promtool, shellcheck, helm and kubectl for the deployment tests (unpacked, no services started).
bash "$(dirname "$0")/install-deploy-test-tools.sh"
