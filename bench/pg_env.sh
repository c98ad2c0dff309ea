# pg_env.sh, sourced by the bench scripts that need PostgreSQL from the
# repository's root, starts the project's server (scripts/postgres/start.sh)
# and exports its settings: DTSX_PG_DSN, _HOST, _PORT, _USER, _PASSWORD and
# _DATABASE.
# shellcheck shell=bash
scripts/postgres/start.sh >&2
set -a
# shellcheck disable=SC1090,SC1091
. "${DTSX_PG_STATE:-${TMPDIR:-/tmp}/dtsx-postgres}/env"
set +a
