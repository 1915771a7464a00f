package dev.sluice.bench;

import dev.sluice.local.kafka.LocalKafkaConfig;
import dev.sluice.stack.LocalStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The whole benchmark: a real broker and schema registry in this JVM, an optional warm-up round
 * on the {@value #WARMUP_PREFIX} topics (so the JIT and the broker are warm; its figures are
 * not reported), then the measured round on the {@value #MEASURED_PREFIX} topics.
 */
final class BenchmarkRun {
  /** Topic prefix of the warm-up round. */
  static final String WARMUP_PREFIX = "sluice-warmup";
  /** Topic prefix of the measured round: the pipeline's default topics. */
  static final String MEASURED_PREFIX = "sluice";

  private final BenchmarkSettings settings;
  private final PrintStream progress;

  BenchmarkRun(BenchmarkSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs the rounds and returns the measured one's report; a temporary data directory is deleted afterwards. */
  BenchmarkReport run() throws IOException, InterruptedException {
    boolean temporary = settings.dataDir() == null;
    Path dataDir = temporary ? Files.createTempDirectory("sluice-bench-") : Files.createDirectories(settings.dataDir());
    try {
      return runIn(dataDir);
    } finally {
      if (temporary) {
        deleteRecursively(dataDir);
      }
    }
  }

  private BenchmarkReport runIn(Path dataDir) throws InterruptedException {
    progress.println("Starting a Kafka broker and schema registry in this JVM, data in " + dataDir);
    long start = System.nanoTime();
    try (LocalStack stack = LocalStack.start(LocalKafkaConfig.ephemeral(dataDir.resolve("kafka")), 0);
        BenchmarkCluster cluster = BenchmarkCluster.connect(stack)) {
      progress.printf(Locale.ROOT, "Broker %s and registry %s up in %.1f s%n", stack.bootstrapServers(), stack.schemaRegistryUrl(),
          (System.nanoTime() - start) / 1e9);
      StreamsSettings streams = new StreamsSettings(stack.bootstrapServers(), settings.threads(), settings.commitIntervalMs(),
          dataDir.resolve("streams"));
      BenchmarkRound round = new BenchmarkRound(cluster, settings, streams, progress);
      if (settings.warmup() > 0) {
        round.run("warmup", WARMUP_PREFIX, settings.warmup(), settings.seed() + 1, false);
      }
      RoundResult measured = round.run("measured", MEASURED_PREFIX, settings.requests(), settings.seed(), true);
      return new BenchmarkReport(MachineInfo.current(), settings, measured);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
