#!/usr/bin/env bash
# dataflow-pg.sh [N] generates an orders file of N rows (default 1,000,000)
# and loads it into a table of the project's PostgreSQL
# (scripts/postgres/start.sh), RUNS times each (default 3), alternating:
#
#   engine  internal/benchgen/pgload run: the data flow engine, a source
#           reading the file with connections/flatfile's reader into the
#           OLE DB Destination's fast load (tasks/dataflow/dbflow: COPY)
#   psql    psql's \copy of the same file (FORMAT csv, HEADER)
#
# The table is emptied before each run. It checks that both sides loaded
# the same rows, then prints the medians, the peak RSS of each and the
# ratio of rows per second, engine over psql:
#
#   ratio dataflow_pg_vs_psql_copy X.XX (goal >= 0.8)
#
# Both sides are whole processes: start-up and the connection count for both.
# Usage: bench/dataflow-pg.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

n=${1:-1000000}
runs=${RUNS:-3}
# shellcheck source=bench/pg_env.sh
. bench/pg_env.sh

tmp=$(mktemp -d)
table=bench_dataflow_orders
trap 'psql "$DTSX_PG_DSN" -qc "DROP TABLE IF EXISTS $table" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
go build -o "$tmp/pgload" ./internal/benchgen/pgload
"$tmp/pgload" gen "$n" "$tmp/orders.csv"
echo "orders file: $n rows, $(du -m "$tmp/orders.csv" | cut -f1) MB" >&2
psql "$DTSX_PG_DSN" -qc "DROP TABLE IF EXISTS $table" 2>/dev/null
psql "$DTSX_PG_DSN" -qc "CREATE TABLE $table (order_id integer, customer text, order_date date, amount numeric(12,2), shipped boolean)"
fingerprint="SELECT count(*), sum(amount), count(*) FILTER (WHERE shipped), sum(order_date - date '2000-01-01'),
	md5(string_agg(customer, '|' ORDER BY order_id)) FROM $table"

for i in $(seq "$runs"); do
	for side in engine psql; do
		psql "$DTSX_PG_DSN" -qc "TRUNCATE $table"
		case $side in
		engine) cmd=("$tmp/pgload" run "$tmp/orders.csv" "$table") ;;
		psql) cmd=(psql "$DTSX_PG_DSN" -qc "\\copy $table FROM '$tmp/orders.csv' WITH (FORMAT csv, HEADER true)") ;;
		esac
		/usr/bin/time -f "%e %M" -o "$tmp/t" "${cmd[@]}" >"$tmp/$side.out"
		echo "$side $(cat "$tmp/t")" >>"$tmp/times"
		psql "$DTSX_PG_DSN" -tAc "$fingerprint" >"$tmp/$side.sum"
	done
done
cmp -s "$tmp/engine.sum" "$tmp/psql.sum" || {
	echo "the engine loaded other rows than psql: $(cat "$tmp/engine.sum") against $(cat "$tmp/psql.sum")" >&2
	exit 1
}
echo "tables: identical on both sides ($(cut -d'|' -f1 "$tmp/psql.sum") rows)" >&2

awk -v n="$n" -f bench/time_ratios.awk \
	-v sides='engine|engine: %d rows,| rows/s;psql|psql:   %d rows,| rows/s' \
	-v ratios='dataflow_pg_vs_psql_copy psql engine 0.8' \
	-v rss='dataflow_pg_peak_rss_vs_psql engine psql' "$tmp/times"
