#!/usr/bin/env bash
# validate-startup.sh builds cmd/dtsx once and times RUNS runs (default 50)
# of `dtsx validate` on a small corpus package, printing the median
# wall-clock milliseconds per run beside the same binary's `help` (process
# start alone). It uses hyperfine when installed, else a bash loop timed
# with date +%s%N.
# Usage: bench/validate-startup.sh [package.dtsx]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-50}
pkg=${1:-../shared/corpus/johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__TestDataFlowExpression2012.dtsx}
if [[ ! -f $pkg ]]; then
	echo "validate-startup.sh: no package $pkg (give one as the argument)" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/dtsx" ./cmd/dtsx
bin=$tmp/dtsx
echo "package: $pkg ($(wc -c <"$pkg") bytes), $runs runs" >&2

# validate exits 1 when the package has errors; only the time matters here.
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine --runs "$runs" --warmup 3 -N -i --export-json "$tmp/h.json" "$bin validate '$pkg'" >&2
	median=$(grep -m1 '"median"' "$tmp/h.json" | tr -dc '0-9.e-')
	awk -v s="$median" 'BEGIN { printf "validate-startup median %.2f ms\n", s * 1000 }'
	exit 0
fi

# time CMD... prints the median microseconds of $runs runs of CMD.
time_runs() {
	"$@" >/dev/null 2>&1 || true # warm the page cache
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The baseline is the same binary doing nothing but print its usage: the
# cost of starting a process of this size, measured in the same run.
base=$(time_runs "$bin" help)
val=$(time_runs "$bin" validate "$pkg")
awk -v b="$base" -v v="$val" 'BEGIN {
	printf "validate-startup median %.2f ms; baseline (dtsx help) %.2f ms\nratio validate_vs_process_start %.2f\n", v / 1000, b / 1000, v / b
}'
