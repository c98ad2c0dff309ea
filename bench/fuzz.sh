#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the module, one after the other, for
# DURATION each (default 5m; anything -fuzztime takes: 90s, 10m, 100000x).
# The targets are what `go test -list '^Fuzz'` lists in each package whose
# tests declare a func Fuzz*. Per target it prints the package, the name,
# the execs count (go test's last "fuzz: elapsed: …, execs: N" line) and ok
# or FAIL; a failing input is kept where go test writes it
# (PKG/testdata/fuzz/NAME/…), to be added as a regression case. A run whose
# only failure is Go's own "context deadline exceeded" at the end of
# -fuzztime (go.dev/issue/75804), with no failing input and a clean replay
# of the corpus, is reported as such and not counted as a failure; so is a
# target whose time all went to replaying its corpus (execs 0). Exits 1
# when a target fails, 2 when there is nothing to run. .ci/run does not
# call it.
# Usage: bench/fuzz.sh [DURATION]      FUZZ_PARALLEL=N sets -parallel.
set -euo pipefail
cd "$(dirname "$0")/.."

export GOTOOLCHAIN=${GOTOOLCHAIN:-local}
# Fuzzed code never dials, but if it did it would reach loopback only.
export DTSX_SMTP_ALLOWED_HOSTS=${DTSX_SMTP_ALLOWED_HOSTS:-127.0.0.1,::1,localhost}

dur=${1:-5m}
if [[ $# -gt 1 || ! $dur =~ ^[0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h|x)$ ]]; then
	echo "usage: bench/fuzz.sh [DURATION]   e.g. 10s, 5m, 100000x" >&2
	exit 2
fi
parallel=()
if [[ -n ${FUZZ_PARALLEL:-} ]]; then
	parallel=(-parallel "$FUZZ_PARALLEL")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The packages whose test files declare a fuzz target, then the targets go
# test itself lists in each (a build tag or a typo would show here).
mapfile -t dirs < <(git ls-files -co --exclude-standard '*_test.go' | xargs grep -l '^func Fuzz' | xargs -n1 dirname | sort -u)
targets=()
for d in "${dirs[@]}"; do
	pkg=./$d
	if ! go test -list '^Fuzz' -run '^$' "$pkg" >"$tmp/list" 2>&1; then
		echo "fuzz.sh: go test -list failed in $pkg:" >&2
		cat "$tmp/list" >&2
		exit 1
	fi
	while read -r name; do
		targets+=("$pkg $name")
	done < <(grep -E '^Fuzz[A-Za-z0-9_]*$' "$tmp/list")
done
if [[ ${#targets[@]} -eq 0 ]]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 2
fi
echo "${#targets[@]} fuzz targets, $dur each" >&2

# deadline_race LOG: the only failure in LOG is a bare "context deadline
# exceeded" of the target, with no panic and no error of its own.
deadline_race() {
	local body
	body=$(sed -n '/^--- FAIL/,/^FAIL/p' "$1" | grep -vE '^--- FAIL|^FAIL|^exit status' | sed 's/^[[:space:]]*//' | sort -u)
	[[ $body == "context deadline exceeded" ]]
}

failed=0
flaked=0
short=0
total=0
printf '%-26s %-20s %14s  %s\n' package target execs result
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	log=$tmp/$(echo "$pkg-$name" | tr '/.' '__').log
	rc=0
	go test -run '^$' -fuzz "^$name\$" -fuzztime "$dur" "${parallel[@]}" "$pkg" >"$log" 2>&1 || rc=$?
	# The last progress line holds the final count.
	execs=$({ grep -oE 'fuzz: elapsed: [^,]+, execs: [0-9]+' "$log" || true; } | tail -1 | sed -E 's/.*execs: //')
	execs=${execs:-0}
	total=$((total + execs))
	kept=$({ grep -oE 'Failing input written to [^ ]+' "$log" || true; } | head -1 | sed 's/.* //')
	if [[ $rc -eq 0 ]] && ! grep -qE '^--- FAIL|^FAIL' "$log"; then
		result=ok
		if [[ $execs -eq 0 ]]; then
			# The time went to replaying the corpus (the seeds and what
			# earlier runs found) before any new input was tried.
			baseline=$({ grep -oE 'gathering baseline coverage: [0-9]+/[0-9]+' "$log" || true; } | tail -1 | sed 's/.*: //')
			short=$((short + 1))
			result="ok, but no new input tried: $dur only replayed ${baseline:-part} of the corpus"
		fi
	elif [[ -z $kept ]] && deadline_race "$log" && go test -count=1 -run "^$name\$" "$pkg" >>"$log" 2>&1; then
		# Go's coordinator can report its own -fuzztime deadline as a
		# failure of the target (go.dev/issue/75804, fixed in Go 1.27):
		# no input failed, and the corpus replays clean.
		flaked=$((flaked + 1))
		result="ok (the -fuzztime deadline race, go.dev/issue/75804: no failing input, corpus replay passes)"
	else
		failed=$((failed + 1))
		result="FAIL (exit $rc${kept:+, input $pkg/$kept})"
	fi
	printf '%-26s %-20s %14s  %s\n' "$pkg" "$name" "$execs" "$result"
	if [[ $result == FAIL* ]]; then
		if grep -q -- '--- FAIL' "$log"; then
			sed -n '/--- FAIL/,$p' "$log" | head -40 | sed 's/^/    /'
		else
			tail -20 "$log" | sed 's/^/    /'
		fi
	fi
done
echo "fuzz: ${#targets[@]} targets, $total execs, $failed failed, $flaked stopped by the deadline race, $short with no new input tried"
[[ $failed -eq 0 ]]
