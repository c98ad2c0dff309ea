#!/usr/bin/env bash
# load.sh runs BenchmarkLoad (dtsx/bench_test.go) and prints the ratios of
# the MB/s medians over -count runs:
#
#   ratio load_vs_rawtoken_10MB X.XX    LoadPackage vs encoding/xml RawToken, generated 10 MB package
#   ratio load_vs_rawtoken_corpus X.XX  the same over every corpus .dtsx
#   ratio etree_vs_rawtoken_10MB X.XX   bare etree parse vs RawToken, 10 MB package
#
# A ratio below 1 means slower than the RawToken scan. The raw benchmark
# output is kept in $BENCH_OUT (default: a temporary file, removed).
# Usage: bench/load.sh [extra go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BENCH_OUT:-}
if [[ -z $out ]]; then
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
fi

go test ./dtsx -run '^$' -bench BenchmarkLoad -benchtime 20x -count 5 "$@" | tee "$out" >&2

# One "name MB/s" line per run, the -GOMAXPROCS suffix dropped.
awk '$1 ~ /^BenchmarkLoad\// {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 2; i < NF; i++) if ($(i+1) == "MB/s") print name, $i
}' "$out" |
	sort -k1,1 -k2,2g |
	awk '
	{ v[$1, ++n[$1]] = $2 }
	END {
		for (k in n) {
			c = n[k]
			med[k] = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2
		}
		split("load_vs_rawtoken_10MB 10MB/load 10MB/RawToken " \
			"load_vs_rawtoken_corpus corpus/load corpus/RawToken " \
			"etree_vs_rawtoken_10MB 10MB/etree 10MB/RawToken", r, " ")
		bad = 0
		for (i = 1; i <= 9; i += 3) {
			a = "BenchmarkLoad/" r[i + 1]; b = "BenchmarkLoad/" r[i + 2]
			if (!(a in med) || !(b in med) || med[b] == 0) {
				printf "ratio %s missing (no MB/s for %s or %s)\n", r[i], a, b
				bad = 1
				continue
			}
			printf "ratio %s %.2f\n", r[i], med[a] / med[b]
		}
		for (k in med) printf "median %s %.2f MB/s\n", k, med[k] > "/dev/stderr"
		exit bad
	}'
