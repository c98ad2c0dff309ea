#!/usr/bin/env bash
# flatfile.sh [N] generates an orders file of N rows (default 1,000,000:
# integer, string, date, decimal and boolean columns, one string in five
# quoted around an embedded comma, some with doubled quotes) and times the
# same job on it, RUNS times each (default 3), alternating: read it, derive
# two columns, split the rows on shipped and write two files.
#
#   go      internal/benchgen/flatpipe run: connections/flatfile's reader
#           and two of its writers
#   csv     bench/flatfile_csv.py csv: Python's csv module
#   pandas  bench/flatfile_csv.py pandas, when pandas is installed
#
# It checks that every side wrote the same two files, then prints the
# medians and the ratios of rows per second:
#
#   ratio flatfile_vs_python_csv X.XX (goal >= 3)
#   ratio flatfile_vs_pandas X.XX
#
# and, from `go test -bench -benchmem` on a 100,000-row file, the reader's
# time and allocations per row.
# Usage: bench/flatfile.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

n=${1:-1000000}
runs=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/flatpipe" ./internal/benchgen/flatpipe
"$tmp/flatpipe" gen "$n" "$tmp/orders.csv"
echo "orders file: $n rows, $(du -m "$tmp/orders.csv" | cut -f1) MB" >&2

sides="go csv"
if python3 -c 'import pandas' 2>/dev/null; then
	sides="$sides pandas"
else
	echo "pandas: not installed, skipped" >&2
fi

for i in $(seq "$runs"); do
	for side in $sides; do
		mkdir -p "$tmp/$side"
		case $side in
		go) cmd=("$tmp/flatpipe" run "$tmp/orders.csv" "$tmp/$side") ;;
		*) cmd=(python3 bench/flatfile_csv.py "$side" "$tmp/orders.csv" "$tmp/$side") ;;
		esac
		/usr/bin/time -f "%e %M" -o "$tmp/t" "${cmd[@]}" >"$tmp/$side.out"
		echo "$side $(cat "$tmp/t")" >>"$tmp/times"
	done
done

for side in $sides; do
	[ "$side" = go ] && continue
	for f in shipped.csv pending.csv; do
		cmp -s "$tmp/go/$f" "$tmp/$side/$f" || { echo "$side wrote a different $f than go" >&2; exit 1; }
	done
done
echo "outputs: identical on every side" >&2

awk -v n="$n" '
	{ t[$1, ++c[$1]] = $2; if ($3 > m[$1]) m[$1] = $3 }
	function median(side,   k, i, j, x, a) {
		k = c[side]
		for (i = 1; i <= k; i++) a[i] = t[side, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
		return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		for (s in c) printf "%-6s median %.2f s (%.0f rows/s), peak RSS %.1f MiB\n", s, median(s), n / median(s), m[s] / 1024 > "/dev/stderr"
		g = median("go")
		r = median("csv") / g
		printf "ratio flatfile_vs_python_csv %.2f (goal >= 3: %s)\n", r, (r >= 3) ? "met" : "NOT met"
		if ("pandas" in c) printf "ratio flatfile_vs_pandas %.2f\n", median("pandas") / g
		else print "ratio flatfile_vs_pandas skipped (pandas not installed)"
	}' "$tmp/times"

go test -run '^$' -bench 'BenchmarkReader' -benchmem -count 1 ./connections/flatfile/ | grep -E '^Benchmark' || true
