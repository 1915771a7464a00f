package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.Status;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.stack.StackPorts;
import dev.sluice.stack.StackSettings;
import dev.sluice.stack.demo.DemoRun;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline (ingress, a worker, the bundled real model) on a real broker: every request accounted for once. */
@RealKafka(schemaRegistry = true)
@Timeout(300)
class PipelineAccountingTest {

  static StackSettings settings(KafkaCluster kafka, Path dir, String prefix, TopicSettings topics, int workers) {
    return new StackSettings(dir, kafka.bootstrapServers(), kafka.schemaRegistryUrl(), Map.of(), "localhost", StackPorts.free(), prefix,
        topics, workers);
  }

  @Test
  void everyRequestEndsAsExactlyOneResultOrRejectionForReadCommittedReaders(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(settings(kafka, dir, "acct", TopicSettings.singleBroker(), 1), new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      List<String> valid = traffic.sendSentences("ok-", 0, 400);
      List<String> invalid = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = "unknown-model-" + i;
        traffic.send(Traffic.text(id, "no-such-model", "for nobody").build());
        invalid.add(id);
        id = "expired-" + i;
        traffic.send(Traffic.text(id, "minilm", "too late").setDeadline(Instant.now().minusSeconds(5)).build());
        invalid.add(id);
      }
      List<String> all = new ArrayList<>(valid);
      all.addAll(invalid);

      traffic.awaitOutcomes(all, Duration.ofMinutes(3));
      traffic.assertExactlyOnce(all);

      for (String id : valid) {
        InferenceResult result = traffic.outcomes.results(id).get(0).value();
        assertThat(result.getStatus()).as(id).isEqualTo(Status.OK);
        assertThat(result.getModelVersion()).isIn("v1", "v2");
      }
      assertThat(invalid).allSatisfy(id -> assertThat(traffic.outcomes.rejections(id).get(0).value().getReason())
          .isEqualTo(id.startsWith("expired") ? ReasonCode.EXPIRED : ReasonCode.UNKNOWN_MODEL));
      long onV2 = valid.stream().filter(id -> traffic.outcomes.results(id).get(0).value().getModelVersion().equals("v2")).count();
      assertThat(onV2).as("the 90/10 split sends some traffic to the quantized version").isBetween(10L, 100L);
    }
  }

  @Test
  void theDemoAccountsForEverySampleAndFindsMeaningfulNeighbours(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(settings(kafka, dir, "demo", TopicSettings.singleBroker(), 1), new PrintWriter(log))) {
      StringWriter out = new StringWriter();
      boolean ok = new DemoRun(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl(), new PrintWriter(out)).run();

      assertThat(ok).as(out.toString()).isTrue();
      assertThat(out.toString()).contains("Every request is accounted for", "UNKNOWN_MODEL", "MISSING_FIELD", "INVALID_TEXT", "EXPIRED",
          "DESERIALIZATION_FAILED", "1 result for the request and its retry");
      assertThat(out.toString()).containsPattern("0\\.\\d\\d  The striker scored twice .* -> (The goalkeeper|Fans filled|The coach)");
    }
  }
}
