#!/bin/bash
# Per-process CPU of the HTTP gateway path against the Kafka path at saturation: one `sluice up`,
# one `sluice gateway` process (reply partition 1), 60 s of warm-up per path, then the runs of
# $MODES (default: kafka http-base64 http-float, twice), each a closed loop of 512 outstanding for
# 3,000 requests (http-base64 and http-float: `--http` with that `--http-encoding`), with the CPU ticks of the
# `sluice up` and gateway processes read from /proc before and after each run and the bench
# client's own CPU timed. Prints one line per run. Reports in $OUT (default benchmarks/target/gateway-cpu).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${OUT:-benchmarks/target/gateway-cpu}"; rm -rf "$out"; mkdir -p "$out"
data=$(mktemp -d)
cl=(--bootstrap-servers localhost:19092 --schema-registry-url http://localhost:18081)
./sluice up --data-dir $data --broker-port 19092 --registry-port 18081 --ingress-port 0 --worker-port 0 --monitor-port 0 --dashboard-port 0 --gateway-port 0 >$out/up.log 2>$out/up.err &
up=$!
for _ in $(seq 120); do grep -q "Press Ctrl-C" $out/up.log && break; sleep 1; done
./sluice gateway "${cl[@]}" --port 18180 --ops-port 18194 --reply-partition 1 >$out/gw.log 2>&1 &
gw=$!
for _ in $(seq 60); do curl -sf localhost:18194/health/ready >/dev/null && break; sleep 1; done
trap 'kill -TERM $gw $up 2>/dev/null; wait $gw $up 2>/dev/null; rm -rf $data' EXIT
upj=$(pgrep -f "sluice.jar up --data-dir $data" | head -1); gwj=$(pgrep -f "sluice.jar gateway" | head -1)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/$1/stat; }
./sluice bench "${cl[@]}" --concurrency 512 --duration 60s --output - >/dev/null 2>&1
./sluice bench "${cl[@]}" --http http://localhost:18180 --concurrency 512 --duration 60s --output - >/dev/null 2>&1
for mode in ${MODES:-kafka http-base64 http-float kafka http-base64 http-float}; do
  extra=(); [ $mode != kafka ] && extra=(--http http://localhost:18180 --http-encoding ${mode#http-})
  u0=$(ticks $upj); g0=$(ticks $gwj)
  TIMEFORMAT='%U %S'
  { time ./sluice bench "${cl[@]}" "${extra[@]}" --concurrency 512 --count 3000 --output - > $out/$mode.txt 2>/dev/null; } 2> $out/$mode-client.txt
  u1=$(ticks $upj); g1=$(ticks $gwj)
  tp=$(awk '/^outcome throughput/ { print $3; exit }' $out/$mode.txt)
  echo "$mode throughput $tp  sluice-up CPU $(( (u1-u0) ))/100 s  gateway CPU $(( (g1-g0) ))/100 s  bench client CPU $(awk '{print $1+$2}' $out/$mode-client.txt) s  (3000 requests)" | tee -a $out/summary.txt
done
