#!/bin/sh
# dataflow-buffers.sh: the data flow buffer representation, measured.
# Runs BenchmarkRepresentation (the orders pipeline, 1,000,000 rows, with
# columnar buffers in the engine, row-major typed cells and row-major boxed
# values) and BenchmarkPeakHeap (the engine's peak heap at 100k and 1M
# rows) RUNS times (default 5), interleaved, and prints the median of each
# and the ratios: speed of each representation against the columnar engine
# (above 1 is faster than the engine) and peak heap at 1M over 100k rows
# and at 10M over 1M rows.
set -eu
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
RUNS=${RUNS:-5}
go test -run '^$' -bench 'BenchmarkRepresentation|BenchmarkPeakHeap' -benchmem -count "$RUNS" ./tasks/dataflow/ |
awk '
function median(name,   n, i, j, t, a) {
	n = split(vals[name], a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
	for (i = 2; i <= NF; i++) {
		if ($(i) == "ns/op") vals[name] = vals[name] " " $(i - 1)
		if ($(i) == "peak-MiB") peak[name] = peak[name] " " $(i - 1)
		if ($(i) == "B/op") bytes[name] = $(i - 1)
	}
	names[name] = 1
}
END {
	for (n in names) if (n ~ /^Representation/) printf "%-40s %8.1f ms/op  %12d B/op\n", n, median(n) / 1e6, bytes[n]
	base = median("Representation/columnar-engine")
	for (n in names) if (n ~ /^Representation/ && n != "Representation/columnar-engine")
		printf "ratio %s_vs_columnar_engine %.2f\n", substr(n, 16), base / median(n)
	for (n in peak) vals[n "#peak"] = peak[n]
	small = median("PeakHeap/rows=100k#peak"); large = median("PeakHeap/rows=1M#peak"); huge = median("PeakHeap/rows=10M#peak")
	printf "peak heap: %.1f MiB at 100k rows, %.1f MiB at 1M rows, %.1f MiB at 10M rows\n", small, large, huge
	printf "ratio peak_heap_1M_vs_100k %.2f\n", large / small
	printf "ratio peak_heap_10M_vs_1M %.2f\n", huge / large
}'
