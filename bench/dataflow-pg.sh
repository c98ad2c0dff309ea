#!/usr/bin/env bash
# dataflow-pg.sh [N] generates an orders file of N rows (default 1,000,000)
# and loads it into a table of the project's PostgreSQL
# (scripts/postgres/start.sh), RUNS times each (default 3), alternating:
#
#   dtsx    dtsx run bench/orders-pg.dtsx: a Flat File Source into an OLE DB
#           Destination's fast load (COPY); its OLE DB manager names a SQL
#           Server and --conn points it at PostgreSQL (Provider=Npgsql;...)
#   engine  internal/benchgen/pgload run: the data flow engine alone, a
#           source reading the file with connections/flatfile's reader into
#           the same destination (tasks/dataflow/dbflow)
#   psql    psql's \copy of the same file (FORMAT csv, HEADER)
#
# The table is emptied before each run. It checks that every side loaded
# the same rows, then prints the medians, the peak RSS of each and the
# ratios of rows per second over psql's:
#
#   ratio dataflow_pg_vs_psql_copy X.XX (goal >= 0.8)      (dtsx run)
#   ratio dataflow_pg_engine_vs_psql_copy X.XX
#
# Every side is a whole process: start-up and the connection count for all.
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
go build -o "$tmp/dtsx" ./cmd/dtsx
db="Orders DB;Provider=Npgsql;Host=$DTSX_PG_HOST;Port=$DTSX_PG_PORT;Database=$DTSX_PG_DATABASE;Username=$DTSX_PG_USER;Password=$DTSX_PG_PASSWORD;SSL Mode=Disable;"
"$tmp/pgload" gen "$n" "$tmp/orders.csv"
echo "orders file: $n rows, $(du -m "$tmp/orders.csv" | cut -f1) MB" >&2
psql "$DTSX_PG_DSN" -qc "DROP TABLE IF EXISTS $table" 2>/dev/null
psql "$DTSX_PG_DSN" -qc "CREATE TABLE $table (order_id integer, customer text, order_date date, amount numeric(12,2), shipped boolean)"
fingerprint="SELECT count(*), sum(amount), count(*) FILTER (WHERE shipped), sum(order_date - date '2000-01-01'),
	md5(string_agg(customer, '|' ORDER BY order_id)) FROM $table"

for i in $(seq "$runs"); do
	for side in dtsx engine psql; do
		psql "$DTSX_PG_DSN" -qc "TRUNCATE $table"
		case $side in
		dtsx) cmd=("$tmp/dtsx" run --conn "Orders;$tmp/orders.csv" --conn "$db" bench/orders-pg.dtsx) ;;
		engine) cmd=("$tmp/pgload" run "$tmp/orders.csv" "$table") ;;
		psql) cmd=(psql "$DTSX_PG_DSN" -qc "\\copy $table FROM '$tmp/orders.csv' WITH (FORMAT csv, HEADER true)") ;;
		esac
		/usr/bin/time -f "%e %M" -o "$tmp/t" "${cmd[@]}" >"$tmp/$side.out"
		echo "$side $(cat "$tmp/t")" >>"$tmp/times"
		psql "$DTSX_PG_DSN" -tAc "$fingerprint" >"$tmp/$side.sum"
	done
done
for side in dtsx engine; do
	cmp -s "$tmp/$side.sum" "$tmp/psql.sum" || {
		echo "$side loaded other rows than psql: $(cat "$tmp/$side.sum") against $(cat "$tmp/psql.sum")" >&2
		exit 1
	}
done
echo "tables: identical on every side ($(cut -d'|' -f1 "$tmp/psql.sum") rows)" >&2

awk -v n="$n" -f bench/time_ratios.awk \
	-v sides='dtsx|dtsx:   %d rows,| rows/s;engine|engine: %d rows,| rows/s;psql|psql:   %d rows,| rows/s' \
	-v ratios='dataflow_pg_vs_psql_copy psql dtsx 0.8;dataflow_pg_engine_vs_psql_copy psql engine' \
	-v rss='dataflow_pg_peak_rss_vs_psql dtsx psql' "$tmp/times"
