#!/usr/bin/env bash
# End-to-end benchmark of the whole pipeline on this machine, in one run:
#   1. `sluice up` (local broker + registry, ingress, one worker, bundled MiniLM 90/10 fp32/quantized)
#   2. `sluice bench` closed loop at 512 outstanding: saturation throughput
#   3. `sluice bench` open loop at half of that rate for 30 s: latency at half load
#   4. the raw model alone (ModelBenchmark, runner defaults, micro-batches of 256), same machine, right after
# Reports land in $OUT (default target/pipeline-bench). Needs only JDK 17+ and Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-$here/benchmarks/target/pipeline-bench}"
broker_port="${BROKER_PORT:-19092}"
registry_port="${REGISTRY_PORT:-18081}"
mkdir -p "$out"
data="$(mktemp -d)"
cluster=(--bootstrap-servers "localhost:$broker_port" --schema-registry-url "http://localhost:$registry_port")

"$here/sluice" --version >/dev/null   # builds the jar first when sources changed
"$here/sluice" up --data-dir "$data" --broker-port "$broker_port" --registry-port "$registry_port" \
    --ingress-port 0 --worker-port 0 >"$out/up.log" 2>"$out/up.err" &
up=$!
trap 'kill -TERM $up 2>/dev/null; wait $up 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 120); do grep -q "Press Ctrl-C" "$out/up.log" && break; sleep 1; done
grep -q "Press Ctrl-C" "$out/up.log" || { echo "sluice up did not come up; see $out/up.err" >&2; exit 1; }

"$here/sluice" bench "${cluster[@]}" --concurrency 512 --count 4000 --warmup 300 \
    --output "$out/closed-512.json" 2>/dev/null | tee "$out/closed-512.txt"
rate=$(awk '/^outcome throughput/ {gsub("/s", "", $3); print int($3 / 2); exit}' "$out/closed-512.txt")
"$here/sluice" bench "${cluster[@]}" --rate "$rate" --duration 30s --warmup 5s \
    --output "$out/open-half.json" 2>/dev/null | tee "$out/open-half.txt"

kill -TERM $up; wait $up || true
trap 'rm -rf "$data"' EXIT

cd "$here"
mvn -B -o -q install -DskipTests && mvn -B -o -q -pl benchmarks dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath
cd benchmarks
java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro -Dai.djl.offline=true \
    -cp "target/classes:$(cat target/bench.classpath)" dev.sluice.bench.model.ModelBenchmark \
    --predictors 2 --sub-batches 8 --micro-batches 256 2>/dev/null | tee "$out/model-alone.txt"
