package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker with the bundled real model (all-MiniLM-L6-v2) on a real broker and schema registry:
 * embeddings that mean what they should after the whole trip through Kafka, and exactly one
 * committed result per request after the worker process is killed with SIGKILL mid-stream and
 * restarted with the same worker id.
 */
@RealKafka(schemaRegistry = true)
class RealModelWorkerTest {
  private static final String BUNDLED_MODEL = "classpath:models/all-minilm-l6-v2";
  private static final int CRASH_REQUESTS = 1500;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  @Test
  void embedsAParaphrasePairAlikeAndAnUnrelatedPairApartThroughKafka(KafkaCluster kafka) throws Exception {
    List<String> texts = List.of("The cat sits on the mat", "A cat is sitting on a mat",
        "The quarterly budget report is due on Friday", "Penguins live in the cold southern oceans");
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "realmodel", 2)) {
      rig.deploy("v1", BUNDLED_MODEL);
      WorkerService worker = rig.startWorker("worker-real", new DjlModelLoader(RuntimeConfig.defaults()));
      rig.sendRequests(0, texts.size(), "v1", texts::get);
      Map<String, InferenceResult> byId = rig.awaitResults(texts.size()).stream()
          .collect(Collectors.toMap(InferenceResult::getRequestId, Function.identity(), (first, second) -> first));
      assertThat(worker.stop()).isTrue();

      assertThat(byId.values()).allSatisfy(result -> {
        assertThat(result.getStatus()).isEqualTo(Status.OK);
        assertThat(result.getOutput()).isInstanceOf(Embedding.class);
        assertThat(((Embedding) result.getOutput()).getVector()).hasSize(384);
      });
      assertThat(cosine(byId.get("req-0"), byId.get("req-1"))).isGreaterThan(0.7);
      assertThat(cosine(byId.get("req-2"), byId.get("req-3"))).isLessThan(0.3);
    }
  }

  @Test
  void aWorkerProcessKilledMidStreamAndRestartedLeavesExactlyOneCommittedResultPerRequest(KafkaCluster kafka, @TempDir Path dir)
      throws Exception {
    List<String> sentences = new GeneratedSentences(7L).first(CRASH_REQUESTS);
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "sigkill", 3)) {
      rig.deploy("v1", BUNDLED_MODEL);
      rig.sendRequests(0, CRASH_REQUESTS, "v1", sentences::get);
      Path properties = childProperties(rig, dir);

      Process first = startChild(properties, dir.resolve("first.log"));
      RealBrokerRig.await(() -> rig.answeredSoFar() > 0, () -> "first committed results; child log " + dir.resolve("first.log"));
      long beforeKill = rig.answeredSoFar();
      assertThat(beforeKill).as("answered before the kill").isLessThan(CRASH_REQUESTS);
      first.destroyForcibly();
      first.waitFor();

      startChild(properties, dir.resolve("second.log"));
      RealBrokerRig.await(() -> rig.answeredSoFar() >= CRASH_REQUESTS, () -> "all answered; child log " + dir.resolve("second.log"));
      List<InferenceResult> results = rig.readToEnd();

      Map<String, Long> counts = RealBrokerRig.countsById(results);
      assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(
          IntStream.range(0, CRASH_REQUESTS).mapToObj(i -> "req-" + i).collect(Collectors.toList()));
      assertThat(counts).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
      assertThat(results).allSatisfy(result -> assertThat(result.getStatus()).isEqualTo(Status.OK));
    }
  }

  /** The rig's worker settings with a short session timeout, so the killed member leaves the group quickly. */
  private static Path childProperties(RealBrokerRig rig, Path dir) throws IOException {
    Properties properties = new Properties();
    properties.putAll(rig.workerProperties("worker-crashing"));
    properties.put(WorkerConfig.CONSUMER_PREFIX + "session.timeout.ms", "6000");
    properties.put(WorkerConfig.CONSUMER_PREFIX + "heartbeat.interval.ms", "1000");
    properties.put(RuntimeConfig.SCRATCH_DIR, dir.resolve("scratch").toString());
    Path file = dir.resolve("worker.properties");
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "worker under a SIGKILL test");
    }
    return file;
  }

  private Process startChild(Path properties, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro",
        "-Dai.djl.offline=true", "-Djava.io.tmpdir=" + properties.getParent(), "-cp", System.getProperty("java.class.path"),
        WorkerApp.class.getName(), properties.toString());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("SLUICE") || key.startsWith("WORKER"));
    Process child = builder.start();
    children.add(child);
    return child;
  }

  private static double cosine(InferenceResult a, InferenceResult b) {
    List<Float> x = ((Embedding) a.getOutput()).getVector();
    List<Float> y = ((Embedding) b.getOutput()).getVector();
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.size(); i++) {
      dot += x.get(i) * y.get(i);
      nx += x.get(i) * x.get(i);
      ny += y.get(i) * y.get(i);
    }
    return dot / Math.sqrt(nx * ny);
  }
}
