package dev.sluice.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Sluice;
import dev.sluice.cli.stack.PipelineStack;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingress in this process, the worker as its own process ({@code sluice worker}), killed with
 * SIGKILL mid-stream and started again: every request still ends exactly once.
 */
@RealKafka(schemaRegistry = true)
@Timeout(300)
class WorkerCrashTest {
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void aWorkerKilledMidStreamAndRestartedLeavesEveryRequestAnsweredOnce(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "crash", TopicSettings.singleBroker(), 0),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      Path config = workerConfig(stack, dir);
      Process first = startWorker(config, dir.resolve("worker-1.log"));
      List<String> ids = new ArrayList<>(traffic.sendSentences("crash-", 0, 1500));

      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (ids.stream().filter(traffic.outcomes::answered).count() < 300 && System.nanoTime() < deadline) {
        traffic.outcomes.poll(Duration.ofMillis(100));
      }
      long before = ids.stream().filter(traffic.outcomes::answered).count();
      assertThat(before).as("answered before the kill; worker log:\n" + Files.readString(dir.resolve("worker-1.log")))
          .isBetween(300L, 1499L);
      first.destroyForcibly().waitFor();

      ids.addAll(traffic.sendSentences("after-", 0, 200));
      startWorker(config, dir.resolve("worker-2.log"));
      traffic.awaitOutcomes(ids, Duration.ofMinutes(3));
      traffic.assertExactlyOnce(ids);
    }
  }

  private static Path workerConfig(PipelineStack stack, Path dir) throws IOException {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", stack.bootstrapServers());
    properties.put("schema.registry.url", stack.schemaRegistryUrl());
    properties.put("topic.prefix", stack.topics().prefix());
    properties.put("worker.model", "minilm");
    properties.put("worker.id", "crashing");
    properties.put("worker.http.port", "0");
    properties.put("worker.model.scratch.dir", dir.resolve("scratch").toString());
    properties.put("consumer.session.timeout.ms", "6000");
    properties.put("consumer.heartbeat.interval.ms", "1000");
    Path file = dir.resolve("worker.properties");
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "worker under a SIGKILL test");
    }
    return file;
  }

  private Process startWorker(Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro", "-Dai.djl.offline=true",
        "-Djava.io.tmpdir=" + config.getParent(), "-cp", System.getProperty("java.class.path"), Sluice.class.getName(),
        "worker", "--config", config.toString());
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("SLUICE"));
    Process child = builder.start();
    children.add(child);
    return child;
  }
}
