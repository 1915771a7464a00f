package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingress in this process, the worker as its own process ({@code sluice worker}), killed with
 * SIGKILL mid-stream and started again at once under the same id: it fences its predecessor's
 * transaction, is ready within 15 s, and every request still ends exactly once.
 */
@RealKafka(schemaRegistry = true)
@Timeout(300)
class WorkerCrashTest {

  @Test
  void aWorkerKilledMidStreamAndRestartedLeavesEveryRequestAnsweredOnce(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "crash", TopicSettings.singleBroker(), 0),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl());
        ComponentProcesses processes = new ComponentProcesses(dir)) {
      ChildComponent worker = ChildComponent.worker(processes, stack, dir, "crashing");
      worker.start();
      List<String> ids = new ArrayList<>(traffic.sendSentences("crash-", 0, 1500));

      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (ids.stream().filter(traffic.outcomes::answered).count() < 300 && System.nanoTime() < deadline) {
        traffic.outcomes.poll(Duration.ofMillis(100));
      }
      long before = ids.stream().filter(traffic.outcomes::answered).count();
      assertThat(before).as("answered before the kill; worker log:\n" + worker.log()).isBetween(300L, 1499L);
      ComponentProcesses.kill(worker.process());

      ids.addAll(traffic.sendSentences("after-", 0, 200));
      Duration restartToReady = worker.restartUntilReady(() -> traffic.outcomes.poll(Duration.ofMillis(100)));
      traffic.awaitOutcomes(ids, Duration.ofMinutes(3));
      traffic.assertExactlyOnce(ids);
      System.out.printf("worker restarted under its id: ready in %d ms%n", restartToReady.toMillis());
      assertThat(restartToReady).as("restarted worker ready; its log:\n" + worker.log()).isLessThanOrEqualTo(Duration.ofSeconds(15));
    }
  }
}
