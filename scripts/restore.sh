#!/usr/bin/env bash
# Restores a Redis snapshot made by scripts/backup.sh into a Docker Compose
# deployment. Redis started with --appendonly yes loads only its append-only
# files and ignores dump.rdb (and starts empty when those files are missing),
# so the snapshot cannot simply be copied in: this script stops the backend
# and Redis, starts a one-off Redis on the same volume with append-only off so
# it loads the snapshot, switches append-only on live so Redis writes new
# append-only files from memory, shuts it down cleanly and starts the
# services again.
#
# Usage: scripts/restore.sh [-f COMPOSE_FILE] SNAPSHOT.rdb
# Environment: COMPOSE_FILE (default docker-compose.prod.yml), RESTORE_TIMEOUT
# in seconds for each wait (default 300).
set -euo pipefail

COMPOSE_FILE="${COMPOSE_FILE:-docker-compose.prod.yml}"
RESTORE_TIMEOUT="${RESTORE_TIMEOUT:-300}"
NAME=image2svg-redis-restore
SNAPSHOT=""

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

while [ $# -gt 0 ]; do
  case "$1" in
    -f | --file) COMPOSE_FILE="${2:?-f needs a compose file}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "restore.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) [ -z "$SNAPSHOT" ] || { echo "restore.sh: one snapshot only" >&2; exit 2; }; SNAPSHOT="$1"; shift ;;
  esac
done

[ -n "$SNAPSHOT" ] || { echo "restore.sh: which snapshot? (try --help)" >&2; exit 2; }
[ -f "$SNAPSHOT" ] || { echo "restore.sh: no such file: $SNAPSHOT" >&2; exit 2; }
[ "$(head -c 5 "$SNAPSHOT")" = "REDIS" ] || { echo "restore.sh: $SNAPSHOT is not a Redis snapshot (RDB file)" >&2; exit 2; }

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
fail() { log "restore failed: $*" >&2; exit 1; }
compose() { docker compose -f "$COMPOSE_FILE" "$@"; }
# The one-off container has the redis service's environment, REDISCLI_AUTH included.
cli() { docker exec "$NAME" redis-cli "$@" | tr -d '\r'; }
# wait_for DESCRIPTION COMMAND...: retries COMMAND once a second until it succeeds.
wait_for() {
  local what="$1" waited=0
  shift
  until "$@"; do
    [ "$waited" -ge "$RESTORE_TIMEOUT" ] && fail "$what did not happen within ${RESTORE_TIMEOUT}s"
    sleep 1
    waited=$((waited + 1))
  done
}
answers_pong() { [ "$(cli PING 2>/dev/null)" = "PONG" ]; }
aof_written() {
  local info
  info="$(cli INFO persistence)"
  grep -q '^aof_enabled:1$' <<<"$info" && grep -q '^aof_rewrite_in_progress:0$' <<<"$info" &&
    grep -q '^aof_rewrite_scheduled:0$' <<<"$info" && grep -q '^aof_last_bgrewrite_status:ok$' <<<"$info"
}
cleanup() { docker rm -f "$NAME" >/dev/null 2>&1 || true; }
stopped=0
on_exit() {
  local status=$?
  if [ "$status" -ne 0 ] && [ "$stopped" = 1 ]; then
    cleanup
    log "the backend and Redis are stopped; start them with: docker compose -f $COMPOSE_FILE start redis backend" >&2
  fi
}
trap on_exit EXIT

folder="$(cd "$(dirname "$SNAPSHOT")" && pwd)"
file="$(basename "$SNAPSHOT")"

log "stopping the backend and Redis"
compose stop backend redis >/dev/null
stopped=1
cleanup

log "loading $file with append-only off"
# Inside the container: the snapshot becomes dump.rdb, the old append-only
# files go (else they would win at the next start), and redis-server starts
# through the image's entrypoint, which fixes file ownership and drops root.
# shellcheck disable=SC2016 # expanded by the container's shell
compose run -d --name "$NAME" --no-deps -v "$folder:/restore:ro" --entrypoint sh redis -c \
  'rm -rf /data/appendonlydir && cp "/restore/$1" /data/dump.rdb &&
   exec docker-entrypoint.sh redis-server --appendonly no ${REDIS_PASSWORD:+--requirepass "$REDIS_PASSWORD"}' \
  sh "$file" >/dev/null
wait_for "Redis loading the snapshot" answers_pong
keys="$(cli DBSIZE)"

log "writing new append-only files from the $keys keys loaded"
cli CONFIG SET appendonly yes >/dev/null
wait_for "the append-only rewrite" aof_written
cli SHUTDOWN >/dev/null 2>&1 || true
wait_for "the one-off Redis stopping" sh -c "[ \"\$(docker inspect -f '{{.State.Running}}' $NAME)\" = false ]"
cleanup

log "starting Redis and the backend"
compose start redis backend >/dev/null
log "restore completed: $keys keys from $file"
