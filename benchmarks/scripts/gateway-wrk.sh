#!/usr/bin/env bash
# Saturation through the HTTP gateway with wrk (Debian's `wrk`: apt-get install wrk) as the load,
# against saturation through Kafka with `sluice bench`, interleaved Kafka, wrk, ... $PAIRS pairs (3).
# One `sluice up` and one `sluice gateway` (reply partition 1) run throughout. wrk sends the texts
# `sluice bench` sends (benchmarks/scripts/BenchTexts.java, a fresh tag per run so the result cache
# answers none), one per call, base64, closed loop over 512 connections for $SECONDS_HTTP (20) s;
# the Kafka side is a closed loop of 512 outstanding for $COUNT (3000) requests. After 60 s of
# warm-up per path. Prints one line per pair and the median ratio. Reports in $OUT.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-$here/benchmarks/target/gateway-wrk}"
pairs="${PAIRS:-3}"; count="${COUNT:-3000}"; seconds="${SECONDS_HTTP:-20}"
cl=(--bootstrap-servers localhost:19092 --schema-registry-url http://localhost:18081)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$out"
up=""; gw=""; data=""
stop_all() {
  if [ -n "$gw" ]; then kill -TERM "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true; fi
  if [ -n "$up" ]; then kill -TERM "$up" 2>/dev/null || true; wait "$up" 2>/dev/null || true; fi
  if [ -n "$data" ]; then rm -rf "$data"; fi
}
trap stop_all EXIT
"$here/sluice" --version >/dev/null
data="$(mktemp -d)"
"$here/sluice" up --data-dir "$data" --broker-port 19092 --registry-port 18081 --ingress-port 0 --worker-port 0 --monitor-port 0 \
    --dashboard-port 0 --gateway-port 0 >"$out/up.log" 2>"$out/up.err" &
up=$!
for _ in $(seq 180); do grep -q "Press Ctrl-C" "$out/up.log" && break; sleep 1; done
"$here/sluice" gateway "${cl[@]}" --port 18180 --ops-port 18194 --reply-partition 1 >"$out/gateway.log" 2>&1 &
gw=$!
for _ in $(seq 60); do curl -sf localhost:18194/health/ready >/dev/null && break; sleep 1; done

wrk_run() {  # seconds, run name (each run's texts are its own: no result-cache hits) -> requests/s
  java -cp "$here/cli/target/sluice.jar" "$here/benchmarks/scripts/BenchTexts.java" $((400 * $1)) "$2x$$" >"$out/bodies-$2.jsonl"
  BODIES="$out/bodies-$2.jsonl" WRK_THREADS=2 wrk -t2 -c512 -d"$1"s --timeout 60s --latency -s "$here/benchmarks/scripts/wrk-embeddings.lua" \
      http://localhost:18180 >"$out/wrk-$2.txt"
  rm -f "$out/bodies-$2.jsonl"
  awk '/^Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF } END { if (bad > 0) print "non-2xx: " bad > "/dev/stderr"; print rps }' "$out/wrk-$2.txt"
}
"$here/sluice" bench "${cl[@]}" --concurrency 512 --duration 60s --output - >/dev/null 2>&1
wrk_run 60 warm >/dev/null
printf '%-5s %10s %10s %6s\n' pair "kafka/s" "wrk/s" ratio | tee "$out/pairs.txt"
for pair in $(seq "$pairs"); do
  "$here/sluice" bench "${cl[@]}" --concurrency 512 --count "$count" --output - 2>/dev/null >"$out/kafka-$pair.txt"
  kafka=$(awk '/^outcome throughput/ { gsub("/s", "", $3); print $3; exit }' "$out/kafka-$pair.txt")
  viahttp=$(wrk_run "$seconds" "pair$pair")
  printf '%-5s %10s %10s %6s\n' "$pair" "$kafka" "$viahttp" "$(awk -v a="$viahttp" -v b="$kafka" 'BEGIN { printf "%.2f", a / b }')" | tee -a "$out/pairs.txt"
done
awk 'NR > 1 { print $4 }' "$out/pairs.txt" | sort -g | awk '{ v[NR] = $1 } END { print "median wrk/kafka saturation: " ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }' \
    | tee -a "$out/pairs.txt"
