#!/usr/bin/env bash
# What `npm run bench` needs beyond `npm ci`: the real potrace (Debian) and
# vtracer's Node binding. @neplex/vectorizer is installed here, not in
# package.json, because the registry here serves only its linux-x64 build and
# `npm ci` refuses a lock that lacks the other platforms' entries.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v potrace >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends potrace >/dev/null
fi
if [ ! -d node_modules/@neplex/vectorizer ]; then
  npm install --no-save --no-audit --no-fund @neplex/vectorizer@0.1.0 >/dev/null
fi
