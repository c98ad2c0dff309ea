# mbps_ratios.awk reads `go test -bench` output and prints, for each ratio
# named in -v ratios="NAME A B [GOAL];...", the ratio of benchmark A's MB/s
# median to benchmark B's over the -count runs (names without the
# -GOMAXPROCS suffix), with "goal >= GOAL: met|NOT met" when GOAL is given,
# and the medians on stderr. A ratio whose benchmarks gave no MB/s is
# printed as missing and makes the exit status 1.
$1 ~ /^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 2; i < NF; i++) if ($(i+1) == "MB/s") runs[name, ++n[name]] = $i
}
END {
	for (k in n) {
		c = n[k]
		# insertion sort of this benchmark's runs, for the median
		for (i = 2; i <= c; i++) for (j = i; j > 1 && runs[k, j-1] > runs[k, j]; j--) {
			t = runs[k, j]; runs[k, j] = runs[k, j-1]; runs[k, j-1] = t
		}
		med[k] = (c % 2) ? runs[k, (c + 1) / 2] : (runs[k, c / 2] + runs[k, c / 2 + 1]) / 2
		printf "median %s %.2f MB/s\n", k, med[k] > "/dev/stderr"
	}
	bad = 0
	m = split(ratios, list, ";")
	for (i = 1; i <= m; i++) {
		if (split(list[i], f, " ") < 3) continue
		a = f[2]; b = f[3]
		if (!(a in med) || !(b in med) || med[b] == 0) {
			printf "ratio %s missing (no MB/s for %s or %s)\n", f[1], a, b
			bad = 1
			continue
		}
		r = med[a] / med[b]
		if (f[4] != "") printf "ratio %s %.2f (goal >= %s: %s)\n", f[1], r, f[4], (r >= f[4] + 0) ? "met" : "NOT met"
		else printf "ratio %s %.2f\n", f[1], r
	}
	exit bad
}
