#!/usr/bin/env bash
# mail-throughput.sh: messages per second of `dtsx run` sending N mails from
# a Foreach Loop to Postfix's smtp-sink, beside Python's smtplib and
# Postfix's smtp-source sending the same N messages to the same sink, in
# one run. Packages (generated in a temporary directory by
# bench/mail_throughput.py):
#
#   dtsx_retain        Foreach Loop (Item enumerator, N items) around one Send
#                      Mail task, Subject from the item; RetainSameConnection=True
#   dtsx_new_conn      the same without RetainSameConnection (a session per mail)
#   dtsx_two_branches  two Foreach Loops, no precedence constraint, N/2 mails
#                      each, each with its own retained SMTP connection manager
#
# Every figure is N / the wall time of the whole command (process start
# included), the median of RUNS runs (default 5), each round in a rotated
# order. A dtsx figure counts only when the run exited 0 and its --json
# report has N records of kind mail. "net" figures subtract the startup
# baseline: `dtsx run` of an empty package, or python3 importing smtplib.
# It prints, besides one line per contender:
#
#   ratio retain_vs_smtplib_one_conn X.XX    dtsx_retain vs smtplib, one session
#   ratio new_conn_vs_smtplib_new_conn X.XX  dtsx_new_conn vs smtplib, a session per mail
#   ratio two_branches_vs_one X.XX           dtsx_two_branches vs dtsx_retain
#
# and exits 1 when a ratio is missing (a contender failed).
# Usage: bench/mail-throughput.sh [N]   (default 5000; RUNS=5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

