#!/usr/bin/env bash
# stop.sh - stop the PostgreSQL that start.sh started (pg_ctl stop, fast
# mode) and, with --purge, remove its state directory.
#   DTSX_PG_STATE   state directory (default ${TMPDIR:-/tmp}/dtsx-postgres)
#   DTSX_PG_BIN     directory of pg_ctl (default /usr/lib/postgresql/15/bin)
set -uo pipefail
# runuser lives in sbin, which a non-login shell may leave off PATH.
export PATH="$PATH:/usr/sbin:/sbin"
STATE=${DTSX_PG_STATE:-${TMPDIR:-/tmp}/dtsx-postgres}
DATA=$STATE/data
PURGE=0; [ "${1:-}" = --purge ] && PURGE=1
BIN=${DTSX_PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$BIN/pg_ctl" ] || BIN=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")

rc=0
if [ ! -f "$DATA/postmaster.pid" ]; then
  echo "PostgreSQL: not running ($DATA)"
else
  owner=$(stat -c %U "$DATA")
  if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
    runuser -u "$owner" -- "$BIN/pg_ctl" -D "$DATA" -m fast -w stop || rc=1
  else
    "$BIN/pg_ctl" -D "$DATA" -m fast -w stop || rc=1
  fi
fi
if [ "$PURGE" = 1 ]; then
  case "$STATE" in /|/tmp|/var|/root|"") echo "refusing to remove '$STATE'"; exit 1;; esac
  rm -rf "$STATE" && echo "removed $STATE"
fi
exit $rc
