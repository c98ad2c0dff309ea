#!/usr/bin/env bash
# load-memory.sh MB generates a package of about MB megabytes (default 200;
# internal/benchgen with ten Data Flow tasks and the elements validation
# reports in each container) in a temporary folder and prints the memory it
# takes per byte of input:
#
#   ratio validate_peak_rss_per_input X.XX   peak RSS of `dtsx validate` (GNU time -v)
#   ratio load_peak_heap_per_input X.XX      heap while loading, sampled every ms (loadmem)
#   ratio load_live_heap_per_input X.XX      heap held by the loaded package (loadmem)
#
# The goal for the first is below 5. The generated file is removed.
# Usage: bench/load-memory.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."

mb=${1:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/dtsx" ./cmd/dtsx
go build -o "$tmp/loadmem" ./internal/benchgen/loadmem
"$tmp/loadmem" gen -size "$mb" "$tmp/big.dtsx" >&2
size=$(wc -c <"$tmp/big.dtsx")

# loadmem: the load alone, then build and validate, in one process.
"$tmp/loadmem" load "$tmp/big.dtsx" | tee "$tmp/load.out" >&2
awk '$1 == "ratio" { print "ratio load_" $2, $3 }' "$tmp/load.out"

# dtsx validate as a user runs it; it exits 1 (the package has errors).
if /usr/bin/time -v -o "$tmp/time" true 2>/dev/null && grep -q 'Maximum resident' "$tmp/time"; then
	/usr/bin/time -v -o "$tmp/time" "$tmp/dtsx" validate "$tmp/big.dtsx" >"$tmp/validate.out" || true
	tail -1 "$tmp/validate.out" >&2
	kb=$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$tmp/time")
	wall=$(awk '/Elapsed \(wall clock\)/ { print $NF }' "$tmp/time")
	awk -v kb="$kb" -v s="$size" -v w="$wall" 'BEGIN {
		r = kb * 1024 / s
		printf "dtsx validate: peak RSS %.1f MiB for %.1f MiB of input, %s wall\n", kb / 1024, s / 1048576, w > "/dev/stderr"
		printf "ratio validate_peak_rss_per_input %.2f (goal < 5: %s)\n", r, (r < 5) ? "met" : "NOT met"
	}'
else
	echo "ratio validate_peak_rss_per_input unavailable (no GNU time -v)"
fi
