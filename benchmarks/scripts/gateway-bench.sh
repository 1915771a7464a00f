#!/usr/bin/env bash
# The HTTP gateway against Kafka directly, interleaved A B A B on one machine, $PAIRS pairs (2).
# One `sluice up` (broker, registry, ingress, monitor, one worker, the bundled model) and one
# `sluice gateway` in its own process (reply partition 1, so its heap and threads are its own) run
# throughout; `sluice bench` is the load from a second process, producing to Kafka (A) or calling
# POST /v1/embeddings on the gateway (B, `--http`, one text per call, base64 answers; ENCODING=float for JSON floats). After a warm-up at saturation of $WARM (180s)
# through each path, per pair:
#   saturation: closed loop, 512 outstanding, $COUNT requests (3000), A then B;
#   half load: open loop at half of A's saturation for 30 s after 5 s of warm-up, A then B.
# Then 2,000 calls held at once on the gateway (closed loop, 30 s), with the gateway process's heap
# and live threads from its /metrics. Prints a line per pair, the medians, and last the ratio and
# the p99 difference. Reports land in $OUT (default benchmarks/target/gateway-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-$here/benchmarks/target/gateway-bench}"
pairs="${PAIRS:-2}"
count="${COUNT:-3000}"
warm="${WARM:-180s}"
broker_port="${BROKER_PORT:-19092}"
registry_port="${REGISTRY_PORT:-18081}"
gateway_port="${GATEWAY_PORT:-18180}"
ops_port="${GATEWAY_OPS_PORT:-18194}"
cluster=(--bootstrap-servers "localhost:$broker_port" --schema-registry-url "http://localhost:$registry_port")
http=(--http "http://localhost:$gateway_port" --http-encoding "${ENCODING:-base64}")
mkdir -p "$out"

