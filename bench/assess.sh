#!/usr/bin/env bash
# assess.sh times `dtsx assess` over a generated folder of N packages
# (default 500: copies of the samples and of the corpus folders, each copy
# with the project files beside its packages) against reading the same
# bytes, and prints
#
#   assess_packages N
#   assess_seconds X.XX             the median of RUNS (default 5) runs
#   rawtoken_seconds X.XX           an encoding/xml RawToken scan of the same
#                                   package and project files (internal/benchgen/rawscan)
#   cat_seconds X.XX                cat of every file of the folder
#   ratio assess_vs_rawtoken X.X    how many times the scan the assessment takes
#   ratio assess_vs_cat X.X
#
# The folder is a temporary one, removed at the end. Usage:
# bench/assess.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
runs=${RUNS:-5}
corpus=${DTSX_CORPUS:-../shared/corpus}
export DTSX_ALLOWED_HOSTS=${DTSX_ALLOWED_HOSTS:-127.0.0.1,::1,localhost}
export DTSX_SMTP_ALLOWED_HOSTS=${DTSX_SMTP_ALLOWED_HOSTS:-127.0.0.1,::1,localhost}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/dtsx" ./cmd/dtsx
go build -o "$tmp/rawscan" ./internal/benchgen/rawscan
dir=$tmp/packages
mkdir -p "$dir"
count() { find "$dir" -name '*.dtsx' | wc -l; }
i=0
while (( $(count) < n )); do
	i=$((i + 1))
	mkdir -p "$dir/samples-$i"
	cp samples/*.dtsx "$dir/samples-$i/"
	if [[ -d $corpus ]]; then
		for d in "$corpus"/*/; do
			(( $(count) >= n )) && break
			cp -r "$d" "$dir/corpus-$i-$(basename "$d")"
		done
	fi
done
# Trim to exactly n packages.
find "$dir" -name '*.dtsx' | sort | tail -n +$((n + 1)) | while read -r f; do rm -f "$f"; done
echo "assess_packages $(count)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
elapsed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
assess=() raws=() cats=()
for _ in $(seq "$runs"); do
	assess+=("$(elapsed "$tmp/dtsx" assess --capture --json=/dev/null "$dir")")
	raws+=("$(elapsed "$tmp/rawscan" "$dir")")
	cats+=("$(elapsed sh -c "find '$dir' -type f -exec cat {} + >/dev/null")")
done
a=$(printf '%s\n' "${assess[@]}" | median)
r=$(printf '%s\n' "${raws[@]}" | median)
c=$(printf '%s\n' "${cats[@]}" | median)
printf 'assess_seconds %.2f\nrawtoken_seconds %.2f\ncat_seconds %.2f\n' "$a" "$r" "$c"
printf 'ratio assess_vs_rawtoken %.1f\nratio assess_vs_cat %.1f\n' "$(echo "$a / $r" | bc -l)" "$(echo "$a / $c" | bc -l)"
