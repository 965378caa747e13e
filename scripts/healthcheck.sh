#!/usr/bin/env bash
# Checks a running image2svg deployment from outside, one line per check:
# backend liveness (/health) and readiness (/ready), the frontend's page and
# the frontend's /api proxy to the backend. Exits 0 when every check passes,
# 1 otherwise, so it can drive cron or a load balancer script:
#
#   */5 * * * * /srv/image2svg/scripts/healthcheck.sh >/dev/null || /srv/alert.sh
#
# Usage: scripts/healthcheck.sh [--backend URL] [--frontend URL | --no-frontend]
# Environment: BACKEND_URL (default http://localhost:8000), FRONTEND_URL
# (default http://localhost:3000, as docker-compose.yml publishes them; an
# empty value skips the frontend), HEALTHCHECK_TIMEOUT in seconds (default 5).
# /health, /ready and their /api aliases never need an API key.
set -uo pipefail

BACKEND_URL="${BACKEND_URL:-http://localhost:8000}"
FRONTEND_URL="${FRONTEND_URL-http://localhost:3000}"
TIMEOUT="${HEALTHCHECK_TIMEOUT:-5}"

usage() {
  sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --backend) BACKEND_URL="${2:?--backend needs a URL}"; shift 2 ;;
    --frontend) FRONTEND_URL="${2:?--frontend needs a URL}"; shift 2 ;;
    --no-frontend) FRONTEND_URL=""; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "healthcheck.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

if ! command -v curl >/dev/null 2>&1; then
  echo "healthcheck.sh: curl is required" >&2
  exit 2
fi

failures=0

# check NAME URL: passes on any 2xx answer within the timeout.
check() {
  local name="$1" url="$2" code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time "$TIMEOUT" "$url" 2>/dev/null)"
  if [[ "$code" == 2?? ]]; then
    echo "✓ $name ($url)"
  else
    if [ -z "$code" ] || [ "$code" = "000" ]; then code="no answer"; else code="HTTP $code"; fi
    echo "✗ $name ($url): $code"
    failures=$((failures + 1))
  fi
}

BACKEND_URL="${BACKEND_URL%/}"
check "backend is alive" "$BACKEND_URL/health"
check "backend is ready" "$BACKEND_URL/ready"

if [ -n "$FRONTEND_URL" ]; then
  FRONTEND_URL="${FRONTEND_URL%/}"
  check "frontend serves the UI" "$FRONTEND_URL/"
  check "frontend reaches the backend" "$FRONTEND_URL/api/health"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