n=${1:-5000}
runs=${RUNS:-5}
if ! [[ $n =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: bench/mail-throughput.sh [N]   (N > 0, RUNS > 0)" >&2
	exit 2
fi
# The interpreter itself, not a wrapper such as a pyenv shim (which would add
# its own start-up, about 130 ms, to every smtplib figure).
py=$(python3 -c 'import sys; print(sys.executable)') ||
	{ echo "mail-throughput.sh: python3 is needed (packages, smtplib)" >&2; exit 2; }
helper=$PWD/bench/mail_throughput.py

# The servers: started only when smtp-sink is not answering (start.sh must
# run as root, even to report a running set).
state=${SMTP_INFRA_STATE:-${TMPDIR:-/tmp}/dtsx-smtp-servers}
sink_port() { local p=2526; [[ -f $state/env ]] && p=$(. "$state/env" && echo "${SMTP_INFRA_SINK##*:}"); echo "${p:-2526}"; }
if ! (exec 3<>"/dev/tcp/127.0.0.1/$(sink_port)") 2>/dev/null; then
	../shared/smtp-servers/start.sh >/dev/null
fi
set -a; . "$state/env"; set +a
export DTSX_SMTP_ALLOWED_HOSTS=127.0.0.1,::1,localhost
host=127.0.0.1
port=${SMTP_INFRA_SINK##*:}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/dtsx" ./cmd/dtsx
dtsx=$tmp/dtsx
for k in retain new_conn two_branches empty; do
	"$py" "$helper" package "$k" "$n" "$port" "$tmp/$k.dtsx"
done
"$py" "$helper" message "$tmp/msg.eml"

smtp_source=$(command -v smtp-source || true)
for p in /usr/sbin/smtp-source /usr/lib/postfix/smtp-source /usr/libexec/postfix/smtp-source; do
	if [[ -z $smtp_source && -x $p ]]; then smtp_source=$p; fi
done

# Peak RSS: GNU time -v, else VmHWM polled from /proc while the run lasts.
rss_tool=none
if [[ -x /usr/bin/time ]] && /usr/bin/time -v -o "$tmp/t" true 2>/dev/null && grep -q 'Maximum resident' "$tmp/t"; then
	rss_tool=time
elif [[ -r /proc/self/status ]]; then
	rss_tool=proc
fi

now_us() { local t=${EPOCHREALTIME:-}; if [[ -n $t ]]; then t=${t/[.,]/}; echo "$t"; else echo $(($(date +%s%N) / 1000)); fi; }

# run_dtsx NAME PKG MAILS: one `dtsx run`, its wall microseconds appended to
# $tmp/NAME.us, peak RSS (KiB) to $tmp/NAME.rss and, with GNU time, user +
# system CPU microseconds to $tmp/NAME.cpu; a failed run or a report
# without MAILS mail records goes to $tmp/NAME.fail.
run_dtsx() {
	local name=$1 pkg=$2 mails=$3 t0 t1 rc=0 hwm=0 cpu="" counted pid l
	rm -f "$tmp/r.json"
	t0=$(now_us)
	case $rss_tool in
	time) /usr/bin/time -v -o "$tmp/rss" "$dtsx" run --json "$tmp/r.json" "$pkg" >"$tmp/$name.out" 2>&1 || rc=$? ;;
	proc)
		"$dtsx" run --json "$tmp/r.json" "$pkg" >"$tmp/$name.out" 2>&1 &
		pid=$!
		while l=$(grep VmHWM "/proc/$pid/status" 2>/dev/null); do
			l=${l//[!0-9]/}
			if ((l > hwm)); then hwm=$l; fi
			sleep 0.01
		done
		wait "$pid" || rc=$? ;;
	*) "$dtsx" run --json "$tmp/r.json" "$pkg" >"$tmp/$name.out" 2>&1 || rc=$? ;;
	esac
	t1=$(now_us)
	if [[ $rss_tool == time ]]; then
		hwm=$(awk -F: '/Maximum resident/ { print $2 + 0 }' "$tmp/rss")
		cpu=$(awk -F: '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.0f", s * 1e6 }' "$tmp/rss")
	fi
	counted=1
	"$py" "$helper" count "$tmp/r.json" "$mails" >"$tmp/count.out" 2>&1 || counted=0
	if ((rc != 0 || !counted)); then
		echo "dtsx exited $rc; $(head -c 400 "$tmp/count.out" | tr '\n' ' ')" >>"$tmp/$name.fail"
	else
		echo $((t1 - t0)) >>"$tmp/$name.us"
		echo "$hwm" >>"$tmp/$name.rss"
		if [[ -n $cpu ]]; then echo "$cpu" >>"$tmp/$name.cpu"; fi
	fi
}

# run_cmd NAME CMD...: one run of CMD, its wall microseconds appended to $tmp/NAME.us.
run_cmd() {
	local name=$1 t0 t1 rc=0
	shift
	t0=$(now_us)
	"$@" >"$tmp/$name.out" 2>&1 || rc=$?
	t1=$(now_us)
	if ((rc != 0)); then
		echo "exit code $rc: $(tail -n 1 "$tmp/$name.out" | cut -c -300)" >>"$tmp/$name.fail"
	else
		echo $((t1 - t0)) >>"$tmp/$name.us"
	fi
}

contenders=(dtsx_empty python3_import dtsx_retain dtsx_new_conn dtsx_two_branches smtplib_one_conn smtplib_new_conn)
if [[ -n $smtp_source ]]; then contenders+=(smtp_source_one_conn smtp_source_new_conn smtp_source_2_sessions); fi
run_one() {
	local src=("$smtp_source" -M localhost -f bench@example.com -t sink@example.com -F "$tmp/msg.eml" -m "$n")
	case $1 in
	dtsx_empty) run_dtsx dtsx_empty "$tmp/empty.dtsx" 0 ;;
	dtsx_retain) run_dtsx dtsx_retain "$tmp/retain.dtsx" "$n" ;;
	dtsx_new_conn) run_dtsx dtsx_new_conn "$tmp/new_conn.dtsx" "$n" ;;
	dtsx_two_branches) run_dtsx dtsx_two_branches "$tmp/two_branches.dtsx" "$n" ;;
	python3_import) run_cmd python3_import "$py" "$helper" smtplib one 0 "$host" "$port" ;;
	smtplib_one_conn) run_cmd smtplib_one_conn "$py" "$helper" smtplib one "$n" "$host" "$port" ;;
	smtplib_new_conn) run_cmd smtplib_new_conn "$py" "$helper" smtplib new "$n" "$host" "$port" ;;
	smtp_source_one_conn) run_cmd smtp_source_one_conn "${src[@]}" -s 1 -d "$host:$port" ;;
	smtp_source_new_conn) run_cmd smtp_source_new_conn "${src[@]}" -s 1 "$host:$port" ;;
	smtp_source_2_sessions) run_cmd smtp_source_2_sessions "${src[@]}" -s 2 -d "$host:$port" ;;
	esac
}

