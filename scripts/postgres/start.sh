#!/usr/bin/env bash
# start.sh - start a throw-away PostgreSQL 15 on loopback for the real-server
# test suite, and write its settings to $STATE/env (DTSX_PG_DSN, DTSX_PG_HOST,
# DTSX_PG_PORT, DTSX_PG_USER, DTSX_PG_PASSWORD, DTSX_PG_DATABASE).
#
# The server listens on 127.0.0.1 only, on port 55432 when it is free (else the
# next free one), with SCRAM password authentication for every connection.
# The login dtsx (generated password) owns the database dtsx. Run as root, the
# server runs as the unprivileged user postgres (or nobody). When initdb is
# missing and the script runs as root, Debian's postgresql-15 is installed.
# Running it again while the server is up changes nothing.
#
#   DTSX_PG_STATE   state directory (default ${TMPDIR:-/tmp}/dtsx-postgres)
#   DTSX_PG_BIN     directory of initdb, pg_ctl and pg_isready (found if unset)
set -euo pipefail
# runuser and ss live in sbin, which a non-login shell may leave off PATH.
export PATH="$PATH:/usr/sbin:/sbin"
STATE=${DTSX_PG_STATE:-${TMPDIR:-/tmp}/dtsx-postgres}
DATA=$STATE/data

find_bin() {
  local d
  for d in "${DTSX_PG_BIN:-}" /usr/lib/postgresql/15/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pg_isready" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null && command -v pg_isready >/dev/null; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

if ! BIN=$(find_bin); then
  if [ "$(id -u)" != 0 ]; then
    echo "start.sh: PostgreSQL 15 is not installed (no initdb); install postgresql-15 or set DTSX_PG_BIN" >&2; exit 1
  fi
  echo "start.sh: installing postgresql-15"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
  BIN=$(find_bin) || { echo "start.sh: postgresql-15 installed but initdb not found" >&2; exit 1; }
fi

# as_owner runs a command as the user that owns the cluster.
RUNAS=
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then RUNAS=postgres; else RUNAS=nobody; fi
fi
as_owner() {
  if [ -n "$RUNAS" ]; then runuser -u "$RUNAS" -- "$@"; else "$@"; fi
}

if [ -f "$STATE/env" ] && [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  # shellcheck disable=SC1091
  . "$STATE/env"
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$DTSX_PG_PORT"; then
    echo "PostgreSQL already running on 127.0.0.1:$DTSX_PG_PORT ($STATE/env)"
    exit 0
  fi
fi

# port_free: nothing listens on 127.0.0.1:$1 (ss where iproute2 is there, else
# a connection attempt).
port_free() {
  if command -v ss >/dev/null; then
    ! ss -Hltn "sport = :$1" | grep -q .
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
PORT=55432
while ! port_free "$PORT"; do
  PORT=$((PORT + 1))
  [ "$PORT" -gt 55532 ] && { echo "start.sh: no free port in 55432-55532" >&2; exit 1; }
done

case "$STATE" in /|/tmp|/var|/root|"") echo "start.sh: refusing state directory '$STATE'" >&2; exit 1;; esac
rm -rf "$STATE"
mkdir -p "$STATE/run"
chmod 700 "$STATE"
genpw() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
PASSWORD=$(genpw)
SUPERPW=$(genpw)
umask 077
printf '%s\n' "$SUPERPW" > "$STATE/superuser.pw"
[ -n "$RUNAS" ] && chown -R "$RUNAS" "$STATE"

as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$STATE/superuser.pw" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C >"$STATE/initdb.log" 2>&1 || { cat "$STATE/initdb.log" >&2; exit 1; }
cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$STATE/run'
password_encryption = 'scram-sha-256'
fsync = off
CONF
# Only TCP on loopback and the state directory's socket, both with SCRAM.
cat > "$DATA/pg_hba.conf" <<HBA
local all all                scram-sha-256
host  all all 127.0.0.1/32   scram-sha-256
HBA

as_owner "$BIN/pg_ctl" -D "$DATA" -l "$STATE/server.log" -w -t 60 start >/dev/null \
  || { tail -20 "$STATE/server.log" >&2; exit 1; }
for _ in $(seq 100); do
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.2
done
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { echo "start.sh: server not ready" >&2; tail -20 "$STATE/server.log" >&2; exit 1; }

PGPASSWORD=$SUPERPW "$BIN/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE dtsx LOGIN PASSWORD '$PASSWORD';
CREATE DATABASE dtsx OWNER dtsx;
SQL

cat > "$STATE/env" <<ENV
DTSX_PG_HOST=127.0.0.1
DTSX_PG_PORT=$PORT
DTSX_PG_USER=dtsx
DTSX_PG_PASSWORD=$PASSWORD
DTSX_PG_DATABASE=dtsx
DTSX_PG_DSN=postgres://dtsx:$PASSWORD@127.0.0.1:$PORT/dtsx?sslmode=disable
ENV
[ -n "$RUNAS" ] && chown "$RUNAS" "$STATE/env"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT; settings in $STATE/env"
