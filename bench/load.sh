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

awk -v ratios="load_vs_rawtoken_10MB BenchmarkLoad/10MB/load BenchmarkLoad/10MB/RawToken;\
load_vs_rawtoken_corpus BenchmarkLoad/corpus/load BenchmarkLoad/corpus/RawToken;\
etree_vs_rawtoken_10MB BenchmarkLoad/10MB/etree BenchmarkLoad/10MB/RawToken" \
	-f bench/mbps_ratios.awk "$out"
