#!/usr/bin/env bash
# The whole pipeline against its model alone, interleaved A B A B on one machine, $PAIRS pairs (3).
# One `sluice up` (the local broker and registry, ingress, monitor, dashboard, one worker, the bundled
# model 90/10 fp32/quantized) runs throughout and is first warmed up at saturation for $WARM (480s):
# in one process on 2 cores the JIT compiles for minutes, and a pipeline's steady state is what it
# serves for hours. Then, per pair:
#   A. the pipeline is frozen (SIGSTOP, so it takes no CPU) while the model runs alone (ModelAlone:
#      the bundled model's two versions as `sluice up` deploys them, worker runtime defaults, the
#      90/10 split, on the texts `sluice bench` sends), no Kafka; then the pipeline is thawed
#      (SIGCONT) and warmed up again at saturation for $REWARM (30s) while its groups settle;
#   B. with `sluice bench`: lone requests ($LONE, 20, one at a time, 1 per second, on the idle
#      pipeline); saturation (closed loop, 512 outstanding, $COUNT requests, 4000), timing the CPU of
#      the `sluice up` process outside the model's predictor threads (from /proc); half of that
#      saturation (open loop, 30 s after 5 s of warm-up);
#   C. the pipeline frozen again, the model's own latency floor at that same half-load rate (ModelQueue:
#      the same open-loop arrivals into an in-memory queue, one flush of everything waiting at a time,
#      no Kafka), so the pipeline's half-load latency can be read against what its model allows.
# Prints a line per pair, the medians, and last `pipeline/model: 0.NN (median of N pairs)`.
# Reports land in $OUT (default benchmarks/target/pipeline-bench). Needs JDK 17+, Maven, Linux /proc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-$here/benchmarks/target/pipeline-bench}"
pairs="${PAIRS:-3}"
count="${COUNT:-4000}"
lone="${LONE:-20}"
warm="${WARM:-480s}"
rewarm="${REWARM:-30s}"
broker_port="${BROKER_PORT:-19092}"
registry_port="${REGISTRY_PORT:-18081}"
cluster=(--bootstrap-servers "localhost:$broker_port" --schema-registry-url "http://localhost:$registry_port")
mkdir -p "$out"
hz="$(getconf CLK_TCK)"

"$here/sluice" --version >/dev/null   # builds the jar first when sources changed
(cd "$here" && mvn -B -o -q install -DskipTests -pl benchmarks -am 2>/dev/null && mvn -B -o -q -pl benchmarks dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath)
classpath="$here/benchmarks/target/classes:$(cat "$here/benchmarks/target/bench.classpath")"

