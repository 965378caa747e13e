#!/usr/bin/env bash
# Backs up the Redis data of an image2svg Docker Compose deployment: asks
# Redis for a snapshot (BGSAVE), waits until it is written, and copies it to
# BACKUP_DIR/redis_<date>.rdb. With --prometheus it also copies a Prometheus
# TSDB snapshot (docker-compose.prod.yml starts Prometheus with the admin API
# this needs). Backups older than RETENTION_DAYS are then deleted; nothing
# else in BACKUP_DIR is touched.
#
# Usage: scripts/backup.sh [-f COMPOSE_FILE] [--prometheus]
# Environment: BACKUP_DIR (default /backups/image2svg), RETENTION_DAYS
# (default 7), COMPOSE_FILE (default docker-compose.prod.yml),
# BGSAVE_TIMEOUT in seconds (default 300).
# Run it from the repository directory, e.g. daily from cron:
#   0 3 * * * cd /srv/image2svg && scripts/backup.sh >> /var/log/image2svg-backup.log 2>&1
# Restore: docs/DEPLOYMENT.md, "Backups".
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/backups/image2svg}"
RETENTION_DAYS="${RETENTION_DAYS:-7}"
COMPOSE_FILE="${COMPOSE_FILE:-docker-compose.prod.yml}"
BGSAVE_TIMEOUT="${BGSAVE_TIMEOUT:-300}"
WITH_PROMETHEUS=0

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

while [ $# -gt 0 ]; do
  case "$1" in
    -f | --file) COMPOSE_FILE="${2:?-f needs a compose file}"; shift 2 ;;
    --prometheus) WITH_PROMETHEUS=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "backup.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

case "$RETENTION_DAYS" in
  '' | *[!0-9]*) echo "backup.sh: RETENTION_DAYS must be a whole number of days, got '$RETENTION_DAYS'" >&2; exit 2 ;;
esac

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
fail() { log "backup failed: $*" >&2; exit 1; }

compose() { docker compose -f "$COMPOSE_FILE" "$@"; }
# The redis service has REDISCLI_AUTH in its environment when it has a
# password (docker-compose.prod.yml), so redis-cli authenticates by itself.
# INFO answers with CRLF line ends.
redis_cli() { compose exec -T redis redis-cli "$@" | tr -d '\r'; }

mkdir -p "$BACKUP_DIR"
DATE="$(date -u +%Y%m%d_%H%M%S)"

# Redis: BGSAVE writes the snapshot in a child process; LASTSAVE moves once
# it is on disk. SCHEDULE waits for an append-only rewrite in progress.
before="$(redis_cli LASTSAVE)" || fail "cannot reach Redis through '$COMPOSE_FILE' (is the redis service up?)"
# LASTSAVE has one-second resolution: after a save in this very second, ours
# could finish with the same stamp, so start it in the next second.
[ "$(redis_cli TIME | head -n 1)" -le "$before" ] && sleep 1
redis_cli BGSAVE SCHEDULE >/dev/null || fail "BGSAVE was refused"
waited=0
until [ "$(redis_cli LASTSAVE)" != "$before" ]; do
  [ "$waited" -ge "$BGSAVE_TIMEOUT" ] && fail "BGSAVE did not finish within ${BGSAVE_TIMEOUT}s"
  sleep 1
  waited=$((waited + 1))
done
redis_cli INFO persistence | grep -q '^rdb_last_bgsave_status:ok$' || fail "Redis reports that the last BGSAVE failed"

dir="$(redis_cli CONFIG GET dir | sed -n 2p)"
file="$(redis_cli CONFIG GET dbfilename | sed -n 2p)"
dest="$BACKUP_DIR/redis_$DATE.rdb"
compose cp "redis:${dir:-/data}/${file:-dump.rdb}" "$dest.partial" >/dev/null
# Every RDB file starts with the magic bytes REDIS.
[ "$(head -c 5 "$dest.partial")" = "REDIS" ] || { rm -f "$dest.partial"; fail "the copied file is not an RDB snapshot"; }
mv "$dest.partial" "$dest"
log "redis: $dest ($(wc -c <"$dest") bytes)"

if [ "$WITH_PROMETHEUS" = 1 ]; then
  answer="$(compose exec -T prometheus wget -q -O - --post-data='' http://localhost:9090/api/v1/admin/tsdb/snapshot)" ||
    fail "Prometheus refused the snapshot (is it started with --web.enable-admin-api?)"
  name="$(printf '%s' "$answer" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')"
  [ -n "$name" ] || fail "unexpected answer from Prometheus: $answer"
  compose cp "prometheus:/prometheus/snapshots/$name" "$BACKUP_DIR/prometheus_$DATE" >/dev/null
  compose exec -T prometheus rm -rf "/prometheus/snapshots/$name"
  log "prometheus: $BACKUP_DIR/prometheus_$DATE"
fi

# Retention in minutes: find's -mtime counts whole days and would keep an extra day.
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 \( -name 'redis_*.rdb' -o -name 'prometheus_*' \) \
  -mmin +"$((RETENTION_DAYS * 24 * 60))" -print -exec rm -rf {} + | sed 's/^/deleted old backup: /'
log "backup completed: $DATE"
