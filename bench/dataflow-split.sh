#!/usr/bin/env bash
# dataflow-split.sh [N] generates an orders file of N rows (default
# 1,000,000: integer, string, date, decimal and boolean columns, one string
# in five quoted around an embedded comma, some with doubled quotes) and
# times the same job on it, RUNS times each (default 3), alternating, every
# side a whole process:
#
#   dtsx    dtsx run bench/orders-split.dtsx: Flat File Source → Derived
#           Column (YEAR(order_date), UPPER(customer)) → Conditional Split
#           on shipped → two Flat File Destinations, the files set by --conn
#   csv     bench/flatfile_csv.py split-csv: Python's csv module
#   pandas  bench/flatfile_csv.py split-pandas, when pandas is installed
#
# It checks that every side wrote byte-identical files, then prints the
# medians and the ratios of rows per second:
#
#   ratio dataflow_vs_python_csv X.XX (goal >= 3)
#   ratio dataflow_vs_pandas X.XX
#
# Then, from `go test -bench BenchmarkOrdersSplit` (cmd/dtsx, 100,000 rows,
# RUNS counts), the engine's whole `dtsx run` path in one process against
# the same job done by connections/flatfile's reader and writers alone:
#
#   ratio dataflow_engine_vs_direct_io X.XX
#
# Then the peak RSS of `dtsx run` at N rows and at MEM_ROWS rows (default
# 10,000,000; MEM_ROWS=0 skips it), both writing to /dev/null, and
#
#   ratio dataflow_peak_rss_big_vs_small X.XX (goal <= 1.2)
#
# The big file is generated in the temporary folder and deleted after.
# Usage: bench/dataflow-split.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

n=${1:-1000000}
runs=${RUNS:-3}
mem_rows=${MEM_ROWS:-10000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/bin-dtsx" ./cmd/dtsx
go build -o "$tmp/flatpipe" ./internal/benchgen/flatpipe
"$tmp/flatpipe" gen "$n" "$tmp/orders.csv"
echo "orders file: $n rows, $(du -m "$tmp/orders.csv" | cut -f1) MB" >&2

# shellcheck source=bench/python_env.sh
. bench/python_env.sh
sides="dtsx csv"
[ -n "$has_pandas" ] && sides="$sides pandas"


for i in $(seq "$runs"); do
	for side in $sides; do
		out=$tmp/$side
		mkdir -p "$out"
		case $side in
		dtsx) /usr/bin/time -f "%e %M" -o "$tmp/t" "$tmp/bin-dtsx" run --conn "Orders;$tmp/orders.csv" \
			--conn "Shipped;$out/shipped.csv" --conn "Pending;$out/pending.csv" bench/orders-split.dtsx >"$tmp/$side.out" ;;
		*) /usr/bin/time -f "%e %M" -o "$tmp/t" "$py" bench/flatfile_csv.py "split-$side" "$tmp/orders.csv" "$out" >"$tmp/$side.out" ;;
		esac
		echo "$side $(cat "$tmp/t")" >>"$tmp/times"
	done
done

for side in $sides; do
	[ "$side" = dtsx ] && continue
	for f in shipped.csv pending.csv; do
		cmp -s "$tmp/dtsx/$f" "$tmp/$side/$f" || { echo "$side wrote a different $f than dtsx run" >&2; exit 1; }
	done
done
echo "outputs: identical on every side ($(($(wc -l <"$tmp/dtsx/shipped.csv") - 1)) shipped, $(($(wc -l <"$tmp/dtsx/pending.csv") - 1)) pending)" >&2

ratios='dataflow_vs_python_csv csv dtsx 3'
[ -n "$has_pandas" ] && ratios="$ratios;dataflow_vs_pandas pandas dtsx"
awk -v n="$n" -f bench/time_ratios.awk \
	-v sides='dtsx|dtsx   | rows/s;csv|csv    | rows/s;pandas|pandas | rows/s' \
	-v ratios="$ratios" "$tmp/times"
[ -n "$has_pandas" ] || echo "ratio dataflow_vs_pandas skipped (pandas not installed)"

# The engine against the flat file reader and writers alone, in one process
# (BenchmarkOrdersSplit, 100,000 rows): what the engine costs over the I/O.
go test -run '^$' -bench '^BenchmarkOrdersSplit$' -count "$runs" ./cmd/dtsx/ | tee "$tmp/gobench" | grep -E '^Benchmark' >&2
awk '/^BenchmarkOrdersSplit\/(engine|direct)/ { split($1, f, "/"); sub(/-[0-9]+$/, "", f[2]); t[f[2], ++c[f[2]]] = $3 }
function median(k,   n, i, j, x, a) {
	n = c[k]
	for (i = 1; i <= n; i++) a[i] = t[k, i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	if (!c["engine"] || !c["direct"]) { print "ratio dataflow_engine_vs_direct_io missing"; exit 1 }
	printf "ratio dataflow_engine_vs_direct_io %.2f\n", median("direct") / median("engine")
}' "$tmp/gobench"

[ "$mem_rows" = 0 ] && exit 0
rm -rf "$tmp/csv" "$tmp/pandas" "$tmp/dtsx"
# peak RSS (KiB) of the package over $1, writing to /dev/null
peak() {
	/usr/bin/time -f "%M" -o "$tmp/m" "$tmp/bin-dtsx" run --conn "Orders;$1" --conn "Shipped;/dev/null" \
		--conn "Pending;/dev/null" bench/orders-split.dtsx >"$tmp/mem.out"
	cat "$tmp/m"
}
small=$(peak "$tmp/orders.csv")
rm -f "$tmp/orders.csv"
"$tmp/flatpipe" gen "$mem_rows" "$tmp/big.csv"
echo "big orders file: $mem_rows rows, $(du -m "$tmp/big.csv" | cut -f1) MB" >&2
big=$(peak "$tmp/big.csv")
rm -f "$tmp/big.csv"
awk -v n="$n" -v m="$mem_rows" -v a="$small" -v b="$big" 'BEGIN {
	printf "dtsx peak RSS: %d rows %.1f MiB, %d rows %.1f MiB\n", n, a / 1024, m, b / 1024 > "/dev/stderr"
	r = b / a
	printf "ratio dataflow_peak_rss_big_vs_small %.2f (goal <= 1.2: %s)\n", r, (r <= 1.2) ? "met" : "NOT met"
}'
