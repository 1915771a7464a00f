package dev.sluice.bench.worker;

import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.schemas.AvroTrust;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.testkit.ClusterSpec;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.KafkaClusters;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency-target flush planner ({@code worker.latency.target.ms}) against static flushes
 * (the worker's defaults: 128 records, 10 ms), the worker alone on a real in-process broker, the
 * bundled fp32 model. Rounds alternate the two settings, each on a fresh worker and topics: a
 * 400-request warm-up, saturation (4,000 requests produced at once: requests/s from the first
 * produced to the last result seen by a read_committed reader), then open-loop loads at fractions
 * of the first static round's saturation, each for {@code --seconds}, with latency from
 * created_at to the commit seen by that reader. Not a test: run its {@code main} (BENCHMARKS.md).
 *
 * <p>Arguments: {@code --target MS} (100), {@code --loads F,F} (0.3,0.7), {@code --seconds S} (20),
 * {@code --rounds R} (2 of each setting).
 */
public final class FlushPlannerBenchmark {
  private static final int WARM_UP = 400;
  private static final int SATURATION = 4000;

  private FlushPlannerBenchmark() {}

  public static void main(String[] args) throws Exception {
    AvroTrust.trustContracts();
    int target = Integer.parseInt(arg(args, "--target", "100"));
    double[] loads = Arrays.stream(arg(args, "--loads", "0.3,0.7").split(",")).mapToDouble(Double::parseDouble).toArray();
    int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
    int rounds = Integer.parseInt(arg(args, "--rounds", "2"));
    List<String> sentences = new GeneratedSentences(20261126L).first(2000);
    Path scratch = Files.createTempDirectory("sluice-planner-bench");
    DjlModelLoader loader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch));
    System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; latency target %d ms; loads %s of static saturation, %d s each%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"), target,
        Arrays.toString(loads), seconds);
    System.out.printf(Locale.ROOT, "%-22s %12s %10s %22s %22s%n", "setting", "saturation/s", "load/s", "seen p50 / p99 ms",
        "worker p50 / p99 ms");
    try (KafkaCluster kafka = KafkaClusters.start(ClusterSpec.singleBroker().withSchemaRegistry(true));
        WorkerRig rig = new WorkerRig(sentences, kafka)) {
      double reference = 0;
      for (int round = 1; round <= rounds; round++) {
        for (boolean planned : new boolean[] {false, true}) {
          String name = planned ? "target " + target + " ms" : "static 128 / 10 ms";
          Map<String, String> settings = planned ? Map.of(WorkerConfig.LATENCY_TARGET_MS, Integer.toString(target)) : Map.of();
          PipelineTopics topics = rig.topics("planner" + round + (planned ? "t" : "s"), 4);
          try (ResultReader reader = new ResultReader(kafka.bootstrapServers(), topics.results(), rig.registry)) {
            WorkerService service = rig.startWorker(topics, loader, settings);
            try {
              WorkerRig.await(() -> service.worker().readiness().ready());
              rig.produceRequests(topics, "warm-", 0, WARM_UP);
              WorkerRig.await(() -> reader.poll() >= WARM_UP);
              long start = System.nanoTime();
              rig.produceRequests(topics, "sat-", 0, SATURATION);
              WorkerRig.await(() -> reader.poll() >= WARM_UP + SATURATION);
              double saturation = SATURATION / ((System.nanoTime() - start) / 1e9);
              reference = reference == 0 ? saturation : reference;
              for (double load : loads) {
                double rate = load * reference;
                WorkerRig.Latency latency = rig.openLoop(topics, reader, "load" + load, rate, seconds);
                String line = String.format(Locale.ROOT, "%-22s %12.1f %10.1f %22s %22s", name + " #" + round, saturation, rate,
                    latency.seenP50() + " / " + latency.seenP99(), latency.workerP50() + " / " + latency.workerP99());
                System.out.println(line);
              }
            } finally {
              service.stop();
            }
          }
        }
      }
    }
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
