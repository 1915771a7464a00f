package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Engine;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Status;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.Task;
import dev.sluice.platform.models.ModelRegistryTopic;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.stack.PipelineStack;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of bad input sent between valid requests: each bad record lands on the dead-letter
 * topic with its reason, and every valid request still gets its result.
 */
@RealKafka(schemaRegistry = true)
@Timeout(300)
class BadInputCorpusTest {

  @Test
  void eachBadRecordIsDeadLetteredWithItsReasonWhileValidTrafficFlows(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (PipelineStack stack = PipelineStack.start(PipelineAccountingTest.settings(kafka, dir, "corpus", TopicSettings.singleBroker(), 1),
            new PrintWriter(log));
        Traffic traffic = new Traffic(stack.clientProperties(), stack.topics(), stack.schemaRegistryUrl())) {
      deployLimitedModel(stack, traffic);
      Map<String, ReasonCode> bad = new LinkedHashMap<>();
      List<String> valid = new ArrayList<>();
      int next = 0;
      for (Map.Entry<String, Runnable> entry : corpus(traffic, bad).entrySet()) {
        valid.addAll(traffic.sendSentences("valid-", next, 25));
        next += 25;
        entry.getValue().run();
      }
      valid.addAll(traffic.sendSentences("valid-", next, 25));
      List<String> all = new ArrayList<>(valid);
      all.addAll(bad.keySet());

      traffic.awaitOutcomes(all, Duration.ofMinutes(3));
      traffic.assertExactlyOnce(all);

      List<String> notOk = valid.stream().filter(id -> traffic.outcomes.results(id).isEmpty()
          || traffic.outcomes.results(id).get(0).value().getStatus() != Status.OK)
          .map(id -> id + " " + (traffic.outcomes.results(id).isEmpty() ? traffic.outcomes.rejections(id).get(0).value()
              : traffic.outcomes.results(id).get(0).value())).toList();
      assertThat(notOk).as("valid requests without an OK result").isEmpty();
      Map<String, ReasonCode> got = new LinkedHashMap<>();
      bad.keySet().forEach(id -> got.put(id, traffic.outcomes.rejections(id).isEmpty() ? null : traffic.outcomes.rejections(id).get(0).value().getReason()));
      assertThat(got).as("results of bad records: " + bad.keySet().stream().filter(id -> !traffic.outcomes.results(id).isEmpty())
          .map(id -> traffic.outcomes.results(id).get(0).value().toString()).toList()).isEqualTo(bad);
      RejectedRequest garbage = traffic.outcomes.rejections("garbage").get(0).value();
      assertThat(garbage.getOriginalValue()).as("the original bytes are kept").isEqualTo(ByteBuffer.wrap(bytes("not avro at all")));
      assertThat(garbage.getSource().getTopic()).isEqualTo(stack.topics().requests());
    }
  }

  /** Each bad record by its record key (the request id where it has one), and how it is sent. */
  private static Map<String, Runnable> corpus(Traffic t, Map<String, ReasonCode> expected) {
    Map<String, Runnable> corpus = new LinkedHashMap<>();
    byte[] valid = t.avro.serialize(t.topics.requests(), Traffic.text("template", "minilm", "ABCD-MARKER-ABCD").build());
    add(corpus, expected, "garbage", ReasonCode.DESERIALIZATION_FAILED, () -> t.sendRaw("garbage", bytes("not avro at all")));
    byte[] wrongMagic = valid.clone();
    wrongMagic[0] = 7;
    add(corpus, expected, "wrong-magic", ReasonCode.DESERIALIZATION_FAILED, () -> t.sendRaw("wrong-magic", wrongMagic));
    byte[] unknownId = valid.clone();
    ByteBuffer.wrap(unknownId, 1, 4).putInt(987_654);
    add(corpus, expected, "unknown-schema-id", ReasonCode.DESERIALIZATION_FAILED, () -> t.sendRaw("unknown-schema-id", unknownId));
    add(corpus, expected, "oversize", ReasonCode.PAYLOAD_TOO_LARGE,
        () -> t.send(Traffic.text("oversize", "limited", "x".repeat(5000)).build()));
    byte[] surrogate = replace(t.avro.serialize(t.topics.requests(), Traffic.text("surrogate", "minilm", "ABCD-MARKER-ABCD").build()),
        bytes("MARK"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 'X'});
    add(corpus, expected, "surrogate", ReasonCode.INVALID_TEXT, () -> t.sendRaw("surrogate", surrogate));
    Map<String, Double> features = new HashMap<>();
    features.put("age", Double.NaN);
    add(corpus, expected, "nan-features", ReasonCode.NON_FINITE_NUMBER, () -> t.send(InferenceRequest.newBuilder().setRequestId("nan-features")
        .setModel("minilm").setCreatedAt(Instant.now()).setInput(new TabularInput(features)).build()));
    add(corpus, expected, "missing-id", ReasonCode.MISSING_FIELD,
        () -> t.sendRaw("missing-id", t.avro.serialize(t.topics.requests(), Traffic.text(" ", "minilm", "no id").build())));
    add(corpus, expected, "past-deadline", ReasonCode.EXPIRED,
        () -> t.send(Traffic.text("past-deadline", "minilm", "late").setDeadline(Instant.now().minusSeconds(1)).build()));
    add(corpus, expected, "unknown-model", ReasonCode.UNKNOWN_MODEL, () -> t.send(Traffic.text("unknown-model", "nobody", "who?").build()));
    return corpus;
  }

  private static void add(Map<String, Runnable> corpus, Map<String, ReasonCode> expected, String id, ReasonCode reason, Runnable send) {
    corpus.put(id, send);
    expected.put(id, reason);
  }

  /** A second model whose deployment limits payloads to 2 KiB; no worker serves it, the ingress refuses first. */
  private static void deployLimitedModel(PipelineStack stack, Traffic traffic) {
    ModelDeployment limited = ModelDeployment.newBuilder().setModel("limited").setVersion("v1").setArtifactUri("classpath:models/none")
        .setEngine(Engine.ONNX_RUNTIME).setTask(Task.TEXT_EMBEDDING).setTrafficWeight(1.0)
        .setLimits(ModelLimits.newBuilder().setMaxPayloadBytes(2048).build()).setDeployedAt(Instant.now()).build();
    new ModelRegistryTopic(stack.topics().models(), stack.clientProperties(), traffic.registry).write(List.of(limited));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String probe = "probe-limited";
    traffic.send(Traffic.text(probe, "limited", "x".repeat(5000)).build());
    traffic.awaitOutcomes(List.of(probe), Duration.ofSeconds(30));
    while (traffic.outcomes.rejections(probe).get(0).value().getReason() != ReasonCode.PAYLOAD_TOO_LARGE && System.nanoTime() < deadline) {
      probe = probe + "-again";
      traffic.send(Traffic.text(probe, "limited", "x".repeat(5000)).build());
      traffic.awaitOutcomes(List.of(probe), Duration.ofSeconds(30));
    }
  }

  private static byte[] replace(byte[] haystack, byte[] needle, byte[] replacement) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        byte[] out = haystack.clone();
        System.arraycopy(replacement, 0, out, i, replacement.length);
        return out;
      }
    }
    throw new IllegalArgumentException("marker not found");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
