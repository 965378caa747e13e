#!/usr/bin/env bash
# What `npm run bench` needs beyond `npm ci`, installed only when missing:
# - Debian: the real potrace, and mate-backgrounds, whose nature/ folder holds
#   the photographs of the photo sets (real photographs, packaged by Debian),
#   and fonts-dejavu-core, the typeface of the scans set's text pages.
# - npm, into bench/.cache/deps (its own node_modules, so another `npm
#   install` or `npm ci` in the project cannot prune them mid-run, and
#   package.json stays as it is): vtracer's Node binding (@neplex/vectorizer;
#   the registry here serves only its linux-x64 build and `npm ci` refuses a
#   lock that lacks the other platforms' entries) and flag-icons (the colour
#   clip-art set).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v potrace >/dev/null 2>&1 || need+=(potrace)
[ -d /usr/share/backgrounds/mate/nature ] || need+=(mate-backgrounds)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
deps=bench/.cache/deps
if [ ! -d $deps/node_modules/@neplex/vectorizer ] || [ ! -d $deps/node_modules/flag-icons ]; then
  echo "Installing @neplex/vectorizer and flag-icons into $deps..."
  mkdir -p $deps
  npm install --prefix $deps --no-audit --no-fund --loglevel=error -E @neplex/vectorizer@0.1.0 flag-icons@7.5.0 >/dev/null
fi