# CPU ticks of a process: all its threads (dead ones included), or only its model predictor threads.
process_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
model_ticks() {
  for stat in /proc/"$1"/task/*/stat; do cat "$stat" 2>/dev/null || true; echo; done | awk '
    /\(sluice-model-/ { sub(/^.*\) /, ""); ticks += $12 + $13 } END { print ticks + 0 }'
}
# A figure from a `sluice bench` text report.
throughput() { awk '/^outcome throughput/ { gsub("/s", "", $3); print $3; exit }' "$1"; }
latency() { awk -v col="$2" '/^latency of OK results/ { getline; getline; print $col; exit }' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

up=""
data=""
stop_up() {
  if [ -n "$up" ]; then kill -CONT "$up" 2>/dev/null || true; kill -TERM "$up" 2>/dev/null || true; wait "$up" 2>/dev/null || true; up=""; fi
  if [ -n "$data" ]; then rm -rf "$data"; data=""; fi
}
trap stop_up EXIT

data="$(mktemp -d)"
"$here/sluice" up --data-dir "$data" --broker-port "$broker_port" --registry-port "$registry_port" \
    --ingress-port 0 --worker-port 0 --monitor-port 0 --dashboard-port 0 >"$out/up.log" 2>"$out/up.err" &
up=$!
for _ in $(seq 180); do grep -q "Press Ctrl-C" "$out/up.log" && break; sleep 1; done
grep -q "Press Ctrl-C" "$out/up.log" || { echo "sluice up did not come up; see $out/up.err" >&2; exit 1; }
"$here/sluice" bench "${cluster[@]}" --concurrency 512 --duration "$warm" --output - 2>/dev/null >"$out/warm.txt"

row='%-5s %12s %12s %7s %10s %12s %12s %12s %12s %14s\n'
printf "$row" pair "model/s" "pipeline/s" ratio "lone p50" "half p50" "half p99" "floor p50" "floor p99" "CPU ms/request" | tee "$out/pairs.txt"
for pair in $(seq "$pairs"); do
  p="$out/pair-$pair"
  mkdir -p "$p"
  kill -STOP "$up"
  java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro -Dai.djl.offline=true -cp "$classpath" \
      dev.sluice.bench.pipeline.ModelAlone --count "$count" 2>/dev/null >"$p/model-alone.txt" || { kill -CONT "$up"; exit 1; }
  kill -CONT "$up"
  model=$(awk '/^model alone:/ { print $3 }' "$p/model-alone.txt")

  "$here/sluice" bench "${cluster[@]}" --concurrency 512 --duration "$rewarm" --output - 2>/dev/null >"$p/rewarm.txt"
  "$here/sluice" bench "${cluster[@]}" --rate 1 --count "$lone" --warmup 3 --output "$p/lone.json" 2>/dev/null >"$p/lone.txt"
  all0=$(process_ticks "$up"); model0=$(model_ticks "$up")
  TIMEFORMAT='%U %S'
  { time "$here/sluice" bench "${cluster[@]}" --concurrency 512 --count "$count" --output "$p/closed-512.json" 2>/dev/null \
      >"$p/closed-512.txt"; } 2>"$p/bench-client-cpu.txt"
  all1=$(process_ticks "$up"); model1=$(model_ticks "$up")
  saturation=$(throughput "$p/closed-512.txt")
  outside=$(awk -v a="$((all1 - all0))" -v m="$((model1 - model0))" -v hz="$hz" -v n="$count" \
      'BEGIN { printf "%.2f", (a - m) / hz * 1000 / n }')
  echo "sluice up CPU during saturation: $(((all1 - all0) / hz)) s in all, $(((model1 - model0) / hz)) s on the model's threads," \
      "for $count requests; the sluice bench client (its whole run, JVM start included): $(awk '{ print $1 + $2 }' \
      "$p/bench-client-cpu.txt") s" >"$p/cpu.txt"
  half=$(awk -v s="$saturation" 'BEGIN { printf "%d", s / 2 }')
  "$here/sluice" bench "${cluster[@]}" --rate "$half" --duration 30s --warmup 5s --output "$p/open-half.json" 2>/dev/null >"$p/open-half.txt"

  kill -STOP "$up"
  java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro -Dai.djl.offline=true -cp "$classpath" \
      dev.sluice.bench.pipeline.ModelQueue --rate "$half" --seconds 30 --warmup-seconds 5 2>/dev/null >"$p/model-floor.txt" \
      || { kill -CONT "$up"; exit 1; }
  kill -CONT "$up"
  floor() { awk -v q="$1" '{ for (i = 1; i < NF; i++) if ($i == q) { print $(i + 1); exit } }' "$p/model-floor.txt"; }

  ratio=$(awk -v s="$saturation" -v m="$model" 'BEGIN { printf "%.2f", s / m }')
  printf "$row" "$pair" "$model" "$saturation" "$ratio" "$(latency "$p/lone.txt" 1)" "$(latency "$p/open-half.txt" 1)" \
      "$(latency "$p/open-half.txt" 4)" "$(floor p50)" "$(floor p99)" "$outside" | tee -a "$out/pairs.txt"
done
stop_up

column() { awk -v c="$1" 'NR > 1 { print $c }' "$out/pairs.txt" | median; }
printf "$row" median "$(column 2)" "$(column 3)" "$(column 4)" "$(column 5)" "$(column 6)" "$(column 7)" "$(column 8)" \
    "$(column 9)" "$(column 10)" | tee -a "$out/pairs.txt"
printf "pipeline/model: %.2f (median of %s pairs)\n" "$(column 4)" "$pairs" | tee -a "$out/pairs.txt"