# Does RetainSameConnection take effect? Four mails per package, counting
# the SMTP sessions the debug log says were opened.
sessions() {
	"$py" "$helper" package "$1" 4 "$port" "$tmp/probe.dtsx"
	rm -f "$tmp/probe.log" # --log appends
	if "$dtsx" run --log "$tmp/probe.log" "$tmp/probe.dtsx" >/dev/null 2>&1; then
		grep -c '"smtp session ready"' "$tmp/probe.log" || true
	else
		echo "? (the run failed)"
	fi
}
echo "sessions opened for 4 mails: retain $(sessions retain) (want 1), two_branches $(sessions two_branches) (want 2), new_conn $(sessions new_conn) (want 4)"

echo "mail-throughput: N=$n messages to smtp-sink $host:$port, $runs runs each (median); wall time of the whole command, process start included"
for ((r = 0; r < runs; r++)); do
	c=${#contenders[@]}
	for ((i = 0; i < c; i++)); do
		run_one "${contenders[$(((i + r) % c))]}"
	done
done

median() { [[ -s $1 ]] && sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A us rate net
base_dtsx=$(median "$tmp/dtsx_empty.us" || echo 0)
base_py=$(median "$tmp/python3_import.us" || echo 0)
awk -v d="$base_dtsx" -v p="$base_py" 'BEGIN { printf "startup: dtsx run of an empty package %.1f ms; python3 importing smtplib %.1f ms\n", d / 1000, p / 1000 }'
if [[ -z $smtp_source ]]; then echo "smtp-source: not installed (Postfix's test tool, package postfix): skipped"; fi
for name in "${contenders[@]}"; do
	[[ $name == dtsx_empty || $name == python3_import ]] && continue
	if [[ -f $tmp/$name.fail ]]; then
		printf '%-24s failed in %d of %d runs: %s\n' "$name" "$(wc -l <"$tmp/$name.fail")" "$runs" "$(head -1 "$tmp/$name.fail")"
		continue
	fi
	us[$name]=$(median "$tmp/$name.us")
	base=0
	[[ $name == dtsx_* ]] && base=$base_dtsx
	[[ $name == smtplib_* ]] && base=$base_py
	rate[$name]=$(awk -v n="$n" -v t="${us[$name]}" 'BEGIN { printf "%.1f", n / (t / 1e6) }')
	net[$name]=$(awk -v n="$n" -v t="${us[$name]}" -v b="$base" 'BEGIN { printf "%.1f", (t > b) ? n / ((t - b) / 1e6) : 0 }')
	rss=""
	if [[ $name == dtsx_* ]]; then
		case $rss_tool in
		none) rss="; peak RSS unavailable" ;;
		*) rss=$(sort -n "$tmp/$name.rss" | tail -1 | awk -v t="$rss_tool" '{ printf "; peak RSS %.1f MiB (%s)", $1 / 1024, t == "time" ? "time -v" : "VmHWM" }') ;;
		esac
		[[ ! -s $tmp/$name.cpu ]] || rss+=$(awk -v c="$(median "$tmp/$name.cpu")" -v t="${us[$name]}" 'BEGIN { printf "; CPU %.0f ms (%.0f%% of wall)", c / 1000, 100 * c / t }')
	fi
	spread=$(sort -n "$tmp/$name.us" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f-%.0f", lo / 1000, hi / 1000 }')
	printf '%-24s %9.1f msgs/s  %8.1f ms (runs %s ms)  net of startup %9.1f msgs/s%s\n' "$name" "${rate[$name]}" \
		"$(awk -v t="${us[$name]}" 'BEGIN { print t / 1000 }')" "$spread" "${net[$name]}" "$rss"
done

# ratio NAME A B GOAL: A's msgs/s over B's, whole commands (and net of startup).
bad=0
ratio() {
	if [[ -z ${rate[$2]:-} || -z ${rate[$3]:-} ]]; then
		echo "ratio $1 missing ($2 or $3 failed)"
		bad=1
		return
	fi
	awk -v name="$1" -v a="${rate[$2]}" -v b="${rate[$3]}" -v na="${net[$2]}" -v nb="${net[$3]}" -v goal="$4" 'BEGIN {
		printf "ratio %s %.2f\n", name, a / b
		printf "  net of startup %.2f; goal >= %.1f %s\n", (nb > 0) ? na / nb : 0, goal, (a / b >= goal) ? "met" : "NOT met"
	}'
}
ratio retain_vs_smtplib_one_conn dtsx_retain smtplib_one_conn 1.0
ratio new_conn_vs_smtplib_new_conn dtsx_new_conn smtplib_new_conn 0.8
ratio two_branches_vs_one dtsx_two_branches dtsx_retain 1.5
exit $bad
