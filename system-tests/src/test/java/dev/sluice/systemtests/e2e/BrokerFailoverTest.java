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

/** Three brokers and a dedicated controller, topics with replication 3 and min ISR 2: a broker stopped mid-stream loses nothing. */
@RealKafka(brokers = 3, dedicatedController = true, schemaRegistry = true)
@Timeout(400)
class BrokerFailoverTest {

  @Test
  void aBrokerStoppedMidStreamLosesAndDuplicatesNothing(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "failover", TopicSettings.replicated(3), 1),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      List<String> ids = new ArrayList<>(traffic.sendSentences("before-", 0, 400));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (ids.stream().filter(traffic.outcomes::answered).count() < 100 && System.nanoTime() < deadline) {
        traffic.outcomes.poll(Duration.ofMillis(100));
      }
      assertThat(ids.stream().filter(traffic.outcomes::answered).count()).as("answered before the broker stops").isGreaterThanOrEqualTo(100);

      kafka.stopBroker(1);
      ids.addAll(traffic.sendSentences("during-", 0, 400));

      traffic.awaitOutcomes(ids, Duration.ofMinutes(4));
      traffic.assertExactlyOnce(ids);
    }
  }
}
