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

# Both Python sides use one interpreter (bench/python_env.sh).
# shellcheck source=bench/python_env.sh
. bench/python_env.sh
sides="go csv"
[ -n "$has_pandas" ] && sides="$sides pandas"

for i in $(seq "$runs"); do
	for side in $sides; do
		mkdir -p "$tmp/$side"
		case $side in
		go) cmd=("$tmp/flatpipe" run "$tmp/orders.csv" "$tmp/$side") ;;
		*) cmd=("$py" bench/flatfile_csv.py "$side" "$tmp/orders.csv" "$tmp/$side") ;;
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

ratios='flatfile_vs_python_csv csv go 3'
case " $sides " in *" pandas "*) ratios="$ratios;flatfile_vs_pandas pandas go" ;; esac
awk -v n="$n" -f bench/time_ratios.awk \
	-v sides='go|go    | rows/s;csv|csv   | rows/s;pandas|pandas| rows/s' \
	-v ratios="$ratios" "$tmp/times"
case " $sides " in *" pandas "*) ;; *) echo "ratio flatfile_vs_pandas skipped (pandas not installed)" ;; esac

go test -run '^$' -bench 'BenchmarkReader' -benchmem -count 1 ./connections/flatfile/ | grep -E '^Benchmark' || true