throughput() { awk '/^outcome throughput/ { gsub("/s", "", $3); print $3; exit }' "$1"; }
latency() { awk -v col="$2" '/^latency of OK results/ { getline; getline; print $col; exit }' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
metric() { curl -s "localhost:$ops_port/metrics" | awk -v m="$1" 'index($0, m) == 1 { sum += $NF } END { printf "%.0f", sum }'; }

up=""; gw=""; data=""
stop_all() {
  if [ -n "$gw" ]; then kill -TERM "$gw" 2>/dev/null || true; wait "$gw" 2>/dev/null || true; gw=""; fi
  if [ -n "$up" ]; then kill -TERM "$up" 2>/dev/null || true; wait "$up" 2>/dev/null || true; up=""; fi
  if [ -n "$data" ]; then rm -rf "$data"; data=""; fi
}
trap stop_all EXIT

"$here/sluice" --version >/dev/null   # builds the jar first when sources changed
data="$(mktemp -d)"
"$here/sluice" up --data-dir "$data" --broker-port "$broker_port" --registry-port "$registry_port" --ingress-port 0 --worker-port 0 \
    --monitor-port 0 --dashboard-port 0 --gateway-port 0 >"$out/up.log" 2>"$out/up.err" &
up=$!
for _ in $(seq 180); do grep -q "Press Ctrl-C" "$out/up.log" && break; sleep 1; done
grep -q "Press Ctrl-C" "$out/up.log" || { echo "sluice up did not come up; see $out/up.err" >&2; exit 1; }
"$here/sluice" gateway "${cluster[@]}" --port "$gateway_port" --ops-port "$ops_port" --reply-partition 1 >"$out/gateway.log" 2>&1 &
gw=$!
for _ in $(seq 60); do curl -sf "localhost:$ops_port/health/ready" >/dev/null && break; sleep 1; done
curl -sf "localhost:$ops_port/health/ready" >/dev/null || { echo "sluice gateway did not come up; see $out/gateway.log" >&2; exit 1; }

"$here/sluice" bench "${cluster[@]}" --concurrency 512 --duration "$warm" --output - 2>/dev/null >"$out/warm-kafka.txt"
"$here/sluice" bench "${cluster[@]}" "${http[@]}" --concurrency 512 --duration "$warm" --output - 2>/dev/null >"$out/warm-http.txt"

printf '%-5s %10s %10s %6s %10s %10s %10s %10s\n' pair "kafka/s" "http/s" ratio "kafka p50" "http p50" "kafka p99" "http p99" | tee "$out/pairs.txt"
for pair in $(seq "$pairs"); do
  p="$out/pair-$pair"
  mkdir -p "$p"
  "$here/sluice" bench "${cluster[@]}" --concurrency 512 --count "$count" --output "$p/sat-kafka.json" 2>/dev/null >"$p/sat-kafka.txt"
  "$here/sluice" bench "${cluster[@]}" "${http[@]}" --concurrency 512 --count "$count" --output "$p/sat-http.json" 2>/dev/null >"$p/sat-http.txt"
  kafka=$(throughput "$p/sat-kafka.txt"); viahttp=$(throughput "$p/sat-http.txt")
  half=$(awk -v s="$kafka" 'BEGIN { printf "%d", s / 2 }')
  "$here/sluice" bench "${cluster[@]}" --rate "$half" --duration 30s --warmup 5s --output "$p/half-kafka.json" 2>/dev/null >"$p/half-kafka.txt"
  "$here/sluice" bench "${cluster[@]}" "${http[@]}" --rate "$half" --duration 30s --warmup 5s --output "$p/half-http.json" 2>/dev/null \
      >"$p/half-http.txt"
  printf '%-5s %10s %10s %6s %10s %10s %10s %10s\n' "$pair" "$kafka" "$viahttp" "$(awk -v a="$viahttp" -v b="$kafka" 'BEGIN { printf "%.2f", a / b }')" \
      "$(latency "$p/half-kafka.txt" 1)" "$(latency "$p/half-http.txt" 1)" "$(latency "$p/half-kafka.txt" 4)" "$(latency "$p/half-http.txt" 4)" \
      | tee -a "$out/pairs.txt"
done

"$here/sluice" bench "${cluster[@]}" "${http[@]}" --concurrency 2000 --duration 30s --warmup 5s --timeout 120s --output "$out/held-2000.json" \
    2>/dev/null >"$out/held-2000.txt" &
bench=$!
peak_heap=0; peak_threads=0; peak_waiting=0
while kill -0 "$bench" 2>/dev/null; do
  heap=$(metric 'jvm_memory_used_bytes{area="heap"'); threads=$(metric jvm_threads_live_threads); waiting=$(metric sluice_gateway_replies_waiting)
  [ "$heap" -gt "$peak_heap" ] && peak_heap=$heap
  [ "$threads" -gt "$peak_threads" ] && peak_threads=$threads
  [ "$waiting" -gt "$peak_waiting" ] && peak_waiting=$waiting
  sleep 1
done
wait "$bench" || true
echo "2000 held: $(grep -E '^(sent|outcome|errors|missing|send failures)' "$out/held-2000.txt" | tr '\n' ' ')" | tee "$out/held.txt"
echo "gateway process during it: peak heap used $((peak_heap / 1048576)) MiB, peak live threads $peak_threads, peak requests waiting $peak_waiting" \
    | tee -a "$out/held.txt"
stop_all

column() { awk -v c="$1" 'NR > 1 { print $c }' "$out/pairs.txt" | median; }
printf '%-5s %10s %10s %6s %10s %10s %10s %10s\n' median "$(column 2)" "$(column 3)" "$(column 4)" "$(column 5)" "$(column 6)" \
    "$(column 7)" "$(column 8)" | tee -a "$out/pairs.txt"
printf "gateway/kafka saturation: %.2f; half-load p99 gateway minus kafka: %.1f ms (medians of %s pairs)\n" "$(column 4)" \
    "$(awk -v a="$(column 8)" -v b="$(column 7)" 'BEGIN { print a - b }')" "$pairs" | tee -a "$out/pairs.txt"
