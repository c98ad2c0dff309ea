#!/usr/bin/env bash
# validate.sh runs BenchmarkValidate10MB and BenchmarkRawToken10MB
# (cmd/dtsx/bench_test.go) side by side and prints the ratio of their MB/s
# medians over -count runs:
#
#   ratio validate_vs_rawtoken_10MB X.XX   `dtsx validate` vs encoding/xml RawToken,
#                                          the same generated 10 MB package with diagnostics
#
# A ratio below 1 means slower than the RawToken scan; the goal is 0.45 or
# more. The raw benchmark output is kept in $BENCH_OUT (default: a temporary
# file, removed).
# Usage: bench/validate.sh [extra go test flags]
set -euo pipefail
cd "$(dirname "$0")/.."

out=${BENCH_OUT:-}
if [[ -z $out ]]; then
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
fi

go test ./cmd/dtsx -run '^$' -bench '^Benchmark(Validate|RawToken)10MB$' -benchtime 10x -count 5 "$@" | tee "$out" >&2

awk -v ratios="validate_vs_rawtoken_10MB BenchmarkValidate10MB BenchmarkRawToken10MB 0.45" \
	-f bench/mbps_ratios.awk "$out"
