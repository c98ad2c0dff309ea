# time_ratios.awk reads lines "SIDE SECONDS PEAK_RSS_KB", one a run (the
# output of /usr/bin/time -f "%e %M" behind the side's name), and prints on
# stderr, for each side named in -v sides="SIDE|LABEL|RATE;...", a line
# "LABEL median S s (R RATE), peak RSS M MiB", LABEL a printf format given
# -v n (the rows or statements of one run). Sides without runs are passed
# over. Then it prints, for each ratio in -v ratios="NAME SLOW FAST [GOAL];...",
# the ratio of SLOW's median time to FAST's (FAST's rate over SLOW's), with
# "goal >= GOAL: met|NOT met" when GOAL is given, and for each in
# -v rss="NAME A B;..." the ratio of A's peak RSS to B's. A ratio whose sides
# have no runs is printed as missing and makes the exit status 1.
{ t[$1, ++c[$1]] = $2; if ($3 > m[$1]) m[$1] = $3 }
function median(side,   k, i, j, x, a) {
	k = c[side]
	for (i = 1; i <= k; i++) a[i] = t[side, i]
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
	return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
function missing(name, a, b) {
	if ((a in c) && (b in c)) return 0
	printf "ratio %s missing (no runs of %s or %s)\n", name, a, b
	bad = 1
	return 1
}
END {
	k = split(sides, list, ";")
	for (i = 1; i <= k; i++) {
		if (split(list[i], f, "|") < 3 || !(f[1] in c)) continue
		s = median(f[1])
		printf "%s median %.2f s (%.0f%s), peak RSS %.1f MiB\n", sprintf(f[2], n), s, n / s, f[3], m[f[1]] / 1024 > "/dev/stderr"
	}
	k = split(ratios, list, ";")
	for (i = 1; i <= k; i++) {
		if (split(list[i], f, " ") < 3 || missing(f[1], f[2], f[3])) continue
		r = median(f[2]) / median(f[3])
		if (f[4] != "") printf "ratio %s %.2f (goal >= %s: %s)\n", f[1], r, f[4], (r >= f[4] + 0) ? "met" : "NOT met"
		else printf "ratio %s %.2f\n", f[1], r
	}
	k = split(rss, list, ";")
	for (i = 1; i <= k; i++) {
		if (split(list[i], f, " ") < 3 || missing(f[1], f[2], f[3])) continue
		printf "ratio %s %.2f\n", f[1], m[f[2]] / m[f[3]]
	}
	exit bad
}
