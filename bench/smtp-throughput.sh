#!/usr/bin/env bash
# Messages per second over one SMTP session to Postfix's smtp-sink: this
# project's session (Dial + Send) against a bare go-smtp loop, in one run.
# Usage: bench/smtp-throughput.sh [N]   (N messages per run, default 2000; 6 runs each, alternating)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
../shared/smtp-servers/start.sh >/dev/null
state=${SMTP_INFRA_STATE:-${TMPDIR:-/tmp}/dtsx-smtp-servers}
set -a; . "$state/env"; set +a
export DTSX_REAL_SMTP=1 DTSX_SMTP_ALLOWED_HOSTS=127.0.0.1,::1,localhost
go test -c -o /tmp/dtsx-smtp-bench.test ./connections/smtp
out=""
for i in 1 2 3 4 5 6; do   # alternate the order, so that neither always runs first
  if [ $((i % 2)) = 1 ]; then order="dtsx raw-go-smtp"; else order="raw-go-smtp dtsx"; fi
  for sub in $order; do
    out+=$(/tmp/dtsx-smtp-bench.test -test.run '^$' -test.bench "BenchmarkSendSink/$sub\$" -test.benchtime "${n}x")$'\n'
  done
done
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk '
  /SendSink\/dtsx/        { for (i=1;i<=NF;i++) if ($(i+1)=="msgs/s") d[++nd]=$i }
  /SendSink\/raw-go-smtp/ { for (i=1;i<=NF;i++) if ($(i+1)=="msgs/s") r[++nr]=$i }
  function median(a, n,   i, j, t) { for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (a[j]<a[i]) { t=a[i]; a[i]=a[j]; a[j]=t }
                                      return (n%2) ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2 }
  END { md=median(d,nd); mr=median(r,nr)
        printf "dtsx_msgs_per_s %.0f\nraw_go_smtp_msgs_per_s %.0f\nratio send_vs_raw_go_smtp %.2f\n", md, mr, md/mr }'
