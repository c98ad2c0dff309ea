#!/usr/bin/env bash
# executesql.sh [N] runs N single-row Execute SQL tasks in a For Loop against
# the project's PostgreSQL (scripts/postgres/start.sh) on one retained ADO.NET
# (Npgsql) connection, with `dtsx run`, and beside it a bare pgx loop of the
# same statement on one connection (internal/benchgen/sqlloop), RUNS times
# each (default 3), alternating. It prints the medians, the peak RSS of each
# and the ratio of statements per second, dtsx over bare pgx:
#
#   ratio executesql_vs_pgx X.XX (goal >= 0.8)
#
# Both sides are whole processes: start-up and the connection count for both.
# Usage: bench/executesql.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
export DTSX_ALLOWED_HOSTS=127.0.0.1,::1,localhost

n=${1:-10000}
runs=${RUNS:-3}
# shellcheck source=bench/pg_env.sh
. bench/pg_env.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/dtsx" ./cmd/dtsx
go build -o "$tmp/sqlloop" ./internal/benchgen/sqlloop
"$tmp/sqlloop" gen "$n" "$tmp/loop.dtsx"
conn="Bench DB;Host=$DTSX_PG_HOST;Port=$DTSX_PG_PORT;Database=$DTSX_PG_DATABASE;Username=$DTSX_PG_USER;Password=$DTSX_PG_PASSWORD"

for i in $(seq "$runs"); do
	/usr/bin/time -f "%e %M" -o "$tmp/t" "$tmp/dtsx" run --conn "$conn" "$tmp/loop.dtsx" >"$tmp/run.out" 2>&1 ||
		{ echo "dtsx run failed:" >&2; tail -20 "$tmp/run.out" >&2; exit 1; }
	echo "dtsx $(cat "$tmp/t")" >>"$tmp/times"
	/usr/bin/time -f "%e %M" -o "$tmp/t" "$tmp/sqlloop" pgx "$n" >&2
	echo "pgx $(cat "$tmp/t")" >>"$tmp/times"
done

awk -v n="$n" -f bench/time_ratios.awk \
	-v sides='dtsx|dtsx run: %d statements,|/s;pgx|bare pgx: %d statements,|/s' \
	-v ratios='executesql_vs_pgx pgx dtsx 0.8' \
	-v rss='executesql_peak_rss_vs_pgx dtsx pgx' "$tmp/times"
