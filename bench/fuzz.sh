#!/usr/bin/env bash
# bench/fuzz.sh [DURATION]: runs every Fuzz* target of the module, one after
# another, each for DURATION (go test's -fuzztime: 5m, 30s, 10000x; default
# 5m), and prints a line per target with its execs and its verdict. Exits 1
# when a target finds a failure (go test writes the input under the
# package's testdata/fuzz/ to replay) or does not run.
set -uo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
dur=${1:-5m}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
failed=0 count=0
printf '%-40s %-18s %14s  %s\n' package target execs verdict
for pkg in $(go list ./...); do
  targets=$(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
  for t in $targets; do
    count=$((count + 1))
    out="$log/$count.txt"
    if go test -run '^$' -fuzz "^${t}\$" -fuzztime "$dur" "$pkg" >"$out" 2>&1; then
      verdict=ok
    else
      verdict=FAILED; failed=1
    fi
    # the last progress line: "fuzz: elapsed: 5m0s, execs: 1234567 (4115/sec), new interesting: …"
    execs=$(grep -o 'execs: [0-9]*' "$out" | tail -1 | awk '{print $2}')
    printf '%-40s %-18s %14s  %s\n' "${pkg#github.com/dtsx-run/dtsx/}" "$t" "${execs:-?}" "$verdict"
    if [ "$verdict" = FAILED ]; then sed 's/^/    /' "$out" | tail -30; fi
  done
done
if [ "$count" -eq 0 ]; then echo "no Fuzz targets found"; exit 1; fi
echo "targets $count, duration each $dur, failed $failed"
exit "$failed"
