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

# One "name MB/s" line per run, the -GOMAXPROCS suffix dropped.
awk '$1 ~ /^Benchmark(Validate|RawToken)10MB/ {
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
		a = "BenchmarkValidate10MB"; b = "BenchmarkRawToken10MB"
		for (k in med) printf "median %s %.2f MB/s\n", k, med[k] > "/dev/stderr"
		if (!(a in med) || !(b in med) || med[b] == 0) {
			printf "ratio validate_vs_rawtoken_10MB missing (no MB/s for %s or %s)\n", a, b
			exit 1
		}
		r = med[a] / med[b]
		printf "ratio validate_vs_rawtoken_10MB %.2f (goal >= 0.45: %s)\n", r, (r >= 0.45) ? "met" : "NOT met"
	}'
